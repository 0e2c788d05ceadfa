import type { DemandDistribution } from '../demand-distribution.js';
import { logGamma, regularizedBeta, regularizedGammaP } from './special-functions.js';

/**
 * Closed-form demand over `τ` periods (τ real ≥ 0) from a point forecast μ per period:
 *
 *   E[D(τ)] = τ·μ,   Var[D(τ)] = τ·σ² + τ²·v
 *
 * σ² is the per-period demand variance (the sample variance of the history), v the variance of the
 * forecast level itself — it enters with τ² because the same mis-estimated level is used for every
 * period of a lead time (for SES-type estimators in steady state v = α/(2 − α)·σ²). When the variance
 * exceeds the mean D(τ) is negative binomial (r = m²/(V − m), p = m/V); otherwise Poisson(m); with
 * m = 0 it is a point mass at zero (the "zero forecast" — a forecast of nothing promises no risk).
 *
 * Fitting allocates one small object. `tailProbability` sums the pmf by its ratio recurrence up to
 * {@link MAX_SUMMED_UNITS} units (one `exp` plus a multiply-add per unit: several times cheaper than
 * the incomplete beta for the few units spares stock holds, and the risk engine asks for ~8 tails
 * per item over 500,000 items); beyond that, or when p₀ would underflow, it is the regularised
 * incomplete beta/gamma, O(1) in the number of units. Both agree to ~1e-12 relative (tests).
 */
export class MomentDemandDistribution implements DemandDistribution {
  readonly method: string;
  readonly meanPerPeriod: number;
  readonly variancePerPeriod: number;
  readonly demandVariance: number;
  readonly levelVariance: number;

  constructor(method: string, meanPerPeriod: number, demandVariance: number, levelVariance: number) {
    this.method = method;
    this.meanPerPeriod = Number.isFinite(meanPerPeriod) && meanPerPeriod > 0 ? meanPerPeriod : 0;
    this.demandVariance = Number.isFinite(demandVariance) && demandVariance > 0 ? demandVariance : 0;
    this.levelVariance = Number.isFinite(levelVariance) && levelVariance > 0 ? levelVariance : 0;
    this.variancePerPeriod = this.demandVariance + this.levelVariance;
  }

  /** Mean and variance of D(τ). */
  moments(periods: number): { mean: number; variance: number } {
    const t = periods > 0 ? periods : 0;
    return { mean: t * this.meanPerPeriod, variance: t * this.demandVariance + t * t * this.levelVariance };
  }

  /** `negbin` (r, p), `poisson` (λ) or `zero`, the family D(τ) falls into. */
  family(periods: number): { kind: 'zero' } | { kind: 'poisson'; lambda: number } | { kind: 'negbin'; r: number; p: number } {
    const { mean, variance } = this.moments(periods);
    if (!(mean > 0)) return { kind: 'zero' };
    if (variance <= mean * (1 + 1e-9)) return { kind: 'poisson', lambda: mean };
    return { kind: 'negbin', r: (mean * mean) / (variance - mean), p: mean / variance };
  }

  pmf(periods: number, maxUnits: number): Float64Array {
    const n = Math.max(0, Math.floor(maxUnits));
    const out = new Float64Array(n + 1);
    const f = this.family(periods);
    if (f.kind === 'zero') {
      out[0] = 1;
      return out;
    }
    // Log-domain recurrence from k = 0: no underflow of p₀ for large means.
    if (f.kind === 'poisson') {
      const lnL = Math.log(f.lambda);
      let lp = -f.lambda;
      for (let k = 0; k <= n; k++) {
        if (k > 0) lp += lnL - Math.log(k);
        out[k] = Math.exp(lp);
      }
      return out;
    }
    const { r, p } = f;
    const ln1p = Math.log1p(-p);
    let lp = r * Math.log(p);
    for (let k = 0; k <= n; k++) {
      if (k > 0) lp += Math.log((k - 1 + r) / k) + ln1p;
      out[k] = Math.exp(lp);
    }
    return out;
  }

  tailProbability(periods: number, units: number): number {
    if (units < 0) return 1;
    const u = Math.floor(units);
    if (!this.setFamily(periods)) return 0;
    if (u <= MAX_SUMMED_UNITS && sumPmf(u, u, false) === SUMMED) return sumTail;
    return closedFormTail(u);
  }

  /**
   * P(D > ⌊a⌋) and E[(a − D)⁺] over `periods` (a ≥ 0) in one pass over the pmf: the two numbers the
   * stockout loss function needs at each lead-time point (see DemandDistribution).
   */
  tailAndShortfall(periods: number, a: number, out: Float64Array): boolean {
    // O(a), like the pmf it replaces (no MAX_SUMMED_UNITS limit: the shortfall needs every term anyway).
    const u = Math.floor(a);
    if (!this.setFamily(periods)) {
      out[0] = 0;
      out[1] = a; // all mass at zero
      return true;
    }
    const summed = sumPmf(u, a, true);
    if (summed === UNDERFLOW) return false;
    out[0] = summed === SUMMED ? sumTail : closedFormTail(u);
    out[1] = sumBelow;
    return true;
  }

  /** Sets the module's family parameters for D(τ); false for the point mass at zero. */
  private setFamily(periods: number): boolean {
    const t = periods > 0 ? periods : 0;
    const mean = t * this.meanPerPeriod;
    if (!(mean > 0)) return false;
    const variance = t * this.demandVariance + t * t * this.levelVariance;
    // Same family boundaries as family(): Poisson when not over-dispersed.
    if (variance <= mean * (1 + 1e-9)) {
      famPoisson = true;
      famLambda = mean;
    } else {
      famPoisson = false;
      famR = (mean * mean) / (variance - mean);
      famP = mean / variance;
    }
    return true;
  }
}

