import { createHash, randomUUID } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import { canonicalJson } from './canonical-json.js';
import type { AuditEvent, AuditEventInput } from './audit-event.js';
import { GENESIS_HASH } from './audit-event.js';

const MAX_TEXT = 1024;
// PostgreSQL text cannot hold NUL; long headers are cut so one request cannot bloat the trail.
const clean = (v: string | null | undefined): string | null =>
  v === undefined || v === null ? null : v.replace(/\u0000/g, '').slice(0, MAX_TEXT);

function cleanDetails(details: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  if (!details) return {};
  return JSON.parse(JSON.stringify(details, (_k, v: unknown) => (typeof v === 'string' ? v.replace(/\u0000/g, '') : v))) as Record<string, unknown>;
}

/** What the hash covers: every stored field except the hash itself. */
function hashedFields(e: Omit<AuditEvent, 'hash'>): Record<string, unknown> {
  return {
    tenantId: e.tenantId, seq: e.seq, id: e.id, occurredAt: e.occurredAt, actorType: e.actorType,
    actorId: e.actorId, actorLabel: e.actorLabel, authMethod: e.authMethod, requestId: e.requestId,
    traceId: e.traceId, ip: e.ip, userAgent: e.userAgent, method: e.method, route: e.route,
    status: e.status, latencyMs: e.latencyMs, action: e.action, target: e.target, details: e.details,
    prevHash: e.prevHash,
  };
}

export function computeEventHash(e: Omit<AuditEvent, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(hashedFields(e))).digest('hex');
}

function toStored(input: AuditEventInput, seq: number, prevHash: string): AuditEvent {
  const base: Omit<AuditEvent, 'hash'> = {
    tenantId: input.tenantId,
    seq,
    id: randomUUID(),
    occurredAt: input.occurredAt.toISOString(),
    actorType: input.actorType,
    actorId: clean(input.actorId),
    actorLabel: clean(input.actorLabel),
    authMethod: clean(input.authMethod),
    requestId: clean(input.requestId),
    traceId: clean(input.traceId),
    ip: clean(input.ip),
    userAgent: clean(input.userAgent),
    method: clean(input.method),
    route: clean(input.route),
    status: input.status ?? null,
    latencyMs: input.latencyMs === undefined || input.latencyMs === null ? null : Math.round(input.latencyMs * 1000) / 1000,
    action: input.action,
    target: clean(input.target),
    details: cleanDetails(input.details),
    prevHash,
  };
  return { ...base, hash: computeEventHash(base) };
}

/**
 * Appends events to one tenant's chain inside the caller's transaction (which must already be scoped
 * to that tenant). The chain head row is locked FOR UPDATE, so concurrent appenders serialise and the
 * sequence never forks; the lock is held only until the caller commits.
 */
export async function appendAuditEvents(db: Queryable, tenantId: string, inputs: readonly AuditEventInput[]): Promise<AuditEvent[]> {
  if (inputs.length === 0) return [];
  await db.query('INSERT INTO audit_chain_heads (tenant_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING', [tenantId, GENESIS_HASH]);
  const head = await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_chain_heads WHERE tenant_id = $1 FOR UPDATE', [tenantId]);
  let { seq, hash } = head.rows[0]!;
  const stored: AuditEvent[] = [];
  for (const input of inputs) {
    if (input.tenantId !== tenantId) throw new Error('appendAuditEvents: event for another tenant');
    const event = toStored(input, ++seq, hash);
    hash = event.hash;
    stored.push(event);
  }
  await db.query(
    `INSERT INTO audit_events (tenant_id, seq, id, occurred_at, actor_type, actor_id, actor_label, auth_method,
       request_id, trace_id, ip, user_agent, method, route, status, latency_ms, action, target, details, prev_hash, hash)
     SELECT tenant_id, seq, id, occurred_at, actor_type, actor_id, actor_label, auth_method, request_id, trace_id,
       ip, user_agent, method, route, status, latency_ms, action, target, details, prev_hash, hash
     FROM jsonb_to_recordset($1::jsonb) AS x(tenant_id uuid, seq bigint, id uuid, occurred_at timestamptz,
       actor_type text, actor_id text, actor_label text, auth_method text, request_id text, trace_id text, ip text,
       user_agent text, method text, route text, status integer, latency_ms double precision, action text,
       target text, details jsonb, prev_hash text, hash text)`,
    [JSON.stringify(stored.map(toRow))],
  );
  await db.query('UPDATE audit_chain_heads SET seq = $2, hash = $3 WHERE tenant_id = $1', [tenantId, seq, hash]);
  return stored;
}

function toRow(e: AuditEvent): Record<string, unknown> {
  return {
    tenant_id: e.tenantId, seq: e.seq, id: e.id, occurred_at: e.occurredAt, actor_type: e.actorType,
    actor_id: e.actorId, actor_label: e.actorLabel, auth_method: e.authMethod, request_id: e.requestId,
    trace_id: e.traceId, ip: e.ip, user_agent: e.userAgent, method: e.method, route: e.route, status: e.status,
    latency_ms: e.latencyMs, action: e.action, target: e.target, details: e.details, prev_hash: e.prevHash, hash: e.hash,
  };
}

/** Maps a database row back to the shape that was hashed. */
export function eventFromRow(r: Record<string, unknown>): AuditEvent {
  return {
    tenantId: r.tenant_id as string,
    seq: Number(r.seq),
    id: r.id as string,
    occurredAt: (r.occurred_at as Date).toISOString(),
    actorType: r.actor_type as AuditEvent['actorType'],
    actorId: r.actor_id as string | null,
    actorLabel: r.actor_label as string | null,
    authMethod: r.auth_method as string | null,
    requestId: r.request_id as string | null,
    traceId: r.trace_id as string | null,
    ip: r.ip as string | null,
    userAgent: r.user_agent as string | null,
    method: r.method as string | null,
    route: r.route as string | null,
    status: r.status as number | null,
    latencyMs: r.latency_ms as number | null,
    action: r.action as string,
    target: r.target as string | null,
    details: r.details as Record<string, unknown>,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  };
}
