import pg from 'pg';

export interface NotificationListener {
  close(): Promise<void>;
}

/**
 * Keeps a dedicated connection LISTENing on `channel`. `onState(false)` is called whenever the
 * connection is not listening (at start, after an error), `onState(true)` once it is; it reconnects
 * with backoff until closed. Notifications sent while it was down are lost, which is why callers
 * treat "down" as "trust nothing cached".
 */
export function listenForNotifications(
  connectionString: string,
  channel: string,
  handlers: { onNotify: (payload: string) => void; onState: (listening: boolean) => void; onError?: (e: unknown) => void },
): NotificationListener {
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = 250;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    handlers.onState(false);
    const c = new pg.Client({ connectionString, application_name: 'skyguard-listener' });
    client = c;
    c.on('notification', (n) => {
      if (n.channel === channel) handlers.onNotify(n.payload ?? '');
    });
    c.on('error', (e) => {
      handlers.onError?.(e);
      retry();
    });
    c.on('end', () => retry());
    try {
      await c.connect();
      await c.query(`LISTEN ${c.escapeIdentifier(channel)}`);
      retryMs = 250;
      if (!closed) handlers.onState(true);
    } catch (e) {
      handlers.onError?.(e);
      retry();
    }
  };

  const retry = (): void => {
    handlers.onState(false);
    if (closed || timer) return;
    client?.removeAllListeners();
    void client?.end().catch(() => undefined);
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, 10_000);
  };

  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      handlers.onState(false);
      client?.removeAllListeners();
      await client?.end().catch(() => undefined);
    },
  };
}
