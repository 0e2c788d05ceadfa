import type { Pool } from '../db/pool.js';
import { recordPrediction } from '../audit/prediction-recorder.js';
import type { JobLog, JobSchedule } from '../jobs/job-runner.js';
import { runRiskScoring } from './risk-scoring.service.js';
import type { ItemFilter } from './risk-input.loader.js';
import type { PortfolioWorkerPool } from './portfolio-worker-pool.js';

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

function uuids(v: unknown, field: string, max = MAX_ITEMS): string[] {
  if (!Array.isArray(v) || v.length > max || !v.every((x) => typeof x === 'string' && UUID.test(x)))
    throw new Error(`payload.${field} must be an array of at most ${max} uuids`);
  return v as string[];
}

/**
 * Background scoring: `supply_risk_full` (one tenant, or every tenant with stock when no tenantId),
 * `supply_risk_items` (part × location pairs whose stock changed) and `supply_risk_suppliers` (items
 * of suppliers a new or changed risk event touches). Payloads are checked; a bad one fails the job
 * with the reason (kept by graphile-worker), never scores the wrong items.
 */
export function supplyRiskJobs(deps: SupplyRiskJobDeps): JobSchedule {
  const scoring = { pool: deps.appPool, recordPrediction, now: deps.now, workers: deps.workers };
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
      supply_risk_items: async (payload) => {
        const p = (payload ?? {}) as Record<string, unknown>;
        const [tenantId] = uuids([p.tenantId], 'tenantId');
        const partIds = uuids(p.partIds, 'partIds');
        const locationIds = uuids(p.locationIds, 'locationIds');
        if (partIds.length !== locationIds.length) throw new Error('payload.partIds and payload.locationIds must pair up');
        await run(tenantId!, { kind: 'items', partIds, locationIds }, 'stock_changed', typeof p.ref === 'string' ? p.ref.slice(0, 200) : null);
      },
      supply_risk_suppliers: async (payload) => {
        const p = (payload ?? {}) as Record<string, unknown>;
        const [tenantId] = uuids([p.tenantId], 'tenantId');
        await run(tenantId!, { kind: 'suppliers', supplierIds: uuids(p.supplierIds, 'supplierIds') }, 'risk_event', typeof p.ref === 'string' ? p.ref.slice(0, 200) : null);
      },
    },
    cron: [{ task: 'supply_risk_full', match: deps.fullRescoreCron ?? '30 2 * * *', identifier: 'supply_risk_full', options: { backfillPeriod: 0 } }],
  };
}
