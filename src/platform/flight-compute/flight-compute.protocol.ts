/** Messages between the flight compute thread and its owner (one run = start, chunks, end → result). */
import type { LogFormat } from '../../flight/formats/index.js';
import type { FlightComputeInputArgs, FlightComputeResults, FlightComputeTask } from './flight-computation.js';

export type ToComputeThread =
  | { readonly type: 'start'; readonly run: number; readonly task: FlightComputeTask; readonly format: LogFormat; readonly sizeBytes: number; readonly input: FlightComputeInputArgs<FlightComputeTask> }
  | { readonly type: 'chunk'; readonly run: number; readonly bytes: Uint8Array }
  | { readonly type: 'end'; readonly run: number }
  | { readonly type: 'abort'; readonly run: number };

/** A decoder refusal crosses the thread boundary as data and is rebuilt as a `FlightDecodeError`. */
export interface DecodeFailure {
  readonly code: string;
  readonly message: string;
  readonly offset: number;
  readonly format: string;
}

export type FromComputeThread =
  | { readonly type: 'ack'; readonly run: number }
  | { readonly type: 'done'; readonly run: number; readonly result: FlightComputeResults[FlightComputeTask] }
  | { readonly type: 'failed'; readonly run: number; readonly decodeFailure?: DecodeFailure; readonly message: string };

/**
 * The large ArrayBuffers under a result, to move instead of copy. Buffers of up to Node's Buffer pool size
 * are left to be cloned: a small Buffer may share the pool, which must never be detached.
 */
export function transferablesOf(value: unknown, found = new Set<ArrayBuffer>(), seen = new Set<object>()): ArrayBuffer[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return [...found];
  seen.add(value);
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer && value.buffer.byteLength > Buffer.poolSize) found.add(value.buffer);
  } else if (value instanceof Map) {
    for (const v of value.values()) transferablesOf(v, found, seen);
  } else {
    for (const v of Object.values(value)) transferablesOf(v, found, seen);
  }
  return [...found];
}
