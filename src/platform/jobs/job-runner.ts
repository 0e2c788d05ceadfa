import { Logger, run, parseCronItems, type CronItem, type Runner, type TaskList } from 'graphile-worker';
import type { Pool } from '../db/pool.js';
import type { SigningKey } from '../audit/audit-checkpoint.js';
import { writeCheckpoints } from '../audit/audit-checkpoint.js';

export type JobLog = (msg: string, extra?: Record<string, unknown>) => void;

export interface PlatformTaskDeps {
  /** Runtime pool for tenant work. */
  readonly appPool: Pool;
  readonly signingKey: SigningKey;
  readonly auditCheckpointCron: string;
  readonly now: () => Date;
  readonly log: JobLog;
}

export interface JobSchedule {
  readonly tasks: TaskList;
  readonly cron: readonly CronItem[];
}

/** The platform's own background work: signed audit checkpoints on a schedule. */
export function platformJobs(deps: PlatformTaskDeps): JobSchedule {
  return {
    tasks: {
      audit_checkpoint: async () => {
        const n = await writeCheckpoints(deps.appPool, deps.signingKey, deps.now());
        if (n > 0) deps.log('audit checkpoints written', { tenants: n });
      },
    },
    cron: [{ task: 'audit_checkpoint', match: deps.auditCheckpointCron, identifier: 'audit_checkpoint', options: { backfillPeriod: 0 } }],
  };
}

/**
 * Starts a graphile-worker runner on the same PostgreSQL (jobs survive restarts and are picked up by
 * whichever process is running: in-process by default, `skyguard worker` processes to scale out).
 * `ownerPool`: graphile-worker manages its own schema.
 */
export async function startJobRunner(ownerPool: Pool, schedule: JobSchedule, log: JobLog, concurrency = 2): Promise<Runner> {
  return run({
    pgPool: ownerPool,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList: schedule.tasks,
    parsedCronItems: parseCronItems([...schedule.cron]),
    // Route graphile-worker's own messages into our structured log instead of the console.
    logger: new Logger(() => (level, message) => {
      if (['error', 'warning'].includes(level)) log(`jobs: ${message}`, { level });
    }),
  });
}
