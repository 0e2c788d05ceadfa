import { SupplyRiskError, requireFinite } from '../risk/supply-risk-error.js';
import { discretiseLognormal } from '../risk/numeric.js';

/**
 * A discrete lead-time distribution in days on a small support grid.
 *
 * Invariants: `days` is strictly increasing and ≥ 0, `probs` are > 0 and sum to 1 (±1e-9), the
 * grid has at most {@link MAX_LEAD_TIME_POINTS} points, and `mean` / `variance` are those of the
 * grid. The grid is kept small on purpose: every part is scored by mixing over it, so its size is
 * the inner-loop cost of the whole platform. Reduction always preserves the mean exactly.
 */
export interface LeadTimeDistribution {
  readonly days: Float64Array;
  readonly probs: Float64Array;
  readonly mean: number;
  readonly variance: number;
}

/** Hard cap on the support size of any lead-time distribution the engine produces. */
export const MAX_LEAD_TIME_POINTS = 16;
/** Support size used for quoted (mean ± spread) lead times and for event-duration priors. */
export const DEFAULT_OFFER_POINTS = 8;
/**
 * Support size of the lead time parts are scored against. Composition (offer ⊕ delay ⊕ events) runs
 * at {@link MAX_LEAD_TIME_POINTS}; the result is reduced to this size once per supplier, because
 * every part served by the supplier pays for each point.
 */
export const SCORING_LEAD_TIME_POINTS = 8;

function finish(days: Float64Array, probs: Float64Array): LeadTimeDistribution {
  let mean = 0;
  for (let i = 0; i < days.length; i++) mean += days[i]! * probs[i]!;
  let variance = 0;
  for (let i = 0; i < days.length; i++) variance += probs[i]! * (days[i]! - mean) ** 2;
  return { days, probs, mean, variance };
}

/**
 * Lead-time arrays are carved out of shared slabs: a typed array of more than 64 bytes gets its own
 * off-heap backing store, which costs ~1 µs to allocate plus GC bookkeeping, and a portfolio run
 * builds ~40,000 lead times of a few distributions each. A slab is freed once no view into it lives.
 */
const SLAB_DOUBLES = 2048;
let slab = new Float64Array(SLAB_DOUBLES);
let slabUsed = 0;

function slabView(length: number): Float64Array {
  if (length > SLAB_DOUBLES / 4) return new Float64Array(length);
  if (slabUsed + length > SLAB_DOUBLES) {
    slab = new Float64Array(SLAB_DOUBLES);
    slabUsed = 0;
  }
  const view = slab.subarray(slabUsed, slabUsed + length);
  slabUsed += length;
  return view;
}

/**
 * A distribution of `n` points copied from v[0..n) and w[0..n): one slab view holds both (days and
 * probs are views of it); intermediates of a reduction live in module scratch.
 */
function finishCopy(v: Float64Array, w: Float64Array, n: number): LeadTimeDistribution {
  const both = slabView(2 * n);
  for (let i = 0; i < n; i++) {
    both[i] = v[i]!;
    both[n + i] = w[i]!;
  }
  return finish(both.subarray(0, n), both.subarray(n));
}

// Scratch buffers (module-level: no per-call allocation on the hot path).
const BUCKETS = 1024;
const bucketMass = new Float64Array(BUCKETS);
const bucketMoment = new Float64Array(BUCKETS);
const smallV = new Float64Array(64);
const smallW = new Float64Array(64);
const groupDays = new Float64Array(MAX_LEAD_TIME_POINTS);
const groupProbs = new Float64Array(MAX_LEAD_TIME_POINTS);
/** Products of a convolution / mixture before reduction: at most MAX_LEAD_TIME_POINTS² (+1) points. */
let pairValues = new Float64Array(MAX_LEAD_TIME_POINTS * MAX_LEAD_TIME_POINTS + 1);
let pairWeights = new Float64Array(pairValues.length);

function pairScratch(n: number): void {
  if (pairValues.length < n) {
    pairValues = new Float64Array(n);
    pairWeights = new Float64Array(n);
  }
}

/** Groups sorted (v, w) into ≤ cap groups of about equal mass, each at its conditional mean. */
function groupSorted(v: Float64Array, w: Float64Array, n: number, cap: number): LeadTimeDistribution {
  if (n <= cap) return finishCopy(v, w, n);
  const days = groupDays;
  const probs = groupProbs;
  let group = 0;
  let mass = 0;
  let moment = 0;
  let cumulative = 0;
  for (let i = 0; i < n; i++) {
    mass += w[i]!;
    moment += w[i]! * v[i]!;
    cumulative += w[i]!;
    const remainingPoints = n - i - 1;
    const remainingGroups = cap - group - 1;
    const closeHere =
      remainingGroups > 0 && (cumulative >= (group + 1) / cap - 1e-12 || remainingPoints === remainingGroups);
    if (closeHere || i === n - 1) {
      days[group] = moment / mass;
      probs[group] = mass;
      group++;
      mass = 0;
      moment = 0;
    }
  }
  return finishCopy(days, probs, group);
}

