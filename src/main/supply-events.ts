import { DomainEventDispatcher } from '../platform/events/domain-events.js';
import { startOutboxRelay, type OutboxRelay } from '../platform/events/outbox.relay.js';
import { startNatsInventoryConsumer } from '../platform/events/nats-inventory.consumer.js';
import { natsDomainEventPublisher } from '../platform/events/nats-domain-event.publisher.js';
import { startNatsLink, type NatsLink } from '../platform/events/nats-link.js';
import type { Runtime } from './runtime.js';

export interface SupplyEvents {
  /** Subscribe here to committed domain events (e.g. `supply.stock_changed` for the risk scorer). */
  readonly dispatcher: DomainEventDispatcher;
  readonly relay: OutboxRelay;
  /** With NATS_URL: the background link to NATS (connection and inventory consumer). */
  readonly nats: NatsLink | undefined;
  close(): Promise<void>;
}

/**
 * The event pipelines of one instance: always the PostgreSQL outbox relay (NOTIFY-driven) feeding
 * the in-process dispatcher; with NATS_URL also the JetStream inventory consumer (same apply path
 * as the API) and publishing of domain events to NATS. Without NATS the API and the outbox run alone.
 * NATS is reached in the background: a broker that is down at start-up delays the consumer and the
 * publishing (outbox rows wait, nothing is lost), never the API.
 */
export async function startSupplyEvents(
  rt: Runtime, now: () => Date, log: (msg: string, extra?: Record<string, unknown>) => void, options: { sweepMs?: number; natsRetryMs?: number } = {},
): Promise<SupplyEvents> {
  const { config } = rt;
  const dispatcher = new DomainEventDispatcher();
  const nats = config.natsUrl === undefined ? undefined : startNatsLink({
    url: config.natsUrl, name: 'skyguard', log, ...(options.natsRetryMs ? { retryMs: options.natsRetryMs } : {}),
    onConnected: async (nc) => {
      const consumer = await startNatsInventoryConsumer({
        nc, pool: rt.appPool, subject: config.natsInventorySubject, stream: config.natsInventoryStream, durable: config.natsInventoryDurable, now, log,
      });
      log('NATS inventory consumer started', { subject: `${config.natsInventorySubject}.*`, stream: config.natsInventoryStream, durable: config.natsInventoryDurable });
      return () => consumer.close();
    },
  });
  const relay = startOutboxRelay({
    pool: rt.appPool, listenUrl: rt.appUrl, dispatcher, log, sweepMs: options.sweepMs,
    publisher: nats && (async (events) => {
      const nc = nats.connection;
      if (!nc) throw new Error('NATS is not connected yet');
      await natsDomainEventPublisher(nc, config.natsEventsSubject)(events);
    }),
  });
  return {
    dispatcher, relay, nats,
    async close() {
      await relay.close();
      await nats?.close();
    },
  };
}
