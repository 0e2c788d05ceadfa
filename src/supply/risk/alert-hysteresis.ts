import {
  levelRank,
  levelThresholds,
  RISK_LEVELS,
  type LevelThresholds,
  type RiskLevel,
} from './risk-score.js';
import { requireFinite } from './supply-risk-error.js';

export interface HysteresisParams {
  /** Score points above a level's threshold needed to enter it from below. */
  readonly raiseMargin: number;
  /** Score points below a level's threshold needed to leave it downward. */
  readonly clearMargin: number;
  /** Lowest level that raises an alert at all. */
  readonly alertFrom: RiskLevel;
}

export const DEFAULT_HYSTERESIS: HysteresisParams = Object.freeze({
  raiseMargin: 2,
  clearMargin: 3,
  alertFrom: 'high',
});

export interface AlertDecision {
  /** The level to store as "previous" for the next decision. */
  readonly level: RiskLevel;
  /** A new alert should be raised (entered a higher level ≥ alertFrom, not already open). */
  readonly fire: boolean;
  /** An open alert should be cleared (fell below alertFrom by the clear margin). */
  readonly clear: boolean;
  /** Deduplication key: one open alert per (part, level). */
  readonly dedupKey: string;
}

const thresholdOf = (t: LevelThresholds, level: RiskLevel): number =>
  level === 'low' ? -Infinity : t[level];

/**
 * Level with hysteresis: from `previous`, move up to level L only if score ≥ threshold(L) + raiseMargin;
 * move down out of `previous` only if score < threshold(previous) − clearMargin (then to the level the
 * score falls in with the same margin). Scores wobbling around a threshold therefore neither re-fire
 * nor flap. `openAlerts` holds dedup keys of alerts already open (the caller's store).
 */
export function decideAlert(
  partId: string,
  previous: RiskLevel,
  score: number,
  openAlerts: ReadonlySet<string> = new Set(),
  thresholds: LevelThresholds = levelThresholds(),
  params: HysteresisParams = DEFAULT_HYSTERESIS,
): AlertDecision {
  requireFinite('score', score, 0);
  let level = previous;
  const prevRank = levelRank(previous);
  for (let r = RISK_LEVELS.length - 1; r > prevRank; r--) {
    const candidate = RISK_LEVELS[r]!;
    if (score >= thresholdOf(thresholds, candidate) + params.raiseMargin) {
      level = candidate;
      break;
    }
  }
  if (level === previous && score < thresholdOf(thresholds, previous) - params.clearMargin) {
    level = 'low';
    for (let r = prevRank - 1; r > 0; r--) {
      const candidate = RISK_LEVELS[r]!;
      if (score >= thresholdOf(thresholds, candidate) - params.clearMargin) {
        level = candidate;
        break;
      }
    }
  }
  const dedupKey = `${partId}:${level}`;
  const alertRank = levelRank(params.alertFrom);
  const fire = levelRank(level) > prevRank && levelRank(level) >= alertRank && !openAlerts.has(dedupKey);
  const clear = prevRank >= alertRank && levelRank(level) < alertRank;
  return { level, fire, clear, dedupKey };
}