/**
 * Builds a distribution from arbitrary (value, weight) pairs: sorts, merges equal values, normalises
 * and reduces to at most `maxPoints` by merging neighbours into groups of about equal probability,
 * each represented by its conditional mean (mean-preserving). Negative values are clamped to 0
 * (a lead time cannot be negative; early deliveries count as on time). Up to 64 points are sorted
 * exactly; larger inputs (convolutions) are first binned into min(1,024, 4n) equal-width buckets that keep
 * their mass and first moment — still mean-exact, no sort, no allocation.
 */
export function leadTimeFromPoints(
  values: ArrayLike<number>,
  weights: ArrayLike<number>,
  maxPoints: number = MAX_LEAD_TIME_POINTS,
): LeadTimeDistribution {
  const n = values.length;
  if (n === 0 || weights.length !== n) {
    throw new SupplyRiskError(
      'SUPPLY_RISK_INVALID_INPUT',
      'leadTime',
      'needs at least one point and one weight per point',
    );
  }
  let total = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    const wi = weights[i]!;
    if (!Number.isFinite(x)) requireFinite(`leadTime.days[${i}]`, x, -Infinity);
    if (!Number.isFinite(wi) || wi < 0) requireFinite(`leadTime.weights[${i}]`, wi, 0);
    total += wi;
    const c = x < 0 ? 0 : x;
    if (c < lo) lo = c;
    if (c > hi) hi = c;
  }
  if (!(total > 0))
    throw new SupplyRiskError('SUPPLY_RISK_INVALID_INPUT', 'leadTime.weights', 'must have a positive sum');
  const cap = Math.max(1, Math.min(maxPoints, MAX_LEAD_TIME_POINTS));
  if (n <= 64) {
    // Insertion sort into scratch, merging equal values and dropping zero weights.
    let m = 0;
    for (let i = 0; i < n; i++) {
      const wi = weights[i]! / total;
      if (wi <= 0) continue;
      const x = values[i]! < 0 ? 0 : values[i]!;
      let j = m - 1;
      while (j >= 0 && smallV[j]! > x) j--;
      if (j >= 0 && smallV[j] === x) {
        smallW[j]! += wi;
        continue;
      }
      for (let k = m; k > j + 1; k--) {
        smallV[k] = smallV[k - 1]!;
        smallW[k] = smallW[k - 1]!;
      }
      smallV[j + 1] = x;
      smallW[j + 1] = wi;
      m++;
    }
    return groupSorted(smallV, smallW, m, cap);
  }
  const buckets = Math.min(BUCKETS, 4 * n);
  bucketMass.fill(0, 0, buckets);
  bucketMoment.fill(0, 0, buckets);
  const width = hi > lo ? (hi - lo) / buckets : 1;
  for (let i = 0; i < n; i++) {
    const wi = weights[i]! / total;
    if (wi <= 0) continue;
    const x = values[i]! < 0 ? 0 : values[i]!;
    const b = Math.min(buckets - 1, Math.floor((x - lo) / width));
    bucketMass[b]! += wi;
    bucketMoment[b]! += wi * x;
  }
  let m = 0;
  for (let b = 0; b < buckets; b++) {
    if (bucketMass[b]! > 0) {
      bucketMoment[m] = bucketMoment[b]! / bucketMass[b]!;
      bucketMass[m] = bucketMass[b]!;
      m++;
    }
  }
  return groupSorted(bucketMoment, bucketMass, m, cap);
}

/** Reduces a distribution to at most `points` support points (mean-preserving); returns it as is if already small. */
export function compressLeadTime(d: LeadTimeDistribution, points: number): LeadTimeDistribution {
  return d.days.length <= points ? d : leadTimeFromPoints(d.days, d.probs, points);
}

/** A lead time known exactly. */
export function deterministicLeadTime(days: number): LeadTimeDistribution {
  requireFinite('leadTime.days', days, 0);
  return finish(Float64Array.of(days), Float64Array.of(1));
}

/**
 * A quoted lead time "mean ± sd days", modelled as a lognormal (non-negative, right-skewed: late is
 * more likely to be very late than early is to be very early) discretised to `points` equal-mass bins.
 */
