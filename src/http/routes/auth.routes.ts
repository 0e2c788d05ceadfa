import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../deps.js';
import { withTenant } from '../../platform/db/with-tenant.js';
import { findUserByEmail } from '../../platform/accounts/user.repository.js';
import { verifyPassword } from '../../platform/authn/password.js';
import { createSession, revokeSession } from '../../platform/authn/session.service.js';
import { permissionsOf } from '../../platform/authz/rbac.js';
import { AppError } from '../../shared/app-error.js';
import { SESSION_COOKIE } from '../plugins/authentication.js';
import { auditMutation } from '../plugins/audit-hook.js';
import { MeView } from './schemas.js';
import { meView } from './me.routes.js';
import { oidcRoutes } from './oidc.routes.js';

const LoginBody = Type.Object(
  {
    tenant: Type.String({ minLength: 1, maxLength: 63 }),
    email: Type.String({ minLength: 3, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

const invalidCredentials = (): AppError => new AppError('INVALID_CREDENTIALS', 401, 'Tenant, email or password is wrong');

export const authRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: deps.settings.cookieSecure };

  app.post('/auth/login', {
    config: { access: 'public', rateLimit: { max: deps.settings.loginRateLimitPerMinute, timeWindow: 60_000, keyGenerator: (r) => `login:${r.ip}` } },
    schema: { tags: ['auth'], summary: 'Sign in with a password; sets the session cookie', body: LoginBody, response: { 200: MeView } },
  }, async (request, reply) => {
    const { tenant: slug, email, password } = request.body;
    const now = deps.now();
    const tenant = (await deps.pool.query<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [slug.toLowerCase()])).rows[0];
    if (!tenant) {
      await verifyPassword(null, password);
      request.auditDetails = { outcome: 'unknown_tenant' };
      throw invalidCredentials();
    }
    request.auditTenantId = tenant.id;
    const session = await withTenant(deps.pool, { tenantId: tenant.id }, async (db) => {
      const user = await findUserByEmail(db, email);
      const ok = await verifyPassword(user?.passwordHash, password);
      if (!user || !ok || user.disabled) return null;
      // Rotation: a login never reuses a session; the one this browser held (if any) is ended.
      const previous = request.principal?.sessionId;
      if (previous && request.principal?.userId === user.id) await revokeSession(db, user.id, previous, now);
      const s = await createSession(db, { tenantId: tenant.id, userId: user.id, ip: request.ip, userAgent: request.headers['user-agent'] ?? null, now, policy: deps.settings.session });
      request.principal = {
        tenantId: tenant.id, tenantSlug: slug.toLowerCase(), actorType: 'user', userId: user.id, email: user.email,
        displayName: user.displayName, roles: user.roles, permissions: permissionsOf(user.roles), authMethod: 'session', sessionId: s.id,
      };
      await auditMutation(db, request, tenant.id, 'auth.login', { target: user.id, details: { sessionId: s.id } }, now);
      return s;
    });
    if (!session) {
      request.auditDetails = { outcome: 'bad_credentials', email: email.slice(0, 320) };
      throw invalidCredentials();
    }
    reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions, expires: session.expiresAt });
    return meView(request.principal!);
  });

  app.get('/auth/methods', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'], summary: 'How users can sign in here (the dashboard shows a single sign-on button when OIDC is configured)',
      response: { 200: Type.Object({ password: Type.Boolean(), oidc: Type.Union([Type.Object({ label: Type.String(), loginUrl: Type.String() }), Type.Null()]) }) },
    },
  }, async () => ({ password: true, oidc: deps.oidc ? { label: deps.oidc.label, loginUrl: '/v1/auth/oidc/login' } : null }));

  if (deps.oidc) await app.register(oidcRoutes(deps, deps.oidc));

  app.post('/auth/logout', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: 'End the current session' },
  }, async (request, reply) => {
    const p = request.principal!;
    if (p.sessionId) {
      const now = deps.now();
      await withTenant(deps.pool, p, async (db) => {
        await revokeSession(db, p.userId, p.sessionId!, now);
        await auditMutation(db, request, p.tenantId, 'auth.logout', { target: p.userId, details: { sessionId: p.sessionId } }, now);
      });
    }
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.code(204).send();
  });
};
