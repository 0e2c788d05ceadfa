import type { Pool } from '../db/pool.js';
import { withTenant } from '../db/with-tenant.js';
import { listenForNotifications, type NotificationListener } from '../db/notification-listener.js';
import type { DomainEvent, DomainEventDispatcher } from './domain-events.js';

/** Publishes committed domain events beyond the process (NATS); resolves once the broker has them. */
export type DomainEventPublisher = (events: readonly DomainEvent[]) => Promise<void>;

export interface OutboxRelayOptions {
  /** Runtime-role pool (rows are read per tenant, under RLS). */
  readonly pool: Pool;
  /** Runtime-role connection string for the LISTEN connection. */
  readonly listenUrl: string;
  readonly dispatcher: DomainEventDispatcher;
  readonly publisher?: DomainEventPublisher | undefined;
  /** Safety sweep for notifications missed while the listener was down (default 5 s). */
  readonly sweepMs?: number;
  readonly batchSize?: number;
  readonly log: (msg: string, extra?: Record<string, unknown>) => void;
}

export interface OutboxRelay {
  /** Drains every tenant with pending rows now (tests and shutdown use it). */
  drainAll(): Promise<void>;
  close(): Promise<void>;
}

const BACKOFF_MAX_S = 300;

/**
 * Moves committed outbox rows to their subscribers: woken by NOTIFY on commit (so latency is one
 * round trip, not a poll interval), with a periodic sweep as a safety net. Each drain claims a
 * tenant's oldest pending rows with FOR UPDATE SKIP LOCKED — several instances share the work and
 * never deliver one row twice at the same time — hands them to the in-process dispatcher and the
 * publisher, and marks them published in the same transaction. A failure leaves the rows pending
 * with an exponential backoff and the error recorded.
 */
export function startOutboxRelay(o: OutboxRelayOptions): OutboxRelay {
  const batchSize = o.batchSize ?? 500;
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  let closed = false;

  const drainOnce = async (tenantId: string): Promise<number> =>
    withTenant(o.pool, { tenantId }, async (db) => {
      const { rows } = await db.query<{ id: number; topic: string; payload: Record<string, unknown>; attempts: number }>(
        `SELECT id, topic, payload, attempts FROM domain_event_outbox
         WHERE published_at IS NULL AND next_attempt_at <= now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`, [batchSize]);
      if (rows.length === 0) return 0;
      const events = rows.map((r) => ({ ...r.payload, topic: r.topic, outboxId: r.id, tenantId }) as unknown as DomainEvent);
      const ids = rows.map((r) => r.id);
      try {
        await o.dispatcher.dispatch(events);
        await o.publisher?.(events);
        await db.query('UPDATE domain_event_outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::bigint[])', [ids]);
      } catch (e) {
        const message = (e instanceof Error ? e.message : String(e)).slice(0, 2000);
        o.log('domain events not delivered; will retry', { tenantId, events: ids.length, error: message });
        await db.query(
          `UPDATE domain_event_outbox SET attempts = attempts + 1, last_error = $2,
             next_attempt_at = now() + make_interval(secs => least($3, power(2, attempts)))
           WHERE id = ANY($1::bigint[])`, [ids, message, BACKOFF_MAX_S]);
        return 0;
      }
      return rows.length;
    });

  /** One drain loop per tenant at a time; a notification during a drain schedules one more pass. */
  const drain = (tenantId: string): Promise<void> => {
    const current = running.get(tenantId);
    if (current) {
      again.add(tenantId);
      return current;
    }
    const p = (async () => {
      try {
        do {
          again.delete(tenantId);
          while (!closed && (await drainOnce(tenantId)) === batchSize);
        } while (!closed && again.has(tenantId));
      } catch (e) {
        o.log('outbox drain failed', { tenantId, error: e instanceof Error ? e.message : String(e) });
      } finally {
        running.delete(tenantId);
      }
    })();
    running.set(tenantId, p);
    return p;
  };

  const drainAll = async (): Promise<void> => {
    const { rows } = await o.pool.query<{ t: string }>('SELECT skyguard_private.outbox_pending_tenants() AS t');
    await Promise.all(rows.map((r) => drain(r.t)));
  };

  const listener: NotificationListener = listenForNotifications(o.listenUrl, 'skyguard_outbox', {
    onNotify: (tenantId) => void drain(tenantId),
    onState: (listening) => {
      if (listening) void drainAll().catch(() => undefined);
    },
    onError: (e) => o.log('outbox notifications interrupted; relying on the sweep until reconnected', { error: e instanceof Error ? e.message : String(e) }),
  });
  const timer = setInterval(() => void drainAll().catch((e: unknown) => o.log('outbox sweep failed', { error: e instanceof Error ? e.message : String(e) })), o.sweepMs ?? 5000);
  timer.unref();

  return {
    drainAll,
    async close() {
      closed = true;
      clearInterval(timer);
      await listener.close();
      await Promise.allSettled([...running.values()]);
    },
  };
}
