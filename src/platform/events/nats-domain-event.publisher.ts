import { headers, type NatsConnection } from 'nats';
import type { DomainEvent } from './domain-events.js';
import type { DomainEventPublisher } from './outbox.relay.js';

/**
 * Publishes domain events to `<prefix>.<topic>.<tenant id>` (e.g.
 * `skyguard.events.supply.stock_changed.<uuid>`), each with `Nats-Msg-Id: outbox-<id>` so a
 * JetStream stream capturing the subjects drops the duplicates an outbox retry can produce.
 * Resolves after a flush, i.e. once the server has the messages. While the connection is down nats.js
 * buffers and a flush waits for the reconnect, so the flush is given `flushTimeoutMs`: the outbox relay
 * then retries later instead of holding its transaction open (the resend is deduplicated by Msg-Id).
 */
export function natsDomainEventPublisher(nc: NatsConnection, prefix: string, flushTimeoutMs = 5000): DomainEventPublisher {
  return async (events: readonly DomainEvent[]) => {
    for (const e of events) {
      const h = headers();
      h.set('Nats-Msg-Id', `outbox-${e.outboxId}`);
      nc.publish(`${prefix}.${e.topic}.${e.tenantId}`, JSON.stringify(e), { headers: h });
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`NATS did not confirm within ${flushTimeoutMs} ms (disconnected?)`)), flushTimeoutMs);
    });
    try {
      await Promise.race([nc.flush(), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };
}
