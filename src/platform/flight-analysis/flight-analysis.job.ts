import type { JobHelpers } from 'graphile-worker';
import { FlightDecodeError, type LogFormat } from '../../flight/formats/index.js';
import { recordPrediction as defaultRecordPrediction, type RecordPrediction } from '../audit/prediction-recorder.js';
import type { BlobStore } from '../blobs/blob.store.js';
import type { Pool } from '../db/pool.js';
import { withTenant } from '../db/with-tenant.js';
import type { JobLog, JobSchedule } from '../jobs/job-runner.js';
import { addJobSurely } from '../jobs/job-queue.js';
import { getFlight, type FlightRow } from '../flights/flight.repository.js';
import { anomalyPrediction, reportDigest, riskPrediction } from './analysis-predictions.js';
import { isOutdated } from './engine-version.js';
import {
  analysisFailure,
  currentAnalysis,
  flightsAwaitingAnalysis,
  recordAnalysisFailure,
  setFlightVehicleType,
  storeAnalysis,
} from './flight-analysis.repository.js';
import { RUNNING_VERSIONS, type StoredFlightAnalysis } from './stored-flight.analyzer.js';
import type { FlightCompute } from '../flight-compute/flight-compute.js';

export const FLIGHT_ANALYZE_TASK = 'flight_analyze';
export const FLIGHT_ANALYSIS_SWEEP_TASK = 'flight_analysis_sweep';
export const FLIGHT_ANALYZE_MAX_ATTEMPTS = 3;
/** Same key from the decode job, the sweep and `POST /reanalyze`: a flight is never queued twice. */
export const analysisJobKey = (flightId: string): string => `flight_analyze:${flightId}`;
/** Re-analysis after an upgrade runs one flight at a time, so fresh uploads keep the other worker slot. */
export const REANALYSIS_QUEUE = 'flight_reanalysis';

export interface FlightAnalysisDeps {
  /** Runtime pool: every tenant query goes through withTenant. */
  readonly appPool: Pool;
  readonly blobs: BlobStore;
  /** Where the analysis runs (the compute thread in a long-running process). */
  readonly compute: FlightCompute;
  readonly log: JobLog;
  readonly now: () => Date;
  readonly recordPrediction?: RecordPrediction;
  /** The sweep leaves a never-analysed flight this long to the analysis its decode enqueued (default 60 s). */
  readonly sweepGraceSeconds?: number;
}

export interface AnalyzePayload {
  readonly tenantId: string;
  readonly flightId: string;
}

