import { AckPolicy, DeliverPolicy, nanos, type ConsumerMessages, type JsMsg, type NatsConnection } from 'nats';
import type { Pool } from '../db/pool.js';
import { withTenant } from '../db/with-tenant.js';
import { appendAuditEvents } from '../audit/audit-chain.js';
import { PLATFORM_TENANT_ID } from '../audit/audit-event.js';
import { applyInventoryBatch, summarise, type IncomingEvent } from '../supply-events/inventory-event.apply.js';
import { writeDeadLetters } from '../supply-events/dead-letter.repository.js';
import { createHash } from 'node:crypto';

export interface NatsInventoryConsumerOptions {
  readonly nc: NatsConnection;
  /** Runtime-role pool: every write goes through withTenant. */
  readonly pool: Pool;
  /** Messages arrive on `<subject>.<tenant slug>`. */
  readonly subject: string;
  readonly stream: string;
  readonly durable: string;
  /** Most messages applied in one transaction (default 500). */
  readonly batchSize?: number;
  /**
   * Batches applied at the same time (default 2): while one waits for PostgreSQL the next is parsed
   * and sent. Safe because batches lock their positions in one order and the rules accept events out
   * of order (a later batch may commit first, exactly as if NATS had delivered it first).
   */
  readonly concurrency?: number;
  /** Redelivery delay after a failed (transient) apply (default 2 s). */
  readonly nakDelayMs?: number;
  /** How long the server waits for an ack before redelivering (default 30 s). */
  readonly ackWaitMs?: number;
  /** After this many deliveries a message that keeps failing is dead-lettered and acked. */
  readonly maxDeliveries?: number;
  readonly now: () => Date;
  readonly log: (msg: string, extra?: Record<string, unknown>) => void;
}

export interface NatsInventoryConsumer {
  /** Messages acked so far (applied, duplicate, stale or dead-lettered). */
  readonly acked: () => number;
  /** Stops pulling, finishes the batch in hand, hands unprocessed messages back (nak) and returns. */
  close(): Promise<void>;
}

const MAX_PAYLOAD = 1024 * 1024;
const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** Creates the stream (if absent) capturing `<subject>.>` and the durable pull consumer (if absent). */
export async function ensureInventoryStream(nc: NatsConnection, o: Pick<NatsInventoryConsumerOptions, 'subject' | 'stream' | 'durable' | 'ackWaitMs' | 'batchSize'>): Promise<void> {
  const jsm = await nc.jetstreamManager();
  try {
    await jsm.streams.info(o.stream);
  } catch {
    await jsm.streams.add({ name: o.stream, subjects: [`${o.subject}.>`] });
  }
  try {
    await jsm.consumers.info(o.stream, o.durable);
  } catch {
    await jsm.consumers.add(o.stream, {
      durable_name: o.durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, filter_subject: `${o.subject}.*`,
      ack_wait: nanos(o.ackWaitMs ?? 30_000), max_ack_pending: 4 * (o.batchSize ?? 500),
    });
  }
}

/**
 * Applies inventory events from a JetStream durable consumer through the same path as the API
 * (applyInventoryBatch), a batch per transaction per tenant. Acks only after the commit, so a crash
 * or a closed connection before it means redelivery, and redelivery is harmless (idempotent by
 * event id). Malformed messages are dead-lettered and acked (retrying cannot fix them); a failed
 * transaction naks the batch with a delay; a message failing `maxDeliveries` times is dead-lettered.
 */
