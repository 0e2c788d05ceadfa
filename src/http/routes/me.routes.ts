import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../deps.js';
import { withTenant } from '../../platform/db/with-tenant.js';
import type { Principal } from '../../platform/authn/principal.js';
import { listActiveSessions, revokeOtherSessions, revokeSession } from '../../platform/authn/session.service.js';
import { notFound } from '../../shared/app-error.js';
import { auditMutation } from '../plugins/audit-hook.js';
import { IdParams, MeView } from './schemas.js';

export const meView = (p: Principal) => ({
  user: { id: p.userId, email: p.email, displayName: p.displayName, roles: [...p.roles], tenantId: p.tenantId, tenantSlug: p.tenantSlug },
  permissions: [...p.permissions].sort(),
  authMethod: p.authMethod,
});

export const meRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/me', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'Who am I, and what may I do', response: { 200: MeView } },
  }, async (request) => meView(request.principal!));

  app.get('/me/sessions', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'My active sessions' },
  }, async (request) => {
    const p = request.principal!;
    const rows = await withTenant(deps.pool, p, (db) => listActiveSessions(db, p.userId, deps.now(), deps.settings.session));
    return { items: rows.map((s) => ({ ...s, current: s.id === p.sessionId })) };
  });

  app.delete('/me/sessions/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'Sign out one of my sessions', params: IdParams },
  }, async (request, reply) => {
    const p = request.principal!;
    const now = deps.now();
    await withTenant(deps.pool, p, async (db) => {
      if (!(await revokeSession(db, p.userId, request.params.id, now))) throw notFound('Session');
      await auditMutation(db, request, p.tenantId, 'session.revoked', { target: request.params.id }, now);
    });
    return reply.code(204).send();
  });

  app.post('/me/sessions/revoke-others', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'Sign out all my other sessions', response: { 200: Type.Object({ revoked: Type.Integer() }) } },
  }, async (request) => {
    const p = request.principal!;
    const now = deps.now();
    return withTenant(deps.pool, p, async (db) => {
      const revoked = await revokeOtherSessions(db, p.userId, p.sessionId, now);
      await auditMutation(db, request, p.tenantId, 'session.revoked_others', { target: p.userId, details: { revoked } }, now);
      return { revoked };
    });
  });
};
