import type { DemandDistribution } from '../demand-distribution.js';
import type { LeadTimeDistribution } from '../leadtime/lead-time-distribution.js';
import { assessPartRisk, scoringContext, type ScoringContext } from '../risk/part-risk.js';
import { DAYS_PER_MONTH, leadTimeDemandLoss, leadTimeDemandTail, type AogProfile } from '../risk/stockout.js';
import { SupplyRiskError, requireFinite, requireProbability } from '../risk/supply-risk-error.js';

/** Essentiality of a part to dispatch (after ATA Spec 2000 essentiality coding: No-Go / Go-If / Go). */
export const CRITICALITIES = ['no_go', 'go_if', 'go', 'non_essential'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

export interface ServiceTarget {
  /** P(no stockout in a replenishment cycle). */
  readonly cycleServiceLevel: number;
  /** Fraction of demand met from shelf. */
  readonly fillRate: number;
  readonly source: string;
}

/**
 * Default service targets per criticality. JUDGEMENT, configurable per tenant: the class names follow
 * ATA Spec 2000 essentiality codes; the numbers are ordinary spares-planning targets (higher for
 * parts that stop dispatch), not taken from a standard.
 */
export const DEFAULT_SERVICE_TARGETS: Readonly<Record<Criticality, ServiceTarget>> = Object.freeze({
  no_go: {
    cycleServiceLevel: 0.99,
    fillRate: 0.995,
    source: 'Judgement: a No-Go shortage grounds the aircraft',
  },
  go_if: {
    cycleServiceLevel: 0.97,
    fillRate: 0.99,
    source: 'Judgement: dispatch under MEL conditions/time limits',
  },
  go: { cycleServiceLevel: 0.93, fillRate: 0.97, source: 'Judgement: deferrable, no dispatch impact' },
  non_essential: { cycleServiceLevel: 0.9, fillRate: 0.95, source: 'Judgement: consumables and cabin items' },
});

/** Smallest integer s ≥ 0 with pred(s) true, for pred monotone false→true (exponential + binary search). */
function smallestSatisfying(start: number, pred: (s: number) => boolean): number {
  let lo = Math.max(0, Math.floor(start));
  if (pred(lo)) {
    let step = 1;
    while (lo > 0 && pred(Math.max(0, lo - step))) {
      lo = Math.max(0, lo - step);
      step *= 2;
    }
    // pred(lo) true; pred(lo - step) false or lo = 0.
    let bad = Math.max(-1, lo - step);
    let good = lo;
    while (good - bad > 1) {
      const mid = Math.floor((good + bad) / 2);
      if (mid >= 0 && pred(mid)) good = mid;
      else bad = mid;
    }
    return good;
  }
  let step = 1;
  let bad = lo;
  let hi = lo + step;
  while (!pred(hi)) {
    bad = hi;
    step *= 2;
    hi = lo + step;
    if (step > 1e9)
      throw new SupplyRiskError(
        'SUPPLY_RISK_INVALID_INPUT',
        'serviceTarget',
        'is not reachable with this demand distribution',
      );
  }
  let good = hi;
  while (good - bad > 1) {
    const mid = Math.floor((good + bad) / 2);
    if (pred(mid)) good = mid;
    else bad = mid;
  }
  return good;
}

/** Achieved cycle-service level at reorder point s: P(D(L) ≤ s). */
export function cycleServiceLevel(
  demand: DemandDistribution,
  leadTime: LeadTimeDistribution,
  s: number,
  daysPerPeriod = DAYS_PER_MONTH,
): number {
  return 1 - leadTimeDemandTail(demand, leadTime, s, daysPerPeriod);
}

/**
 * Achieved fill rate of a continuous-review (s, Q) policy with backorders:
 * β = 1 − (E[(D − s)⁺] − E[(D − s − Q)⁺]) / Q, D = lead-time demand (Hadley & Whitin; Silver, Pyke & Peterson).
 */
export function fillRate(
  demand: DemandDistribution,
  leadTime: LeadTimeDistribution,
  s: number,
  orderQuantity: number,
  daysPerPeriod = DAYS_PER_MONTH,
): number {
  requireFinite('orderQuantity', orderQuantity, Number.MIN_VALUE);
  const short =
    leadTimeDemandLoss(demand, leadTime, s, daysPerPeriod) -
    leadTimeDemandLoss(demand, leadTime, s + orderQuantity, daysPerPeriod);
  return Math.min(1, Math.max(0, 1 - short / orderQuantity));
}

/** Smallest reorder point s with P(D(L) ≤ s) ≥ target, D mixed over the lead-time grid. */
export function reorderPointForServiceLevel(
  demand: DemandDistribution,
  leadTime: LeadTimeDistribution,
  target: number,
  daysPerPeriod = DAYS_PER_MONTH,
): number {
  requireProbability('cycleServiceLevel', target);
  const mean = (demand.meanPerPeriod * leadTime.mean) / daysPerPeriod;
  return smallestSatisfying(
    mean,
    (s) => leadTimeDemandTail(demand, leadTime, s, daysPerPeriod) <= 1 - target + 1e-12,
  );
}

/** Smallest reorder point s whose (s, Q) fill rate reaches `target`. */
export function reorderPointForFillRate(
  demand: DemandDistribution,
  leadTime: LeadTimeDistribution,
  orderQuantity: number,
  target: number,
  daysPerPeriod = DAYS_PER_MONTH,
): number {
  requireProbability('fillRate', target);
  const mean = (demand.meanPerPeriod * leadTime.mean) / daysPerPeriod;
  return smallestSatisfying(
    mean,
    (s) => fillRate(demand, leadTime, s, orderQuantity, daysPerPeriod) >= target - 1e-12,
  );
}

export interface PolicyAdviceInput {
  readonly partId: string;
  readonly demand: DemandDistribution;
  /** Event-adjusted replenishment lead time. */
  readonly leadTime: LeadTimeDistribution;
  readonly criticality: Criticality;
  readonly current: { readonly reorderPoint: number; readonly orderQuantity?: number };
  /** `cycle_service` (default) or `fill_rate` (needs an order quantity). */
  readonly basis?: 'cycle_service' | 'fill_rate';
  readonly targets?: Readonly<Record<Criticality, ServiceTarget>>;
  readonly aog?: AogProfile;
  readonly aogCostPerDay?: number;
  readonly expediteCostPerStockout?: number;
  readonly daysPerPeriod?: number;
}

export interface PolicyPoint {
  readonly reorderPoint: number;
  /** reorder point − mean lead-time demand (may be negative for a policy below mean demand). */
  readonly safetyStock: number;
  readonly cycleServiceLevel: number;
  readonly fillRate: number | undefined;
  /** Expected exposure of one replenishment cycle ordered at this reorder point (USD). */
  readonly expectedExposure: number;
  readonly score: number;
}

export interface PolicyAdvice {
  readonly partId: string;
  readonly basis: 'cycle_service' | 'fill_rate';
  readonly target: number;
  readonly meanLeadTimeDemand: number;
  readonly current: PolicyPoint;
  readonly recommended: PolicyPoint;
  /** recommended.expectedExposure − current.expectedExposure (negative = risk reduced). */
  readonly expectedExposureChange: number;
}

/**
 * Recommends a reorder point and safety stock for the part's criticality target, next to the current
 * ones. Exposure is evaluated for one cycle: inventory position = reorder point when the order is
 * placed, scored by the same model as the risk engine, so the change in exposure is comparable with
 * the risk score's dollars.
 */
export function advisePolicy(input: PolicyAdviceInput, ctx: ScoringContext = scoringContext()): PolicyAdvice {
  const dpp = input.daysPerPeriod ?? DAYS_PER_MONTH;
  const targets = input.targets ?? DEFAULT_SERVICE_TARGETS;
  const t = targets[input.criticality];
  if (t === undefined)
    throw new SupplyRiskError(
      'SUPPLY_RISK_INVALID_INPUT',
      'criticality',
      `must be one of ${CRITICALITIES.join(', ')}`,
      input.criticality,
    );
  requireFinite('current.reorderPoint', input.current.reorderPoint, 0);
  const q = input.current.orderQuantity;
  if (q !== undefined) requireFinite('current.orderQuantity', q, Number.MIN_VALUE);
  const basis = input.basis ?? 'cycle_service';
  if (basis === 'fill_rate' && q === undefined) {
    throw new SupplyRiskError(
      'SUPPLY_RISK_INVALID_INPUT',
      'current.orderQuantity',
      'is required for a fill-rate target',
    );
  }
  const target = basis === 'fill_rate' ? t.fillRate : t.cycleServiceLevel;
  const recommendedRop =
    basis === 'fill_rate'
      ? reorderPointForFillRate(input.demand, input.leadTime, q!, target, dpp)
      : reorderPointForServiceLevel(input.demand, input.leadTime, target, dpp);
  const meanLtd = (input.demand.meanPerPeriod * input.leadTime.mean) / dpp;
  const point = (rop: number): PolicyPoint => {
    const risk = assessPartRisk(
      {
        partId: input.partId,
        demand: input.demand,
        leadTime: input.leadTime,
        position: { onHand: rop },
        ...(input.aog !== undefined ? { aog: input.aog } : {}),
        ...(input.aogCostPerDay !== undefined ? { aogCostPerDay: input.aogCostPerDay } : {}),
        ...(input.expediteCostPerStockout !== undefined
          ? { expediteCostPerStockout: input.expediteCostPerStockout }
          : {}),
        daysPerPeriod: dpp,
      },
      ctx,
    );
    return {
      reorderPoint: rop,
      safetyStock: rop - meanLtd,
      cycleServiceLevel: 1 - risk.stockout.stockoutProbability,
      fillRate: q === undefined ? undefined : fillRate(input.demand, input.leadTime, rop, q, dpp),
      expectedExposure: risk.exposure.expected,
      score: risk.score,
    };
  };
  const current = point(input.current.reorderPoint);
  const recommended = point(recommendedRop);
  return {
    partId: input.partId,
    basis,
    target,
    meanLeadTimeDemand: meanLtd,
    current,
    recommended,
    expectedExposureChange: recommended.expectedExposure - current.expectedExposure,
  };
}
