import type { Queryable } from '../db/pool.js';

/** An event that could not be applied, kept with its raw payload and the rule it broke. */
export interface DeadLetter {
  readonly eventId: string | null;
  readonly channel: 'api' | 'nats';
  readonly reasonCode: string;
  readonly reason: string;
  readonly field: string | null;
  /** As received (truncated to 64 KiB; payloadBytes is the full size). */
  readonly payload: string;
  readonly payloadBytes: number;
  readonly payloadSha256: Buffer;
}

export interface DeadLetterView {
  readonly id: string;
  readonly eventId: string | null;
  readonly channel: string;
  readonly reasonCode: string;
  readonly reason: string;
  readonly field: string | null;
  readonly payload: string;
  readonly payloadBytes: number;
  readonly occurrences: number;
  readonly firstReceivedAt: Date;
  readonly lastReceivedAt: Date;
}

/**
 * Stores dead letters in the caller's transaction. The same payload refused for the same reason
 * again (a redelivery, a client retry) increments `occurrences` instead of adding a row.
 */
export async function writeDeadLetters(db: Queryable, tenantId: string, letters: readonly DeadLetter[], now: Date): Promise<void> {
  if (letters.length === 0) return;
  // One row per (payload, reason) per statement: ON CONFLICT cannot touch a row twice in one INSERT.
  const merged = new Map<string, { letter: DeadLetter; count: number }>();
  for (const l of letters) {
    const key = `${l.payloadSha256.toString('hex')}|${l.reasonCode}`;
    const m = merged.get(key);
    if (m) m.count++;
    else merged.set(key, { letter: l, count: 1 });
  }
  // PostgreSQL text cannot hold NUL: keep it visible as U+FFFD rather than refusing the dead letter.
  const clean = (t: string): string => t.replace(/\u0000/g, '\ufffd');
  const rows = [...merged.values()].map(({ letter: l, count }) => ({
    event_id: l.eventId === null ? null : clean(l.eventId), channel: l.channel, reason_code: l.reasonCode, reason: clean(l.reason.slice(0, 1000)),
    field: l.field === null ? null : clean(l.field.slice(0, 200)), payload: clean(l.payload), payload_bytes: l.payloadBytes,
    payload_sha256: l.payloadSha256.toString('hex'), occurrences: count,
  }));
  await db.query(
    `INSERT INTO inventory_event_dead_letters (tenant_id, event_id, channel, reason_code, reason, field, payload, payload_bytes, payload_sha256,
       occurrences, first_received_at, last_received_at)
     SELECT $1, x.event_id, x.channel, x.reason_code, x.reason, x.field, x.payload, x.payload_bytes, decode(x.payload_sha256, 'hex'), x.occurrences, $3, $3
     FROM jsonb_to_recordset($2::jsonb) AS x(event_id text, channel text, reason_code text, reason text, field text, payload text,
       payload_bytes integer, payload_sha256 text, occurrences integer)
     ON CONFLICT (tenant_id, payload_sha256, reason_code)
     DO UPDATE SET occurrences = inventory_event_dead_letters.occurrences + EXCLUDED.occurrences, last_received_at = EXCLUDED.last_received_at`,
    [tenantId, JSON.stringify(rows), now]);
}

/** Newest first, keyset by (first_received_at, id). */
export async function listDeadLetters(db: Queryable, opts: { limit: number; cursor?: { v: string; id: string } | undefined }): Promise<DeadLetterView[]> {
  const params: unknown[] = [opts.limit];
  let where = '';
  if (opts.cursor) {
    params.push(opts.cursor.v, opts.cursor.id);
    where = 'WHERE (first_received_at, id) < ($2::timestamptz, $3::uuid)';
  }
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT id, event_id, channel, reason_code, reason, field, payload, payload_bytes, occurrences, first_received_at, last_received_at
     FROM inventory_event_dead_letters ${where} ORDER BY first_received_at DESC, id DESC LIMIT $1`, params);
  return rows.map((r) => ({
    id: r.id as string, eventId: r.event_id as string | null, channel: r.channel as string, reasonCode: r.reason_code as string,
    reason: r.reason as string, field: r.field as string | null, payload: r.payload as string, payloadBytes: r.payload_bytes as number,
    occurrences: r.occurrences as number, firstReceivedAt: r.first_received_at as Date, lastReceivedAt: r.last_received_at as Date,
  }));
}
