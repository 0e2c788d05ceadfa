/**
 * The flight compute thread's owner side: one thread per process, started on first use and restarted
 * after a crash (every run in progress then fails, and the jobs retry). The bytes of a run are copied
 * into their own buffers and moved to the thread with at most `MAX_CHUNKS_IN_FLIGHT` unacknowledged, so
 * the thread's memory holds a few chunks, not the file. The thread keeps the process alive only while
 * a run is in progress.
 */
import type { Worker } from 'node:worker_threads';
import { FlightDecodeError, type LogFormat } from '../../flight/formats/index.js';
import { startModuleWorker } from '../threads/module-worker.js';
import type { FlightCompute } from './flight-compute.js';
import type { FlightComputeInputArgs, FlightComputeResults, FlightComputeTask } from './flight-computation.js';
import type { FromComputeThread, ToComputeThread } from './flight-compute.protocol.js';

const MAX_CHUNKS_IN_FLIGHT = 4;
const WORKER_SOURCE = new URL('./flight-compute.worker.ts', import.meta.url);

interface Run {
  settled: boolean;
  inFlight: number;
  wake?: () => void;
  resolve(result: FlightComputeResults[FlightComputeTask]): void;
  reject(error: Error): void;
}

function failureOf(m: Extract<FromComputeThread, { type: 'failed' }>): Error {
  const f = m.decodeFailure;
  if (!f) return new Error(`flight compute thread: ${m.message}`);
  // The message already ends with the decoder's "(at byte N)", which the constructor adds again.
  return new FlightDecodeError(f.code, f.message.replace(/ \(at byte \d+\)$/, ''), f.offset, f.format as LogFormat);
}

export function threadFlightCompute(): FlightCompute {
  let worker: Worker | undefined;
  let nextRun = 1;
  const runs = new Map<number, Run>();

  const settle = (id: number, outcome: () => void): void => {
    const run = runs.get(id);
    if (!run) return;
    runs.delete(id);
    run.settled = true;
    run.wake?.();
    outcome();
    if (runs.size === 0) worker?.unref();
  };

  const thread = (): Worker => {
    if (worker) return worker;
    const w = startModuleWorker(WORKER_SOURCE);
    const lost = (error: Error): void => {
      if (worker !== w) return;
      worker = undefined;
      for (const [id, run] of [...runs]) settle(id, () => run.reject(error));
    };
    w.on('message', (m: FromComputeThread) => {
      const run = runs.get(m.run);
      if (!run) return;
      if (m.type === 'ack') {
        run.inFlight--;
        run.wake?.();
      } else if (m.type === 'done') settle(m.run, () => run.resolve(m.result));
      else settle(m.run, () => run.reject(failureOf(m)));
    });
    w.on('error', lost);
    w.on('exit', (code) => lost(new Error(`flight compute thread exited with code ${code}`)));
    worker = w;
    return w;
  };

  return {
    async run<T extends FlightComputeTask>(task: T, format: LogFormat, sizeBytes: number, bytes: AsyncIterable<Uint8Array>, ...input: FlightComputeInputArgs<T>): Promise<FlightComputeResults[T]> {
      const w = thread();
      const id = nextRun++;
      const send = (m: ToComputeThread, transfer: ArrayBuffer[] = []): void => w.postMessage(m, transfer);
      let run!: Run;
      const result = new Promise<FlightComputeResults[T]>((resolve, reject) => {
        run = { settled: false, inFlight: 0, resolve: resolve as Run['resolve'], reject };
      });
      // The thread may refuse the file while chunks are still being read: the rejection is awaited below.
      result.catch(() => undefined);
      runs.set(id, run);
      w.ref();
      send({ type: 'start', run: id, task, format, sizeBytes, input });
      try {
        for await (const chunk of bytes) {
          while (run.inFlight >= MAX_CHUNKS_IN_FLIGHT && !run.settled) await new Promise<void>((r) => (run.wake = r));
          if (run.settled) break;
          const own = new Uint8Array(chunk);
          run.inFlight++;
          send({ type: 'chunk', run: id, bytes: own }, [own.buffer]);
        }
        if (!run.settled) send({ type: 'end', run: id });
      } catch (readError) {
        send({ type: 'abort', run: id });
        settle(id, () => run.reject(readError as Error));
      }
      return result;
    },
    async close() {
      const w = worker;
      worker = undefined;
      for (const [id, run] of [...runs]) settle(id, () => run.reject(new Error('flight compute closed')));
      await w?.terminate();
    },
  };
}
