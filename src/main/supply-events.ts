import { connect, type NatsConnection } from 'nats';
import { DomainEventDispatcher } from '../platform/events/domain-events.js';
import { startOutboxRelay, type OutboxRelay } from '../platform/events/outbox.relay.js';
import { startNatsInventoryConsumer, type NatsInventoryConsumer } from '../platform/events/nats-inventory.consumer.js';
import { natsDomainEventPublisher } from '../platform/events/nats-domain-event.publisher.js';
import type { Runtime } from './runtime.js';

export interface SupplyEvents {
  /** Subscribe here to committed domain events (e.g. `supply.stock_changed` for the risk scorer). */
  readonly dispatcher: DomainEventDispatcher;
  readonly relay: OutboxRelay;
  readonly nats: NatsConnection | undefined;
  readonly consumer: NatsInventoryConsumer | undefined;
  close(): Promise<void>;
}

/**
 * The event pipelines of one instance: always the PostgreSQL outbox relay (NOTIFY-driven) feeding
 * the in-process dispatcher; with NATS_URL also the JetStream inventory consumer (same apply path
 * as the API) and publishing of domain events to NATS. Without NATS the API and the outbox run alone.
 */
export async function startSupplyEvents(
  rt: Runtime, now: () => Date, log: (msg: string, extra?: Record<string, unknown>) => void, options: { sweepMs?: number } = {},
): Promise<SupplyEvents> {
  const { config } = rt;
  const dispatcher = new DomainEventDispatcher();
  let nc: NatsConnection | undefined;
  let consumer: NatsInventoryConsumer | undefined;
  if (config.natsUrl !== undefined) {
    nc = await connect({ servers: config.natsUrl, name: 'skyguard', maxReconnectAttempts: -1 });
    consumer = await startNatsInventoryConsumer({
      nc, pool: rt.appPool, subject: config.natsInventorySubject, stream: config.natsInventoryStream, durable: config.natsInventoryDurable, now, log,
    });
    log('NATS inventory consumer started', { subject: `${config.natsInventorySubject}.*`, stream: config.natsInventoryStream, durable: config.natsInventoryDurable });
  }
  const relay = startOutboxRelay({
    pool: rt.appPool, listenUrl: rt.appUrl, dispatcher, log, sweepMs: options.sweepMs,
    publisher: nc ? natsDomainEventPublisher(nc, config.natsEventsSubject) : undefined,
  });
  return {
    dispatcher, relay, nats: nc, consumer,
    async close() {
      await consumer?.close();
      await relay.close();
      await nc?.drain().catch(() => undefined);
    },
  };
}
