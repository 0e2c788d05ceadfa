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
 * Fitting allocates one small object; `tailProbability` is a regularised incomplete beta/gamma, i.e.
 * O(1) in the number of units.
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
    const f = this.family(periods);
    if (f.kind === 'zero') return 0;
    // P(D > u) = P(D ≥ u + 1): lower regularised gamma for Poisson, I_{1−p}(u + 1, r) for NB.
    if (f.kind === 'poisson') return regularizedGammaP(u + 1, f.lambda);
    return regularizedBeta(1 - f.p, u + 1, f.r);
  }
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
