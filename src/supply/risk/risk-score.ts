import { requireFinite, requireProbability } from './supply-risk-error.js';

export const RISK_LEVELS = ['low', 'moderate', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** A point in (probability, exposure) space that defines where a level starts. */
export interface LevelAnchor {
  readonly probability: number;
  readonly exposureUsd: number;
}

export interface ScoreParams {
  /** Weight of the probability term; the exposure term gets 1 − this. */
  readonly probabilityWeight: number;
  /** Exposure at which the log term starts to bite (USD). */
  readonly exposureFloorUsd: number;
  /** Exposure at which the log term saturates at 1 (USD). */
  readonly exposureCeilingUsd: number;
  /** Levels start at the score of these anchors (absolute probability/exposure, never rank). */
  readonly anchors: Readonly<Record<Exclude<RiskLevel, 'low'>, LevelAnchor>>;
}

/**
 * Defaults: half probability, half log-exposure between $1k and $10M. Level anchors (judgement,
 * tenant-configurable): moderate from 5% / $10k, high from 20% / $100k, critical from 50% / $1M.
 */
export const DEFAULT_SCORE_PARAMS: ScoreParams = Object.freeze({
  probabilityWeight: 0.5,
  exposureFloorUsd: 1_000,
  exposureCeilingUsd: 10_000_000,
  anchors: Object.freeze({
    moderate: { probability: 0.05, exposureUsd: 10_000 },
    high: { probability: 0.2, exposureUsd: 100_000 },
    critical: { probability: 0.5, exposureUsd: 1_000_000 },
  }),
});

/** g(E) = min(1, log10(1 + E/E₀) / log10(1 + E_max/E₀)): 0 at $0, 1 at the ceiling, strictly increasing between. */
export function exposureTerm(exposureUsd: number, params: ScoreParams = DEFAULT_SCORE_PARAMS): number {
  return Math.min(
    1,
    Math.log10(1 + exposureUsd / params.exposureFloorUsd) /
      Math.log10(1 + params.exposureCeilingUsd / params.exposureFloorUsd),
  );
}

/**
 * Risk score in [0, 100]: 100 × (w·p + (1 − w)·g(E)) where p is the stockout probability and E the
 * expected dollar exposure. Non-decreasing in both arguments (strictly, while E is below the
 * ceiling), so anything that raises the probability or the exposure never lowers the score.
 */
export function riskScore(
  stockoutProbability: number,
  exposureUsd: number,
  params: ScoreParams = DEFAULT_SCORE_PARAMS,
): number {
  const p = requireProbability('stockoutProbability', stockoutProbability);
  const e = requireFinite('exposureUsd', exposureUsd, 0);
  const w = params.probabilityWeight;
  return 100 * (w * p + (1 - w) * exposureTerm(e, params));
}

export type LevelThresholds = Readonly<Record<Exclude<RiskLevel, 'low'>, number>>;

/** Score thresholds implied by the anchors (default: moderate 15.5, high 35.0, critical 62.5). */
export function levelThresholds(params: ScoreParams = DEFAULT_SCORE_PARAMS): LevelThresholds {
  const s = (a: LevelAnchor): number => riskScore(a.probability, a.exposureUsd, params);
  return {
    moderate: s(params.anchors.moderate),
    high: s(params.anchors.high),
    critical: s(params.anchors.critical),
  };
}

/** The level a score falls in, by absolute thresholds. */
export function riskLevel(score: number, thresholds: LevelThresholds = levelThresholds()): RiskLevel {
  if (score >= thresholds.critical) return 'critical';
  if (score >= thresholds.high) return 'high';
  if (score >= thresholds.moderate) return 'moderate';
  return 'low';
}

export function levelRank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}
