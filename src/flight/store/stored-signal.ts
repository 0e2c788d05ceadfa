/**
 * A named signal made ready for storage: its plot-level chunks (signal-chunk.codec.ts) and the catalogue
 * facts the signals API lists without reading chunks. Pure and CPU-heavy, so the decode job runs it on the
 * flight compute thread; the repository only writes the result.
 */
import { encodeSignal, type SignalChunk } from './signal-chunk.codec.js';
import type { NamedSignal } from './signal-catalog.js';

/** What the signals API lists about a stored signal without reading its chunks. */
export interface StoredSignalFacts {
  readonly name: string;
  readonly unit: string;
  readonly source: string;
  readonly samples: number;
  readonly start: number;
  readonly end: number;
  /** Over the finite raw values; null when there are none. */
  readonly min: number | null;
  readonly max: number | null;
  readonly levelCounts: number[];
}

export interface StoredSignal extends StoredSignalFacts {
  readonly chunks: SignalChunk[];
}

export function toStoredSignal({ name, signal }: NamedSignal): StoredSignal {
  const { chunks, levelCounts } = encodeSignal({ t: signal.t, v: signal.v });
  let min = Infinity;
  let max = -Infinity;
  for (const c of chunks) {
    if (c.level !== 0) continue;
    if (c.vMin !== null && c.vMin < min) min = c.vMin;
    if (c.vMax !== null && c.vMax > max) max = c.vMax;
  }
  return {
    name, unit: signal.unit, source: signal.source, samples: signal.t.length,
    start: signal.t[0]!, end: signal.t[signal.t.length - 1]!,
    min: Number.isFinite(min) ? min : null, max: Number.isFinite(max) ? max : null,
    levelCounts, chunks,
  };
}
