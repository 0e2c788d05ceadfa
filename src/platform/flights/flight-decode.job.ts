import type { JobHelpers } from 'graphile-worker';
import { FlightDecodeError, type LogFormat } from '../../flight/formats/index.js';
import type { FlightCompute } from '../flight-compute/flight-compute.js';
import type { Pool } from '../db/pool.js';
import { withTenant } from '../db/with-tenant.js';
import type { BlobStore } from '../blobs/blob.store.js';
import type { JobLog, JobSchedule } from '../jobs/job-runner.js';
import { transaction } from '../db/pool.js';
import { addJobSurely } from '../jobs/job-queue.js';
import { blobInUse, flightsAwaitingDecode, getFlight, lockBlob, markDecoded, markDecoding, markFailed } from './flight.repository.js';
import { replaceSignals } from './flight-signal.repository.js';

export const FLIGHT_DECODE_TASK = 'flight_decode';
export const FLIGHT_BLOB_GC_TASK = 'flight_blob_gc';
/** At most this many tries for an unexpected (non-decoder) failure; a decoder error fails at once. */
export const FLIGHT_DECODE_MAX_ATTEMPTS = 3;
export const decodeJobKey = (flightId: string): string => `flight_decode:${flightId}`;

export interface FlightJobDeps {
  /** Runtime pool: every query goes through withTenant. */
  readonly appPool: Pool;
  readonly blobs: BlobStore;
  /** Where decoding runs (the compute thread in a long-running process). */
  readonly compute: FlightCompute;
  readonly log: JobLog;
  /** A blob is removed only when unreferenced and untouched for this long (an upload may be reusing it). */
  readonly blobGcGraceSeconds: number;
  readonly now: () => Date;
}

export interface DecodePayload {
  readonly tenantId: string;
  readonly flightId: string;
}

function isDecodePayload(p: unknown): p is DecodePayload {
  const o = p as Partial<DecodePayload> | null;
  return typeof o?.tenantId === 'string' && typeof o.flightId === 'string';
}

/**
 * Decodes one flight: blob → the `decode` computation (decoder, canonical signals, summary and signal
 * chunks, on the compute thread) → stored in one transaction. Idempotent: a decoded or deleted flight is skipped, and
 * signals are replaced, never appended. A decoder error is the file's fault: the flight fails at
 * once with the decoder's code, message and byte offset (the blob stays for inspection). Anything
 * else is ours: retried, and recorded as DECODE_CRASHED after the last attempt.
 */
export async function decodeFlight(deps: FlightJobDeps, payload: DecodePayload, attempt = { attempts: 1, maxAttempts: 1 }): Promise<void> {
  const ctx = { tenantId: payload.tenantId };
  const flight = await withTenant(deps.appPool, ctx, async (db) => {
    const f = await getFlight(db, payload.flightId, true);
    if (!f || f.status === 'decoded' || f.status === 'failed' || f.format === null) return undefined;
    await markDecoding(db, f.id);
    return f;
  });
  if (!flight) return;
  const fail = (e: { code: string; message: string; offset: number | null }): Promise<void> =>
    withTenant(deps.appPool, ctx, async (db) => {
      if ((await getFlight(db, flight.id, true))?.status === 'decoding') await markFailed(db, flight.id, e);
    });

  const started = performance.now();
  try {
    if (!(await deps.blobs.stat(flight.blobSha256))) {
      await fail({ code: 'BLOB_MISSING', message: `The stored file ${flight.blobSha256} is missing from the blob store`, offset: null });
      return;
    }
    const outcome = await deps.compute.run('decode', flight.format as LogFormat, flight.sizeBytes, await deps.blobs.open(flight.blobSha256));
    if (outcome.kind === 'no_data') {
      await fail({ code: 'NO_FLIGHT_DATA', message: outcome.message, offset: outcome.offset });
      return;
    }
    const { summary, signals } = outcome;
    const stored = await withTenant(deps.appPool, ctx, async (db) => {
      if ((await getFlight(db, flight.id, true))?.status !== 'decoding') return undefined;
      const r = await replaceSignals(db, payload.tenantId, flight.id, signals);
      await markDecoded(db, flight.id, {
        summary, vehicleType: summary.vehicleType, startedAt: summary.startedAt ? new Date(summary.startedAt) : null, durationS: summary.durationS,
      });
      return r;
    });
    if (stored) deps.log('flight decoded', { flightId: flight.id, signals: signals.length, chunks: stored.chunks, ms: Math.round(performance.now() - started) });
  } catch (error) {
    if (error instanceof FlightDecodeError) {
      await fail({ code: error.code, message: error.message, offset: error.offset });
      return;
    }
    if (attempt.attempts >= attempt.maxAttempts) {
      await fail({ code: 'DECODE_CRASHED', message: `Decoding stopped on an internal error (${(error as Error).message ?? 'unknown'}); the file is kept`, offset: null });
      return;
    }
    throw error;
  }
}

