/**
 * Windowed views over signals that every check shares: samples inside a set of intervals,
 * percentiles, sustained runs and interval arithmetic. Checks judge in-flight percentiles and
 * sustained durations, never single-sample maxima (the main source of false positives in the
 * public tools, see shared/reference/flight-log-analysis.md §8.3).
 */
import type { Interval, Signal } from '../signals/flight-signals.js';
import type { TimeRange } from '../report/report.js';

export interface Samples {
  readonly t: number[];
  readonly v: number[];
}

/** Finite samples whose time lies in one of the (sorted, disjoint) intervals. Linear in the signal length. */
export function samplesWithin(signal: Signal | undefined, intervals: readonly Interval[]): Samples {
  const t: number[] = [];
  const v: number[] = [];
  if (!signal || intervals.length === 0) return { t, v };
  let k = 0;
  for (let i = 0; i < signal.t.length; i++) {
    const ti = signal.t[i]!;
    while (k < intervals.length && intervals[k]!.end < ti) k++;
    if (k >= intervals.length) break;
    const value = signal.v[i]!;
    if (ti >= intervals[k]!.start && Number.isFinite(value)) {
      t.push(ti);
      v.push(value);
    }
  }
  return { t, v };
}

/** Linear-interpolated percentile (p in 0–100) of finite values; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const pos = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export function mean(values: readonly number[]): number {
  let sum = 0;
  let n = 0;
  for (const x of values)
    if (Number.isFinite(x)) {
      sum += x;
      n++;
    }
  return n ? sum / n : NaN;
}

export function stdDev(values: readonly number[]): number {
  const m = mean(values);
  let sum = 0;
  let n = 0;
  for (const x of values)
    if (Number.isFinite(x)) {
      sum += (x - m) ** 2;
      n++;
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
