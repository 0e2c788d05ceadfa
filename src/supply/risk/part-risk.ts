import type { DemandDistribution } from '../demand-distribution.js';
import type { LeadTimeDistribution } from '../leadtime/lead-time-distribution.js';
import { dollarExposure, type Exposure } from './exposure.js';
import {
  DEFAULT_SCORE_PARAMS,
  levelThresholds,
  riskLevel,
  riskScore,
  type LevelThresholds,
  type RiskLevel,
  type ScoreParams,
} from './risk-score.js';
import { assessStockout, type AogProfile, type StockPosition, type StockoutResult } from './stockout.js';
import { SupplyRiskError } from './supply-risk-error.js';

/** Everything needed to score one part against a (shared, precomputed) replenishment lead time. */
export interface PartRiskInput {
  readonly partId: string;
  readonly demand: DemandDistribution;
  readonly leadTime: LeadTimeDistribution;
  readonly position: StockPosition;
  /** Present when a shortage grounds aircraft; then `aogCostPerDay` is required. */
  readonly aog?: AogProfile;
  readonly aogCostPerDay?: number;
  readonly expediteCostPerStockout?: number;
  readonly daysPerPeriod?: number;
}

export interface PartRisk {
  readonly partId: string;
  readonly stockout: StockoutResult;
  readonly exposure: Exposure;
  readonly score: number;
  readonly level: RiskLevel;
}

export interface ScoringContext {
  readonly params: ScoreParams;
  readonly thresholds: LevelThresholds;
  /** `score` for bulk re-scoring (see StockoutOptions.detail); `full` for single parts. */
  readonly detail: 'full' | 'score';
}

/** Build once per run; passing it avoids recomputing thresholds per part. */
export function scoringContext(
  params: ScoreParams = DEFAULT_SCORE_PARAMS,
  detail: 'full' | 'score' = 'full',
): ScoringContext {
  return { params, thresholds: levelThresholds(params), detail };
}

const DEFAULT_CONTEXT = scoringContext();

/** The hot path: stockout → exposure → score → level for one part. */
export function assessPartRisk(input: PartRiskInput, ctx: ScoringContext = DEFAULT_CONTEXT): PartRisk {
  if (input.aog !== undefined && input.aogCostPerDay === undefined) {
    throw new SupplyRiskError(
      'SUPPLY_RISK_INVALID_INPUT',
      `${input.partId}.aogCostPerDay`,
      'is required for a part that grounds aircraft',
    );
  }
  const stockout = assessStockout(input.demand, input.leadTime, input.position, {
    aog: input.aog,
    daysPerPeriod: input.daysPerPeriod,
    detail: ctx.detail,
  });
  const exposure = dollarExposure({
    expectedAogDays: stockout.expectedAogDays,
    aogCostPerDay: input.aogCostPerDay ?? 0,
    stockoutProbability: stockout.stockoutProbability,
    expediteCostPerStockout: input.expediteCostPerStockout ?? 0,
  });
  const score = riskScore(stockout.stockoutProbability, exposure.expected, ctx.params);
  return { partId: input.partId, stockout, exposure, score, level: riskLevel(score, ctx.thresholds) };
}
