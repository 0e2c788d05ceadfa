import type { Pool } from '../db/pool.js';
import { withTenant } from '../db/with-tenant.js';
import { recordPrediction } from '../audit/prediction-recorder.js';
import type { JobLog, JobSchedule } from '../jobs/job-runner.js';
import { runRiskScoring } from './risk-scoring.service.js';
import type { ItemFilter } from './risk-input.loader.js';
import type { PortfolioWorkerPool } from './portfolio-worker-pool.js';
import { DemandSeriesCache } from './demand-series.cache.js';
import { itemsJobKey, riskQueue, type AddJob } from './risk-rescore.subscriber.js';
import { addJobSurely } from '../jobs/job-queue.js';

export interface SupplyRiskJobDeps {
  readonly appPool: Pool;
  readonly now: () => Date;
  readonly log: JobLog;
  readonly workers?: PortfolioWorkerPool | undefined;
  /** Nightly full re-score (cron, graphile-worker syntax); default 02:30 every day. */
  readonly fullRescoreCron?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ITEMS = 10_000;
/** Items one `supply_risk_items` execution scores before handing the rest back (≈ 0.5–1 s of work on a loaded 2-core machine). */
export const ITEMS_PER_RUN = 1000;

function uuids(v: unknown, field: string, max = MAX_ITEMS): string[] {
  if (!Array.isArray(v) || v.length > max || !v.every((x) => typeof x === 'string' && UUID.test(x)))
    throw new Error(`payload.${field} must be an array of at most ${max} uuids`);
  return v as string[];
}

type Entry = Record<string, unknown>;

/** Groups a payload (one object or a coalesced array of them) by tenant, checking every tenant id. */
function byTenant(payload: unknown): Map<string, Entry[]> {
  const list = (Array.isArray(payload) ? payload : [payload ?? {}]) as unknown[];
  const out = new Map<string, Entry[]>();
  for (const raw of list) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('payload entries must be objects');
    const e = raw as Entry;
    const [tenantId] = uuids([e.tenantId], 'tenantId');
    const l = out.get(tenantId!) ?? [];
    l.push(e);
    out.set(tenantId!, l);
  }
  return out;
}

const refOf = (entries: readonly Entry[]): string | null => {
  const refs = entries.flatMap((e) => (typeof e.ref === 'string' ? [e.ref] : []));
  if (refs.length === 0) return null;
  return (refs.length === 1 ? refs[0]! : `${refs[0]!}..${refs.at(-1)!} (${refs.length})`).slice(0, 200);
};

async function eventsChangedSince(pool: Pool, tenantId: string, since: Date): Promise<string[]> {
  return withTenant(pool, { tenantId }, async (db) =>
    (await db.query<{ id: string }>('SELECT id FROM risk_events WHERE updated_at >= $1', [since])).rows.map((r) => r.id));
}

/**
 * Suppliers a set of risk events touches now (by supplier id, country, region or port, compared
 * case-insensitively as the engine does), plus the suppliers of items whose stored score was
 * event-affected: an event that was moved, shortened or ended must release the items it held.
 */
async function suppliersTouched(pool: Pool, tenantId: string, eventIds: readonly string[]): Promise<string[]> {
  return withTenant(pool, { tenantId }, async (db) => {
    const { rows } = await db.query<{ id: string }>(
      `SELECT su.id FROM suppliers su
        WHERE su.active AND EXISTS (
          SELECT 1 FROM risk_events e WHERE e.id = ANY($1::uuid[]) AND (
            su.id = ANY(e.supplier_ids)
            OR EXISTS (SELECT 1 FROM unnest(e.countries) c WHERE upper(btrim(c)) = upper(btrim(su.country)))
            OR EXISTS (SELECT 1 FROM unnest(e.regions) r WHERE upper(btrim(r)) = upper(btrim(su.region)))
            OR EXISTS (SELECT 1 FROM unnest(e.ports) p, unnest(su.ports_of_origin) o WHERE upper(btrim(p)) = upper(btrim(o)))))
       UNION
       SELECT DISTINCT supplier_id FROM risk_scores WHERE event_affected AND supplier_id IS NOT NULL`,
      [eventIds],
    );
    return rows.map((r) => r.id);
  });
}

/**
 * Background scoring: `supply_risk_full` (one tenant, or every tenant with stock when no tenantId),
 * `supply_risk_items` (part × location pairs whose stock changed) and `supply_risk_suppliers` (items
 * of suppliers a new or changed risk event touches). Payloads are checked; a bad one fails the job
 * with the reason (kept by graphile-worker), never scores the wrong items. The items and suppliers
 * tasks also take an array of such payloads: the coalesced batch built by risk-rescore.subscriber.
 */
