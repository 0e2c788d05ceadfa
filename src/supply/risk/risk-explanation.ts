import type { DemandDistribution } from '../demand-distribution.js';
import {
  compressLeadTime,
  convolveLeadTimes,
  deterministicLeadTime,
  SCORING_LEAD_TIME_POINTS,
  type LeadTimeDistribution,
} from '../leadtime/lead-time-distribution.js';
import { assessPartRisk, scoringContext, type PartRiskInput, type ScoringContext } from './part-risk.js';
import { poissonDemand, poissonTail } from './poisson-demand.js';
import { applyEventMatches, type EventMatch } from './risk-events.js';
import type { RiskLevel } from './risk-score.js';
import type { StockPosition } from './stockout.js';
import { DAYS_PER_MONTH } from './stockout.js';
import { requireFinite, requireProbability } from './supply-risk-error.js';

/** The factors a score is attributed to, in the order they are reported. */
export const EXPLANATION_FACTORS = [
  'stock_position',
  'demand_uncertainty',
  'lead_time',
  'supplier_reliability',
  'risk_events',
] as const;
export type ExplanationFactor = (typeof EXPLANATION_FACTORS)[number];

/** A part's risk inputs with the lead time kept in its stages, so each factor can be neutralised. */
export interface RiskFactorsInput extends Omit<PartRiskInput, 'leadTime'> {
  /** The quoted lead time alone. */
  readonly offerLeadTime: LeadTimeDistribution;
  /** The supplier's lateness distribution (`SupplierReliability.delay`); absent = none known. */
  readonly supplierDelay?: LeadTimeDistribution;
  readonly events: readonly EventMatch[];
}

export interface ExplanationOptions {
  /** Neutral lead time: a deterministic reference (default 30 days, a judgement; set per tenant). */
  readonly referenceLeadTimeDays?: number;
  /** Neutral stock = the Poisson reorder point for this cycle-service level over the reference lead time. */
  readonly neutralServiceLevel?: number;
  readonly context?: ScoringContext;
}

export interface FactorContribution {
  readonly factor: ExplanationFactor;
  /** Score points (may be negative: e.g. stock above the neutral level lowers the score). */
  readonly points: number;
  readonly neutral: string;
}

export interface RiskExplanation {
  readonly partId: string;
  readonly score: number;
  readonly level: RiskLevel;
  /** Score with every factor at its neutral value; baseline + Σ points = score exactly. */
  readonly baselineScore: number;
  readonly contributions: readonly FactorContribution[];
  readonly events: readonly {
    eventId: string;
    name: string;
    type: string;
    status: string;
    impactProbability: number;
    meanDelayDays: number;
  }[];
  readonly method: 'shapley';
  readonly summary: string;
}

const N = EXPLANATION_FACTORS.length;
const FACT = [1, 1, 2, 6, 24, 120];

/**
 * Attributes a part's score to its five factors by exact Shapley values over 2⁵ counterfactuals:
 * each factor either at its actual value or at its neutral value —
 * - stock_position: on hand = the Poisson(mean) reorder point at `neutralServiceLevel` over the reference lead time; nothing reserved or on order;
 * - demand_uncertainty: Poisson with the same mean (only variability beyond Poisson counts);
 * - lead_time: the offer replaced by a deterministic reference lead time;
 * - supplier_reliability: no lateness (on time with probability 1);
 * - risk_events: no events.
 * Shapley values are order-free and sum exactly to score − baseline; interactions (e.g. a long lead
 * time hurting more when stock is short) are split equally between the factors involved. Costs 32
 * scorings — for explanations on demand, not the bulk path.
 */
