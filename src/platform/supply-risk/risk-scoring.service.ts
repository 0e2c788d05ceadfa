import { createHash, randomUUID } from 'node:crypto';
import type { Pool } from '../db/pool.js';
import { withTenant } from '../db/with-tenant.js';
import type { RecordPrediction } from '../audit/prediction-recorder.js';
import { SUPPLY_RISK_ENGINE_VERSION } from '../../supply/portfolio/portfolio-input.js';
import { scorePortfolio, type ItemError, type PortfolioScores } from '../../supply/portfolio/portfolio-scorer.js';
import { decideTransitions } from '../../supply/portfolio/portfolio-alerts.js';
import { fleetCaps, summarizePortfolio } from '../../supply/portfolio/portfolio-summary.js';
import { RISK_LEVELS } from '../../supply/risk/risk-score.js';
import { loadPortfolio, type ItemFilter } from './risk-input.loader.js';
import { emptyScoreRows, INLINE_STORE_ROWS, insertRun, loadOpenAlertKeys, refreshRiskStatistics, storeScores } from './risk-score.repository.js';
import { inputsChanged, materiallyChanged, NO_LEVEL } from './stored-scores.js';
import { clearAlerts, raiseAlerts, type NewAlert } from './risk-alert.repository.js';
import type { PortfolioWorkerPool } from './portfolio-worker-pool.js';
import type { DemandSeriesCache } from './demand-series.cache.js';

export type RunKind = 'full' | 'stock_changed' | 'risk_event' | 'part';

export interface ScoringDeps {
  readonly pool: Pool;
  readonly recordPrediction: RecordPrediction;
  readonly now: () => Date;
  /** Used for runs above {@link POOL_THRESHOLD} items; without it everything runs on this thread. */
  readonly workers?: PortfolioWorkerPool | undefined;
  /** Demand series kept between stock-changed runs (`items` filters only); without it every run reads them. */
  readonly demandCache?: DemandSeriesCache | undefined;
  /** Changed rows up to which the store is one statement rather than COPY (default INLINE_STORE_ROWS). */
  readonly inlineStoreRows?: number | undefined;
}

/** Below this many items a run is scored inline: starting a slice on the pool costs more than it saves. */
export const POOL_THRESHOLD = 20_000;

export interface RunResult {
  readonly runId: string;
  readonly items: number;
  readonly scored: number;
  readonly refused: number;
  readonly changed: number;
  readonly alertsRaised: number;
  readonly alertsCleared: number;
  readonly errors: readonly ItemError[];
  readonly durationMs: number;
}

const hex = (d: Uint8Array, i: number): string => Buffer.from(d.buffer, d.byteOffset + i * 32, 32).toString('hex');

/**
 * One scoring run for a tenant, in one transaction: load the items (`filter`) in bulk, score them,
 * store the rows whose inputs, engine version or hysteresis state changed (unchanged items are not
 * rewritten), raise and clear alerts (deduplicated, emitted on the outbox), and record the run as
 * one model prediction in the audit trail — its input digest is the SHA-256 over every item's
 * digest, so each stored score can be traced to the audited run (`run_id`).
 */
