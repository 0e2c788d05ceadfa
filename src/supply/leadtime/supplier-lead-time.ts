import { SupplyRiskError, requireFinite, toEpochDays, type DateInput } from '../risk/supply-risk-error.js';
import {
  DEFAULT_OFFER_POINTS,
  bernoulliDelay,
  convolveLeadTimes,
  deterministicLeadTime,
  leadTimeFromMeanSpread,
  leadTimeFromPoints,
  leadTimeFromSamples,
  type LeadTimeDistribution,
} from './lead-time-distribution.js';

/** A supplier's lead-time offer for a part: a quote "mean ± sd days" or observed lead-time samples. */
export type LeadTimeOffer =
  { readonly meanDays: number; readonly sdDays?: number } | { readonly samplesDays: readonly number[] };

/** One past delivery: the date promised in the order confirmation and the date it actually arrived. */
export interface DeliveryRecord {
  readonly promised: DateInput;
  readonly actual: DateInput;
}

/**
 * Prior beliefs about a supplier with no history. The Beta(α, β) prior on the on-time rate is worth
 * α + β pseudo-deliveries, so a supplier with 2 deliveries stays close to the prior and one with 200
 * speaks for itself. The late-delay prior is a lognormal (mean, sd) worth `lateDelayPseudoCount`
 * pseudo-late-deliveries. All defaults are judgements, configurable per tenant (docs/supply/risk-model.md).
 */
export interface ReliabilityPrior {
  readonly onTimeAlpha: number;
  readonly onTimeBeta: number;
  readonly lateDelayMeanDays: number;
  readonly lateDelaySdDays: number;
  readonly lateDelayPseudoCount: number;
  /** A delivery up to this many days after the promise counts as on time. */
  readonly graceDays: number;
}

/** Prior mean on-time 0.85 worth 10 deliveries; late deliveries 10 ± 10 days late worth 3 (judgement). */
export const DEFAULT_RELIABILITY_PRIOR: ReliabilityPrior = Object.freeze({
  onTimeAlpha: 8.5,
  onTimeBeta: 1.5,
  lateDelayMeanDays: 10,
  lateDelaySdDays: 10,
  lateDelayPseudoCount: 3,
  graceDays: 0,
});

/** A supplier's delivery reliability: Beta posterior on the on-time rate and the delay when late. */
export interface SupplierReliability {
  readonly deliveries: number;
  readonly onTimeDeliveries: number;
  /** Posterior Beta parameters; the posterior mean is α / (α + β). */
  readonly onTimeAlpha: number;
  readonly onTimeBeta: number;
  readonly onTimeProbability: number;
  /** Distribution of days late, given late (blend of observed delays and the prior). */
  readonly lateDelay: LeadTimeDistribution;
  /** The full delay added to a promise: 0 with the on-time probability, else `lateDelay`. */
  readonly delay: LeadTimeDistribution;
}

const priorLateCache = new WeakMap<ReliabilityPrior, LeadTimeDistribution>();

function validatePrior(p: ReliabilityPrior): void {
  requireFinite('prior.onTimeAlpha', p.onTimeAlpha, Number.MIN_VALUE);
  requireFinite('prior.onTimeBeta', p.onTimeBeta, Number.MIN_VALUE);
  requireFinite('prior.lateDelayMeanDays', p.lateDelayMeanDays, Number.MIN_VALUE);
  requireFinite('prior.lateDelaySdDays', p.lateDelaySdDays, 0);
  requireFinite('prior.lateDelayPseudoCount', p.lateDelayPseudoCount, 0);
  requireFinite('prior.graceDays', p.graceDays, 0);
}

/**
 * Estimates reliability from promised-vs-actual history. Early deliveries count as on time with zero
 * delay (stock that arrives early does not shorten the exposure we plan for; being conservative here
 * keeps the model from rewarding noise). The late-delay distribution mixes the empirical late delays
 * with the prior in proportion nLate : pseudoCount, which is the conjugate-style shrinkage a Dirichlet
 * process prior would give.
 */
export function estimateSupplierReliability(
  history: readonly DeliveryRecord[],
  prior: ReliabilityPrior = DEFAULT_RELIABILITY_PRIOR,
): SupplierReliability {
  validatePrior(prior);
  const lateDays: number[] = [];
  let onTime = 0;
  history.forEach((rec, i) => {
    const promised = toEpochDays(`history[${i}].promised`, rec.promised);
    const actual = toEpochDays(`history[${i}].actual`, rec.actual);
    const delay = actual - promised;
    if (delay <= prior.graceDays) onTime++;
    else lateDays.push(delay);
  });
  const alpha = prior.onTimeAlpha + onTime;
  const beta = prior.onTimeBeta + lateDays.length;
  const onTimeProbability = alpha / (alpha + beta);
  let priorLate = priorLateCache.get(prior);
  if (priorLate === undefined) {
    priorLate = leadTimeFromMeanSpread(prior.lateDelayMeanDays, prior.lateDelaySdDays, DEFAULT_OFFER_POINTS);
    priorLateCache.set(prior, priorLate);
  }
  let lateDelay = priorLate;
  if (lateDays.length > 0) {
    const empirical = leadTimeFromSamples(lateDays, DEFAULT_OFFER_POINTS);
    const wEmp = lateDays.length / (lateDays.length + prior.lateDelayPseudoCount);
    const ne = empirical.days.length;
    const np = priorLate.days.length;
    const values = new Float64Array(ne + np);
    const weights = new Float64Array(ne + np);
    values.set(empirical.days, 0);
    values.set(priorLate.days, ne);
    for (let i = 0; i < ne; i++) weights[i] = empirical.probs[i]! * wEmp;
    for (let i = 0; i < np; i++) weights[ne + i] = priorLate.probs[i]! * (1 - wEmp);
    lateDelay = leadTimeFromPoints(values, weights, DEFAULT_OFFER_POINTS);
  }
  return {
    deliveries: history.length,
    onTimeDeliveries: onTime,
    onTimeAlpha: alpha,
    onTimeBeta: beta,
    onTimeProbability,
    lateDelay,
    delay: bernoulliDelay(1 - onTimeProbability, lateDelay, DEFAULT_OFFER_POINTS + 1),
  };
}

/** The offer alone, before any supplier lateness or risk event. */
export function offerLeadTime(offer: LeadTimeOffer): LeadTimeDistribution {
  if ('samplesDays' in offer) return leadTimeFromSamples(offer.samplesDays);
  if (!('meanDays' in offer))
    throw new SupplyRiskError('SUPPLY_RISK_INVALID_INPUT', 'offer', 'needs meanDays or samplesDays');
  return offer.sdDays === undefined
    ? deterministicLeadTime(offer.meanDays)
    : leadTimeFromMeanSpread(offer.meanDays, offer.sdDays);
}

/**
 * Lead time of a supplier × part: the offer plus the supplier's delay (independent). Compute it once
 * per (supplier, offer) and share it across every part that supplier serves — it is the expensive,
 * reusable half of the scoring; events are added per supplier by `applyRiskEvents`.
 */
export function supplierLeadTime(
  offer: LeadTimeOffer | LeadTimeDistribution,
  reliability?: SupplierReliability,
): LeadTimeDistribution {
  const base = 'probs' in offer ? offer : offerLeadTime(offer);
  return reliability === undefined ? base : convolveLeadTimes(base, reliability.delay);
}
