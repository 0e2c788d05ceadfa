import { createServer, type Server } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** Where the test provider sends browsers back; the browser below re-targets it at the server under test (as a proxy would). */
export const OIDC_TEST_REDIRECT = 'http://localhost:9/v1/auth/oidc/callback';
export const OIDC_TEST_CLIENT = { id: 'skyguard-test', secret: randomBytes(24).toString('base64url') };

/**
 * OIDC configured with no provider behind it (port 9, discard): the sign-in routes exist, so route
 * tables and the authorization matrix cover them, and a sign-in answers 502.
 */
export const OIDC_ROUTES_ONLY_ENV = {
  OIDC_ISSUER: 'http://127.0.0.1:9', OIDC_CLIENT_ID: 'skyguard', OIDC_REDIRECT_URL: OIDC_TEST_REDIRECT, OIDC_TENANT: 'demo',
};

export type TestAccountClaims = Record<string, unknown>;

/**
 * A real OpenID Connect provider (panva's `oidc-provider`, certified) on a random loopback port,
 * with one confidential client for Skyguard. Its login screen is replaced by a hook that signs in
 * whoever the test named with `signInAs` (or refuses, with `refuseNext`); consent is pre-granted.
 * Everything else — discovery, PKCE, state, nonce, signed ID tokens, token and userinfo
 * endpoints — is the provider's own.
 */
export class OidcTestProvider {
  private readonly accounts = new Map<string, TestAccountClaims>();
  private next: { subject: string } | { refuse: string } | undefined;

  private constructor(readonly issuer: string, private readonly server: Server) {}

  static async start(): Promise<OidcTestProvider> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const me = new OidcTestProvider(issuer, server);
    const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    const provider = new Provider(issuer, {
      clients: [{
        client_id: OIDC_TEST_CLIENT.id, client_secret: OIDC_TEST_CLIENT.secret, redirect_uris: [OIDC_TEST_REDIRECT],
        response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_basic',
      }],
      jwks: { keys: [{ ...signingKey, alg: 'RS256', use: 'sig', kid: 'test' }] },
      cookies: { keys: [randomBytes(16).toString('hex')] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], skyguard: ['roles', 'skyguard_tenant'] },
      scopes: ['openid', 'email', 'profile', 'skyguard'],
      features: { devInteractions: { enabled: false } },
      findAccount: (_ctx, sub) => {
        const claims = me.accounts.get(sub);
        return claims ? { accountId: sub, claims: () => ({ sub, ...claims }) } : undefined;
      },
      // Consent is not what these tests are about: every request's scopes are granted.
      loadExistingGrant: async (ctx) => {
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
        grant.addOIDCScope(String(ctx.oidc.params!.scope));
        await grant.save();
        return grant;
      },
    });
    const handle = provider.callback();
    server.on('request', (req, res) => {
      if (!req.url?.startsWith('/interaction/')) return void handle(req, res);
      const next = me.next;
      me.next = undefined;
      void (async () => {
        await provider.interactionDetails(req, res);
        if (!next) throw new Error('no test account chosen: call signInAs first');
        const result = 'refuse' in next ? { error: 'access_denied', error_description: next.refuse } : { login: { accountId: next.subject } };
        await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      })().catch((e: unknown) => {
        res.statusCode = 500;
        res.end(String(e));
      });
    });
    return me;
  }

  /** The next sign-in at the provider is this account (created or replaced with these claims). */
  signInAs(subject: string, claims: TestAccountClaims): void {
    this.accounts.set(subject, claims);
    this.next = { subject };
  }

  /** The next sign-in is refused by the provider (the user pressed "cancel"). */
  refuseNext(reason: string): void {
    this.next = { refuse: reason };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A minimal browser: follows redirects by hand, keeps cookies per origin, and re-targets the
 * provider's redirect to the server under test. Returns the last response (the first that is not a
 * redirect, or the redirect away from the callback).
 */
export class TestBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  constructor(private readonly serverBaseUrl: string, private readonly accept = 'application/json') {}

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string): void {
    let m = this.jar.get(origin);
    if (!m) this.jar.set(origin, (m = new Map()));
    m.set(name, value);
  }

  /** Visits `url` and follows redirects until one leaves the sign-in flow (or 12 hops). */
  async visit(url: string): Promise<Response> {
    return (await this.follow(url, false)) as Response;
  }

  /** Like visit, but stops where the provider sends the browser back and returns that callback URL (on the server under test). */
  async callbackUrl(url: string): Promise<string> {
    return (await this.follow(url, true)) as string;
  }

  /** One request, no redirect followed (e.g. to start a sign-in and keep only its cookie). */
  async request(url: string): Promise<Response> {
    const target = new URL(url);
    const jar = this.jar.get(target.origin);
    const res = await fetch(target, {
      redirect: 'manual',
      headers: { accept: this.accept, ...(jar && jar.size > 0 ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {}) },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = value === '' || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired) this.jar.get(target.origin)?.delete(name);
      else this.setCookie(target.origin, name, value);
    }
    return res;
  }

  private async follow(url: string, stopAtCallback: boolean): Promise<Response | string> {
    let next = url;
    for (let hop = 0; hop < 12; hop++) {
      if (next.startsWith(OIDC_TEST_REDIRECT)) next = next.replace(new URL(OIDC_TEST_REDIRECT).origin, this.serverBaseUrl);
      const toCallback = next.startsWith(`${this.serverBaseUrl}/v1/auth/oidc/callback`);
      if (toCallback && stopAtCallback) return next;
      const res = await this.request(next);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location || toCallback) return res;
      next = new URL(location, next).href;
    }
    throw new Error('too many redirects');
  }
}
