import { RISK_LEVELS, type RiskLevel } from '../risk/risk-score.js';
import type { PortfolioItems } from './portfolio-input.js';
import type { PortfolioScores } from './portfolio-scorer.js';

/**
 * The assumptions behind every portfolio total, returned with the figures so no screen or export can
 * show a sum without them.
 */
export const PORTFOLIO_ASSUMPTIONS = Object.freeze([
  'expectedExposure is the sum of per-item expected exposures: exact for that sum under any dependence between parts (linearity of expectation).',
  'Two shortages that ground the same aircraft on the same day are counted twice in expectedExposure, so it over-states the fleet cost when shortages coincide; it is never a forecast of concurrent loss.',
  'concurrentUpperBound assumes every item is short at once (sum of exposures given a stockout), with the AOG part of each fleet capped at what that fleet can lose: aircraft × cost per day × the longest mean lead time of its parts. It is an upper bound, not a forecast.',
  'Demand of different parts is treated as independent (no common-cause correlation is modelled); events are the only modelled common cause, through shared suppliers.',
]);

/** One grouping of items, e.g. by category: a code per item (−1 = none) and the code labels. */
export interface GroupDimension {
  readonly name: string;
  readonly codes: Int32Array;
  readonly labels: readonly string[];
}

export interface ExposureTotals {
  readonly items: number;
  readonly byLevel: Readonly<Record<RiskLevel, number>>;
  readonly expectedExposure: number;
  readonly concurrentUpperBound: number;
  /** Fleets whose concurrent AOG share hit their cap in this group. */
  readonly cappedFleets: number;
}

export interface GroupTotals extends ExposureTotals {
  readonly key: string;
}

export interface PortfolioSummary {
  readonly total: ExposureTotals;
  readonly groups: Readonly<Record<string, readonly GroupTotals[]>>;
  /** Items the engine refused (status 1): counted here, never in the totals. */
  readonly refused: number;
  readonly assumptions: readonly string[];
}

/** What each fleet can lose at most over the scoring horizon (USD), by fleet index. */
export function fleetCaps(items: PortfolioItems, scores: PortfolioScores, fleets: number): Float64Array {
  const size = new Float64Array(fleets);
  const cost = new Float64Array(fleets);
  const horizon = new Float64Array(fleets);
  for (let i = 0; i < items.count; i++) {
    const f = items.fleet[i]!;
    if (f < 0 || f >= fleets || items.grounds[i] !== 1 || scores.status[i] !== 0) continue;
    const n = items.fleetSize[i]!;
    size[f] = Number.isNaN(n) ? Number.POSITIVE_INFINITY : Math.max(size[f]!, n);
    cost[f] = Math.max(cost[f]!, items.aogCostPerDay[i]!);
    horizon[f] = Math.max(horizon[f]!, scores.meanLeadTimeDays[i]!);
  }
  const caps = new Float64Array(fleets);
  for (let f = 0; f < fleets; f++) caps[f] = size[f]! * cost[f]! * horizon[f]!;
  return caps;
}

class Accumulator {
  items = 0;
  readonly levels = [0, 0, 0, 0];
  expected = 0;
  unfleeted = 0;
  readonly fleetAog = new Map<number, number>();

  add(i: number, items: PortfolioItems, s: PortfolioScores): void {
    this.items++;
    this.levels[s.level[i]!]!++;
    this.expected += s.expectedExposure[i]!;
    const conditional = s.conditionalExposure[i]!;
    const f = items.fleet[i]!;
    if (f < 0 || items.grounds[i] !== 1 || s.stockoutProbability[i]! <= 0) {
      this.unfleeted += conditional;
      return;
    }
    // Given a stockout, the item costs its expediting plus its AOG share; only the AOG share competes
    // for the fleet's aircraft.
    const expedite = items.expediteCost[i]!;
    this.unfleeted += Math.min(expedite, conditional);
    this.fleetAog.set(f, (this.fleetAog.get(f) ?? 0) + Math.max(0, conditional - expedite));
  }

  totals(caps: Float64Array): ExposureTotals {
    let bound = this.unfleeted;
    let capped = 0;
    for (const [f, sum] of this.fleetAog) {
      const cap = caps[f] ?? Number.POSITIVE_INFINITY;
      if (sum > cap) {
        bound += cap;
        capped++;
      } else bound += sum;
    }
    const byLevel = Object.fromEntries(RISK_LEVELS.map((l, k) => [l, this.levels[k]!])) as Record<RiskLevel, number>;
    return {
      items: this.items,
      byLevel,
      expectedExposure: this.expected,
      concurrentUpperBound: Math.max(bound, this.expected),
      cappedFleets: capped,
    };
  }
}

/**
 * Portfolio totals and breakdowns (by level and by any dimensions given). Never adds what cannot
 * happen together without saying so: see {@link PORTFOLIO_ASSUMPTIONS}, returned with the figures.
 */
export function summarizePortfolio(
  items: PortfolioItems,
  scores: PortfolioScores,
  dimensions: readonly GroupDimension[] = [],
  caps: Float64Array = fleetCaps(items, scores, maxFleet(items) + 1),
): PortfolioSummary {
  const total = new Accumulator();
  const perDim = dimensions.map(() => new Map<number, Accumulator>());
  let refused = 0;
  for (let i = 0; i < items.count; i++) {
    if (scores.status[i] !== 0) {
      refused++;
      continue;
    }
    total.add(i, items, scores);
    dimensions.forEach((d, k) => {
      const code = d.codes[i]!;
      const m = perDim[k]!;
      let acc = m.get(code);
      if (acc === undefined) m.set(code, (acc = new Accumulator()));
      acc.add(i, items, scores);
    });
  }
  const groups: Record<string, GroupTotals[]> = {};
  dimensions.forEach((d, k) => {
    groups[d.name] = [...perDim[k]!.entries()]
      .map(([code, acc]) => ({ key: code < 0 ? '(none)' : (d.labels[code] ?? String(code)), ...acc.totals(caps) }))
      .sort((a, b) => b.expectedExposure - a.expectedExposure);
  });
  return { total: total.totals(caps), groups, refused, assumptions: PORTFOLIO_ASSUMPTIONS };
}

function maxFleet(items: PortfolioItems): number {
  let m = -1;
  for (let i = 0; i < items.count; i++) if (items.fleet[i]! > m) m = items.fleet[i]!;
  return m;
}