/**
 * Removes a blob when no flight of any tenant refers to it and it was not (re)written within the
 * grace period — an upload that just deduplicated against it touches it, and this job then leaves it.
 * Check and delete happen under the blob's lock, which an upload also takes before it refers to a blob.
 */
export async function collectBlob(deps: FlightJobDeps, sha256: string, now: Date): Promise<boolean> {
  return transaction(deps.appPool, async (db) => {
    await lockBlob(db, sha256);
    if (await blobInUse(db, sha256)) return false;
    const s = await deps.blobs.stat(sha256);
    if (!s) return false;
    if (now.getTime() - s.modifiedAt.getTime() < deps.blobGcGraceSeconds * 1000) return false;
    await deps.blobs.delete(sha256);
    return true;
  });
}

/** The flight engine's background work: decoding, the lost-decode sweep and blob garbage collection. */
export function flightJobs(deps: FlightJobDeps): JobSchedule {
  return {
    tasks: {
      [FLIGHT_DECODE_TASK]: async (payload: unknown, helpers: JobHelpers) => {
        if (!isDecodePayload(payload)) return;
        await decodeFlight(deps, payload, { attempts: helpers.job.attempts, maxAttempts: helpers.job.max_attempts });
        await addJobSurely(() => helpers.addJob('flight_analyze', payload, { jobKey: `flight_analyze:${payload.flightId}`, maxAttempts: 3 })); // analysis (src/platform/flight-analysis) skips flights that did not decode
      },
      // Nothing is lost if an enqueue failed after the upload committed, or a worker died mid-decode.
      flight_decode_sweep: async (_payload: unknown, helpers: JobHelpers) => {
        for (const f of await flightsAwaitingDecode(deps.appPool, 60, 30 * 60)) {
          await addJobSurely(() => helpers.addJob(FLIGHT_DECODE_TASK, f, { jobKey: decodeJobKey(f.flightId), maxAttempts: FLIGHT_DECODE_MAX_ATTEMPTS }));
        }
      },
      [FLIGHT_BLOB_GC_TASK]: async (payload: unknown, helpers: JobHelpers) => {
        const sha = (payload as { sha256?: unknown } | null)?.sha256;
        if (typeof sha !== 'string') return;
        const removed = await collectBlob(deps, sha, deps.now());
        if (!removed && !(await blobInUse(deps.appPool, sha)) && (await deps.blobs.stat(sha))) {
          // Touched recently: look again after the grace period.
          await addJobSurely(() => helpers.addJob(FLIGHT_BLOB_GC_TASK, { sha256: sha }, { runAt: new Date(deps.now().getTime() + deps.blobGcGraceSeconds * 1000), jobKey: `flight_blob_gc:${sha}` }));
        }
      },
    },
    cron: [{ task: 'flight_decode_sweep', match: '* * * * *', identifier: 'flight_decode_sweep', options: { backfillPeriod: 0 } }],
  };
}
