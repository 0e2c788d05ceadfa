/**
 * Windowed views over signals that every check shares: samples inside a set of intervals,
 * percentiles, sustained runs and interval arithmetic. Checks judge in-flight percentiles and
 * sustained durations, never single-sample maxima (the main source of false positives in the
 * public tools, see shared/reference/flight-log-analysis.md §8.3).
 */
import type { Interval, Signal } from '../signals/flight-signals.js';
import type { TimeRange } from '../report/report.js';

/** Time-ordered samples: `t` ascending, `v` the value at each time. */
export interface Samples<T extends ArrayLike<number> = ArrayLike<number>> {
  readonly t: T;
  readonly v: T;
}

/**
 * Samples of a signal inside a set of intervals. The arrays may be views into the signal's own
 * arrays (no copy when one interval holds only finite values): read them, never write to them.
 */
export type SignalWindow = Samples<Float64Array>;

const EMPTY_WINDOW: SignalWindow = { t: new Float64Array(0), v: new Float64Array(0) };

/** First index in [from, to) whose time is > x (`t` ascending). */
function upperBound(t: Float64Array, x: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [from, to) whose time is ≥ x (`t` ascending). */
function lowerBound(t: Float64Array, x: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Finite samples whose time lies in one of the (sorted, disjoint) intervals. Binary search per
 * interval (a signal's `t` is ascending), so a long flight costs what the window holds, not the whole
 * signal; a sample on the boundary of two touching intervals is taken once.
 */
export function samplesWithin(signal: Signal | undefined, intervals: readonly Interval[]): SignalWindow {
  if (!signal || intervals.length === 0) return EMPTY_WINDOW;
  const { t, v } = signal;
  // Index ranges [from, to): interval k takes the samples after the previous interval's that are ≤ its end.
  const ranges: number[] = [];
  let finite = 0;
  let next = 0;
  for (let k = 0; k < intervals.length && next < t.length; k++) {
    const to = upperBound(t, intervals[k]!.end, next, t.length);
    if (to === next) continue;
    const from = lowerBound(t, intervals[k]!.start, next, to);
    for (let i = from; i < to; i++) if (Number.isFinite(v[i]!)) finite++;
    if (to > from) ranges.push(from, to);
    next = to;
  }
  if (finite === 0) return EMPTY_WINDOW;
  if (ranges.length === 2 && finite === ranges[1]! - ranges[0]!) {
    return { t: t.subarray(ranges[0], ranges[1]), v: v.subarray(ranges[0], ranges[1]) };
  }
  const outT = new Float64Array(finite);
  const outV = new Float64Array(finite);
  let n = 0;
  for (let r = 0; r < ranges.length; r += 2) {
    for (let i = ranges[r]!; i < ranges[r + 1]!; i++) {
      const value = v[i]!;
      if (!Number.isFinite(value)) continue;
      outT[n] = t[i]!;
      outV[n++] = value;
    }
  }
  return { t: outT, v: outV };
}

/** The finite values, copied (the selection below reorders its input). */
function finiteCopy(values: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) n++;
  const out = new Float64Array(n);
  n = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isFinite(x)) out[n++] = x;
  }
  return out;
}

/**
 * Reorders `a` so that `a[k]` is the k-th smallest value, everything before it ≤ and everything
 * after it ≥ (quickselect, median-of-three pivots; expected linear). Falls back to a full sort of the
 * remaining range if partitioning stops shrinking it (adversarial input), so it is never quadratic.
 */