export async function startNatsInventoryConsumer(o: NatsInventoryConsumerOptions): Promise<NatsInventoryConsumer> {
  const batchSize = o.batchSize ?? 500;
  await ensureInventoryStream(o.nc, o);
  const consumer = await o.nc.jetstream().consumers.get(o.stream, o.durable);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: batchSize * 2 });
  const queue: JsMsg[] = [];
  const tenants = new Map<string, string | null>();
  let acked = 0;
  let closed = false;
  let wake: (() => void) | undefined;

  const tenantOf = async (slug: string): Promise<string | null> => {
    if (!SLUG.test(slug)) return null;
    if (!tenants.has(slug)) {
      const { rows } = await o.pool.query<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [slug]);
      // Only known tenants are cached: one created later is found on its next message.
      if (rows[0]) tenants.set(slug, rows[0].id);
      else return null;
    }
    return tenants.get(slug) ?? null;
  };

  const incoming = (m: JsMsg): IncomingEvent => {
    const raw = m.data.length > MAX_PAYLOAD ? Buffer.from(m.data.subarray(0, MAX_PAYLOAD)).toString('utf8') : Buffer.from(m.data).toString('utf8');
    if (m.data.length > MAX_PAYLOAD) return { raw, parseError: `message of ${m.data.length} bytes exceeds ${MAX_PAYLOAD}` };
    try {
      return { raw, value: JSON.parse(raw) as unknown };
    } catch (e) {
      return { raw, parseError: e instanceof Error ? e.message : String(e) };
    }
  };

  /** Parks messages that cannot be attributed or keep failing, then acks them. */
  const deadLetter = async (tenantId: string, batch: readonly JsMsg[], code: string, reason: string): Promise<void> => {
    await withTenant(o.pool, { tenantId }, (db) => writeDeadLetters(db, tenantId, batch.map((m) => {
      const raw = Buffer.from(m.data.subarray(0, 64 * 1024)).toString('utf8');
      return { eventId: null, channel: 'nats' as const, reasonCode: code, reason: `${reason} (subject ${m.subject})`.slice(0, 1000), field: null, payload: raw,
        payloadBytes: m.data.length, payloadSha256: createHash('sha256').update(m.data).digest() };
    }), o.now()));
    for (const m of batch) m.ack();
    acked += batch.length;
  };

  const applyTenantBatch = async (slug: string, batch: JsMsg[]): Promise<void> => {
    const tenantId = await tenantOf(slug);
    if (tenantId === null) return deadLetter(PLATFORM_TENANT_ID, batch, 'UNKNOWN_TENANT', `no tenant ${JSON.stringify(slug.slice(0, 64))}`);
    const now = o.now();
    try {
      await withTenant(o.pool, { tenantId }, async (db) => {
        const results = await applyInventoryBatch(db, tenantId, batch.map(incoming), { channel: 'nats', defaultSource: `nats:${o.durable}`, now });
        await appendAuditEvents(db, tenantId, [{
          tenantId, occurredAt: now, actorType: 'system', actorId: 'nats', actorLabel: `NATS consumer ${o.durable}`, action: 'inventory_events.received',
          details: { ...summarise(results), events: results.length, channel: 'nats', stream: o.stream },
        }]);
      });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      const exhausted = batch.filter((m) => m.info.deliveryCount >= (o.maxDeliveries ?? 20));
      if (exhausted.length > 0) await deadLetter(tenantId, exhausted, 'PROCESSING_FAILED', `failed ${o.maxDeliveries ?? 20} times: ${reason}`).catch(() => undefined);
      for (const m of batch) if (!exhausted.includes(m)) m.nak(o.nakDelayMs ?? 2000);
      o.log('inventory events not applied; redelivery requested', { tenant: slug, events: batch.length, error: reason });
      return;
    }
    for (const m of batch) m.ack();
    acked += batch.length;
  };

  const applyBatch = async (batch: readonly JsMsg[]): Promise<void> => {
    const byTenant = new Map<string, JsMsg[]>();
    for (const m of batch) {
      const slug = m.subject.slice(o.subject.length + 1);
      const list = byTenant.get(slug);
      if (list) list.push(m);
      else byTenant.set(slug, [m]);
    }
    for (const [slug, msgs] of byTenant) await applyTenantBatch(slug, msgs);
  };

  const concurrency = Math.max(1, o.concurrency ?? 2);
  const processor = (async () => {
    const running = new Set<Promise<void>>();
    while (!closed || queue.length > 0) {
      if (running.size >= concurrency) {
        await Promise.race(running);
        continue;
      }
      if (queue.length === 0) {
        if (closed) break;
        await new Promise<void>((r) => (wake = r));
        continue;
      }
      const batch = queue.splice(0, batchSize);
      const p: Promise<void> = applyBatch(batch)
        .catch((e: unknown) => {
          // Not attributable to a message (e.g. the tenant lookup failed): hand the batch back.
          o.log('inventory batch failed; redelivery requested', { events: batch.length, error: e instanceof Error ? e.message : String(e) });
          for (const m of batch) m.nak(o.nakDelayMs ?? 2000);
        })
        .finally(() => running.delete(p));
      running.add(p);
    }
    await Promise.all(running);
  })();

  const pump = (async () => {
    for await (const m of messages) {
      if (closed) {
        m.nak();
        continue;
      }
      queue.push(m);
      wake?.();
      wake = undefined;
    }
  })();

  return {
    acked: () => acked,
    async close() {
      closed = true;
      await messages.close();
      await pump.catch(() => undefined);
      // Hand back what was pulled but not started, so another consumer gets it at once.
      for (const m of queue.splice(0)) m.nak();
      wake?.();
      await processor.catch(() => undefined);
    },
  };
}
