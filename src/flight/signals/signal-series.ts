/**
 * Building blocks the adapters share: finding series, turning columns into clean {@link Signal}s,
 * and deriving intervals and segments from step-like state series.
 *
 * Cleaning rules live here so every adapter applies the same ones: non-finite timestamps are
 * dropped, stray timestamps far from the bulk (a UTC-stamped sample in a boot-time log) are dropped,
 * and samples are sorted by time when the log stored them out of order.
 */
import type { DecodedLog, DecodedSeries } from '../formats/decoded-log.js';
import type { Interval, ModeSegment, Signal } from './flight-signals.js';

/** Samples further than this from the series' median time are stray clock values, not data (28 h). */
const STRAY_TIME_S = 1e5;

export function findSeries(log: DecodedLog, topic: string, instance?: number): DecodedSeries | undefined {
  return log.series.find((s) => s.topic === topic && (instance === undefined || s.instance === instance));
}

/** All instances of a topic, ordered by instance. */
export function allInstances(log: DecodedLog, topic: string): DecodedSeries[] {
  return log.series.filter((s) => s.topic === topic).sort((a, b) => a.instance - b.instance);
}

export function firstSeries(log: DecodedLog, topics: readonly string[]): DecodedSeries | undefined {
  for (const topic of topics) {
    const s = allInstances(log, topic)[0];
    if (s) return s;
  }
  return undefined;
}

export function numericColumn(series: DecodedSeries | undefined, field: string): Float64Array | undefined {
  const col = series?.columns.get(field);
  return col instanceof Float64Array ? col : undefined;
}

export function hasField(series: DecodedSeries | undefined, field: string): boolean {
  return numericColumn(series, field) !== undefined;
}

/**
 * The same timestamp column feeds every field of a series, so its clean order is computed once.
 * Keyed weakly by the column: it lives exactly as long as the decoded log.
 */
const orderCache = new WeakMap<Float64Array, Int32Array>();
/** Clean orders that keep every sample in place (0, 1, …, n−1): the column needs no reordering. */
const identityOrders = new WeakSet<Int32Array>();

/** Sample order that drops non-finite and stray timestamps and sorts ascending (stable). */
export function cleanOrder(t: Float64Array): Int32Array {
  let order = orderCache.get(t);
  if (!order) {
    order = computeCleanOrder(t);
    orderCache.set(t, order);
  }
  return order;
}

function computeCleanOrder(t: Float64Array): Int32Array {
  const finite = new Int32Array(t.length);
  let n = 0;
  let ordered = true;
  let previous = -Infinity;
  for (let i = 0; i < t.length; i++) {
    const x = t[i]!;
    if (!Number.isFinite(x)) continue;
    if (x < previous) ordered = false;
    previous = x;
    finite[n++] = i;
  }
  if (n === 0) return finite.subarray(0, 0);
  // Sorted input (the common case) has its median in the middle; only disordered logs pay for a sort.
  let median: number;
  if (ordered) median = t[finite[n >> 1]!]!;
  else {
    const times = new Float64Array(n);
    for (let k = 0; k < n; k++) times[k] = t[finite[k]!]!;
    median = times.sort()[n >> 1]!;
  }
  let kept = 0;
  for (let k = 0; k < n; k++) {
    const i = finite[k]!;
    if (Math.abs(t[i]! - median) <= STRAY_TIME_S) finite[kept++] = i;
  }
  const order = finite.subarray(0, kept);
  if (!ordered) order.sort((a, b) => t[a]! - t[b]! || a - b);
  else if (kept === t.length) identityOrders.add(order);
  return order;
}

export interface SignalSpec {
  readonly name: string;
  readonly unit: string;
  readonly source: string;
  /** Applied to every value; return NaN to mark a sample invalid. */
  readonly map?: (value: number, index: number) => number;
}

/**
 * A signal from raw time/value arrays; `undefined` when no sample has a finite time and value.
 * When the clean order keeps every sample in place (an ordered log), the signal shares the input
 * arrays instead of copying them (values too when there is no `map`): signals are read-only.
 */
export function buildSignal(t: Float64Array, v: Float64Array, spec: SignalSpec): Signal | undefined {
  const order = cleanOrder(t);
  const map = spec.map;
  if (identityOrders.has(order) && v.length === t.length) {
    let vv = v;
    if (map) {
      vv = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) vv[i] = map(v[i]!, i);
    }
    for (let i = 0; i < vv.length; i++) {
      if (Number.isFinite(vv[i]!)) return { name: spec.name, unit: spec.unit, source: spec.source, t, v: vv };
    }
    return undefined;
  }
  const tt = new Float64Array(order.length);
  const vv = new Float64Array(order.length);
  let anyValue = false;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    tt[k] = t[i]!;
    const value = map ? map(v[i]!, i) : v[i]!;
    vv[k] = value;
    if (Number.isFinite(value)) anyValue = true;
  }
  if (!anyValue) return undefined;
  return { name: spec.name, unit: spec.unit, source: spec.source, t: tt, v: vv };
}

/** A signal from one numeric field of a series. */
export function fieldSignal(
  series: DecodedSeries | undefined,
  field: string,
  spec: Omit<SignalSpec, 'source'> & { readonly source?: string },
): Signal | undefined {
  const col = numericColumn(series, field);
  if (!series || !col) return undefined;
  const source = spec.source ?? `${series.topic}${series.instance ? `[${series.instance}]` : ''}.${field}`;
  return buildSignal(series.timestamps, col, { ...spec, source });
}

