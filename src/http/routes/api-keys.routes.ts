import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../deps.js';
import { withTenant } from '../../platform/db/with-tenant.js';
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey, type ApiKeyView as KeyRow } from '../../platform/authn/api-key.service.js';
import { auditMutation } from '../plugins/audit-hook.js';
import { decodeCursor, page, PageQuery } from '../pagination.js';
import { ApiKeyView, IdParams } from './schemas.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const view = (k: KeyRow) => ({
  ...k, createdAt: k.createdAt.toISOString(), expiresAt: iso(k.expiresAt), lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt), graceUntil: iso(k.graceUntil),
});
const Created = Type.Object({ apiKey: ApiKeyView, secret: Type.String() });

export const apiKeyRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api-keys', {
    config: { access: 'apikeys:read' },
    schema: { tags: ['api-keys'], summary: 'My API keys (all of the tenant’s with apikeys:admin)', querystring: Type.Object(PageQuery, { additionalProperties: false }) },
  }, async (request) => {
    const { limit = 50, cursor } = request.query;
    const rows = await withTenant(deps.pool, request.principal!, (db) =>
      listApiKeys(db, request.principal!, { limit: limit + 1, cursor: decodeCursor(cursor) }));
    const result = page(rows, limit, (k) => ({ v: k.createdAt.toISOString(), id: k.id }));
    return { items: result.items.map(view), nextCursor: result.nextCursor };
  });

  app.post('/api-keys', {
    config: { access: 'apikeys:write' },
    schema: {
      tags: ['api-keys'], summary: 'Create an API key — the secret is in this response only',
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 100 }),
        scopes: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 64, uniqueItems: true }),
        expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
      }, { additionalProperties: false }),
      response: { 201: Created },
    },
  }, async (request, reply) => {
    const p = request.principal!;
    const now = deps.now();
    const created = await withTenant(deps.pool, p, async (db) => {
      const r = await createApiKey(db, p, request.body, deps.settings.apiKeyPepper, now);
      await auditMutation(db, request, p.tenantId, 'api_key.created', { target: r.apiKey.id, details: { name: r.apiKey.name, publicId: r.apiKey.publicId, scopes: r.apiKey.scopes } }, now);
      return r;
    });
    return reply.code(201).send({ apiKey: view(created.apiKey), secret: created.secret });
  });

  app.post('/api-keys/:id/rotate', {
    config: { access: 'apikeys:write' },
    schema: {
      tags: ['api-keys'], summary: 'Issue a successor; the old key works until the grace period ends',
      params: IdParams,
      body: Type.Optional(Type.Object({ graceSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 * 86_400 })) }, { additionalProperties: false })),
      response: { 201: Created },
    },
  }, async (request, reply) => {
    const p = request.principal!;
    const now = deps.now();
    const grace = request.body?.graceSeconds ?? 86_400;
    const r = await withTenant(deps.pool, p, async (db) => {
      const rotated = await rotateApiKey(db, p, request.params.id, grace, deps.settings.apiKeyPepper, now);
      await auditMutation(db, request, p.tenantId, 'api_key.rotated', {
        target: request.params.id, details: { successor: rotated.apiKey.id, graceUntil: rotated.previous.graceUntil?.toISOString() },
      }, now);
      return rotated;
    });
    return reply.code(201).send({ apiKey: view(r.apiKey), secret: r.secret });
  });

  app.post('/api-keys/:id/revoke', {
    config: { access: 'apikeys:write' },
    schema: { tags: ['api-keys'], summary: 'Revoke a key at once', params: IdParams, response: { 200: Type.Object({ apiKey: ApiKeyView }) } },
  }, async (request) => {
    const p = request.principal!;
    const now = deps.now();
    const key = await withTenant(deps.pool, p, async (db) => {
      const k = await revokeApiKey(db, p, request.params.id, now);
      await auditMutation(db, request, p.tenantId, 'api_key.revoked', { target: k.id, details: { publicId: k.publicId } }, now);
      return k;
    });
    return { apiKey: view(key) };
  });
};
