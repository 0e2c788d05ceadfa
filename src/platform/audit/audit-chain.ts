import type { Queryable } from '../db/pool.js';
import type { AuditEvent, AuditEventInput } from './audit-event.js';
import { GENESIS_HASH } from './audit-event.js';
import { prepareEvent, sha256Hex, textAt, type PreparedEvent } from './audit-event-text.js';

export { computeEventHash } from './audit-event-text.js';

/** How many events were appended, and the chain head they left (null when there was nothing to append). */
export interface AppendResult {
  readonly appended: number;
  readonly head: { readonly seq: number; readonly hash: string } | null;
}

// The row PostgreSQL parses is the canonical text itself plus the hash: keys are the camelCase field names.
const INSERT_EVENTS = `
  WITH inserted AS (
    INSERT INTO audit_events (tenant_id, seq, id, occurred_at, actor_type, actor_id, actor_label, auth_method,
      request_id, trace_id, ip, user_agent, method, route, status, latency_ms, action, target, details, prev_hash, hash)
    SELECT "tenantId", seq, id, "occurredAt", "actorType", "actorId", "actorLabel", "authMethod", "requestId", "traceId",
      ip, "userAgent", method, route, status, "latencyMs", action, target, details, "prevHash", hash
    FROM json_to_recordset($1::json) AS x("tenantId" uuid, seq bigint, id uuid, "occurredAt" timestamptz, "actorType" text,
      "actorId" text, "actorLabel" text, "authMethod" text, "requestId" text, "traceId" text, ip text, "userAgent" text,
      method text, route text, status integer, "latencyMs" double precision, action text, target text, details jsonb,
      "prevHash" text, hash text)
    RETURNING 1
  )
  UPDATE audit_chain_heads SET seq = $3, hash = $4 WHERE tenant_id = $2`;

/**
 * Locks the tenant's chain head (creating it at genesis on first use) inside the caller's transaction. The
 * lock is held until the caller commits, so concurrent appenders — request batches and mutations in their
 * own transactions — serialise and the sequence never forks.
 */
async function lockHead(db: Queryable, tenantId: string): Promise<{ seq: number; hash: string }> {
  const sql = 'SELECT seq, hash FROM audit_chain_heads WHERE tenant_id = $1 FOR UPDATE';
  const head = await db.query<{ seq: number; hash: string }>(sql, [tenantId]);
  if (head.rows[0]) return head.rows[0];
  await db.query('INSERT INTO audit_chain_heads (tenant_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING', [tenantId, GENESIS_HASH]);
  return (await db.query<{ seq: number; hash: string }>(sql, [tenantId])).rows[0]!;
}

/**
 * Appends prepared events to one tenant's chain inside the caller's transaction (which must already be
 * scoped to that tenant): two statements however many events — lock the head, then insert the events and
 * move the head in one statement. Per event, only a concatenation and a SHA-256 happen under the lock.
 */
export async function appendPreparedEvents(db: Queryable, tenantId: string, events: readonly PreparedEvent[]): Promise<AppendResult> {
  if (events.length === 0) return { appended: 0, head: null };
  for (const e of events) if (e.tenantId !== tenantId) throw new Error('appendAuditEvents: event for another tenant');
  let { seq, hash } = await lockHead(db, tenantId);
  const rows = new Array<string>(events.length);
  for (let i = 0; i < events.length; i++) {
    const t = events[i]!.text;
    const prev = hash;
    seq++;
    hash = sha256Hex(textAt(t, seq, prev));
    rows[i] = `${t.head}${prev}${t.mid}${seq}${t.tail},"hash":"${hash}"}`;
  }
  const moved = await db.query(INSERT_EVENTS, [`[${rows.join(',')}]`, tenantId, seq, hash]);
  if (moved.rowCount !== 1) throw new Error('appendAuditEvents: chain head did not move');
  return { appended: events.length, head: { seq, hash } };
}

/** Appends events to one tenant's chain inside the caller's transaction (see `appendPreparedEvents`). */
export function appendAuditEvents(db: Queryable, tenantId: string, inputs: readonly AuditEventInput[]): Promise<AppendResult> {
  return appendPreparedEvents(db, tenantId, inputs.map(prepareEvent));
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