export function supplyRiskJobs(deps: SupplyRiskJobDeps): JobSchedule {
  // One cache per job runner: its stock-changed runs re-score the same items again and again.
  const scoring = { pool: deps.appPool, recordPrediction, now: deps.now, workers: deps.workers, demandCache: new DemandSeriesCache() };
  const run = async (tenantId: string, filter: ItemFilter, kind: 'full' | 'stock_changed' | 'risk_event', ref: string | null) => {
    const r = await runRiskScoring(scoring, tenantId, filter, { kind, ref });
    deps.log('supply risk scored', { tenantId, kind, items: r.items, changed: r.changed, refused: r.refused, alertsRaised: r.alertsRaised, ms: Math.round(r.durationMs) });
  };
  return {
    tasks: {
      supply_risk_full: async (payload) => {
        const p = (payload ?? {}) as { tenantId?: unknown };
        const tenants =
          p.tenantId === undefined
            ? (await deps.appPool.query<{ id: string }>('SELECT skyguard_private.supply_tenants() AS id')).rows.map((r) => r.id)
            : uuids([p.tenantId], 'tenantId');
        for (const t of tenants) await run(t, { kind: 'all' }, 'full', null);
      },
      supply_risk_items: async (payload, helpers) => {
        // An object (one request) or an array of them (a coalesced batch, see risk-rescore.subscriber).
        // Items whose position worsened go first (only they can raise an alert), then by arrival; one
        // execution scores at most ITEMS_PER_RUN and hands the rest back to the queue first, so a
        // backlog never makes an urgent item wait behind thousands of harmless ones.
        for (const [tenantId, entries] of byTenant(payload)) {
          const pairs = new Map<string, { partId: string; locationId: string; urgent: boolean; seq: number }>();
          entries.forEach((p, k) => {
            const partIds = uuids(p.partIds, 'partIds');
            const locationIds = uuids(p.locationIds, 'locationIds');
            if (partIds.length !== locationIds.length) throw new Error('payload.partIds and payload.locationIds must pair up');
            const urgent = p.urgent !== false;
            partIds.forEach((id, j) => {
              const key = `${id}/${locationIds[j]!}`;
              const prev = pairs.get(key);
              pairs.set(key, { partId: id, locationId: locationIds[j]!, urgent: urgent || (prev?.urgent ?? false), seq: Math.min(prev?.seq ?? k, k) });
            });
          });
          const ordered = [...pairs.values()].sort((a, b) => Number(b.urgent) - Number(a.urgent) || a.seq - b.seq);
          const now = ordered.slice(0, ITEMS_PER_RUN);
          const rest = ordered.slice(ITEMS_PER_RUN);
          if (rest.length > 0 && typeof (helpers as { addJob?: unknown } | undefined)?.addJob === 'function') {
            const split = (urgent: boolean) => rest.filter((x) => x.urgent === urgent);
            const back = [split(true), split(false)].filter((l) => l.length > 0)
              .map((l) => ({ tenantId, partIds: l.map((x) => x.partId), locationIds: l.map((x) => x.locationId), urgent: l[0]!.urgent, ref: refOf(entries) }));
            await addJobSurely(() => (helpers as { addJob: AddJob }).addJob('supply_risk_items', back, { jobKey: itemsJobKey(tenantId), queueName: riskQueue(tenantId) }));
          } else now.push(...rest);
          for (let from = 0; from < now.length; from += MAX_ITEMS) {
            const chunk = now.slice(from, from + MAX_ITEMS);
            await run(tenantId, { kind: 'items', partIds: chunk.map((x) => x.partId), locationIds: chunk.map((x) => x.locationId) }, 'stock_changed', refOf(entries));
          }
        }
      },
      supply_risk_suppliers: async (payload) => {
        for (const [tenantId, entries] of byTenant(payload)) {
          const supplierIds = new Set<string>();
          const eventIds = new Set<string>();
          for (const p of entries) {
            if (p.supplierIds !== undefined) for (const id of uuids(p.supplierIds, 'supplierIds')) supplierIds.add(id);
            if (p.eventIds !== undefined) for (const id of uuids(p.eventIds, 'eventIds')) eventIds.add(id);
            if (p.eventsChangedSince !== undefined) {
              if (typeof p.eventsChangedSince !== 'string' || Number.isNaN(Date.parse(p.eventsChangedSince))) throw new Error('payload.eventsChangedSince must be an ISO 8601 date-time');
              for (const id of await eventsChangedSince(deps.appPool, tenantId, new Date(p.eventsChangedSince))) eventIds.add(id);
            } else if (p.supplierIds === undefined && p.eventIds === undefined) throw new Error('payload.supplierIds, payload.eventIds or payload.eventsChangedSince is required');
          }
          if (eventIds.size > 0) for (const id of await suppliersTouched(deps.appPool, tenantId, [...eventIds])) supplierIds.add(id);
          if (supplierIds.size === 0) continue;
          await run(tenantId, { kind: 'suppliers', supplierIds: [...supplierIds] }, 'risk_event', refOf(entries));
        }
      },
    },
    cron: [{ task: 'supply_risk_full', match: deps.fullRescoreCron ?? '30 2 * * *', identifier: 'supply_risk_full', options: { backfillPeriod: 0 } }],
  };
}
