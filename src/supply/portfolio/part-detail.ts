import type { DemandDistribution } from '../demand-distribution.js';
import { classifyDemand, type DemandClassification } from '../forecast/classify.js';
import { autoMethodFor } from '../forecast/methods.js';
import { deterministicLeadTime, type LeadTimeDistribution } from '../leadtime/lead-time-distribution.js';
import { advisePolicy, reorderPointForServiceLevel, type Criticality, type PolicyAdvice } from '../policy/inventory-policy.js';
import { assessPartRisk, scoringContext } from '../risk/part-risk.js';
import { explainPartRisk, type RiskExplanation } from '../risk/risk-explanation.js';
import { DAYS_PER_MONTH } from '../risk/stockout.js';
import type { PortfolioInput } from './portfolio-input.js';
import { itemRiskInput, type ScoringRun } from './portfolio-scorer.js';

/** Quantiles every interval in the detail view is given at (an 80 % band and the median). */
export const DETAIL_QUANTILES = [0.1, 0.5, 0.9] as const;
/** Months of forecast and stock projection shown on the part page. */
export const DETAIL_HORIZON_MONTHS = 12;

export interface Interval {
  readonly mean: number;
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
}

export interface ItemDetail {
  readonly risk: {
    readonly score: number;
    readonly level: string;
    readonly stockoutProbability: number;
    readonly expectedShortageUnits: number | null;
    readonly expectedDaysShort: number | null;
    readonly expectedAogDays: number;
    readonly expectedExposure: number;
    readonly conditionalExposure: number;
    readonly availableNow: number;
  };
  readonly explanation: RiskExplanation;
  readonly policy: PolicyAdvice & { readonly criticality: Criticality; readonly currentReorderPointSet: boolean };
  readonly forecast: {
    readonly method: string;
    readonly classification: DemandClassification;
    readonly historyMonths: number;
    readonly meanPerPeriod: number;
    readonly sdPerPeriod: number;
    /** Demand in month h alone (the fitted model is level: the same every month) and cumulated to h. */
    readonly horizon: readonly { readonly month: number; readonly perPeriod: Interval; readonly cumulative: Interval }[];
    /** Demand over the replenishment lead time (mixed over the lead-time grid). */
    readonly leadTimeDemand: Interval;
  };
  readonly leadTime: {
    readonly offer: { readonly meanDays: number; readonly sdDays: number };
    readonly supplier: { readonly deliveries: number; readonly onTimeDeliveries: number; readonly onTimeProbability: number } | null;
    /** The event-adjusted distribution the part is scored against (≤ 8 points). */
    readonly points: readonly { readonly days: number; readonly probability: number }[];
    readonly meanDays: number;
    readonly sdDays: number;
    readonly p10: number;
    readonly p50: number;
    readonly p90: number;
    readonly stages: { readonly offerMeanDays: number; readonly withSupplierDelayMeanDays: number; readonly withEventsMeanDays: number };
  };
  /**
   * Expected available stock at the end of each month with no new order placed: available now plus
   * on-order lines due by then, minus mean cumulative demand; with the probability that cumulative
   * demand has exceeded it.
   */
  readonly stockProjection: readonly { readonly month: number; readonly expectedAvailable: number; readonly stockoutProbability: number }[];
}

/** Quantiles of demand over `lt`: the smallest k with P(D ≤ k) ≥ q is the reorder point for CSL q. */
function interval(demand: DemandDistribution, lt: LeadTimeDistribution, mean: number, dpp: number): Interval {
  const [a, b, c] = DETAIL_QUANTILES.map((q) => reorderPointForServiceLevel(demand, lt, q, dpp));
  return { mean, p10: a!, p50: b!, p90: c! };
}

function leadTimeQuantile(lt: LeadTimeDistribution, q: number): number {
  let acc = 0;
  for (let j = 0; j < lt.days.length; j++) {
    acc += lt.probs[j]!;
    if (acc >= q - 1e-12) return lt.days[j]!;
  }
  return lt.days[lt.days.length - 1]!;
}

/**
 * Everything the part page shows for one item, computed from the same inputs and code as the bulk
 * score: full-detail risk (shortage, days short), the Shapley explanation, policy advice for the
 * part's criticality next to today's reorder point, the demand forecast with intervals, the
 * lead-time distribution and its stages, and a stock projection. Costs about 40 scorings: on demand
 * only. Throws `SupplyRiskError` when the engine refuses the item (the caller reports it).
 */