export type AnalyzeOutcome =
  | { readonly outcome: 'stored'; readonly analysisId: string }
  | { readonly outcome: 'unchanged' | 'skipped'; readonly reason: string }
  | { readonly outcome: 'failed'; readonly code: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed payload can never succeed: it is dropped (and logged) instead of being retried. */
export function isAnalyzePayload(p: unknown): p is AnalyzePayload {
  const o = p as Partial<AnalyzePayload> | null;
  return typeof o?.tenantId === 'string' && typeof o.flightId === 'string' && UUID.test(o.tenantId) && UUID.test(o.flightId);
}

/**
 * Analyses one decoded flight and stores the report with both model outputs (risk score, anomaly model) in
 * the audit trail, all in one transaction under the flight's row lock. Idempotent: a flight whose current
 * analysis has the running engine and model versions is left alone (no second row, no second prediction);
 * one with a newer analysis too. A file the decoder now refuses, or a missing blob, is recorded as a failure
 * for this engine version (kept, shown by the API, skipped by the sweep); anything else is retried, and
 * recorded as `ANALYSIS_CRASHED` after the last attempt.
 */
export async function analyzeFlightJob(deps: FlightAnalysisDeps, payload: AnalyzePayload, attempt = { attempts: 1, maxAttempts: 1 }): Promise<AnalyzeOutcome> {
  const ctx = { tenantId: payload.tenantId };
  const engineVersion = RUNNING_VERSIONS.engineVersion;
  type Pre = { readonly flight: FlightRow } | { readonly done: AnalyzeOutcome };
  const pre = await withTenant(deps.appPool, ctx, async (db): Promise<Pre> => {
    const skip = (reason: string): Pre => ({ done: { outcome: 'skipped', reason } });
    const flight = await getFlight(db, payload.flightId);
    if (!flight) return skip('flight deleted');
    if (flight.status !== 'decoded' || flight.format === null) return skip(`flight is ${flight.status}`);
    const current = await currentAnalysis(db, flight.id);
    if (current && !isOutdated(current, RUNNING_VERSIONS)) return { done: { outcome: 'unchanged', reason: `analysed by engine ${current.engineVersion}` } };
    if (await analysisFailure(db, flight.id, engineVersion)) return skip(`analysis failed with engine ${engineVersion}`);
    return { flight };
  });
  if ('done' in pre) return pre.done;
  const flight = pre.flight;

  const fail = async (code: string, message: string): Promise<AnalyzeOutcome> => {
    await withTenant(deps.appPool, ctx, (db) =>
      recordAnalysisFailure(db, { tenantId: payload.tenantId, flightId: flight.id, engineVersion, code, message, now: deps.now() }));
    deps.log('flight analysis failed', { flightId: flight.id, code });
    return { outcome: 'failed', code };
  };

  const started = performance.now();
  let result: StoredFlightAnalysis;
  try {
    if (!(await deps.blobs.stat(flight.blobSha256))) return await fail('BLOB_MISSING', `The stored file ${flight.blobSha256} is missing from the blob store`);
    result = await deps.compute.run('analyze', flight.format as LogFormat, flight.sizeBytes, await deps.blobs.open(flight.blobSha256));
  } catch (error) {
    if (error instanceof FlightDecodeError) return fail(error.code, error.message);
    if (attempt.attempts >= attempt.maxAttempts) {
      return fail('ANALYSIS_CRASHED', `Analysis stopped on an internal error (${(error as Error).message ?? 'unknown'}); the flight stays decoded`);
    }
    throw error;
  }
  const { report, detection } = result;
  const reportSha256 = reportDigest(report);
  const record = deps.recordPrediction ?? defaultRecordPrediction;

  const stored = await withTenant(deps.appPool, ctx, async (db): Promise<AnalyzeOutcome> => {
    const locked = await getFlight(db, flight.id, true);
    if (locked?.status !== 'decoded') return { outcome: 'skipped', reason: 'flight deleted or changed during analysis' };
    const current = await currentAnalysis(db, flight.id);
    if (current && !isOutdated(current, RUNNING_VERSIONS)) return { outcome: 'unchanged', reason: 'analysed concurrently' };
    const now = deps.now();
    const analysisId = await storeAnalysis(db, {
      tenantId: payload.tenantId, flightId: flight.id, report, reportSha256,
      anomalyModelVersion: RUNNING_VERSIONS.anomalyModelVersion, now,
    });
    await record(db, riskPrediction(payload.tenantId, flight.id, flight.blobSha256, report, reportSha256), now);
    if (detection) await record(db, anomalyPrediction(payload.tenantId, flight.id, detection), now);
    await setFlightVehicleType(db, flight.id, report.vehicle.type, now);
    return { outcome: 'stored', analysisId };
  });
  deps.log('flight analysed', {
    flightId: flight.id, outcome: stored.outcome, risk: report.risk.score, vehicle: report.vehicle.type, ms: Math.round(performance.now() - started),
  });
  return stored;
}

/**
 * Finds decoded flights whose current analysis is missing or older than the running engine / anomaly model and
 * queues them (same job key as every other enqueue, so nothing is queued twice). Runs at worker start and on a
 * schedule; returns how many were queued.
 */
export async function sweepAnalyses(deps: FlightAnalysisDeps, helpers: Pick<JobHelpers, 'addJob'>, limit = 500): Promise<number> {
  const rows = await flightsAwaitingAnalysis(deps.appPool, {
    ...RUNNING_VERSIONS, decodedForS: deps.sweepGraceSeconds ?? 60, limit,
  });
  let queued = 0;
  for (const r of rows) {
    if (r.engineVersion !== null && !isOutdated({ engineVersion: r.engineVersion, anomalyModelVersion: r.anomalyModelVersion }, RUNNING_VERSIONS)) continue;
    await addJobSurely(() => helpers.addJob(FLIGHT_ANALYZE_TASK, { tenantId: r.tenantId, flightId: r.flightId }, {
      jobKey: analysisJobKey(r.flightId), jobKeyMode: 'preserve_run_at', queueName: REANALYSIS_QUEUE, maxAttempts: FLIGHT_ANALYZE_MAX_ATTEMPTS,
    }));
    queued++;
  }
  if (queued > 0) deps.log('flight analyses queued by the sweep', { queued, engineVersion: RUNNING_VERSIONS.engineVersion });
  return queued;
}

/** The analysis engine's background work: one task per flight, and the sweep every five minutes. */
export function flightAnalysisJobs(deps: FlightAnalysisDeps): JobSchedule {
  return {
    tasks: {
      [FLIGHT_ANALYZE_TASK]: async (payload: unknown, helpers: JobHelpers) => {
        if (!isAnalyzePayload(payload)) {
          deps.log('flight_analyze: malformed payload dropped', { payload: JSON.stringify(payload)?.slice(0, 200) });
          return;
        }
        await analyzeFlightJob(deps, payload, { attempts: helpers.job.attempts, maxAttempts: helpers.job.max_attempts });
      },
      [FLIGHT_ANALYSIS_SWEEP_TASK]: async (_payload: unknown, helpers: JobHelpers) => {
        await sweepAnalyses(deps, helpers);
      },
    },
    cron: [{ task: FLIGHT_ANALYSIS_SWEEP_TASK, match: '*/5 * * * *', identifier: FLIGHT_ANALYSIS_SWEEP_TASK, options: { backfillPeriod: 0 } }],
  };
}
