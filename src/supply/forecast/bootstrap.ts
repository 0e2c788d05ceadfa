import type { DemandDistribution } from '../demand-distribution.js';
import type { PmfQuantile } from './distributions.js';
import { normalCdf } from './special-functions.js';

/**
 * Willemain, Smart & Schwarz (2004) bootstrap of lead-time demand, computed exactly instead of by
 * resampling (so it is deterministic and needs no random source):
 *
 * 1. occurrence follows a two-state Markov chain (demand / no demand) whose transition
 *    probabilities are the observed transition frequencies, started from the last observed state;
 * 2. a demand period draws a size from the historical non-zero sizes, optionally "jittered" as in
 *    the paper: 1 + ⌊x + Z·√x⌋ with Z ~ N(0, 1), falling back to x when that is ≤ 0.
 *
 * The pmf of D(τ) is the exact distribution of that process (a dynamic programme over state ×
 * cumulative units), i.e. the limit of Willemain's procedure with infinitely many replications.
 * Fractional τ = n + f mixes D(n) and D(n + 1) with weights 1 − f and f.
 *
 * Jitter: the paper's jitter adds about +0.5 unit per demand plus the truncation at zero (a size of
 * 1 jitters to 1.68 on average), which is a large upward bias on aviation spares whose sizes are mostly
 * 1–3 units. `jitter: 'none'` resamples the observed sizes as they are (unbiased); it is the default.
 */
export interface BootstrapOptions {
  readonly jitter?: 'willemain' | 'none';
}

export class BootstrapDemandDistribution implements DemandDistribution, PmfQuantile {
  readonly method = 'bootstrap';
  readonly meanPerPeriod: number;
  readonly variancePerPeriod: number;
  /** P(demand next | no demand now), P(no demand next | demand now). */
  readonly p01: number;
  readonly p10: number;
  readonly lastState: 0 | 1;
  /** sizePmf[j] = P(size = j), j ≥ 1 (index 0 unused). */
  readonly sizePmf: Float64Array;

  constructor(p01: number, p10: number, lastState: 0 | 1, sizePmf: Float64Array) {
    this.p01 = p01;
    this.p10 = p10;
    this.lastState = lastState;
    this.sizePmf = sizePmf;
    let m1 = 0;
    let m2 = 0;
    for (let j = 1; j < sizePmf.length; j++) {
      m1 += j * sizePmf[j]!;
      m2 += j * j * sizePmf[j]!;
    }
    const denom = p01 + p10;
    const pi1 = sizePmf.length <= 1 ? 0 : denom > 0 ? p01 / denom : lastState;
    this.meanPerPeriod = pi1 * m1;
    // Per-period (stationary) variance of a Bernoulli(π₁)·size draw.
    this.variancePerPeriod = pi1 * m2 - this.meanPerPeriod * this.meanPerPeriod;
  }

  pmf(periods: number, maxUnits: number): Float64Array {
    const u = Math.max(0, Math.floor(maxUnits));
    const t = periods > 0 ? periods : 0;
    const n = Math.floor(t);
    const f = t - n;
    const out = new Float64Array(u + 1);
    if (this.sizePmf.length <= 1 || t === 0) {
      out[0] = 1;
      return out;
    }
    // a0/a1: P(state after the current period = 0/1, cumulative demand = d).
    let a0 = new Float64Array(u + 1);
    let a1 = new Float64Array(u + 1);
    let b0 = new Float64Array(u + 1);
    let b1 = new Float64Array(u + 1);
    if (this.lastState === 0) a0[0] = 1;
    else a1[0] = 1;
    const steps = f > 0 ? n + 1 : n;
    const size = this.sizePmf;
    const smax = size.length - 1;
    const p00 = 1 - this.p01;
    const p11 = 1 - this.p10;
    for (let s = 1; s <= steps; s++) {
      b1.fill(0);
      for (let d = 0; d <= u; d++) {
        const from0 = a0[d]!;
        const from1 = a1[d]!;
        b0[d] = from0 * p00 + from1 * this.p10;
        const into1 = from0 * this.p01 + from1 * p11;
        if (into1 === 0) continue;
        const jmax = Math.min(smax, u - d);
        for (let j = 1; j <= jmax; j++) b1[d + j]! += into1 * size[j]!;
      }
      if (s === n && f > 0) {
        for (let d = 0; d <= u; d++) out[d] = (1 - f) * (b0[d]! + b1[d]!);
      }
      [a0, b0] = [b0, a0];
      [a1, b1] = [b1, a1];
    }
    const w = f > 0 ? f : 1;
    if (f > 0 && n === 0) out[0] = 1 - f; // D(0) = 0
    for (let d = 0; d <= u; d++) out[d]! += w * (a0[d]! + a1[d]!);
    return out;
  }

