/**
 * Where the flight engine's CPU-heavy work runs. A long-running process uses the compute thread
 * (flight-compute.thread.ts) so that decoding or analysing a large log never stalls the API's event loop;
 * `inlineFlightCompute` runs the same computations on the caller's thread (tests, one-shot tools).
 */
import type { LogFormat } from '../../flight/formats/index.js';
import { startComputation, type FlightComputeInputArgs, type FlightComputeResults, type FlightComputeTask } from './flight-computation.js';

export interface FlightCompute {
  /** Streams a stored log through `task`. Rejects with `FlightDecodeError` for a file the decoder refuses. */
  run<T extends FlightComputeTask>(task: T, format: LogFormat, sizeBytes: number, bytes: AsyncIterable<Uint8Array>, ...input: FlightComputeInputArgs<T>): Promise<FlightComputeResults[T]>;
  close(): Promise<void>;
}

export function inlineFlightCompute(): FlightCompute {
  return {
    async run(task, format, sizeBytes, bytes, ...input) {
      const computation = startComputation(task, format, sizeBytes, ...input);
      for await (const chunk of bytes) computation.push(chunk);
      return computation.finish();
    },
    async close() {},
  };
}