function select(a: Float64Array, k: number): void {
  let left = 0;
  let right = a.length - 1;
  let budget = 2 * Math.ceil(Math.log2(a.length + 1)) + 8;
  while (right > left) {
    if (budget-- === 0) {
      a.subarray(left, right + 1).sort();
      return;
    }
    const mid = (left + right) >>> 1;
    // Median of three as pivot, also placed so the scans below stop inside the range.
    if (a[mid]! < a[left]!) swap(a, mid, left);
    if (a[right]! < a[left]!) swap(a, right, left);
    if (a[right]! < a[mid]!) swap(a, right, mid);
    const pivot = a[mid]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const x = a[i]!;
  a[i] = a[j]!;
  a[j] = x;
}

/** Percentile of values already reduced to finite ones; reorders `a`. */
function percentileOfFinite(a: Float64Array, p: number): number {
  const n = a.length;
  if (n === 0) return NaN;
  const pos = ((n - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  select(a, lo);
  const low = a[lo]!;
  if (hi === lo) return low;
  // After selecting lo, the next order statistic is the smallest value to its right.
  let high = a[hi]!;
  for (let i = hi + 1; i < n; i++) if (a[i]! < high) high = a[i]!;
  return low + (high - low) * (pos - lo);
}

/**
 * Linear-interpolated percentile (p in 0–100) of the finite values; NaN when there are none.
 * Selection on a typed copy, not a sort: the same order statistics in linear time.
 */
export function percentile(values: ArrayLike<number>, p: number): number {
  return percentileOfFinite(finiteCopy(values), p);
}

/** Several percentiles of the same values, with one copy. */
export function percentiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
  const a = finiteCopy(values);
  return ps.map((p) => percentileOfFinite(a, p));
}

export const median = (values: ArrayLike<number>): number => percentile(values, 50);

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isFinite(x)) {
      sum += x;
      n++;
    }
  }
  return n ? sum / n : NaN;
}

export function stdDev(values: ArrayLike<number>): number {
  const m = mean(values);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isFinite(x)) {
      sum += (x - m) ** 2;
      n++;
    }
  }
  return n > 1 ? Math.sqrt(sum / (n - 1)) : NaN;
}

/**
 * Runs where `pred` holds on consecutive samples, as time ranges; a run lasts from its first true
 * sample to the first false sample after it (or its last sample). Runs shorter than `minS` are dropped.
 * A gap in the samples longer than `maxGapS` ends a run (data missing is not evidence).
 */
export function sustainedRuns(s: Samples, pred: (v: number) => boolean, minS: number, maxGapS = 2): TimeRange[] {
  const out: TimeRange[] = [];
  let start: number | undefined;
  let last = NaN;
  const close = (end: number): void => {
    if (start !== undefined && end - start >= minS) out.push({ start, end });
    start = undefined;
  };
  for (let i = 0; i < s.t.length; i++) {
    const t = s.t[i]!;
    if (start !== undefined && t - last > maxGapS) close(last);
    if (pred(s.v[i]!)) {
      if (start === undefined) start = t;
    } else close(t);
    last = t;
  }
  if (start !== undefined) close(last);
  return out;
}

export function totalS(intervals: readonly Interval[]): number {
  return intervals.reduce((sum, iv) => sum + Math.max(0, iv.end - iv.start), 0);
}

/** Shrinks every interval by `head` at its start and `tail` at its end, dropping what vanishes. */
export function trim(intervals: readonly Interval[], head: number, tail: number): Interval[] {
  return intervals
    .map((iv) => ({ start: iv.start + head, end: iv.end - tail }))
    .filter((iv) => iv.end - iv.start > 0);
}

/** a minus b, both sorted and disjoint. */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of a) {
    let pieces: Interval[] = [x];
    for (const y of b) {
      pieces = pieces.flatMap((p) => {
        if (y.end <= p.start || y.start >= p.end) return [p];
        const keep: Interval[] = [];
        if (y.start > p.start) keep.push({ start: p.start, end: y.start });
        if (y.end < p.end) keep.push({ start: y.end, end: p.end });
        return keep;
      });
    }
    out.push(...pieces);
  }
  return out;
}

export function contains(intervals: readonly Interval[], t: number): boolean {
  return intervals.some((iv) => t >= iv.start && t <= iv.end);
}

/** Merges ranges closer than `gap` and keeps at most `max` of them (the longest), time-ordered. */
export function compactRanges(ranges: readonly TimeRange[], gap = 1, max = 10): TimeRange[] {
  const merged: TimeRange[] = [];
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last && r.start - last.end <= gap) merged[merged.length - 1] = { ...last, end: Math.max(last.end, r.end) };
    else merged.push(r);
  }
  return merged
    .sort((a, b) => b.end - b.start - (a.end - a.start))
    .slice(0, max)
    .sort((a, b) => a.start - b.start);
}

/** Rounds for evidence: finite numbers to 4 significant digits, NaN/Infinity to null. */
export function round(x: number, digits = 4): number | null {
  if (!Number.isFinite(x)) return null;
  if (x === 0) return 0;
  return Number(x.toPrecision(digits));
}