/** Largest stock (units) whose tail is summed term by term rather than taken from the closed form. */
export const MAX_SUMMED_UNITS = 96;
/**
 * Below this a tail is summed upwards from ⌊a⌋ + 1: 1 − P(D ≤ ⌊a⌋) carries the CDF's absolute rounding
 * error (≈ u·ε, each recurrence term being off by ≈ k·ε), which relative to a tail of 0.05 stays under
 * 1e-12 for u ≤ 512.
 */
const DIRECT_TAIL_BELOW = 0.05;
/** Relative truncation error accepted for an upward tail sum (bounded geometrically). */
const TAIL_SUM_EPS = 1e-15;
/** An upward sum still going after this many terms (slowly decaying NB tails) gives way to the closed form. */
const MAX_TAIL_TERMS = 128;
/** ln p₀ below this would underflow p₀ (≈ e^−745) before the recurrence starts: use the closed form. */
const MIN_LOG_P0 = -700;

// Family of the distribution being evaluated and the results of sumPmf: module scratch, so the hot
// path allocates nothing (single-threaded per isolate; each worker thread has its own module).
let famPoisson = false;
let famLambda = 0;
let famR = 0;
let famP = 0;
let sumTail = 0;
let sumBelow = 0;

/** sumPmf outcomes: both sums done; p₀ underflows (nothing done); the shortfall done but not the tail. */
const SUMMED = 0;
const UNDERFLOW = 1;
const TAIL_NOT_CONVERGED = 2;

/**
 * Sums the pmf of the current family over k = 0..u with the ratio recurrence
 * P(k+1) = P(k)·(c + d·k)/(k + 1) (Poisson: c = λ, d = 0; NB: c = r(1−p), d = 1−p), setting sumTail =
 * P(D > u) and, when `below`, sumBelow = Σ_{k ≤ u} (a − k)·P(k). A small tail is then summed upwards
 * until the geometric bound on what is left drops under TAIL_SUM_EPS of it. The caller falls back to
 * the closed form when p₀ underflows (UNDERFLOW) or the upward sum does not converge quickly
 * (TAIL_NOT_CONVERGED: sumBelow is still set).
 */
function sumPmf(u: number, a: number, below: boolean): number {
  let logP0: number;
  let c: number;
  let d: number;
  if (famPoisson) {
    logP0 = -famLambda;
    c = famLambda;
    d = 0;
  } else {
    logP0 = famR * Math.log(famP);
    d = 1 - famP;
    c = famR * d;
  }
  if (logP0 < MIN_LOG_P0) return UNDERFLOW;
  let term = Math.exp(logP0);
  let cdf = 0;
  let shortfall = 0;
  for (let k = 0; k < u; k++) {
    cdf += term;
    if (below) shortfall += (a - k) * term;
    term *= (c + d * k) / (k + 1);
  }
  cdf += term;
  if (below) shortfall += (a - u) * term;
  sumBelow = shortfall;
  const tail = 1 - cdf;
  if (tail >= DIRECT_TAIL_BELOW) {
    sumTail = tail;
    return SUMMED;
  }
  // Upward sum from u + 1. Past the mode the ratio ρ_k < 1; for NB with r < 1 the ratios grow towards
  // 1 − p, otherwise they shrink, so max(ρ_k, d when r < 1) bounds every later ratio.
  let upper = 0;
  for (let k = u; k < u + MAX_TAIL_TERMS; k++) {
    const ratio = (c + d * k) / (k + 1);
    term *= ratio;
    upper += term;
    const bound = !famPoisson && famR < 1 ? d : ratio;
    if ((bound < 1 && term * bound <= TAIL_SUM_EPS * (1 - bound) * upper) || term === 0) {
      sumTail = upper;
      return SUMMED;
    }
  }
  return TAIL_NOT_CONVERGED;
}

/** P(D > u) of the current family by the regularised incomplete gamma (Poisson) / beta (NB). */
function closedFormTail(u: number): number {
  // P(D > u) = P(D ≥ u + 1): lower regularised gamma for Poisson, I_{1−p}(u + 1, r) for NB.
  if (famPoisson) return regularizedGammaP(u + 1, famLambda);
  return regularizedBeta(1 - famP, u + 1, famR);
}

/** Natural-log pmf of NB(r, p) at k (for tests and callers wanting one term). */
export function negBinLogPmf(k: number, r: number, p: number): number {
  return logGamma(k + r) - logGamma(r) - logGamma(k + 1) + r * Math.log(p) + k * Math.log1p(-p);
}

/** Smallest integer s with P(D(τ) ≤ s) ≥ target — the order-up-to level for a cycle-service target. */
export function quantileUnits(dist: DemandDistribution, periods: number, target: number, maxUnits = 1e9): number {
  if (hasPmfQuantile(dist)) return dist.quantile(periods, target, maxUnits);
  const limit = 1 - target + 1e-12; // a tail equal to 1 − β up to rounding meets the target
  if (dist.tailProbability(periods, 0) <= limit) return 0;
  // Exponential then binary search on the monotone tail: O(log s) tail evaluations.
  let lo = 0;
  let hi = 1;
  while (dist.tailProbability(periods, hi) > limit) {
    lo = hi;
    hi *= 2;
    if (hi > maxUnits) return maxUnits;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (dist.tailProbability(periods, mid) > limit) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Distributions whose pmf is cheaper to scan once than to query tail by tail (e.g. the bootstrap). */
export interface PmfQuantile {
  quantile(periods: number, target: number, maxUnits: number): number;
}

function hasPmfQuantile(d: DemandDistribution): d is DemandDistribution & PmfQuantile {
  return typeof (d as Partial<PmfQuantile>).quantile === 'function';
}
