import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { allocateScores, type ItemError, type PortfolioScores } from '../../supply/portfolio/portfolio-scorer.js';
import { partitionBySupplier } from '../../supply/portfolio/portfolio-partition.js';
import type { PortfolioInput, PortfolioOptions } from '../../supply/portfolio/portfolio-input.js';
import type { SliceRequest, SliceResponse } from './portfolio.worker.js';

export interface PoolResult {
  readonly scores: PortfolioScores;
  readonly errors: readonly ItemError[];
  readonly rejectedEvents: readonly { eventId: string; field: string; rule: string }[];
  readonly leadTimes: number;
}

/** Scores whole portfolios on worker threads; keep one per process (threads start once). */
export interface PortfolioWorkerPool {
  readonly size: number;
  score(input: PortfolioInput, options?: PortfolioOptions): Promise<PoolResult>;
  close(): Promise<void>;
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './portfolio.worker.ts' : './portfolio.worker.js', import.meta.url);

/** Worker threads do not inherit tsx's loader: from source, the worker registers it first. */
function startWorker(): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL);
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(code, { eval: true });
}

/**
 * A pool of `size` scoring threads (default: the machine's available parallelism). Items are
 * partitioned by supplier so each thread builds only its own suppliers' lead times; inputs should be
 * SharedArrayBuffer-backed (PortfolioItemsBuilder with `shared`) or they are copied to every thread.
 */
export function createPortfolioWorkerPool(size = os.availableParallelism(), options: { unref?: boolean } = {}): PortfolioWorkerPool {
  const workers = Array.from({ length: Math.max(1, size) }, () => startWorker());
  if (options.unref) for (const w of workers) w.unref();
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: SliceResponse) => void; reject: (e: Error) => void }>();
  for (const w of workers) {
    w.on('message', (m: SliceResponse) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      p?.resolve(m);
    });
    w.on('error', (e) => {
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
  }
  const send = (w: Worker, req: Omit<SliceRequest, 'id'>): Promise<SliceResponse> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      w.postMessage({ ...req, id });
    });
  return {
    size: workers.length,
    async score(input, options = {}) {
      const { order, bounds } = partitionBySupplier(input.items, input.suppliers.nodes.length, workers.length, true);
      const out = allocateScores(input.items.count, true);
      const replies = await Promise.all(
        workers.map((w, k) => send(w, { input, options, order, from: bounds[k]!, to: bounds[k + 1]!, out })),
      );
      const errors: ItemError[] = [];
      let leadTimes = 0;
      let rejectedEvents: PoolResult['rejectedEvents'] = [];
      for (const r of replies) {
        if (!r.ok) throw new Error(`portfolio scoring thread failed: ${r.message}`);
        errors.push(...r.report.errors);
        leadTimes += r.report.leadTimes;
        rejectedEvents = r.report.rejectedEvents;
      }
      return { scores: out, errors, rejectedEvents, leadTimes };
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * The pool a long-running process keeps: its threads start on the first `score` (a process that never
 * runs a large re-score never pays for them), then stay warm, unref'd so that idle threads never keep
 * the process alive.
 */
export function lazyPortfolioWorkerPool(size = os.availableParallelism()): PortfolioWorkerPool {
  let pool: PortfolioWorkerPool | undefined;
  return {
    size,
    score: (input, options) => (pool ??= createPortfolioWorkerPool(size, { unref: true })).score(input, options),
    async close() {
      await pool?.close();
      pool = undefined;
    },
  };
}
