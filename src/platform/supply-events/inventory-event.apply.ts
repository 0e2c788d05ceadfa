import { createHash } from 'node:crypto';
import type { TenantClient } from '../db/with-tenant.js';
import { STOCK_CHANGED, writeOutbox, type OutboxEntry, type StockPosition } from '../events/domain-events.js';
import { applyInventoryEvent, parseInventoryEvent, type InventoryEvent, type StockState } from './inventory-event.rules.js';
import { writeDeadLetters, type DeadLetter } from './dead-letter.repository.js';

/** One message as received: its text, and its JSON value when the text parsed. */
export interface IncomingEvent {
  readonly raw: string;
  /** `undefined` when the text is not JSON (`parseError` says why). */
  readonly value?: unknown;
  readonly parseError?: string;
}

export type EventOutcome = 'applied' | 'stale' | 'duplicate' | 'rejected';

export interface EventResult {
  readonly index: number;
  readonly eventId: string | null;
  readonly outcome: EventOutcome;
  readonly code?: string;
  readonly reason?: string;
  readonly field?: string | null;
  /** The position after this event (applied, stale), as of this batch. */
  readonly stock?: StockPosition;
  /** Units a decrement could not take because the quantity was already zero. */
  readonly clamped?: number;
}

export interface ApplyOptions {
  readonly channel: 'api' | 'nats';
  /** Used when an event names no `source`. */
  readonly defaultSource: string;
  readonly now: Date;
}

/** Thrown when a concurrent batch inserted one of our event ids first: retry the whole batch. */
export class ConcurrentEventError extends Error {
  readonly retryable = true;
  constructor() {
    super('an event id of this batch was applied concurrently; retry the batch');
  }
}

const MAX_DEAD_LETTER_PAYLOAD = 64 * 1024;
const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/** The identity of an event's content: the same id with another content is a conflict. */
function contentHash(e: InventoryEvent): Buffer {
  return sha256(JSON.stringify([e.eventId, e.partNumber, e.locationCode, e.kind, e.quantity, e.onHand, e.reserved, e.onOrder, e.sequence, e.occurredAt]));
}

interface StockRow {
  part_id: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  on_order: number;
  last_event_seq: number | null;
  last_event_ms: number | null;
  last_snapshot_seq: number | null;
  last_snapshot_ms: number | null;
}

const position = (s: StockState): StockPosition => ({ onHand: s.onHand, reserved: s.reserved, onOrder: s.onOrder });
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * Applies a batch in the caller's tenant transaction: every valid event is recorded once (with its
 * outcome), stock rows move, and a `supply.stock_changed` outbox row is written per change — all or
 * nothing with the transaction. Invalid events go to the dead-letter table in the same transaction.
 * Events are applied in batch order; per part × location the rules in inventory-event.rules.ts
 * decide what is stale.
 */
