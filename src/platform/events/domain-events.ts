/**
 * Domain events the platform emits after a change commits, and the in-process dispatcher other
 * modules subscribe to (the risk scorer re-scores a part when its stock changes).
 *
 * Delivery is at least once, in outbox order per tenant: the relay hands a batch to every
 * subscriber and marks it published only when all of them resolved; if one throws, the whole batch
 * is offered again later (with backoff) to every subscriber. Handlers must therefore be idempotent —
 * `outboxId` is unique and increasing, so "skip ids I have seen" is enough.
 */
import type { Queryable } from '../db/pool.js';

export const STOCK_CHANGED = 'supply.stock_changed';

export interface StockPosition {
  readonly onHand: number;
  readonly reserved: number;
  readonly onOrder: number;
}

/** A part × location's stock moved (emitted only when before ≠ after). */
export interface StockChangedEvent {
  readonly topic: typeof STOCK_CHANGED;
  /** The outbox row id: unique, increasing; the idempotency key for handlers. */
  readonly outboxId: number;
  readonly tenantId: string;
  /** The inventory event that caused it. */
  readonly eventId: string;
  readonly kind: 'adjustment' | 'receipt' | 'issue' | 'reservation' | 'snapshot';
  readonly partId: string;
  readonly partNumber: string;
  readonly locationId: string;
  readonly locationCode: string;
  readonly before: StockPosition;
  readonly after: StockPosition;
  /** When the ERP says it happened, and when Skyguard applied it (ISO 8601). */
  readonly occurredAt: string;
  readonly appliedAt: string;
  readonly source: string;
  readonly channel: 'api' | 'nats';
}

export type DomainEvent = StockChangedEvent;
export type DomainEventTopic = DomainEvent['topic'];

/** A subscriber gets events in batches (one tenant per batch, outbox order). */
export type DomainEventHandler<E extends DomainEvent = DomainEvent> = (events: readonly E[]) => Promise<void>;

/** The part of the dispatcher subscribers see (what H6's scorer and others are given). */
export interface DomainEventSubscriptions {
  /** Returns the unsubscribe function. `name` appears in relay errors. */
  subscribe<T extends DomainEventTopic>(topic: T, name: string, handler: DomainEventHandler<Extract<DomainEvent, { topic: T }>>): () => void;
}

export class DomainEventDispatcher implements DomainEventSubscriptions {
  private readonly handlers = new Map<string, Map<string, DomainEventHandler>>();

  subscribe<T extends DomainEventTopic>(topic: T, name: string, handler: DomainEventHandler<Extract<DomainEvent, { topic: T }>>): () => void {
    let byName = this.handlers.get(topic);
    if (!byName) this.handlers.set(topic, (byName = new Map<string, DomainEventHandler>()));
    if (byName.has(name)) throw new Error(`a subscriber named ${name} already listens to ${topic}`);
    byName.set(name, handler as DomainEventHandler);
    return () => {
      byName.delete(name);
    };
  }

  /** Runs every subscriber of each topic present; rejects with every failure named when any fails. */
  async dispatch(events: readonly DomainEvent[]): Promise<void> {
    const byTopic = new Map<string, DomainEvent[]>();
    for (const e of events) {
      const list = byTopic.get(e.topic) ?? [];
      list.push(e);
      byTopic.set(e.topic, list);
    }
    const failures: string[] = [];
    for (const [topic, list] of byTopic) {
      const subs = [...(this.handlers.get(topic) ?? new Map<string, DomainEventHandler>())];
      const results = await Promise.allSettled(subs.map(([, h]) => h(list)));
      results.forEach((r, i) => {
        if (r.status === 'rejected') failures.push(`${subs[i]![0]}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`);
      });
    }
    if (failures.length > 0) throw new Error(`domain event subscribers failed: ${failures.join('; ')}`);
  }
}

/** An outbox row to write inside the transaction that made the change. */
export interface OutboxEntry {
  readonly topic: DomainEventTopic;
  /** The event without `outboxId` and `tenantId` (added when read back). */
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * The INSERT of outbox rows from a JSON array of {@link OutboxEntry}, given the SQL parameter
 * references of the tenant id and of that array (for statements that write more than the outbox).
 */
export const OUTBOX_INSERT_FROM_JSON = (tenantParam: string, entriesParam: string): string =>
  `INSERT INTO domain_event_outbox (tenant_id, topic, payload)
   SELECT ${tenantParam}, x.topic, x.payload FROM jsonb_to_recordset(${entriesParam}::jsonb) AS x(topic text, payload jsonb)`;

/** Writes outbox rows in the caller's (tenant) transaction; the trigger NOTIFYs the relay on commit. */
export async function writeOutbox(db: Queryable, tenantId: string, entries: readonly OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query(OUTBOX_INSERT_FROM_JSON('$1', '$2'), [tenantId, JSON.stringify(entries)]);
}
