/**
 * Min/max decimation to the plot width: per pixel column the smallest and the largest sample, in time
 * order. A 50 MiB log has millions of samples per signal; the browser (and Chromium printing a PDF)
 * only needs two per column to draw exactly the same envelope, so spikes are never lost the way they
 * are with every-n-th sampling. Gaps stay gaps: a NaN sample or a jump in time much larger than the
 * signal's usual interval (a dropout) ends the line, marked by a NaN in the output.
 */
export interface Decimated {
  readonly t: Float64Array;
  /** NaN separates line runs. */
  readonly v: Float64Array;
}

export interface DecimateOptions {
  readonly x0: number;
  readonly x1: number;
  /** Number of columns (pixels) across [x0, x1]. */
  readonly buckets: number;
  /** Time step above which the line is broken; default max(20 × median step, 2 s). */
  readonly gapS?: number;
}

function defaultGap(t: ArrayLike<number>): number {
  const n = Math.min(t.length, 501);
  if (n < 3) return Infinity;
  const d: number[] = [];
  for (let i = 1; i < n; i++) d.push(t[i]! - t[i - 1]!);
  d.sort((a, b) => a - b);
  return Math.max(20 * d[d.length >> 1]!, 2);
}

export function decimateMinMax(t: ArrayLike<number>, v: ArrayLike<number>, o: DecimateOptions): Decimated {
  const outT: number[] = [];
  const outV: number[] = [];
  const span = o.x1 - o.x0;
  const buckets = Math.max(1, Math.floor(o.buckets));
  if (!(span > 0) || t.length === 0) return { t: new Float64Array(), v: new Float64Array() };
  const gap = o.gapS ?? defaultGap(t);
  let bucket = -1;
  let minI = -1;
  let maxI = -1;
  let prevT = NaN;
  let broken = false;
  const flush = (): void => {
    if (minI < 0) return;
    const [a, b] = minI <= maxI ? [minI, maxI] : [maxI, minI];
    outT.push(t[a]!);
    outV.push(v[a]!);
    if (b !== a) {
      outT.push(t[b]!);
      outV.push(v[b]!);
    }
    minI = maxI = -1;
  };
  const breakLine = (at: number): void => {
    flush();
    if (outV.length > 0 && !Number.isNaN(outV[outV.length - 1]!)) {
      outT.push(at);
      outV.push(NaN);
    }
  };
  for (let i = 0; i < t.length; i++) {
    const ti = t[i]!;
    if (ti < o.x0 || ti > o.x1) continue;
    const vi = v[i]!;
    if (!Number.isFinite(vi) || !Number.isFinite(ti)) {
      broken = true;
      continue;
    }
    if (broken || ti - prevT > gap) breakLine(ti);
    broken = false;
    prevT = ti;
    const b = Math.min(buckets - 1, Math.floor(((ti - o.x0) / span) * buckets));
    if (b !== bucket) {
      flush();
      bucket = b;
    }
    if (minI < 0) minI = maxI = i;
    else if (vi < v[minI]!) minI = i;
    else if (vi > v[maxI]!) maxI = i;
  }
  flush();
  return { t: Float64Array.from(outT), v: Float64Array.from(outV) };
}