export async function applyInventoryBatch(db: TenantClient, tenantId: string, batch: readonly IncomingEvent[], opts: ApplyOptions): Promise<EventResult[]> {
  const results: (EventResult | undefined)[] = new Array<EventResult | undefined>(batch.length);
  const dead: DeadLetter[] = [];
  const reject = (index: number, eventId: string | null, code: string, reason: string, field: string | null): void => {
    results[index] = { index, eventId, outcome: 'rejected', code, reason, field };
    const raw = batch[index]!.raw;
    dead.push({ eventId, channel: opts.channel, reasonCode: code, reason, field, payload: raw.length > MAX_DEAD_LETTER_PAYLOAD ? raw.slice(0, MAX_DEAD_LETTER_PAYLOAD) : raw, payloadBytes: Buffer.byteLength(raw), payloadSha256: sha256(raw) });
  };

  const valid: { index: number; event: InventoryEvent; hash: Buffer }[] = [];
  batch.forEach((m, index) => {
    if (m.parseError !== undefined) return reject(index, null, 'MALFORMED_JSON', `not valid JSON: ${m.parseError}`.slice(0, 1000), null);
    const parsed = parseInventoryEvent(m.value, opts.defaultSource);
    if (!parsed.ok) return reject(index, parsed.rejection.eventId, parsed.rejection.code, parsed.rejection.reason, parsed.rejection.field);
    valid.push({ index, event: parsed.event, hash: contentHash(parsed.event) });
  });

  if (valid.length > 0) {
    const partNumbers = [...new Set(valid.map((v) => v.event.partNumber))];
    const locationCodes = [...new Set(valid.map((v) => v.event.locationCode))];
    const parts = await db.query<{ part_number: string; id: string }>('SELECT part_number, id FROM parts WHERE part_number = ANY($1::text[])', [partNumbers]);
    const locations = await db.query<{ code: string; id: string }>('SELECT code, id FROM locations WHERE code = ANY($1::text[])', [locationCodes]);
    const existing = await db.query<{ event_id: string; payload_sha256: Buffer }>(
      'SELECT event_id, payload_sha256 FROM inventory_events WHERE tenant_id = $1 AND event_id = ANY($2::text[])', [tenantId, valid.map((v) => v.event.eventId)]);
    const partId = new Map(parts.rows.map((r) => [r.part_number, r.id]));
    const locationId = new Map(locations.rows.map((r) => [r.code, r.id]));
    const seen = new Map(existing.rows.map((r) => [r.event_id, r.payload_sha256]));

    const keyed: { index: number; event: InventoryEvent; hash: Buffer; partId: string; locationId: string }[] = [];
    for (const v of valid) {
      const p = partId.get(v.event.partNumber);
      const l = locationId.get(v.event.locationCode);
      if (p === undefined) reject(v.index, v.event.eventId, 'UNKNOWN_PART', `no part ${JSON.stringify(v.event.partNumber)} in this tenant`, 'partNumber');
      else if (l === undefined) reject(v.index, v.event.eventId, 'UNKNOWN_LOCATION', `no location ${JSON.stringify(v.event.locationCode)} in this tenant`, 'locationCode');
      else keyed.push({ ...v, partId: p, locationId: l });
    }

    // Lock every touched position in a fixed order (no deadlock between concurrent batches).
    const pairs = [...new Map(keyed.map((k) => [`${k.partId}|${k.locationId}`, k])).values()].sort((a, b) =>
      a.partId === b.partId ? (a.locationId < b.locationId ? -1 : 1) : a.partId < b.partId ? -1 : 1);
    const states = new Map<string, StockState>();
    if (pairs.length > 0) {
      const partIds = pairs.map((k) => k.partId);
      const locationIds = pairs.map((k) => k.locationId);
      await db.query(
        `INSERT INTO stock_levels (tenant_id, part_id, location_id) SELECT $1, p, l FROM unnest($2::uuid[], $3::uuid[]) AS t(p, l)
         ON CONFLICT DO NOTHING`, [tenantId, partIds, locationIds]);
      const locked = await db.query<StockRow>(
        `SELECT s.part_id, s.location_id, s.on_hand, s.reserved, s.on_order, s.last_event_seq,
                (extract(epoch FROM s.last_event_at) * 1000)::float8 AS last_event_ms, s.last_snapshot_seq,
                (extract(epoch FROM s.last_snapshot_at) * 1000)::float8 AS last_snapshot_ms
         FROM stock_levels s JOIN unnest($2::uuid[], $3::uuid[]) WITH ORDINALITY AS t(p, l, n) ON s.part_id = t.p AND s.location_id = t.l
         WHERE s.tenant_id = $1 ORDER BY t.n FOR UPDATE OF s`, [tenantId, partIds, locationIds]);
      for (const r of locked.rows) {
        states.set(`${r.part_id}|${r.location_id}`, {
          onHand: r.on_hand, reserved: r.reserved, onOrder: r.on_order, lastSeq: r.last_event_seq, lastAt: r.last_event_ms,
          snapshotSeq: r.last_snapshot_seq, snapshotAt: r.last_snapshot_ms,
        });
      }
    }

    const inserts: Record<string, unknown>[] = [];
    const outbox: OutboxEntry[] = [];
    const touched = new Set<string>();
    const appliedAt = opts.now.toISOString();
    for (const k of keyed) {
      const e = k.event;
      const prior = seen.get(e.eventId);
      if (prior !== undefined) {
        if (prior.equals(k.hash)) results[k.index] = { index: k.index, eventId: e.eventId, outcome: 'duplicate' };
        else reject(k.index, e.eventId, 'EVENT_ID_CONFLICT', 'this eventId was already used for an event with different content', 'eventId');
        continue;
      }
      const key = `${k.partId}|${k.locationId}`;
      const before = states.get(key)!;
      const t = applyInventoryEvent(before, e);
      if (t.outcome === 'overflow') {
        reject(k.index, e.eventId, 'QUANTITY_OVERFLOW', 'applying this event would exceed the largest storable quantity (2,000,000,000)', 'quantity');
        continue;
      }
      seen.set(e.eventId, k.hash);
      states.set(key, t.next);
      if (t.outcome === 'applied') touched.add(key);
      results[k.index] = { index: k.index, eventId: e.eventId, outcome: t.outcome, stock: position(t.next), ...(t.clamped > 0 ? { clamped: t.clamped } : {}) };
      inserts.push({
        event_id: e.eventId, part_id: k.partId, location_id: k.locationId, kind: e.kind,
        quantity: e.kind === 'snapshot' ? null : e.quantity, snapshot_on_hand: e.onHand, snapshot_reserved: e.reserved, snapshot_on_order: e.onOrder,
        sequence: e.sequence, occurred_at: new Date(e.occurredAt).toISOString(), source: e.source, outcome: t.outcome, clamped: t.clamped,
        before_on_hand: before.onHand, before_reserved: before.reserved, before_on_order: before.onOrder,
        after_on_hand: t.next.onHand, after_reserved: t.next.reserved, after_on_order: t.next.onOrder, payload_sha256: k.hash.toString('hex'),
      });
      const changed = before.onHand !== t.next.onHand || before.reserved !== t.next.reserved || before.onOrder !== t.next.onOrder;
      if (t.outcome === 'applied' && changed) {
        outbox.push({ topic: STOCK_CHANGED, payload: {
          topic: STOCK_CHANGED, eventId: e.eventId, kind: e.kind, partId: k.partId, partNumber: e.partNumber, locationId: k.locationId,
          locationCode: e.locationCode, before: position(before), after: position(t.next), occurredAt: new Date(e.occurredAt).toISOString(),
          appliedAt, source: e.source, channel: opts.channel,
        } });
      }
    }

    if (inserts.length > 0) {
      const ins = await db.query(
        `INSERT INTO inventory_events (tenant_id, event_id, part_id, location_id, kind, quantity, snapshot_on_hand, snapshot_reserved,
           snapshot_on_order, sequence, occurred_at, source, channel, outcome, clamped, before_on_hand, before_reserved, before_on_order,
           after_on_hand, after_reserved, after_on_order, payload_sha256, received_at)
         SELECT $1, x.event_id, x.part_id, x.location_id, x.kind, x.quantity, x.snapshot_on_hand, x.snapshot_reserved, x.snapshot_on_order,
           x.sequence, x.occurred_at, x.source, $3, x.outcome, x.clamped, x.before_on_hand, x.before_reserved, x.before_on_order,
           x.after_on_hand, x.after_reserved, x.after_on_order, decode(x.payload_sha256, 'hex'), $4
         FROM jsonb_to_recordset($2::jsonb) AS x(event_id text, part_id uuid, location_id uuid, kind text, quantity integer,
           snapshot_on_hand integer, snapshot_reserved integer, snapshot_on_order integer, sequence bigint, occurred_at timestamptz,
           source text, outcome text, clamped integer, before_on_hand integer, before_reserved integer, before_on_order integer,
           after_on_hand integer, after_reserved integer, after_on_order integer, payload_sha256 text)
         ON CONFLICT (tenant_id, event_id) DO NOTHING`,
        [tenantId, JSON.stringify(inserts), opts.channel, opts.now]);
      if (ins.rowCount !== inserts.length) throw new ConcurrentEventError();
    }
    if (touched.size > 0) {
      const rows = [...touched].map((key) => {
        const [p, l] = key.split('|') as [string, string];
        return { p, l, s: states.get(key)! };
      });
      // unnest (not jsonb_to_recordset): the planner then probes the primary key per row instead of
      // materialising the tenant's whole stock table (measured: 2 s → 1 ms per 200-event batch).
      await db.query(
        `UPDATE stock_levels s SET on_hand = x.on_hand, reserved = x.reserved, on_order = x.on_order, last_event_seq = x.last_event_seq,
           last_event_at = x.last_event_at, last_snapshot_seq = x.last_snapshot_seq, last_snapshot_at = x.last_snapshot_at, updated_at = $11
         FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::int[], $6::int[], $7::bigint[], $8::timestamptz[], $9::bigint[], $10::timestamptz[])
           AS x(part_id, location_id, on_hand, reserved, on_order, last_event_seq, last_event_at, last_snapshot_seq, last_snapshot_at)
         WHERE s.tenant_id = $1 AND s.part_id = x.part_id AND s.location_id = x.location_id`,
        [tenantId, rows.map((r) => r.p), rows.map((r) => r.l), rows.map((r) => r.s.onHand), rows.map((r) => r.s.reserved), rows.map((r) => r.s.onOrder),
          rows.map((r) => r.s.lastSeq), rows.map((r) => iso(r.s.lastAt)), rows.map((r) => r.s.snapshotSeq), rows.map((r) => iso(r.s.snapshotAt)), opts.now]);
    }
    await writeOutbox(db, tenantId, outbox);
  }
  await writeDeadLetters(db, tenantId, dead, opts.now);
  return results.map((r, index) => r ?? { index, eventId: null, outcome: 'rejected', code: 'INTERNAL', reason: 'not processed' });
}

/** Counts per outcome, for responses and audit details. */
export function summarise(results: readonly EventResult[]): Record<EventOutcome, number> {
  const out: Record<EventOutcome, number> = { applied: 0, stale: 0, duplicate: 0, rejected: 0 };
  for (const r of results) out[r.outcome]++;
  return out;
}
