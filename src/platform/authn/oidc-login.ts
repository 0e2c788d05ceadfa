import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { OidcConfig } from '../../config/config.js';
import { isRole, type Role } from '../authz/rbac.js';
import { AppError } from '../../shared/app-error.js';

/** Who the provider says signed in, with the claims Skyguard uses. */
export interface OidcIdentity {
  readonly issuer: string;
  readonly subject: string;
  readonly email: string | undefined;
  readonly emailVerified: boolean;
  readonly name: string | undefined;
  readonly tenantSlug: string;
  /** Skyguard roles named by the roles claim; undefined when the provider sent no such claim. */
  readonly roles: readonly Role[] | undefined;
}

/** A sign-in in progress: where to send the browser, and the sealed state it must bring back (a cookie). */
export interface OidcLoginStart {
  readonly authorizationUrl: string;
  readonly sealedState: string;
}

export interface OidcLogin {
  readonly label: string;
  /** Roles of a new account whose identity carries no roles claim. */
  readonly defaultRoles: readonly Role[];
  begin(returnTo: string, now: Date): Promise<OidcLoginStart>;
  /** Checks the provider's answer against the browser's sealed state and returns the identity. */
  complete(callbackUrl: URL, sealedState: string | undefined, now: Date): Promise<{ identity: OidcIdentity; returnTo: string }>;
}

/** A sign-in must come back within this time. */
const LOGIN_STATE_TTL_MS = 10 * 60_000;

interface LoginState {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly returnTo: string;
  readonly expiresAt: number;
}

const refused = (message: string, cause?: unknown): AppError => new AppError('OIDC_LOGIN_REFUSED', 401, message, cause === undefined ? {} : { cause });
const badState = (why: string): AppError =>
  new AppError('OIDC_LOGIN_STATE_INVALID', 400, `The sign-in cannot be completed: ${why}. Start it again.`);

/**
 * Sign-in through one OpenID Connect provider: authorization code flow with PKCE, state and nonce.
 * The three secrets of a sign-in travel in a cookie sealed with AES-256-GCM (key derived from the
 * deployment's pepper), so any instance can finish a sign-in another one started and no table
 * fills with abandoned attempts; the cookie binds the sign-in to the browser that began it, which
 * is what stops an attacker from completing their own sign-in in a victim's browser.
 *
 * The provider's metadata is discovered on first use and kept; a provider that is down fails
 * sign-ins with 502, never start-up. Plain HTTP is allowed only for a provider on loopback
 * (config.ts refuses it elsewhere).
 */
