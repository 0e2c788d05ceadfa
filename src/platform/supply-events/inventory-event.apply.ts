import { createHash } from 'node:crypto';
import type { TenantClient } from '../db/with-tenant.js';
import { STOCK_CHANGED, type OutboxEntry, type StockPosition } from '../events/domain-events.js';
import { applyInventoryEvent, parseInventoryEvent, type InventoryEvent, type StockState } from './inventory-event.rules.js';
import { writeDeadLetters, type DeadLetter } from './dead-letter.repository.js';
import { readBatch, writeBatch, type RecordedEvent } from './inventory-event.store.js';

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

const position = (s: StockState): StockPosition => ({ onHand: s.onHand, reserved: s.reserved, onOrder: s.onOrder });

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
    const keys = [...new Map(valid.map((v) => [`${v.event.partNumber}|${v.event.locationCode}`, v.event])).values()];
    const view = await readBatch(db, tenantId, keys, valid.map((v) => v.event.eventId));
    const { seen, positions: states } = view;

    const recorded: RecordedEvent[] = [];
    const outbox: OutboxEntry[] = [];
    const touched = new Map<string, StockState>();
    const appliedAt = opts.now.toISOString();
    for (const v of valid) {
      const e = v.event;
      const ids = view.ids.get(`${e.partNumber}|${e.locationCode}`);
      if (!ids?.partId) {
        reject(v.index, e.eventId, 'UNKNOWN_PART', `no part ${JSON.stringify(e.partNumber)} in this tenant`, 'partNumber');
        continue;
      }
      if (!ids.locationId) {
        reject(v.index, e.eventId, 'UNKNOWN_LOCATION', `no location ${JSON.stringify(e.locationCode)} in this tenant`, 'locationCode');
        continue;
      }
      const prior = seen.get(e.eventId);
      if (prior !== undefined) {
        if (prior.equals(v.hash)) results[v.index] = { index: v.index, eventId: e.eventId, outcome: 'duplicate' };
        else reject(v.index, e.eventId, 'EVENT_ID_CONFLICT', 'this eventId was already used for an event with different content', 'eventId');
        continue;
      }
      const key = `${ids.partId}|${ids.locationId}`;
      const before = states.get(key)!;
      const t = applyInventoryEvent(before, e);
      if (t.outcome === 'overflow') {
        reject(v.index, e.eventId, 'QUANTITY_OVERFLOW', 'applying this event would exceed the largest storable quantity (2,000,000,000)', 'quantity');
        continue;
      }
      seen.set(e.eventId, v.hash);
      states.set(key, t.next);
      if (t.outcome === 'applied') touched.set(key, t.next);
      results[v.index] = { index: v.index, eventId: e.eventId, outcome: t.outcome, stock: position(t.next), ...(t.clamped > 0 ? { clamped: t.clamped } : {}) };
      const occurredAt = new Date(e.occurredAt).toISOString();
      recorded.push({
        eventId: e.eventId, partId: ids.partId, locationId: ids.locationId, kind: e.kind, quantity: e.kind === 'snapshot' ? null : e.quantity,
        snapshot: { onHand: e.onHand, reserved: e.reserved, onOrder: e.onOrder }, sequence: e.sequence, occurredAt, source: e.source,
        outcome: t.outcome, clamped: t.clamped, before, after: t.next, payloadSha256: v.hash,
      });
      const changed = before.onHand !== t.next.onHand || before.reserved !== t.next.reserved || before.onOrder !== t.next.onOrder;
      if (t.outcome === 'applied' && changed) {
        outbox.push({ topic: STOCK_CHANGED, payload: {
          topic: STOCK_CHANGED, eventId: e.eventId, kind: e.kind, partId: ids.partId, partNumber: e.partNumber, locationId: ids.locationId,
          locationCode: e.locationCode, before: position(before), after: position(t.next), occurredAt, appliedAt, source: e.source, channel: opts.channel,
        } });
      }
    }
    if (recorded.length > 0) {
      const written = await writeBatch(db, tenantId, { channel: opts.channel, now: opts.now, events: recorded, positions: touched, outbox });
      if (written !== recorded.length) throw new ConcurrentEventError();
    }
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
