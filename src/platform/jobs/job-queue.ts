import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import type { Pool } from '../db/pool.js';

export interface EnqueueOptions {
  /** Replaces a pending job with the same key instead of adding a second one (idempotent enqueue). */
  readonly jobKey?: string;
  readonly maxAttempts?: number;
  readonly runAt?: Date;
  /** Jobs in one named queue run one at a time, in order. */
  readonly queue?: string;
}

/** The port through which HTTP handlers and jobs ask for background work. */
export interface JobQueue {
  enqueue(task: string, payload: Record<string, unknown>, options?: EnqueueOptions): Promise<void>;
  close(): Promise<void>;
}

/** A queue on graphile-worker's tables in the same PostgreSQL (owner pool: it owns that schema). */
export function createJobQueue(ownerPool: Pool): JobQueue {
  let utils: Promise<WorkerUtils> | undefined;
  const ready = (): Promise<WorkerUtils> => {
    utils ??= makeWorkerUtils({ pgPool: ownerPool }).then(async (u) => {
      await u.migrate();
      return u;
    });
    return utils;
  };
  return {
    async enqueue(task, payload, options = {}) {
      const u = await ready();
      await addJobSurely(() =>
        u.addJob(task, payload, {
          ...(options.jobKey ? { jobKey: options.jobKey } : {}),
          ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
          ...(options.runAt ? { runAt: options.runAt } : {}),
          ...(options.queue ? { queueName: options.queue } : {}),
        }),
      );
    },
    async close() {
      if (utils) await (await utils).release();
    },
  };
}

const ADD_JOB_TRIES = 5;

/**
 * graphile-worker's `add_job` with a job key first clears the key of a job that is already running,
 * then upserts `ON CONFLICT (key) … WHERE locked_at IS NULL`. When a worker locks the pending job with
 * that key between the two statements, the upsert matches no row and nothing is added: the call
 * returns a job whose id is null. For coalesced work (a burst of stock changes merged into one pending
 * job) that silently lost the changes of the burst. Trying again is safe and succeeds: the key now
 * belongs to a running job, so the next call clears it and inserts a new job.
 */
export async function addJobSurely(add: () => Promise<{ readonly id?: unknown } | null | undefined>): Promise<void> {
  for (let attempt = 1; attempt <= ADD_JOB_TRIES; attempt++) {
    const job = await add();
    if (job?.id !== null && job?.id !== undefined) return;
  }
  throw new Error(`a keyed job was not added after ${ADD_JOB_TRIES} tries (its pending job kept being locked by a worker)`);
}