  /**
   * Smallest s with P(D(τ) ≤ s) ≥ target: one programme up to a bound that doubles from the
   * normal-approximation guess, instead of one programme per probed s.
   */
  quantile(periods: number, target: number, maxUnits: number): number {
    const m = Math.max(0, periods) * this.meanPerPeriod;
    const sd = Math.sqrt(Math.max(0, periods) * Math.max(this.variancePerPeriod, 0));
    let bound = Math.max(8, Math.ceil(m + 4 * sd));
    for (;;) {
      const p = this.pmf(periods, Math.min(bound, maxUnits));
      let c = 0;
      for (let s = 0; s < p.length; s++) {
        c += p[s]!;
        if (c >= target - 1e-12) return s;
      }
      if (bound >= maxUnits) return maxUnits;
      bound *= 2;
    }
  }

  tailProbability(periods: number, units: number): number {
    if (units < 0) return 1;
    const p = this.pmf(periods, Math.floor(units));
    let s = 0;
    for (let i = 0; i < p.length; i++) s += p[i]!;
    return Math.min(1, Math.max(0, 1 - s));
  }
}

/** Fits the bootstrap on a history of finite, non-negative demands in time order. */
export function fitBootstrap(y: ArrayLike<number>, options: BootstrapOptions = {}): BootstrapDemandDistribution {
  const jitter = options.jitter ?? 'none';
  let n00 = 0;
  let n01 = 0;
  let n10 = 0;
  let n11 = 0;
  let demands = 0;
  let maxSize = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (v > 0) {
      demands++;
      if (v > maxSize) maxSize = v;
    }
    if (i > 0) {
      const a = y[i - 1]! > 0;
      const b = v > 0;
      if (a) {
        if (b) n11++;
        else n10++;
      } else if (b) n01++;
      else n00++;
    }
  }
  const last: 0 | 1 = y.length > 0 && y[y.length - 1]! > 0 ? 1 : 0;
  if (demands === 0) return new BootstrapDemandDistribution(0, 1, 0, new Float64Array(1));
  const freq = y.length > 0 ? demands / y.length : 0;
  // A state never left (or never visited) has no observed transitions: fall back to the frequency.
  const p01 = n00 + n01 > 0 ? n01 / (n00 + n01) : freq;
  const p10 = n10 + n11 > 0 ? n10 / (n10 + n11) : 1 - freq;
  const top = Math.round(maxSize);
  const support = jitter === 'none' ? Math.max(1, top) : Math.ceil(maxSize + 1 + 8 * Math.sqrt(maxSize));
  const pmf = new Float64Array(support + 1);
  const w = 1 / demands;
  for (let i = 0; i < y.length; i++) {
    const x = y[i]!;
    if (!(x > 0)) continue;
    const xi = Math.max(1, Math.round(x));
    if (jitter === 'none') {
      pmf[xi]! += w;
      continue;
    }
    // 1 + ⌊x + Z√x⌋ = j  ⇔  j − 1 ≤ x + Z√x < j, for j ≥ 1; below zero falls back to x.
    const sd = Math.sqrt(x);
    let prev = normalCdf(-x / sd);
    pmf[xi]! += w * prev;
    for (let j = 1; j <= support; j++) {
      const cur = normalCdf((j - x) / sd);
      pmf[j]! += w * (cur - prev);
      prev = cur;
    }
  }
  return new BootstrapDemandDistribution(p01, p10, last, pmf);
}
