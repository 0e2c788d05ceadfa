import type { Runner, TaskList } from 'graphile-worker';
import { platformJobs, startJobRunner, type JobLog, type JobSchedule } from '../platform/jobs/job-runner.js';
import type { Runtime } from './runtime.js';
import { join } from 'node:path';
import { flightJobs } from '../platform/flights/flight-decode.job.js';
import { flightAnalysisJobs, FLIGHT_ANALYSIS_SWEEP_TASK } from '../platform/flight-analysis/flight-analysis.job.js';
import { createFileBlobStore } from '../platform/blobs/file-blob.store.js';
import type { FlightCompute } from '../platform/flight-compute/flight-compute.js';
import { supplyRiskJobs } from '../platform/supply-risk/risk-jobs.js';
import { lazyPortfolioWorkerPool } from '../platform/supply-risk/portfolio-worker-pool.js';
import { jobQueueOf, rescoreAfterImport } from '../platform/supply-risk/risk-rescore.subscriber.js';
import { supplyImportJobs } from '../platform/supply/import.service.js';
import { restoreAllSuspendedIndexes } from '../platform/supply/bulk-indexes.js';
import { supplyImportServices } from './import.commands.js';
import { inRootSpan } from '../platform/telemetry/tracing.js';

/** Every engine's background tasks and schedules, merged into one graphile-worker task list. */
export function jobSchedule(rt: Runtime, flightCompute: FlightCompute, now: () => Date, log: JobLog): JobSchedule {
  const blobs = createFileBlobStore(join(rt.config.dataDir, 'blobs'));
  const parts: JobSchedule[] = [
    platformJobs({ appPool: rt.appPool, signingKey: rt.signingKey, auditCheckpointCron: rt.config.auditCheckpointCron, now, log }),
    // Decoding and analysis run on the flight compute thread, not on the job runner's (or the API's) event loop.
    flightJobs({ appPool: rt.appPool, blobs, compute: flightCompute, blobGcGraceSeconds: rt.config.flightBlobGcGraceSeconds, now, log }),
    flightAnalysisJobs({ appPool: rt.appPool, blobs, compute: flightCompute, now, log }),
    // Full re-scores (above POOL_THRESHOLD items) run on scoring threads, not on the job runner's event loop.
    supplyRiskJobs({ appPool: rt.appPool, now, log, workers: lazyPortfolioWorkerPool() }),
    supplyImportJobs({
      appPool: rt.appPool, services: supplyImportServices(rt), now, log,
      onImported: (tenantId, imp, startedAt, addJob) =>
        rescoreAfterImport(jobQueueOf(addJob), tenantId, (imp.report.entities ?? {}) as Record<string, { inserted: number; updated: number }>, startedAt, `import:${imp.id}`),
    }),
  ];
  const tasks: TaskList = Object.assign({}, ...parts.map((p) => p.tasks)) as TaskList;
  return { tasks: traced(tasks), cron: parts.flatMap((p) => p.cron) };
}

/** Each job run is a root span (when tracing is configured): its tenant transactions appear beneath it. */
function traced(tasks: TaskList): TaskList {
  return Object.fromEntries(Object.entries(tasks).map(([name, task]) => [name, ((payload, helpers) =>
    inRootSpan(`job ${name}`, { 'skyguard.job.task': name, 'skyguard.job.id': helpers.job.id, 'skyguard.job.attempt': helpers.job.attempts }, async () => {
      await task!(payload, helpers);
    })) satisfies NonNullable<TaskList[string]>]));
}

export async function startJobs(rt: Runtime, flightCompute: FlightCompute, now: () => Date, log: JobLog): Promise<Runner> {
  // Indexes an import suspended and never restored (it crashed and was not retried) come back first.
  const restored = await restoreAllSuspendedIndexes(rt.ownerPool);
  if (restored > 0) log(`restored ${restored} index(es) a bulk import had suspended`);
  const runner = await startJobRunner(rt.ownerPool, jobSchedule(rt, flightCompute, now, log), log);
  // A new release may bring a new analysis engine: queue re-analysis of older analyses at once, not at the next cron tick.
  await runner.addJob(FLIGHT_ANALYSIS_SWEEP_TASK, {}, { jobKey: FLIGHT_ANALYSIS_SWEEP_TASK });
  return runner;
}