export function leadTimeFromMeanSpread(
  meanDays: number,
  sdDays: number,
  points: number = DEFAULT_OFFER_POINTS,
): LeadTimeDistribution {
  requireFinite('offer.meanDays', meanDays, 0);
  requireFinite('offer.sdDays', sdDays, 0);
  if (meanDays === 0 || sdDays === 0) return deterministicLeadTime(meanDays);
  const { values, probs } = discretiseLognormal(meanDays, sdDays, Math.min(points, MAX_LEAD_TIME_POINTS));
  return leadTimeFromPoints(values, probs, points);
}

/** An empirical lead time from observed samples (days), reduced to `maxPoints` equal-count groups. */
export function leadTimeFromSamples(
  samplesDays: ArrayLike<number>,
  maxPoints: number = DEFAULT_OFFER_POINTS,
): LeadTimeDistribution {
  if (samplesDays.length === 0)
    throw new SupplyRiskError('SUPPLY_RISK_INVALID_INPUT', 'offer.samplesDays', 'needs at least one sample');
  for (let i = 0; i < samplesDays.length; i++) requireFinite(`offer.samplesDays[${i}]`, samplesDays[i]!, 0);
  return leadTimeFromPoints(samplesDays, new Float64Array(samplesDays.length).fill(1), maxPoints);
}

/**
 * The distribution of A + B for independent A and B, reduced back to `maxPoints`. This is how
 * delays (supplier lateness, event disruption) are added to a quoted lead time.
 */
export function convolveLeadTimes(
  a: LeadTimeDistribution,
  b: LeadTimeDistribution,
  maxPoints: number = MAX_LEAD_TIME_POINTS,
): LeadTimeDistribution {
  if (b.days.length === 1 && b.days[0] === 0) return a;
  if (a.days.length === 1 && a.days[0] === 0) return b;
  const n = a.days.length * b.days.length;
  pairScratch(n);
  const values = pairValues.subarray(0, n);
  const weights = pairWeights.subarray(0, n);
  let k = 0;
  for (let i = 0; i < a.days.length; i++) {
    for (let j = 0; j < b.days.length; j++) {
      values[k] = a.days[i]! + b.days[j]!;
      weights[k] = a.probs[i]! * b.probs[j]!;
      k++;
    }
  }
  return leadTimeFromPoints(values, weights, maxPoints);
}

/** (1 − q)·δ₀ + q·D: "with probability q the delay D happens, otherwise no delay". */
export function bernoulliDelay(
  q: number,
  delay: LeadTimeDistribution,
  maxPoints: number = MAX_LEAD_TIME_POINTS,
): LeadTimeDistribution {
  if (q <= 0) return deterministicLeadTime(0);
  if (q >= 1) return delay;
  pairScratch(delay.days.length + 1);
  const values = pairValues.subarray(0, delay.days.length + 1);
  const weights = pairWeights.subarray(0, delay.days.length + 1);
  values[0] = 0;
  weights[0] = 1 - q;
  for (let i = 0; i < delay.days.length; i++) {
    values[i + 1] = delay.days[i]!;
    weights[i + 1] = q * delay.probs[i]!;
  }
  return leadTimeFromPoints(values, weights, maxPoints);
}

/** Multiplies every support point by `factor` (> 0): keeps the shape, rescales the mean. */
export function scaleLeadTime(d: LeadTimeDistribution, factor: number): LeadTimeDistribution {
  requireFinite('scale', factor, 0);
  return finish(
    d.days.map((x) => x * factor),
    d.probs.slice(),
  );
}

/** P(L > days). */
export function leadTimeExceedance(d: LeadTimeDistribution, days: number): number {
  let p = 0;
  for (let i = 0; i < d.days.length; i++) if (d.days[i]! > days) p += d.probs[i]!;
  return Math.min(1, p);
}

/** Smallest support point x with P(L ≤ x) ≥ q. */
export function leadTimeQuantile(d: LeadTimeDistribution, q: number): number {
  let c = 0;
  for (let i = 0; i < d.days.length; i++) {
    c += d.probs[i]!;
    if (c >= q - 1e-12) return d.days[i]!;
  }
  return d.days[d.days.length - 1]!;
}

/**
 * The residual R = D − a given D > a ("how much longer, given it has lasted a days"), or undefined
 * when the distribution puts no mass beyond a (the event has outlasted every precedent).
 */
export function residualLeadTime(
  d: LeadTimeDistribution,
  elapsedDays: number,
): LeadTimeDistribution | undefined {
  if (elapsedDays <= 0) return d;
  const v: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < d.days.length; i++) {
    if (d.days[i]! > elapsedDays) {
      v.push(d.days[i]! - elapsedDays);
      w.push(d.probs[i]!);
    }
  }
  return v.length === 0 ? undefined : leadTimeFromPoints(v, w);
}
