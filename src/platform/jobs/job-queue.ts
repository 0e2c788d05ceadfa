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
      await u.addJob(task, payload, {
        ...(options.jobKey ? { jobKey: options.jobKey } : {}),
        ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
        ...(options.runAt ? { runAt: options.runAt } : {}),
        ...(options.queue ? { queueName: options.queue } : {}),
      });
    },
    async close() {
      if (utils) await (await utils).release();
    },
  };
}
