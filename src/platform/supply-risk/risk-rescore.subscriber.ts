import type { DomainEventSubscriptions, StockChangedEvent } from '../events/domain-events.js';
import { addJobSurely, type JobQueue } from '../jobs/job-queue.js';

/** One entry of a coalesced `supply_risk_items` / `supply_risk_suppliers` batch job. */
export interface ItemsEntry {
  readonly tenantId: string;
  readonly partIds: readonly string[];
  readonly locationIds: readonly string[];
  /** false = the stock position improved (cannot raise an alert): scored after the urgent ones. */
  readonly urgent?: boolean;
  readonly ref?: string;
}
export interface SuppliersEntry {
  readonly tenantId: string;
  readonly supplierIds?: readonly string[];
  /** Suppliers touched by these risk events (resolved when the job runs, from the events' current rows). */
  readonly eventIds?: readonly string[];
  /** Risk events whose row changed at or after this instant (ISO 8601): what an import touched. */
  readonly eventsChangedSince?: string;
  readonly ref?: string;
}

/**
 * Job keys per tenant and task. graphile-worker concatenates the payloads of a pending job with an
 * array payload and the same key, so a burst of stock changes becomes ONE pending job holding every
 * changed item, while a job already running is left alone and the burst queues behind it — scoring
 * keeps up with any event rate and each item is scored at most once per run. The per-tenant queue
 * runs a tenant's re-scores one at a time, so two runs never race on the same hysteresis state.
 */
export const itemsJobKey = (tenantId: string): string => `supply_risk_items:${tenantId}`;
export const suppliersJobKey = (tenantId: string): string => `supply_risk_suppliers:${tenantId}`;
export const riskQueue = (tenantId: string): string => `supply_risk:${tenantId}`;

/**
 * The job-queue port types payloads as objects; a batch job's payload is an array (graphile-worker
 * merges arrays of a pending job with the same key). The cast is confined here.
 */
const batch = (entries: readonly object[]): Record<string, unknown> => entries as unknown as Record<string, unknown>;

/** Queues a re-score of part × location pairs (coalesced per tenant). */
export async function enqueueItemsRescore(jobs: JobQueue, entry: ItemsEntry): Promise<void> {
  if (entry.partIds.length === 0) return;
  await jobs.enqueue('supply_risk_items', batch([entry]), { jobKey: itemsJobKey(entry.tenantId), queue: riskQueue(entry.tenantId) });
}

/**
 * Queues a re-score of the items of suppliers a new or changed risk event touches — for importers and
 * risk-event APIs to call after their transaction commits. Pass `eventIds` when the suppliers are not
 * known: the job resolves them from the events' current rows, plus the suppliers of items whose
 * stored score was event-affected (an event that moved away or ended must release them too).
 */
export async function enqueueSuppliersRescore(jobs: JobQueue, entry: SuppliersEntry): Promise<void> {
  if ((entry.supplierIds?.length ?? 0) === 0 && (entry.eventIds?.length ?? 0) === 0 && entry.eventsChangedSince === undefined) return;
  await jobs.enqueue('supply_risk_suppliers', batch([entry]), { jobKey: suppliersJobKey(entry.tenantId), queue: riskQueue(entry.tenantId) });
}

/**
 * Subscribes the risk engine to committed stock changes: every batch the outbox relay delivers
 * becomes one coalesced `supply_risk_items` entry per tenant with the distinct part × location pairs.
 * Redelivery (the relay is at least once) only queues the same items again: scoring is idempotent
 * (unchanged inputs rewrite nothing) and alerts are deduplicated, so no alert is raised twice.
 */
export function subscribeRiskRescoring(events: DomainEventSubscriptions, jobs: JobQueue): () => void {
  return events.subscribe('supply.stock_changed', 'supply-risk-rescore', async (batchOf: readonly StockChangedEvent[]) => {
    const byTenant = new Map<string, { urgent: Map<string, [string, string]>; calm: Map<string, [string, string]>; maxId: number }>();
    const available = (p: StockChangedEvent['after']): number => p.onHand - p.reserved + p.onOrder;
    for (const e of batchOf) {
      let t = byTenant.get(e.tenantId);
      if (!t) byTenant.set(e.tenantId, (t = { urgent: new Map(), calm: new Map(), maxId: 0 }));
      const key = `${e.partId}/${e.locationId}`;
      // A position that got worse (or a snapshot, which may have) can raise an alert: score it first.
      if (available(e.after) < available(e.before) || e.kind === 'snapshot') {
        t.urgent.set(key, [e.partId, e.locationId]);
        t.calm.delete(key);
      } else if (!t.urgent.has(key)) t.calm.set(key, [e.partId, e.locationId]);
      t.maxId = Math.max(t.maxId, e.outboxId);
    }
    for (const [tenantId, t] of byTenant) {
      const entries = ([[t.urgent, true], [t.calm, false]] as const)
        .filter(([m]) => m.size > 0)
        .map(([m, urgent]) => ({ tenantId, partIds: [...m.values()].map((p) => p[0]), locationIds: [...m.values()].map((p) => p[1]), urgent, ref: `outbox:${t.maxId}` }));
      await jobs.enqueue('supply_risk_items', batch(entries), { jobKey: itemsJobKey(tenantId), queue: riskQueue(tenantId) });
    }
  });
}

/** Queues a full re-score of one tenant (requests while one is pending coalesce into it). */
export async function enqueueFullRescore(jobs: JobQueue, tenantId: string): Promise<string> {
  const jobKey = `supply_risk_full:${tenantId}`;
  await jobs.enqueue('supply_risk_full', { tenantId }, { jobKey, queue: riskQueue(tenantId) });
  return jobKey;
}

/** Margin for clock differences between the app and the database when asking "changed since". */
const CLOCK_MARGIN_MS = 5 * 60_000;

/**
 * What an importer calls after an import committed: nothing when no row changed; when only risk
 * events changed, a re-score of the suppliers the changed events touch (or released); otherwise a
 * full re-score of the tenant (stock, offers, demand or deliveries move every kind of input).
 */
export async function rescoreAfterImport(
  jobs: JobQueue,
  tenantId: string,
  entities: Readonly<Record<string, { readonly inserted: number; readonly updated: number }>>,
  startedAt: Date,
  ref: string,
): Promise<'none' | 'suppliers' | 'full'> {
  const changed = Object.entries(entities).filter(([, c]) => c.inserted + c.updated > 0).map(([e]) => e);
  if (changed.length === 0) return 'none';
  if (changed.every((e) => e === 'risk_events')) {
    const since = new Date(startedAt.getTime() - CLOCK_MARGIN_MS).toISOString();
    await enqueueSuppliersRescore(jobs, { tenantId, eventsChangedSince: since, ref });
    return 'suppliers';
  }
  await enqueueFullRescore(jobs, tenantId);
  return 'full';
}

/** graphile-worker's `helpers.addJob`, as a task sees it. */
export type AddJob = (task: string, payload: unknown, spec?: { jobKey?: string; queueName?: string }) => Promise<{ readonly id?: unknown }>;

/** The job-queue port over a running task's `addJob` (for tasks that queue follow-up work). */
export const jobQueueOf = (addJob: AddJob): JobQueue => ({
  async enqueue(task, payload, o = {}) {
    await addJobSurely(() => addJob(task, payload, { ...(o.jobKey ? { jobKey: o.jobKey } : {}), ...(o.queue ? { queueName: o.queue } : {}) }));
  },
  async close() {},
});
