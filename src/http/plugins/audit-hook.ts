import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import type { AuditEventInput } from '../../platform/audit/audit-event.js';
import { PLATFORM_TENANT_ID } from '../../platform/audit/audit-event.js';
import { appendAuditEvents } from '../../platform/audit/audit-chain.js';
import { actorIdOf, actorLabelOf } from '../../platform/authn/principal.js';
import type { TenantClient } from '../../platform/db/with-tenant.js';
import { routeInfo } from '../route-info.js';

/** The request-context part of an audit event (who, from where, which route). */
export function requestContext(request: FastifyRequest): Omit<AuditEventInput, 'tenantId' | 'occurredAt' | 'action'> {
  const p = request.principal;
  const params = request.params as Record<string, string> | undefined;
  return {
    actorType: p ? p.actorType : 'anonymous',
    actorId: p ? actorIdOf(p) : null,
    actorLabel: p ? actorLabelOf(p) : null,
    authMethod: p?.authMethod ?? null,
    requestId: request.id,
    traceId: request.traceId,
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    method: request.method,
    route: routeInfo(request).url ?? null,
    target: params?.id ?? null,
  };
}

/**
 * Writes a mutation's domain event inside the mutation's own transaction: if the change commits,
 * its audit event commits with it; if either fails, neither exists.
 */
export async function auditMutation(
  db: TenantClient,
  request: FastifyRequest,
  tenantId: string,
  action: string,
  e: { target?: string | null; details?: Record<string, unknown> },
  now: Date,
): Promise<void> {
  await appendAuditEvents(db, tenantId, [
    { ...requestContext(request), tenantId, occurredAt: now, action, target: e.target ?? null, details: e.details ?? {} },
  ]);
}

/**
 * Every API call — success, 401, 403, 404, 429 or 500 — leaves a `request` event with its outcome and
 * latency, attributed to the caller's tenant (or to the platform chain when no tenant is known). This runs
 * for every request, so it builds the event in one object.
 */
export function registerAuditHook(app: FastifyInstance, deps: AppDeps): void {
  app.addHook('onResponse', (request, reply, done) => {
    const route = routeInfo(request);
    if (route.config?.unaudited) return done();
    if (!request.url.startsWith('/v1/') && route.url !== undefined) return done();
    const p = request.principal;
    const params = request.params as Record<string, string> | undefined;
    deps.auditWriter.record({
      tenantId: p?.tenantId ?? request.auditTenantId ?? PLATFORM_TENANT_ID,
      occurredAt: deps.now(),
      actorType: p ? p.actorType : 'anonymous',
      actorId: p ? actorIdOf(p) : null,
      actorLabel: p ? actorLabelOf(p) : null,
      authMethod: p?.authMethod ?? null,
      requestId: request.id,
      traceId: request.traceId,
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      method: request.method,
      route: route.url ?? request.url.split('?')[0]!.slice(0, 200),
      status: reply.statusCode,
      latencyMs: reply.elapsedTime,
      action: 'request',
      target: params?.id ?? null,
      details: request.auditDetails ?? {},
    });
    done();
  });
}
