import type { Pool } from '../db/pool.js';
import { withTenant } from '../db/with-tenant.js';
import { appendPreparedEvents } from './audit-chain.js';
import type { AuditEventInput } from './audit-event.js';
import { prepareEvent, type PreparedEvent } from './audit-event-text.js';

export interface AuditWriterOptions {
  /** Longest an event waits in memory before it is written. */
  readonly flushIntervalMs?: number;
  /** A tenant's queue is flushed at once when it reaches this size. */
  readonly batchSize?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Writes request-level audit events (reads, denials, failures — everything the response hook sees)
 * in small per-tenant batches, so a busy tenant pays one chain-head lock per batch rather than per
 * request. Mutations do not go through here: their events are appended in the mutation's own
 * transaction. Events wait at most `flushIntervalMs`; `close()` flushes what is left. A failed
 * flush keeps the events and retries on the next tick.
 */
export class BufferedAuditWriter {
  private readonly queues = new Map<string, PreparedEvent[]>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private readonly flushIntervalMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly pool: Pool,
    private readonly options: AuditWriterOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 50;
    this.batchSize = options.batchSize ?? 500;
    this.timer = setInterval(() => void this.flush(), this.flushIntervalMs);
    this.timer.unref();
  }

  /**
   * Queues the event with its canonical text already built (id fixed, fields cleaned), so a flush only
   * chains and inserts: the serialising is spread over requests instead of bursting at every flush.
   */
  record(input: AuditEventInput): void {
    const event = prepareEvent(input);
    let queue = this.queues.get(event.tenantId);
    if (!queue) this.queues.set(event.tenantId, (queue = []));
    queue.push(event);
    if (queue.length >= this.batchSize) void this.flush();
  }

  /** Number of events not yet written. */
  get pending(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  /** Writes everything queued so far; concurrent calls are chained, never run in parallel. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushOnce());
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const work = [...this.queues.entries()].filter(([, q]) => q.length > 0);
    await Promise.all(
      work.map(async ([tenantId, queue]) => {
        const batch = queue.splice(0, queue.length);
        try {
          await withTenant(this.pool, { tenantId }, (db) => appendPreparedEvents(db, tenantId, batch));
        } catch (error) {
          queue.unshift(...batch);
          this.options.onError?.(error);
        }
      }),
    );
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