/** First field present among alternatives (firmware eras rename fields). */
export function firstField(series: DecodedSeries | undefined, fields: readonly string[]): string | undefined {
  return fields.find((f) => hasField(series, f));
}

export const DEG = Math.PI / 180;
export const degToRad = (v: number): number => v * DEG;

/** True when every finite value equals `value` (or there is none). */
export function allEqual(v: Float64Array, value: number): boolean {
  for (const x of v) if (Number.isFinite(x) && x !== value) return false;
  return true;
}

export function isConstant(v: Float64Array): boolean {
  let first: number | undefined;
  for (const x of v) {
    if (!Number.isFinite(x)) continue;
    if (first === undefined) first = x;
    else if (x !== first) return false;
  }
  return true;
}

export function maxOf(v: Float64Array): number {
  let m = -Infinity;
  for (const x of v) if (x > m) m = x;
  return m;
}

/**
 * Intervals where `pred` holds on a step-like state signal: each run of true samples lasts until the
 * next false sample, or until `end` when the state is still true at the last sample.
 */
export function intervalsWhere(signal: Signal, pred: (value: number) => boolean, end: number): Interval[] {
  const out: Interval[] = [];
  let start: number | undefined;
  for (let i = 0; i < signal.t.length; i++) {
    const value = signal.v[i]!;
    if (!Number.isFinite(value)) continue;
    const on = pred(value);
    if (on && start === undefined) start = signal.t[i]!;
    else if (!on && start !== undefined) {
      out.push({ start, end: signal.t[i]! });
      start = undefined;
    }
  }
  if (start !== undefined) out.push({ start, end: Math.max(end, start) });
  return out;
}

/** Intervals from on/off edges (arm/disarm events); an initial off edge implies on since `start`. */
export function intervalsFromEdges(
  edges: readonly { time: number; on: boolean }[],
  start: number,
  end: number,
): Interval[] {
  const sorted = [...edges].sort((a, b) => a.time - b.time);
  const out: Interval[] = [];
  let since: number | undefined = sorted[0] && !sorted[0].on ? start : undefined;
  for (const e of sorted) {
    if (e.on && since === undefined) since = e.time;
    else if (!e.on && since !== undefined) {
      out.push({ start: since, end: e.time });
      since = undefined;
    }
  }
  if (since !== undefined) out.push({ start: since, end: Math.max(end, since) });
  return out;
}

/** Intersection of two interval lists (both sorted, non-overlapping). */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of a)
    for (const y of b) {
      const start = Math.max(x.start, y.start);
      const end = Math.min(x.end, y.end);
      if (end > start) out.push({ start, end });
    }
  return out.sort((p, q) => p.start - q.start);
}

/** Closes gaps shorter than `gap` and drops intervals shorter than `min` (debounce). */
export function tidyIntervals(list: readonly Interval[], gap: number, min: number): Interval[] {
  const merged: Interval[] = [];
  for (const iv of [...list].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last && iv.start - last.end <= gap)
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, iv.end) };
    else merged.push(iv);
  }
  return merged.filter((iv) => iv.end - iv.start >= min);
}

/** Mode segments from (time, mode) changes; a segment lasts until the next change or `end`. */
export function segmentsFrom(
  changes: readonly { time: number; mode: number }[],
  end: number,
  name: (mode: number) => string,
): ModeSegment[] {
  const sorted = [...changes].filter((c) => Number.isFinite(c.time) && Number.isFinite(c.mode));
  sorted.sort((a, b) => a.time - b.time);
  const out: ModeSegment[] = [];
  for (const c of sorted) {
    const last = out[out.length - 1];
    if (last && last.mode === c.mode) continue;
    if (last) out[out.length - 1] = { ...last, end: c.time };
    out.push({ start: c.time, end: Math.max(end, c.time), mode: c.mode, name: name(c.mode) });
  }
  return out;
}

/** Time range over a set of signals. */
export function rangeOf(signals: readonly (Signal | undefined)[]): Interval | undefined {
  let start = Infinity;
  let end = -Infinity;
  for (const s of signals) {
    if (!s || s.t.length === 0) continue;
    start = Math.min(start, s.t[0]!);
    end = Math.max(end, s.t[s.t.length - 1]!);
  }
  return Number.isFinite(start) ? { start, end } : undefined;
}

/** Robust time range of a whole log: per series, cleaned first/last, then min/max over series. */
export function logTimeRange(log: DecodedLog): Interval | undefined {
  let start = Infinity;
  let end = -Infinity;
  for (const s of log.series) {
    const order = cleanOrder(s.timestamps);
    if (order.length < 2) continue;
    start = Math.min(start, s.timestamps[order[0]!]!);
    end = Math.max(end, s.timestamps[order[order.length - 1]!]!);
  }
  return Number.isFinite(start) ? { start, end } : undefined;
}

/** Value of a step signal at time `t` (last sample at or before `t`); NaN before the first sample. */
export function valueAt(signal: Signal, t: number): number {
  let lo = 0;
  let hi = signal.t.length - 1;
  if (hi < 0 || t < signal.t[0]!) return NaN;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (signal.t[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return signal.v[lo]!;
}

/**
 * Output channels that carry information: never all-zero, and non-constant unless the whole group is
 * constant (then the non-zero constant channels are servos at trim and are kept).
 */
export function usefulChannels(channels: readonly Signal[]): Signal[] {
  const live = channels.filter((c) => !allEqual(c.v, 0));
  const varying = live.filter((c) => !isConstant(c.v));
  return varying.length > 0 ? varying : live;
}
