import { Logger, run, parseCronItems, type Runner, type TaskList } from 'graphile-worker';
import type { Pool } from '../db/pool.js';
import type { SigningKey } from '../audit/audit-checkpoint.js';
import { writeCheckpoints } from '../audit/audit-checkpoint.js';

export interface JobDeps {
  /** Owner pool: graphile-worker manages its own schema. */
  readonly ownerPool: Pool;
  /** Runtime pool for tenant work. */
  readonly appPool: Pool;
  readonly signingKey: SigningKey;
  readonly auditCheckpointCron: string;
  readonly now: () => Date;
  readonly log: (msg: string, extra?: Record<string, unknown>) => void;
}

/** Every background task of the platform. Engines add theirs here as they land. */
export function taskList(deps: JobDeps): TaskList {
  return {
    audit_checkpoint: async () => {
      const n = await writeCheckpoints(deps.appPool, deps.signingKey, deps.now());
      if (n > 0) deps.log('audit checkpoints written', { tenants: n });
    },
  };
}

/**
 * Starts a graphile-worker runner on the same PostgreSQL (jobs survive restarts and are picked up by
 * whichever process is running: in-process by default, `skyguard worker` processes to scale out).
 */
export async function startJobRunner(deps: JobDeps, concurrency = 2): Promise<Runner> {
  return run({
    pgPool: deps.ownerPool,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList: taskList(deps),
    parsedCronItems: parseCronItems([{ task: 'audit_checkpoint', match: deps.auditCheckpointCron, identifier: 'audit_checkpoint', options: { backfillPeriod: 0 } }]),
    // Route graphile-worker's own messages into our structured log instead of the console.
    logger: new Logger(() => (level, message) => {
      if (['error', 'warning'].includes(level)) deps.log(`jobs: ${message}`, { level });
    }),
  });
}