export function explainPartRisk(input: RiskFactorsInput, options: ExplanationOptions = {}): RiskExplanation {
  const ctx = options.context ?? scoringContext();
  const refDays = requireFinite('referenceLeadTimeDays', options.referenceLeadTimeDays ?? 30, 0);
  const csl = requireProbability('neutralServiceLevel', options.neutralServiceLevel ?? 0.95);
  const dpp = input.daysPerPeriod ?? DAYS_PER_MONTH;
  const neutralDemand: DemandDistribution = poissonDemand(input.demand.meanPerPeriod);
  const lambda = (input.demand.meanPerPeriod * refDays) / dpp;
  let rop = 0;
  while (poissonTail(lambda, rop) > 1 - csl) rop++;
  const neutralPosition: StockPosition = { onHand: rop };
  const refLead = deterministicLeadTime(refDays);

  // Lead-time variants depend on 3 factors (bits 2, 3, 4): compute the 8 once.
  const leadTimes = new Map<number, LeadTimeDistribution>();
  const leadFor = (mask: number): LeadTimeDistribution => {
    const key = mask & 0b11100;
    let lt = leadTimes.get(key);
    if (lt === undefined) {
      lt = key & 0b00100 ? input.offerLeadTime : refLead;
      if (key & 0b01000 && input.supplierDelay) lt = convolveLeadTimes(lt, input.supplierDelay);
      if (key & 0b10000) lt = applyEventMatches(lt, input.events);
      lt = compressLeadTime(lt, SCORING_LEAD_TIME_POINTS);
      leadTimes.set(key, lt);
    }
    return lt;
  };
  const value = new Float64Array(1 << N);
  for (let mask = 0; mask < 1 << N; mask++) {
    value[mask] = assessPartRisk(
      {
        ...input,
        position: mask & 0b00001 ? input.position : neutralPosition,
        demand: mask & 0b00010 ? input.demand : neutralDemand,
        leadTime: leadFor(mask),
      },
      ctx,
    ).score;
  }
  const contributions: FactorContribution[] = EXPLANATION_FACTORS.map((factor, i) => {
    let phi = 0;
    const bit = 1 << i;
    for (let mask = 0; mask < 1 << N; mask++) {
      if (mask & bit) continue;
      let size = 0;
      for (let m = mask; m; m &= m - 1) size++;
      phi += ((FACT[size]! * FACT[N - size - 1]!) / FACT[N]!) * (value[mask | bit]! - value[mask]!);
    }
    return { factor, points: phi, neutral: NEUTRAL_TEXT[factor](rop, refDays, csl) };
  });
  const full = assessPartRisk({ ...input, leadTime: leadFor(0b11111) }, ctx);
  const baselineScore = value[0]!;
  const ranked = [...contributions].sort((a, b) => b.points - a.points).filter((c) => c.points > 0.05);
  const events = input.events.map((m) => ({
    eventId: m.eventId,
    name: m.name,
    type: m.type,
    status: m.status,
    impactProbability: m.impactProbability,
    meanDelayDays: m.delay.mean,
  }));
  const summary =
    `Score ${full.score.toFixed(1)} (${full.level}) vs ${baselineScore.toFixed(1)} at neutral values` +
    (ranked.length > 0
      ? `; driven by ${ranked.map((c) => `${c.factor.replace('_', ' ')} +${c.points.toFixed(1)}`).join(', ')}`
      : '') +
    (events.length > 0 ? `; events: ${events.map((e) => e.name).join(', ')}` : '');
  return {
    partId: input.partId,
    score: full.score,
    level: full.level,
    baselineScore,
    contributions,
    events,
    method: 'shapley',
    summary,
  };
}

const NEUTRAL_TEXT: Record<ExplanationFactor, (rop: number, refDays: number, csl: number) => string> = {
  stock_position: (rop, refDays, csl) =>
    `${rop} units available (Poisson reorder point for ${csl * 100}% over ${refDays} days)`,
  demand_uncertainty: () => 'Poisson demand with the same mean',
  lead_time: (_rop, refDays) => `${refDays} days, deterministic`,
  supplier_reliability: () => 'always on time',
  risk_events: () => 'no events',
};
