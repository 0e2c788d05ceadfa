/**
 * A fuzz campaign: cases [0, cases) of one seed, split over worker threads, each case watched by a
 * byte-proportional time budget and a heap limit. A case that throws anything but FlightDecodeError,
 * breaks an invariant, overruns its budget or runs out of memory is a failure, reported with the seed
 * and case index that replay it (`scripts/fuzz-flight.ts --seed S --replay I`).
 */
import { Worker } from 'node:worker_threads';
import type { CaseOutcome } from './fuzz-case.js';
import type { WorkerInput, WorkerMessage } from './fuzz.worker.js';

export interface CampaignOptions {
  readonly seed: number;
  readonly cases: number;
  readonly workers?: number;
  /** Heap limit per worker; a case beyond it fails as out of memory. */
  readonly maxHeapMb?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface CampaignReport {
  readonly seed: number;
  readonly cases: number;
  readonly decoded: number;
  readonly rejected: number;
  readonly failures: readonly CaseOutcome[];
  readonly outcomes: ReadonlyMap<string, number>;
  readonly corpus: readonly string[];
  readonly missing: readonly string[];
  readonly durationMs: number;
}

/** Time a case may take: generous (≈40 KiB/s worst case) so only hangs and blow-ups trip it. */
export function caseBudgetMs(bytes: number): number {
  return 3000 + (bytes / 1024) * 25;
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './fuzz.worker.ts' : './fuzz.worker.js', import.meta.url);

/** Worker threads do not inherit tsx's loader, so from source the worker registers it first. */
function startWorker(workerData: WorkerInput, maxHeapMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: maxHeapMb };
  if (!FROM_SOURCE) return new Worker(WORKER_URL, { workerData, resourceLimits });
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(code, { eval: true, workerData, resourceLimits });
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const started = Date.now();
  const workers = Math.max(1, Math.min(options.workers ?? 2, options.cases));
  const failures: CaseOutcome[] = [];
  const outcomes = new Map<string, number>();
  let decoded = 0;
  let rejected = 0;
  let done = 0;
  let corpus: readonly string[] = [];
  let missing: readonly string[] = [];

  const runRange = (start: number, end: number): Promise<void> =>
    new Promise((resolve, reject) => {
      let startError: Error | undefined;
      let current: Extract<WorkerMessage, { type: 'start' }> | undefined;
      let next = start;
      let settled = false;
      let worker: Worker;
      let watchdog: NodeJS.Timeout;

      const fail = (reason: string): void => {
        if (current === undefined) {
          failures.push({
            index: next,
            input: '?',
            mutation: '?',
            bytes: 0,
            result: 'failed',
            failure: `worker died between cases: ${reason}`,
          });
          next++;
        } else {
          failures.push({
            index: current.index,
            input: current.input,
            mutation: current.mutation,
            bytes: current.bytes,
            result: 'failed',
            failure: reason,
          });
          next = current.index + 1;
        }
        done++;
        current = undefined;
      };

      const spawn = (): void => {
        if (next >= end) {
          settled = true;
          resolve();
          return;
        }
        const input: WorkerInput = { seed: options.seed, start: next, end };
        worker = startWorker(input, options.maxHeapMb ?? 1024);
        let finished = false;
        let ready = false;
        worker.on('message', (message: WorkerMessage) => {
          if (message.type === 'ready') {
            ready = true;
            corpus = message.corpus;
            missing = message.missing;
          } else if (message.type === 'start') current = message;
          else if (message.type === 'done') {
            const o = message.outcome;
            const key = `${o.result}${o.completeness ? ` ${o.completeness}` : ''}`;
            outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
            if (o.result === 'decoded') decoded++;
            else if (o.result === 'rejected') rejected++;
            else failures.push(o);
            done++;
            next = o.index + 1;
            current = undefined;
            options.onProgress?.(done, options.cases);
          } else {
            finished = true;
          }
        });
        worker.on('error', (error) => {
          if (!ready) startError = error;
          else fail(`worker error (${error.name}: ${error.message})`);
        });
        worker.on('exit', () => {
          clearInterval(watchdog);
          if (settled) return;
          if (!ready) {
            // The worker could not even load: an environment problem, not a case failure.
            settled = true;
            reject(startError ?? new Error('fuzz worker exited before it was ready'));
            return;
          }
          if (!finished && current !== undefined) fail('worker exited during the case');
          if (finished && next >= end) {
            settled = true;
            resolve();
          } else spawn();
        });
        watchdog = setInterval(() => {
          if (current === undefined) return;
          const budget = caseBudgetMs(current.bytes);
          const elapsed = Date.now() - current.at;
          if (elapsed > budget) {
            fail(
              `timeout: still running after ${elapsed} ms (budget ${Math.round(budget)} ms for ${current.bytes} bytes)`,
            );
            void worker.terminate();
          }
        }, 50);
      };
      spawn();
    });

  const per = Math.ceil(options.cases / workers);
  const ranges: Promise<void>[] = [];
  for (let w = 0; w < workers; w++) {
    const start = w * per;
    const end = Math.min(options.cases, start + per);
    if (start < end) ranges.push(runRange(start, end));
  }
  await Promise.all(ranges);
  failures.sort((a, b) => a.index - b.index);
  return {
    seed: options.seed,
    cases: options.cases,
    decoded,
    rejected,
    failures,
    outcomes,
    corpus,
    missing,
    durationMs: Date.now() - started,
  };
}

/** One line per failure with what replays it. */
export function describeFailure(seed: number, f: CaseOutcome): string {
  const first = (f.failure ?? '').split('\n').slice(0, 4).join(' | ');
  return `seed ${seed} case ${f.index} [${f.input}; ${f.mutation}; ${f.bytes} B]: ${first}`;
}