export function itemDetail(
  input: PortfolioInput,
  run: ScoringRun,
  i: number,
  partId: string,
  item: { criticality: Criticality; reorderPoint: number | null },
): ItemDetail {
  const { risk, entry } = itemRiskInput(input, run, i, partId);
  const supply = entry.supply!;
  const dpp = run.options.daysPerPeriod ?? DAYS_PER_MONTH;
  const full = assessPartRisk(risk, scoringContext(run.options.scoreParams, 'full'));
  const ctx = scoringContext(run.options.scoreParams, 'full');
  const explanation = explainPartRisk(
    {
      ...risk,
      offerLeadTime: supply.offer,
      // Always: the bulk score convolves the prior's delay even for an item without a supplier.
      supplierDelay: supply.reliability.delay,
      events: supply.matches,
    },
    { context: ctx },
  );
  const current = { reorderPoint: item.reorderPoint ?? 0 };
  const policy = advisePolicy(
    {
      partId,
      demand: risk.demand,
      leadTime: risk.leadTime,
      criticality: item.criticality,
      current,
      ...(risk.aog ? { aog: risk.aog, aogCostPerDay: risk.aogCostPerDay ?? 0 } : {}),
      expediteCostPerStockout: risk.expediteCostPerStockout ?? 0,
      daysPerPeriod: dpp,
    },
    ctx,
  );

  const it = input.items;
  const history = it.demand.subarray(it.demandOffsets[i], it.demandOffsets[i + 1]);
  const mean = risk.demand.meanPerPeriod;
  const horizon = [];
  const projection = [];
  const available = full.stockout.availableNow;
  for (let h = 1; h <= DETAIL_HORIZON_MONTHS; h++) {
    const one = deterministicLeadTime(dpp);
    const cum = deterministicLeadTime(h * dpp);
    horizon.push({ month: h, perPeriod: interval(risk.demand, one, mean, dpp), cumulative: interval(risk.demand, cum, mean * h, dpp) });
    let arriving = 0;
    for (const l of risk.position.onOrder ?? []) if (l.dueInDays <= h * dpp) arriving += l.quantity;
    const a = available + arriving;
    projection.push({
      month: h,
      expectedAvailable: a - mean * h,
      stockoutProbability: a < 0 ? 1 : risk.demand.tailProbability(h, a),
    });
  }
  const lt = risk.leadTime;
  return {
    risk: {
      score: full.score,
      level: full.level,
      stockoutProbability: full.stockout.stockoutProbability,
      expectedShortageUnits: full.stockout.expectedShortageUnits ?? null,
      expectedDaysShort: full.stockout.expectedDaysShort ?? null,
      expectedAogDays: full.stockout.expectedAogDays,
      expectedExposure: full.exposure.expected,
      conditionalExposure: full.exposure.conditional,
      availableNow: available,
    },
    explanation,
    policy: { ...policy, criticality: item.criticality, currentReorderPointSet: item.reorderPoint !== null },
    forecast: {
      method: risk.demand.method === 'auto' ? `auto:${autoMethodFor(history)}` : risk.demand.method,
      classification: classifyDemand(history),
      historyMonths: history.length,
      meanPerPeriod: mean,
      sdPerPeriod: Math.sqrt(risk.demand.variancePerPeriod),
      horizon,
      leadTimeDemand: interval(risk.demand, lt, full.stockout.meanLeadTimeDemand, dpp),
    },
    leadTime: {
      offer: { meanDays: entry.meanDays, sdDays: entry.sdDays },
      supplier:
        entry.supplier >= 0
          ? {
              deliveries: supply.reliability.deliveries,
              onTimeDeliveries: supply.reliability.onTimeDeliveries,
              onTimeProbability: supply.reliability.onTimeProbability,
            }
          : null,
      points: Array.from(lt.days, (d, j) => ({ days: d, probability: lt.probs[j]! })),
      meanDays: lt.mean,
      sdDays: Math.sqrt(lt.variance),
      p10: leadTimeQuantile(lt, 0.1),
      p50: leadTimeQuantile(lt, 0.5),
      p90: leadTimeQuantile(lt, 0.9),
      stages: { offerMeanDays: supply.offer.mean, withSupplierDelayMeanDays: supply.supplier.mean, withEventsMeanDays: lt.mean },
    },
    stockProjection: projection,
  };
}

