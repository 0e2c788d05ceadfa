import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import type { OidcLogin } from '../../platform/authn/oidc-login.js';
import { withTenant } from '../../platform/db/with-tenant.js';
import { signInOidcAccount } from '../../platform/accounts/oidc-account.js';
import { createSession, revokeSession } from '../../platform/authn/session.service.js';
import { permissionsOf } from '../../platform/authz/rbac.js';
import { AppError } from '../../shared/app-error.js';
import { SESSION_COOKIE } from '../plugins/authentication.js';
import { auditMutation } from '../plugins/audit-hook.js';

/** Carries a sign-in's sealed state from its start to the provider's callback (this path only). */
export const OIDC_STATE_COOKIE = 'sg_oidc';
const STATE_COOKIE_PATH = '/v1/auth/oidc';

/** Only same-app paths are accepted as the destination after sign-in (no open redirect). */
const safeReturnTo = (value: string | undefined): string =>
  value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') && !value.startsWith('/login') ? value : '/';

const wantsHtml = (request: FastifyRequest): boolean => (request.headers.accept ?? '').includes('text/html');

/**
 * Sign-in through the configured OpenID Connect provider (registered only when OIDC_* is set):
 * `/auth/oidc/login` sends the browser to the provider, `/auth/oidc/callback` receives it back,
 * signs the identity in to its tenant's account (see signInOidcAccount) and starts the same
 * server-side session a password sign-in does. A browser whose sign-in fails is sent to the
 * dashboard's sign-in page with the error code; an API client gets problem+json.
 */
export const oidcRoutes = (deps: AppDeps, oidc: OidcLogin): FastifyPluginAsyncTypebox => async (app) => {
  const secure = deps.settings.cookieSecure;
  const loginLimit = { max: deps.settings.loginRateLimitPerMinute, timeWindow: 60_000, keyGenerator: (r: FastifyRequest) => `login:${r.ip}` };

  app.get('/auth/oidc/login', {
    config: { access: 'public', rateLimit: loginLimit },
    schema: {
      tags: ['auth'], summary: `Sign in with ${oidc.label}: redirects to the OpenID Connect provider`,
      querystring: Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 2048 })) }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const start = await oidc.begin(safeReturnTo(request.query.returnTo), deps.now());
    reply.setCookie(OIDC_STATE_COOKIE, start.sealedState, { path: STATE_COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure, maxAge: 600 });
    return reply.redirect(start.authorizationUrl, 302);
  });

  app.get('/auth/oidc/callback', {
    config: { access: 'public', rateLimit: loginLimit },
    schema: {
      tags: ['auth'], summary: 'Where the OpenID Connect provider sends the browser back; sets the session cookie',
      // The provider's parameters (code, state, iss, error, error_description, session_state …) are read by the client library.
      querystring: Type.Record(Type.String(), Type.String({ maxLength: 4096 })),
    },
  }, async (request, reply) => {
    reply.clearCookie(OIDC_STATE_COOKIE, { path: STATE_COOKIE_PATH });
    try {
      return await completeSignIn(deps, oidc, request, reply);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      request.auditDetails = { ...request.auditDetails, outcome: e.code };
      if (!wantsHtml(request)) throw e;
      return reply.redirect(`/login?oidcError=${encodeURIComponent(e.code)}&message=${encodeURIComponent(e.message)}`, 302);
    }
  });
};

async function completeSignIn(deps: AppDeps, oidc: OidcLogin, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const now = deps.now();
  const { identity, returnTo } = await oidc.complete(new URL(request.url, 'http://callback.invalid'), request.cookies[OIDC_STATE_COOKIE], now);
  request.auditDetails = { issuer: identity.issuer, subject: identity.subject };
  const tenant = (await deps.pool.query<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [identity.tenantSlug])).rows[0];
  if (!tenant) throw new AppError('OIDC_NO_TENANT', 403, `The sign-in provider names a tenant that does not exist here (${identity.tenantSlug})`);
  request.auditTenantId = tenant.id;
  const session = await withTenant(deps.pool, { tenantId: tenant.id }, async (db) => {
    const { user, how } = await signInOidcAccount(db, tenant.id, identity, oidc.defaultRoles);
    // Rotation, as for a password sign-in: the session this browser held (if any) ends.
    const previous = request.principal?.sessionId;
    if (previous && request.principal?.userId === user.id) await revokeSession(db, user.id, previous, now);
    const s = await createSession(db, { tenantId: tenant.id, userId: user.id, ip: request.ip, userAgent: request.headers['user-agent'] ?? null, now, policy: deps.settings.session });
    request.principal = {
      tenantId: tenant.id, tenantSlug: identity.tenantSlug, actorType: 'user', userId: user.id, email: user.email,
      displayName: user.displayName, roles: user.roles, permissions: permissionsOf(user.roles), authMethod: 'session', sessionId: s.id,
    };
    await auditMutation(db, request, tenant.id, 'auth.login', {
      target: user.id, details: { sessionId: s.id, method: 'oidc', issuer: identity.issuer, subject: identity.subject, account: how, roles: user.roles },
    }, now);
    return s;
  });
  reply.setCookie(SESSION_COOKIE, session.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.settings.cookieSecure, expires: session.expiresAt });
  return reply.redirect(returnTo, 302);
}
