import { headers, type NatsConnection } from 'nats';
import type { DomainEvent } from './domain-events.js';
import type { DomainEventPublisher } from './outbox.relay.js';

/**
 * Publishes domain events to `<prefix>.<topic>.<tenant id>` (e.g.
 * `skyguard.events.supply.stock_changed.<uuid>`), each with `Nats-Msg-Id: outbox-<id>` so a
 * JetStream stream capturing the subjects drops the duplicates an outbox retry can produce.
 * Resolves after a flush, i.e. once the server has the messages.
 */
export function natsDomainEventPublisher(nc: NatsConnection, prefix: string): DomainEventPublisher {
  return async (events: readonly DomainEvent[]) => {
    for (const e of events) {
      const h = headers();
      h.set('Nats-Msg-Id', `outbox-${e.outboxId}`);
      nc.publish(`${prefix}.${e.topic}.${e.tenantId}`, JSON.stringify(e), { headers: h });
    }
    await nc.flush();
  };
}