export function createOidcLogin(config: OidcConfig, secret: string): OidcLogin {
  const key = Buffer.from(hkdfSync('sha256', secret, 'skyguard', 'oidc login state v1', 32));
  let discovered: Promise<client.Configuration> | undefined;

  const provider = (): Promise<client.Configuration> => {
    discovered ??= client
      .discovery(
        new URL(config.issuer), config.clientId, config.clientSecret,
        config.clientSecret === undefined ? client.None() : client.ClientSecretBasic(config.clientSecret),
        new URL(config.issuer).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((e: unknown) => {
        discovered = undefined; // try again on the next sign-in
        throw new AppError('OIDC_PROVIDER_UNAVAILABLE', 502, `The sign-in provider ${config.issuer} cannot be reached`, { cause: e });
      });
    return discovered;
  };

  const seal = (s: LoginState): string => {
    const nonce = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, nonce);
    const body = Buffer.concat([c.update(JSON.stringify(s), 'utf8'), c.final()]);
    return Buffer.concat([nonce, c.getAuthTag(), body]).toString('base64url');
  };
  const open = (sealed: string | undefined, now: Date): LoginState => {
    if (!sealed) throw badState('this browser did not start it (no sign-in cookie)');
    let s: LoginState;
    try {
      const raw = Buffer.from(sealed, 'base64url');
      const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      s = JSON.parse(Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8')) as LoginState;
    } catch {
      throw badState('the sign-in cookie is not one this server issued');
    }
    if (s.expiresAt < now.getTime()) throw badState('it took longer than 10 minutes');
    return s;
  };

  return {
    label: config.label,
    defaultRoles: config.defaultRoles,
    async begin(returnTo, now) {
      const p = await provider();
      const s: LoginState = {
        state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier(),
        returnTo, expiresAt: now.getTime() + LOGIN_STATE_TTL_MS,
      };
      const url = client.buildAuthorizationUrl(p, {
        redirect_uri: config.redirectUrl, scope: config.scopes, state: s.state, nonce: s.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(s.codeVerifier), code_challenge_method: 'S256',
      });
      return { authorizationUrl: url.href, sealedState: seal(s) };
    },

    async complete(callbackUrl, sealedState, now) {
      const s = open(sealedState, now);
      const p = await provider();
      // The provider answers on our registered redirect URL; what reached us may differ in host
      // (a proxy), so the response parameters are read onto that URL.
      const current = new URL(config.redirectUrl);
      current.search = callbackUrl.search;
      let claims: Record<string, unknown>;
      try {
        const tokens = await client.authorizationCodeGrant(p, current, { pkceCodeVerifier: s.codeVerifier, expectedState: s.state, expectedNonce: s.nonce, idTokenExpected: true });
        claims = { ...tokens.claims() };
        if (needsUserInfo(config, claims) && p.serverMetadata().userinfo_endpoint) {
          const info = await client.fetchUserInfo(p, tokens.access_token, claims.sub as string);
          claims = { ...info, ...claims };
        }
      } catch (e) {
        throw asSignInError(e);
      }
      return { identity: identityOf(config, claims), returnTo: s.returnTo };
    },
  };
}

/** Email and roles often come only from the userinfo endpoint (OIDC's default for scope claims). */
const needsUserInfo = (config: OidcConfig, claims: Record<string, unknown>): boolean =>
  claims.email === undefined || claims[config.rolesClaim] === undefined || (config.tenantClaim !== undefined && claims[config.tenantClaim] === undefined);

function asSignInError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof client.AuthorizationResponseError || e instanceof client.ResponseBodyError) {
    const said = [e.error, e.error_description].filter(Boolean).join(': ').slice(0, 300);
    return refused(`The sign-in provider refused the sign-in (${said})`, e);
  }
  // fetch() failing to connect is a TypeError with a network cause; anything else is a response
  // that did not pass the protocol's checks (state, nonce, signature, audience, expiry).
  if (e instanceof TypeError) return new AppError('OIDC_PROVIDER_UNAVAILABLE', 502, 'The sign-in provider cannot be reached', { cause: e });
  return refused(`The sign-in provider's answer did not pass verification (${e instanceof Error ? e.message.slice(0, 200) : 'unknown'})`, e);
}

/** Roles: an array of names, or one string of names separated by spaces or commas; unknown names are ignored. */
function rolesOf(value: unknown): readonly Role[] | undefined {
  if (value === undefined || value === null) return undefined;
  const names = Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  return [...new Set(names.map((n) => n.trim().toLowerCase()).filter(isRole))];
}

function identityOf(config: OidcConfig, claims: Record<string, unknown>): OidcIdentity {
  const text = (name: string): string | undefined => {
    const v = claims[name];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const tenantSlug = (config.tenantClaim !== undefined ? text(config.tenantClaim) : config.tenant)?.toLowerCase();
  if (tenantSlug === undefined) {
    throw new AppError('OIDC_NO_TENANT', 403, `The sign-in provider did not say which tenant this user belongs to (claim ${config.tenantClaim ?? ''})`);
  }
  return {
    issuer: config.issuer,
    subject: claims.sub as string,
    email: text('email'),
    emailVerified: claims.email_verified === true,
    name: text('name') ?? text('preferred_username'),
    tenantSlug,
    roles: rolesOf(claims[config.rolesClaim]),
  };
}
