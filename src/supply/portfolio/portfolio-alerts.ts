import { decideAlert, DEFAULT_HYSTERESIS, type HysteresisParams } from '../risk/alert-hysteresis.js';
import { levelThresholds, RISK_LEVELS, type LevelThresholds, type RiskLevel, type ScoreParams } from '../risk/risk-score.js';
import { matchDimensions, type RiskEvent, type SupplyNode } from '../risk/risk-events.js';
import type { PortfolioItems } from './portfolio-input.js';
import type { PortfolioScores } from './portfolio-scorer.js';

export interface LevelTransition {
  readonly index: number;
  /** Level state before and after hysteresis (what to store for the next decision). */
  readonly from: RiskLevel;
  readonly to: RiskLevel;
  readonly fire: boolean;
  readonly clear: boolean;
  readonly dedupKey: string;
}

/**
 * Applies alert hysteresis (src/supply/risk/alert-hysteresis) to every scored item. `previous[i]` is
 * the stored level state (index into RISK_LEVELS; 255 = never scored, read as `low`). Only items whose
 * raw level differs from their state are examined: with the same raw level hysteresis can neither
 * raise nor clear, so a full re-score of 500k items decides only the few that moved.
 * `keyOf(i)` names the item in dedup keys (e.g. `partId/locationId`); `open` holds open alert keys.
 */
export function decideTransitions(
  scores: PortfolioScores,
  previous: Uint8Array,
  keyOf: (index: number) => string,
  open: ReadonlySet<string>,
  options: { scoreParams?: ScoreParams; hysteresis?: HysteresisParams; indexes?: ArrayLike<number> } = {},
): LevelTransition[] {
  const thresholds: LevelThresholds = levelThresholds(options.scoreParams);
  const hysteresis = options.hysteresis ?? DEFAULT_HYSTERESIS;
  const out: LevelTransition[] = [];
  const n = options.indexes ? options.indexes.length : scores.count;
  for (let k = 0; k < n; k++) {
    const i = options.indexes ? options.indexes[k]! : k;
    if (scores.status[i] !== 0) continue;
    const prevCode = previous[i]! === 255 ? 0 : previous[i]!;
    if (scores.level[i] === prevCode) continue;
    const from = RISK_LEVELS[prevCode]!;
    const d = decideAlert(keyOf(i), from, scores.score[i]!, open, thresholds, hysteresis);
    if (d.level !== from || d.fire || d.clear)
      out.push({ index: i, from, to: d.level, fire: d.fire, clear: d.clear, dedupKey: d.dedupKey });
  }
  return out;
}

/** Suppliers an event touches (by supplier id, country, region or port), as indexes into `nodes`. */
export function suppliersTouchedBy(events: readonly RiskEvent[], nodes: readonly SupplyNode[]): Set<number> {
  const out = new Set<number>();
  nodes.forEach((node, s) => {
    if (events.some((e) => matchDimensions(e, node).length > 0)) out.add(s);
  });
  return out;
}

/** Items replenished from any of `suppliers`: what a new or changed risk event makes stale. */
export function itemsOfSuppliers(items: PortfolioItems, suppliers: ReadonlySet<number>): Int32Array {
  let n = 0;
  for (let i = 0; i < items.count; i++) if (suppliers.has(items.supplier[i]!)) n++;
  const out = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < items.count; i++) if (suppliers.has(items.supplier[i]!)) out[k++] = i;
  return out;
}
