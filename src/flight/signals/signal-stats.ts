/**
 * Small summaries over signals that checks and tests share: extent and the median inside intervals
 * (e.g. hover motor medians over flying time, which LogAnalyzer's "Motor Balance" compares).
 */
import type { Interval, Signal } from './flight-signals.js';

export function extent(signal: Signal | undefined): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of signal?.v ?? []) {
    if (!Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { min, max };
}

/** Median of the finite samples whose time lies inside one of the intervals; NaN when none does. */
export function medianWithin(signal: Signal, intervals: readonly Interval[]): number {
  const values: number[] = [];
  signal.t.forEach((t, i) => {
    const v = signal.v[i]!;
    if (Number.isFinite(v) && intervals.some((iv) => t >= iv.start && t <= iv.end)) values.push(v);
  });
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] ?? NaN;
}
