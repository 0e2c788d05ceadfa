/**
 * The instance's link to NATS, established in the background: start-up never waits for (or fails on) a
 * broker that is down. Until the first connection is made, and while `onConnected` (e.g. starting the
 * JetStream consumer) keeps failing, it retries every `retryMs`; once connected, nats.js itself
 * reconnects for as long as the process runs. Whoever needs the connection asks `connection` and
 * treats `undefined` as "not yet" (the outbox relay then keeps its rows pending and retries).
 */
import { connect, Events, type NatsConnection } from 'nats';

export interface NatsLinkOptions {
  readonly url: string;
  readonly name: string;
  /** Runs once per successful connection; returns how to stop what it started. */
  readonly onConnected: (nc: NatsConnection) => Promise<() => Promise<void>>;
  readonly retryMs?: number;
  readonly log: (msg: string, extra?: Record<string, unknown>) => void;
}

export interface NatsLink {
  readonly connection: NatsConnection | undefined;
  /** Whether the link is up right now (false before the first connection and while the client reconnects). */
  readonly connected: boolean;
  /** Resolves once connected and started, or when the link is closed first. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export function startNatsLink(o: NatsLinkOptions): NatsLink {
  let connection: NatsConnection | undefined;
  let stopStarted: (() => Promise<void>) | undefined;
  let closed = false;
  let wake: (() => void) | undefined;
  let failures = 0;
  let connected = false;

  /** Follows the client's own reconnects: the connection object outlives an outage, its status does not. */
  const watch = async (nc: NatsConnection): Promise<void> => {
    for await (const s of nc.status()) {
      if (s.type === Events.Disconnect) connected = false;
      else if (s.type === Events.Reconnect) connected = true;
    }
  };

  const ready = (async () => {
    while (!closed) {
      let nc: NatsConnection | undefined;
      try {
        nc = await connect({ servers: o.url, name: o.name, maxReconnectAttempts: -1, timeout: 5000 });
        const stop = await o.onConnected(nc);
        if (closed) {
          await stop();
          await nc.drain();
          return;
        }
        stopStarted = stop;
        connection = nc;
        connected = true;
        void watch(nc).finally(() => (connected = false));
        if (failures > 0) o.log('NATS connected after retrying', { url: o.url, failedAttempts: failures });
        return;
      } catch (error) {
        failures++;
        await nc?.close().catch(() => undefined);
        // The first failure and then one in ten, so a long outage does not flood the log.
        if (failures % 10 === 1) o.log('NATS not reachable; the API runs on and retries', { url: o.url, attempt: failures, error: error instanceof Error ? error.message : String(error) });
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, o.retryMs ?? 2000).unref();
        });
      }
    }
  })();

  return {
    get connection() {
      return connection;
    },
    get connected() {
      return connected;
    },
    ready,
    async close() {
      closed = true;
      wake?.();
      await ready;
      await stopStarted?.();
      await connection?.drain().catch(() => undefined);
      connection = undefined;
    },
  };
}
