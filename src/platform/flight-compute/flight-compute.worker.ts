/**
 * The flight compute thread: runs `startComputation` for each run its owner starts, acknowledging every
 * chunk (the owner keeps only a few in flight, so a 1 GiB log never piles up in this thread's memory) and
 * replying with the result, its large arrays moved rather than copied.
 */
import { parentPort } from 'node:worker_threads';
import { FlightDecodeError } from '../../flight/formats/index.js';
import { startComputation, type FlightComputation, type FlightComputeTask } from './flight-computation.js';
import { transferablesOf, type FromComputeThread, type ToComputeThread } from './flight-compute.protocol.js';

const port = parentPort;
if (port) {
  const runs = new Map<number, FlightComputation<FlightComputeTask> | 'failed'>();
  const fail = (run: number, error: unknown): void => {
    runs.set(run, 'failed');
    const message = error instanceof Error ? error.message : String(error);
    const decodeFailure = error instanceof FlightDecodeError ? { code: error.code, message, offset: error.offset, format: error.format } : undefined;
    port.postMessage({ type: 'failed', run, message, ...(decodeFailure ? { decodeFailure } : {}) } satisfies FromComputeThread);
  };
  port.on('message', (m: ToComputeThread) => {
    if (m.type === 'start') {
      try {
        runs.set(m.run, startComputation(m.task, m.format, m.sizeBytes, ...m.input));
      } catch (error) {
        fail(m.run, error);
      }
      return;
    }
    const computation = runs.get(m.run);
    if (m.type === 'abort' || computation === undefined) {
      runs.delete(m.run);
      return;
    }
    if (m.type === 'chunk') {
      // After a failure the owner may still have chunks in flight: they are acknowledged and dropped.
      if (computation !== 'failed') {
        try {
          computation.push(m.bytes);
        } catch (error) {
          fail(m.run, error);
        }
      }
      port.postMessage({ type: 'ack', run: m.run } satisfies FromComputeThread);
      return;
    }
    runs.delete(m.run);
    if (computation === 'failed') return;
    try {
      const result = computation.finish();
      port.postMessage({ type: 'done', run: m.run, result } satisfies FromComputeThread, transferablesOf(result));
    } catch (error) {
      fail(m.run, error);
      runs.delete(m.run);
    }
  });
}
