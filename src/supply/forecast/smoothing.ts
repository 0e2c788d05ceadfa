/**
 * The smoothing kernels behind the point forecasts. Every function reads a history of finite,
 * non-negative demands (missing observations already removed, returns already clamped to zero)
 * in time order and allocates nothing, so fitting costs one pass over the history.
 *
 * Initialisation follows the convention of SOURCES.md ("matches statsforecast"): an SES level
 * starts at the first value; Croston's first interval counts from the series start (1-based index of
 * the first demand); TSB smooths the occurrence indicator over all periods and the sizes over the
 * demand periods, each starting at its first value.
 */

/** The final SES level of `y` with level₀ = y₀ — the flat forecast. NaN for an empty history. */
export function sesLevel(y: ArrayLike<number>, alpha: number): number {
  const n = y.length;
  if (n === 0) return Number.NaN;
  let level = y[0]!;
  for (let i = 1; i < n; i++) level += alpha * (y[i]! - level);
  return level;
}

/**
 * In-sample one-step SSE of SES with level₀ = y₀: the forecast of y_i is the level after y_{i−1}
 * (so the first error is y₁ − y₀). This is the criterion ADIDA's α search minimises.
 */
export function sesSse(y: ArrayLike<number>, alpha: number): number {
  const n = y.length;
  if (n < 2) return 0;
  let level = y[0]!;
  let sse = 0;
  for (let i = 1; i < n; i++) {
    const e = y[i]! - level;
    sse += e * e;
    level += alpha * e;
  }
  return sse;
}

const INV_PHI = (Math.sqrt(5) - 1) / 2;

/**
 * α in [lo, hi] minimising `sesSse` — golden-section search after a coarse grid, so a non-convex
 * SSE (rare with short aggregated series) still lands on the global minimum to 1e-7.
 */
export function optimalSesAlpha(y: ArrayLike<number>, lo = 0.1, hi = 0.3): number {
  const steps = 20;
  let best = lo;
  let bestSse = Number.POSITIVE_INFINITY;
  for (let i = 0; i <= steps; i++) {
    const a = lo + ((hi - lo) * i) / steps;
    const s = sesSse(y, a);
    if (s < bestSse) {
      bestSse = s;
      best = a;
    }
  }
  let a = Math.max(lo, best - (hi - lo) / steps);
  let b = Math.min(hi, best + (hi - lo) / steps);
  let c = b - INV_PHI * (b - a);
  let d = a + INV_PHI * (b - a);
  let fc = sesSse(y, c);
  let fd = sesSse(y, d);
  while (b - a > 1e-7) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - INV_PHI * (b - a);
      fc = sesSse(y, c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + INV_PHI * (b - a);
      fd = sesSse(y, d);
    }
  }
  const mid = (a + b) / 2;
  return sesSse(y, mid) <= bestSse ? mid : best;
}

/** Croston's smoothed size ẑ and interval p̂ (both SES, α), or undefined without any demand. */
export interface CrostonState {
  readonly size: number;
  readonly interval: number;
  readonly demands: number;
}

export function crostonState(y: ArrayLike<number>, alpha: number): CrostonState | undefined {
  let size = 0;
  let interval = 0;
  let demands = 0;
  let last = -1; // index of the previous demand; the first interval counts from the series start
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (v > 0) {
      const q = i - last;
      if (demands === 0) {
        size = v;
        interval = q;
      } else {
        size += alpha * (v - size);
        interval += alpha * (q - interval);
      }
      demands++;
      last = i;
    }
  }
  return demands === 0 ? undefined : { size, interval, demands };
}

/** Croston (1972): ẑ / p̂; zero for a history without demand. */
export function croston(y: ArrayLike<number>, alpha = 0.1): number {
  const s = crostonState(y, alpha);
  return s === undefined ? 0 : s.size / s.interval;
}

/** Syntetos–Boylan approximation (2005): Croston × (1 − α/2), the bias correction (0.95 at α = 0.1). */
export function sba(y: ArrayLike<number>, alpha = 0.1): number {
  return (1 - alpha / 2) * croston(y, alpha);
}

/**
 * Teunter–Syntetos–Babai (2011): the occurrence probability is smoothed every period (so it decays
 * through long runs of zeros — obsolescence), the size only at demands. Forecast = p̂ · ẑ.
 */
export function tsb(y: ArrayLike<number>, alphaD = 0.1, alphaP = 0.1): number {
  const n = y.length;
  if (n === 0) return 0;
  let p = y[0]! > 0 ? 1 : 0;
  let size = 0;
  let seen = false;
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    const occ = v > 0 ? 1 : 0;
    if (i > 0) p += alphaP * (occ - p);
    if (occ === 1) {
      if (!seen) {
        size = v;
        seen = true;
      } else size += alphaD * (v - size);
    }
  }
  return seen ? p * size : 0;
}

/**
 * ADIDA (Nikolopoulos et al. 2011): aggregate into non-overlapping buckets of k = round(mean
 * inter-demand interval) periods (the oldest `n mod k` periods are dropped so the last bucket ends
 * at the forecast origin), forecast the bucket totals with SES (α in [0.1, 0.3] by minimum SSE) and
 * spread the bucket forecast evenly over its k periods. `round` is half-to-even, as numpy's.
 */
export function adida(y: ArrayLike<number>): number {
  const n = y.length;
  let demands = 0;
  let lastIdx = -1;
  for (let i = 0; i < n; i++) {
    if (y[i]! > 0) {
      demands++;
      lastIdx = i;
    }
  }
  if (demands === 0) return 0;
  // Intervals count from the series start, so their sum is the 1-based index of the last demand.
  const k = Math.max(1, roundHalfEven((lastIdx + 1) / demands));
  const buckets = Math.floor(n / k);
  const skip = n - buckets * k;
  if (bucketSums.length < buckets) bucketSums = new Float64Array(buckets);
  const sums = bucketSums.subarray(0, buckets);
  for (let b = 0; b < buckets; b++) {
    let s = 0;
    const start = skip + b * k;
    for (let j = 0; j < k; j++) s += y[start + j]!;
    sums[b] = s;
  }
  const alpha = optimalSesAlpha(sums);
  return sesLevel(sums, alpha) / k;
}

// ADIDA's bucket totals, reused across calls (fitting runs per item in a 500,000-item re-score).
let bucketSums = new Float64Array(64);

/** Round half to even (banker's rounding), as Python's and numpy's `round`. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
