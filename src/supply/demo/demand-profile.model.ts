import { normalCdf } from '../risk/numeric.js';
import type { DemoRandom } from './demo-random.js';
import { RAF_FIT } from './raf-demand.fit.js';

/**
 * Where a generated part's demand comes from. Two sources, both shaped by the RAF consumable-spares
 * data (5,000 real series, 84 months; ../shared/mrodata/SOURCES.md):
 *
 * - `resampled`: a real RAF row, chosen at random, read through a circular window at a random
 *   offset. Used when the RAF file is given at generation time (it cannot be shipped).
 * - `fitted`: a parametric model fitted to RAF by `scripts/fit-demo-demand.ts`, whose constants are
 *   committed in `raf-demand.fit.ts`. Per part, a Gaussian copula draws five correlated traits —
 *   monthly demand probability p, mean non-zero size m, size CV², lead time and unit price — each
 *   with RAF's empirical marginal (quantile table). Each month then has a demand with probability p
 *   (Bernoulli occurrence) of size 1 + NegBin(mean m − 1, variance CV²·m²).
 */
export interface DemandProfile {
  readonly source: 'fitted' | 'resampled';
  /** Probability that a month has any demand. */
  readonly occurrence: number;
  /** Mean size of a non-zero demand, units (≥ 1). */
  readonly meanSize: number;
  /** Squared coefficient of variation of non-zero sizes. */
  readonly sizeCv2: number;
  readonly leadTimeMonths: number;
  /** RAF price level (GBP, 1996–2002); the generator converts it to today's USD. */
  readonly unitPriceGbp: number;
  /** The RAF item the series was resampled from (resampled only). */
  readonly rafItem?: string;
  /** The RAF item's noun, e.g. "BLEED VALVE" (resampled only). */
  readonly rafDescription?: string;
}

/** One real RAF row, as read from the CSV by the caller (the engine does no I/O). */
export interface RafSeries {
  readonly id: string;
  readonly description: string;
  readonly leadTimeMonths: number;
  readonly unitPriceGbp: number;
  readonly values: ArrayLike<number>;
}

/** The fitted constants (shape of `raf-demand.fit.ts`); a parameter so the fit script can try candidates. */
export interface DemandFit {
  readonly grid: readonly number[];
  readonly quantiles: Readonly<Record<'occurrence' | 'meanSize' | 'sizeCv2' | 'leadTimeMonths' | 'unitPriceGbp', readonly number[]>>;
  readonly cholesky: readonly (readonly number[])[];
  /**
   * Sample CV² of a few skewed sizes underestimates the CV² they were drawn with; the size variance
   * is scaled by this factor (found by the fit script) so drawn series show RAF's class mix.
   */
  readonly sizeVarianceScale: number;
}

/** Linear interpolation in a quantile table (probabilities `grid`). */
function quantileAt(grid: readonly number[], table: readonly number[], u: number): number {
  let lo = 0;
  let hi = grid.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (grid[mid]! <= u) lo = mid;
    else hi = mid;
  }
  const g0 = grid[lo]!;
  const g1 = grid[hi]!;
  const t = g1 > g0 ? Math.min(1, Math.max(0, (u - g0) / (g1 - g0))) : 0;
  return table[lo]! + t * (table[hi]! - table[lo]!);
}

/** Correlated standard normals z = L·ε with L the Cholesky factor of the fitted score correlation. */
function correlatedNormals(rng: DemoRandom, L: readonly (readonly number[])[]): number[] {
  const eps = L.map(() => rng.normal());
  return L.map((row) => row.reduce((sum, l, j) => sum + l * eps[j]!, 0));
}

/** Draws one part's traits from the fitted copula. */
export function drawFittedProfile(rng: DemoRandom, fit: DemandFit = RAF_FIT): DemandProfile {
  const [zp, zm, zc, zl, zr] = correlatedNormals(rng, fit.cholesky) as [number, number, number, number, number];
  const q = fit.quantiles;
  const quantile = (table: readonly number[], u: number): number => quantileAt(fit.grid, table, u);
  return {
    source: 'fitted',
    occurrence: quantile(q.occurrence, normalCdf(zp)),
    meanSize: Math.max(1, quantile(q.meanSize, normalCdf(zm))),
    sizeCv2: Math.max(0, quantile(q.sizeCv2, normalCdf(zc))),
    leadTimeMonths: Math.round(quantile(q.leadTimeMonths, normalCdf(zl))),
    unitPriceGbp: quantile(q.unitPriceGbp, normalCdf(zr)),
  };
}

/** A profile for a real RAF row (its own occurrence, sizes, lead time and price). */
export function profileOfRafSeries(s: RafSeries): DemandProfile {
  let n = 0;
  let k = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < s.values.length; i++) {
    const v = s.values[i]!;
    if (Number.isNaN(v)) continue;
    n++;
    if (v > 0) {
      k++;
      sum += v;
      sumSq += v * v;
    }
  }
  const mean = k > 0 ? sum / k : 1;
  const variance = k > 1 ? (sumSq - k * mean * mean) / (k - 1) : 0;
  return {
    source: 'resampled', occurrence: n > 0 ? k / n : 0, meanSize: mean, sizeCv2: variance / (mean * mean),
    leadTimeMonths: s.leadTimeMonths, unitPriceGbp: s.unitPriceGbp, rafItem: s.id, rafDescription: s.description,
  };
}

/** Monthly demand from the fitted model: Bernoulli occurrence × (1 + negative-binomial size). */
export function drawFittedSeries(rng: DemoRandom, profile: DemandProfile, months: number, fit: DemandFit = RAF_FIT): Int32Array {
  const out = new Int32Array(months);
  const extraMean = profile.meanSize - 1;
  const variance = fit.sizeVarianceScale * profile.sizeCv2 * profile.meanSize * profile.meanSize;
  for (let t = 0; t < months; t++) {
    if (rng.next() < profile.occurrence) out[t] = 1 + rng.negBinomial(extraMean, variance);
  }
  return out;
}

/**
 * A real series read circularly from a random offset: keeps the series' own zeros, sizes and their
 * order (so its ADI/CV² class), while two parts resampled from one RAF row still differ in timing.
 */
export function resampleSeries(rng: DemoRandom, s: RafSeries, months: number): Int32Array {
  const n = s.values.length;
  const out = new Int32Array(months);
  if (n === 0) return out;
  const offset = rng.int(n);
  for (let t = 0; t < months; t++) {
    const v = s.values[(offset + t) % n]!;
    out[t] = Number.isFinite(v) && v > 0 ? Math.round(v) : 0;
  }
  return out;
}
