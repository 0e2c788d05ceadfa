import type { DemandDistribution } from '../demand-distribution.js';
import { logGamma } from './numeric.js';
import { requireFinite } from './supply-risk-error.js';

const TERM_EPS = 1e-17;

function logPmf(lambda: number, k: number): number {
  return -lambda + k * Math.log(lambda) - logGamma(k + 1);
}

/** P(N > u) for N ~ Poisson(λ), summed from the smaller side so small tails keep their precision. */
export function poissonTail(lambda: number, u: number): number {
  if (u < 0) return 1;
  if (lambda <= 0) return 0;
  const k0 = Math.floor(u);
  if (k0 + 1 > lambda) {
    // Upper tail Σ_{k > u}: terms shrink by λ/(k+1) < 1.
    let term = Math.exp(logPmf(lambda, k0 + 1));
    let sum = 0;
    for (let k = k0 + 1; term > TERM_EPS * sum || sum === 0; k++) {
      sum += term;
      term *= lambda / (k + 1);
      if (term === 0) break;
    }
    return Math.min(1, sum);
  }
  // Lower side Σ_{k ≤ u}: terms shrink by k/λ ≤ 1 going down.
  let term = Math.exp(logPmf(lambda, k0));
  let sum = 0;
  for (let k = k0; k >= 0; k--) {
    sum += term;
    term *= k / lambda;
    if (term < TERM_EPS * sum) break;
  }
  return Math.max(0, 1 - sum);
}

/**
 * Poisson demand with a given mean per period (variance = mean). Used as the *neutral* demand in
 * risk explanations — pure randomness with no lumpiness — so "demand uncertainty" is attributed only
 * for variability beyond Poisson. `pmf` returns k = 0..maxUnits.
 */
export function poissonDemand(meanPerPeriod: number): DemandDistribution {
  requireFinite('meanPerPeriod', meanPerPeriod, 0);
  return {
    method: 'poisson',
    meanPerPeriod,
    variancePerPeriod: meanPerPeriod,
    pmf(periods: number, maxUnits: number): Float64Array {
      const lambda = meanPerPeriod * periods;
      const out = new Float64Array(Math.max(0, Math.floor(maxUnits)) + 1);
      if (lambda <= 0) {
        out[0] = 1;
        return out;
      }
      if (lambda < 700) {
        let p = Math.exp(-lambda);
        for (let k = 0; k < out.length; k++) {
          out[k] = p;
          p *= lambda / (k + 1);
        }
      } else {
        for (let k = 0; k < out.length; k++) out[k] = Math.exp(logPmf(lambda, k));
      }
      return out;
    },
    tailProbability(periods: number, units: number): number {
      return poissonTail(meanPerPeriod * periods, units);
    },
  };
}
