/**
 * Downsampling for plots. Two methods:
 *
 * - **min/max buckets** (the default of the signals API): the window is cut into `maxPoints / 2`
 *   equal time buckets and each keeps its minimum and its maximum sample, in time order. It never
 *   hides a spike — a vibration peak, a voltage sag, a one-sample attitude glitch stays visible at
 *   any zoom, which is what a safety review needs. Min/max is also composable: the min/max of
 *   envelopes is the envelope of the raw data, so precomputed coarse levels give exact answers.
 * - **LTTB** (largest-triangle-three-buckets): keeps the visually most significant point per
 *   bucket; smoother-looking lines at the same point count, but it may drop an isolated extreme.
 *
 * Non-finite values (NaN = "no valid value") are skipped when choosing extremes; a bucket with no
 * finite value keeps its first sample so the gap stays visible.
 */

export interface Series {
  readonly t: Float64Array;
  readonly v: Float64Array;
}

/** Index of the first sample with `t >= time` (t ascending). */
export function lowerBound(t: Float64Array, time: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index one past the last sample with `t <= time`. */
export function upperBound(t: Float64Array, time: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The samples with `from <= t <= to` (views, no copy). */
export function sliceWindow(s: Series, from: number, to: number): Series {
  const a = lowerBound(s.t, from);
  const b = upperBound(s.t, to);
  return { t: s.t.subarray(a, Math.max(a, b)), v: s.v.subarray(a, Math.max(a, b)) };
}

class PointBuffer {
  private n = 0;
  readonly t: Float64Array;
  readonly v: Float64Array;
  constructor(capacity: number) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
  }
  push(t: number, v: number): void {
    this.t[this.n] = t;
    this.v[this.n] = v;
    this.n++;
  }
  result(): Series {
    return { t: this.t.slice(0, this.n), v: this.v.slice(0, this.n) };
  }
}

/**
 * Min/max envelope of the whole series in buckets of `bucketSize` samples (index-based, used to build
 * the stored coarse levels). At most 2 points per bucket.
 */
export function envelopeBySamples(s: Series, bucketSize: number): Series {
  if (bucketSize < 1 || !Number.isInteger(bucketSize)) throw new RangeError('bucketSize must be a positive integer');
  const n = s.t.length;
  const out = new PointBuffer(2 * Math.ceil(n / bucketSize));
  for (let start = 0; start < n; start += bucketSize) emitMinMax(s, start, Math.min(n, start + bucketSize), out);
  return out.result();
}

function emitMinMax(s: Series, a: number, b: number, out: PointBuffer): void {
  let iMin = -1;
  let iMax = -1;
  for (let i = a; i < b; i++) {
    const x = s.v[i]!;
    if (Number.isNaN(x)) continue;
    if (iMin < 0 || x < s.v[iMin]!) iMin = i;
    if (iMax < 0 || x > s.v[iMax]!) iMax = i;
  }
  if (iMin < 0) {
    out.push(s.t[a]!, s.v[a]!);
    return;
  }
  const first = Math.min(iMin, iMax);
  const second = Math.max(iMin, iMax);
  out.push(s.t[first]!, s.v[first]!);
  if (second !== first) out.push(s.t[second]!, s.v[second]!);
}

/**
 * Min/max downsampling over `[from, to]` into `floor(maxPoints / 2)` equal time buckets. Returns the
 * series unchanged (sliced to the window) when it already has at most `maxPoints` samples.
 */
export function minMaxDownsample(s: Series, from: number, to: number, maxPoints: number): Series {
  const w = sliceWindow(s, from, to);
  const n = w.t.length;
  if (n <= maxPoints) return { t: w.t.slice(), v: w.v.slice() };
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const t0 = w.t[0]!;
  const span = w.t[n - 1]! - t0;
  const out = new PointBuffer(2 * buckets);
  if (!(span > 0)) {
    emitMinMax(w, 0, n, out);
    return out.result();
  }
  let start = 0;
  for (let b = 0; b < buckets && start < n; b++) {
    const edge = b === buckets - 1 ? Infinity : t0 + (span * (b + 1)) / buckets;
    let end = start;
    while (end < n && w.t[end]! < edge) end++;
    if (end > start) emitMinMax(w, start, end, out);
    start = end;
  }
  return out.result();
}

/**
 * Largest-triangle-three-buckets over the whole series: keeps the first and last samples and, per
 * bucket, the sample forming the largest triangle with the previous kept sample and the next
 * bucket's mean. Non-finite values are treated as not selectable.
 */
export function lttbDownsample(s: Series, maxPoints: number): Series {
  const n = s.t.length;
  if (maxPoints < 3 || n <= maxPoints) {
    if (n <= maxPoints) return { t: s.t.slice(), v: s.v.slice() };
    // Fewer than 3 points: first and last only.
    return { t: Float64Array.of(s.t[0]!, s.t[n - 1]!).subarray(0, maxPoints), v: Float64Array.of(s.v[0]!, s.v[n - 1]!).subarray(0, maxPoints) };
  }
  const out = new PointBuffer(maxPoints);
  const every = (n - 2) / (maxPoints - 2);
  let a = 0;
  out.push(s.t[0]!, s.v[0]!);
  for (let i = 0; i < maxPoints - 2; i++) {
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(n, Math.floor((i + 2) * every) + 1);
    let avgT = 0;
    let avgV = 0;
    let count = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      if (!Number.isFinite(s.v[j])) continue;
      avgT += s.t[j]!;
      avgV += s.v[j]!;
      count++;
    }
    if (count === 0) {
      avgT = s.t[Math.min(n - 1, nextStart)]!;
      avgV = s.v[a]!;
    } else {
      avgT /= count;
      avgV /= count;
    }
    const start = Math.floor(i * every) + 1;
    const end = Math.min(n - 1, Math.floor((i + 1) * every) + 1);
    const at = s.t[a]!;
    const av = Number.isFinite(s.v[a]) ? s.v[a]! : avgV;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const v = s.v[j]!;
      if (!Number.isFinite(v)) continue;
      const area = Math.abs((at - avgT) * (v - av) - (at - s.t[j]!) * (avgV - av));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(s.t[best]!, s.v[best]!);
    a = best;
  }
  out.push(s.t[n - 1]!, s.v[n - 1]!);
  return out.result();
}