export async function runRiskScoring(
  deps: ScoringDeps,
  tenantId: string,
  filter: ItemFilter,
  trigger: { kind: RunKind; ref?: string | null },
): Promise<RunResult> {
  const started = deps.now();
  const t0 = performance.now();
  const result = await withTenant(deps.pool, { tenantId }, async (db) => {
    const loaded = await loadPortfolio(db, started, filter, deps.demandCache ? { cache: deps.demandCache, tenantId } : undefined);
    const { input } = loaded;
    const n = input.items.count;
    let scores: PortfolioScores;
    let errors: readonly ItemError[];
    if (deps.workers && n >= POOL_THRESHOLD) {
      const r = await deps.workers.score(input);
      scores = r.scores;
      errors = r.errors;
    } else {
      const r = scorePortfolio(input);
      scores = r.scores;
      errors = r.report.errors;
    }
    const { stored } = loaded;
    const open = await loadOpenAlertKeys(db, filter);
    const key = (i: number): string => `${loaded.partIds[i]}/${loaded.locationIds[i]}`;
    // The stored level state is the hysteresis state (NO_LEVEL = never scored, read as `low`).
    const transitions = decideTransitions(scores, stored.levelState, key, open);
    const stateAfter = Uint8Array.from(stored.levelState, (v) => (v === NO_LEVEL ? 0 : v));
    for (const t of transitions) stateAfter[t.index] = RISK_LEVELS.indexOf(t.to);
    const caps = fleetCaps(input.items, scores, loaded.fleetIds.length);
    const errorOf = new Map(errors.map((e) => [e.index, e]));

    const rows = emptyScoreRows();
    for (let i = 0; i < n; i++) {
      const newScore = inputsChanged(stored, i, scores.digest);
      if (!newScore && stored.levelState[i] === stateAfter[i]) continue;
      const state = RISK_LEVELS[stateAfter[i]!]!;
      const ok = scores.status[i] === 0;
      const err = errorOf.get(i);
      const f = input.items.fleet[i]!;
      rows.partId.push(loaded.partIds[i]!);
      rows.locationId.push(loaded.locationIds[i]!);
      rows.status.push(ok ? 'scored' : 'refused');
      rows.supplierId.push(input.items.supplier[i]! >= 0 ? loaded.supplierIds[input.items.supplier[i]!]! : null);
      rows.score.push(ok ? scores.score[i]! : null);
      rows.level.push(ok ? RISK_LEVELS[scores.level[i]!]! : null);
      rows.levelState.push(state);
      rows.p.push(ok ? scores.stockoutProbability[i]! : null);
      rows.expected.push(ok ? scores.expectedExposure[i]! : null);
      rows.conditional.push(ok ? scores.conditionalExposure[i]! : null);
      rows.aogDays.push(ok ? scores.expectedAogDays[i]! : null);
      rows.leadTime.push(ok ? scores.meanLeadTimeDays[i]! : null);
      rows.leadTimeDemand.push(ok ? scores.meanLeadTimeDemand[i]! : null);
      rows.demand.push(ok ? scores.demandPerPeriod[i]! : null);
      rows.eventAffected.push(scores.eventAffected[i] === 1);
      rows.fleetId.push(f >= 0 && input.items.grounds[i] === 1 ? loaded.fleetIds[f]! : null);
      rows.fleetCap.push(f >= 0 && input.items.grounds[i] === 1 ? caps[f]! : null);
      rows.expedite.push(input.items.expediteCost[i]!);
      rows.refusalCode.push(err?.code ?? null);
      rows.refusalField.push(err?.field ?? null);
      rows.refusalRule.push(err ? err.rule : null);
      rows.digest.push(hex(scores.digest, i));
      rows.history.push(newScore && ok && materiallyChanged(stored, i, {
        score: scores.score[i]!, level: scores.level[i]!, stockoutProbability: scores.stockoutProbability[i]!, expectedExposure: scores.expectedExposure[i]!,
      }));
    }
    const runId = randomUUID();
    // The item digests are contiguous in item order: one update hashes their concatenation.
    const inputDigest = createHash('sha256').update(scores.digest.subarray(0, n * 32)).digest('hex');
    const summary = summarizePortfolio(input.items, scores, [], caps);
    const durationBeforeStore = performance.now() - t0;
    // The run row first: scores and alerts reference it.
    const ref = trigger.ref ?? null;
    const raisedList: NewAlert[] = transitions
      .filter((t) => t.fire)
      .map((t) => ({
        partId: loaded.partIds[t.index]!,
        locationId: loaded.locationIds[t.index]!,
        level: t.to,
        previousLevel: t.from,
        dedupeKey: t.dedupKey,
        score: scores.score[t.index]!,
        stockoutProbability: scores.stockoutProbability[t.index]!,
        expectedExposure: scores.expectedExposure[t.index]!,
        reason: `score ${scores.score[t.index]!.toFixed(1)} entered ${t.to} (from ${t.from}): P(stockout) ${(100 * scores.stockoutProbability[t.index]!).toFixed(1)} %, expected exposure $${Math.round(scores.expectedExposure[t.index]!).toLocaleString('en-US')}`,
      }));
    const clears = transitions.filter((t) => t.clear).map((t) => ({ partId: loaded.partIds[t.index]!, locationId: loaded.locationIds[t.index]! }));
    const runRecord = {
      id: runId, kind: trigger.kind, triggerRef: ref, engineVersion: SUPPLY_RISK_ENGINE_VERSION, inputDigest, items: n,
      scored: n - errors.length, refused: errors.length, changed: rows.partId.length, alertsRaised: 0, alertsCleared: 0,
      durationMs: durationBeforeStore, summary: { total: summary.total, assumptions: summary.assumptions }, startedAt: started, finishedAt: deps.now(),
    };
    await insertRun(db, tenantId, runRecord);
    await storeScores(db, tenantId, runId, SUPPLY_RISK_ENGINE_VERSION, started, rows, deps.inlineStoreRows);
    const raised = await raiseAlerts(db, tenantId, runId, { kind: trigger.kind, ref }, started, raisedList);
    const cleared = await clearAlerts(db, tenantId, started, clears);
    await db.query('UPDATE risk_runs SET alerts_raised = $2, alerts_cleared = $3, finished_at = $4, duration_ms = $5 WHERE id = $1', [
      runId, raised.length, cleared, deps.now(), performance.now() - t0,
    ]);
    await deps.recordPrediction(
      db,
      {
        tenantId,
        model: 'supply-risk',
        version: SUPPLY_RISK_ENGINE_VERSION,
        inputDigest,
        inputSummary: { run: trigger.kind, ref, items: n, suppliers: input.suppliers.nodes.length, events: input.events.length },
        output: {
          runId,
          scored: n - errors.length,
          refused: errors.length,
          changed: rows.partId.length,
          byLevel: summary.total.byLevel,
          expectedExposure: summary.total.expectedExposure,
          alertsRaised: raised.map((a) => a.dedupe_key),
          // Small runs list every score; big ones are traceable through risk_scores.run_id.
          ...(n <= 100 ? { scores: Array.from({ length: n }, (_, i) => [key(i), scores.status[i] === 0 ? Number(scores.score[i]!.toFixed(4)) : null, hex(scores.digest, i)]) } : {}),
        },
        target: filter.kind === 'part' ? filter.partId : `run:${runId}`,
      },
      started,
    );
    return { runId, items: n, scored: n - errors.length, refused: errors.length, changed: rows.partId.length, alertsRaised: raised.length, alertsCleared: cleared, errors, durationMs: performance.now() - t0 };
  });
  // A bulk store (a tenant's first run, an engine release) can grow risk_scores by 500k rows at once;
  // refreshed after the commit, so the statistics count them.
  if (result.changed > (deps.inlineStoreRows ?? INLINE_STORE_ROWS)) await refreshRiskStatistics(deps.pool);
  return result;
}
