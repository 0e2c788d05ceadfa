/**
 * How a signal is laid out for storage: a pyramid of resolutions, each cut into fixed-size chunks of
 * little-endian float64 time and value arrays with per-chunk statistics.
 *
 * - Level 0 holds every sample. Levels 1–3 are min/max envelopes, each ~8× smaller than the one
 *   below (see {@link LEVEL_BUCKETS}), built only while the level below is large. Because min/max
 *   composes, a plot of a whole long flight reads a few hundred kilobytes from level 2 or 1 instead
 *   of the raw samples, and the extremes are still exact.
 * - Chunks hold {@link CHUNK_POINTS} points, so a window reads only the chunks whose `[tStart, tEnd]`
 *   overlaps it, and a 4,000-point window of raw data touches one or two chunks.
 * - float64 everywhere: latitude/longitude need it (float32 has ~1 m resolution at 1e-7 degrees).
 */
import { envelopeBySamples, type Series } from './signal-downsample.js';

export const CHUNK_POINTS = 4096;
/**
 * Bucket size (in points of the level below) of each envelope level above raw: ≤ 2 points per bucket
 * of 16, so each level has ~1/8 of the points below it (raw ÷8, ÷64, ÷512; ~14 % extra storage).
 */
export const LEVEL_BUCKETS: readonly number[] = [16, 16, 16];
/** A level above raw is built only when the level below has more points than this. */
export const LEVEL_MIN_POINTS = 8192;

export interface SignalChunk {
  readonly level: number;
  readonly seq: number;
  readonly tStart: number;
  readonly tEnd: number;
  readonly n: number;
  /** Over finite values; null when the chunk has none. */
  readonly vMin: number | null;
  readonly vMax: number | null;
  readonly vFirst: number;
  readonly vLast: number;
  readonly t: Uint8Array;
  readonly v: Uint8Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Little-endian bytes of a float64 array (a copy). */
export function encodeFloat64(a: Float64Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(a.slice().buffer);
  const out = new Uint8Array(a.length * 8);
  const view = new DataView(out.buffer);
  a.forEach((x, i) => view.setFloat64(i * 8, x, true));
  return out;
}

/** Reverses {@link encodeFloat64}; copes with unaligned input (database drivers return any offset). */
export function decodeFloat64(bytes: Uint8Array): Float64Array {
  if (bytes.length % 8 !== 0) throw new RangeError(`float64 array of ${bytes.length} bytes is not a multiple of 8`);
  const n = bytes.length / 8;
  if (LITTLE_ENDIAN) {
    if (bytes.byteOffset % 8 === 0) return new Float64Array(bytes.buffer, bytes.byteOffset, n).slice();
    return new Float64Array(bytes.slice().buffer, 0, n);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

/** The resolution pyramid of a signal: `[raw, envelope1?, envelope2?, envelope3?]`. */
export function buildLevels(raw: Series): Series[] {
  const levels: Series[] = [raw];
  for (const bucket of LEVEL_BUCKETS) {
    const below = levels.at(-1)!;
    if (below.t.length <= LEVEL_MIN_POINTS) break;
    levels.push(envelopeBySamples(below, bucket));
  }
  return levels;
}

/** Cuts one level into chunks with their statistics. */
export function chunkLevel(s: Series, level: number, chunkPoints = CHUNK_POINTS): SignalChunk[] {
  const chunks: SignalChunk[] = [];
  for (let start = 0, seq = 0; start < s.t.length; start += chunkPoints, seq++) {
    const t = s.t.subarray(start, start + chunkPoints);
    const v = s.v.subarray(start, start + chunkPoints);
    let min = Infinity;
    let max = -Infinity;
    for (const x of v) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
    chunks.push({
      level, seq, tStart: t[0]!, tEnd: t[t.length - 1]!, n: t.length,
      vMin: min === Infinity ? null : min, vMax: max === -Infinity ? null : max,
      vFirst: v[0]!, vLast: v[v.length - 1]!,
      t: encodeFloat64(t), v: encodeFloat64(v),
    });
  }
  return chunks;
}

/** Every chunk of every level of a signal, and the point count per level. */
export function encodeSignal(raw: Series, chunkPoints = CHUNK_POINTS): { chunks: SignalChunk[]; levelCounts: number[] } {
  const levels = buildLevels(raw);
  return {
    chunks: levels.flatMap((s, level) => chunkLevel(s, level, chunkPoints)),
    levelCounts: levels.map((s) => s.t.length),
  };
}

/** Concatenates decoded chunks (in seq order) back into one series. */
export function joinChunks(parts: readonly { t: Uint8Array; v: Uint8Array }[]): Series {
  const ts = parts.map((p) => decodeFloat64(p.t));
  const vs = parts.map((p) => decodeFloat64(p.v));
  const n = ts.reduce((sum, a) => sum + a.length, 0);
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  let at = 0;
  ts.forEach((a, i) => {
    t.set(a, at);
    v.set(vs[i]!, at);
    at += a.length;
  });
  return { t, v };
}

/**
 * The coarsest stored level that still has at least `wanted` points in a window covering `fraction`
 * of the signal's time span (level counts are spread evenly enough over time for this estimate).
 * Asking for `maxPoints` is enough for exact min/max output: every output bucket then spans at least
 * one envelope bucket, and the envelope keeps each bucket's real extreme samples.
 */
export function chooseLevel(levelCounts: readonly number[], fraction: number, wanted: number): number {
  for (let level = levelCounts.length - 1; level > 0; level--) {
    if (levelCounts[level]! * fraction >= wanted) return level;
  }
  return 0;
}
