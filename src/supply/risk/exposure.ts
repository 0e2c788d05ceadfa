import { SupplyRiskError, requireFinite, requireProbability } from './supply-risk-error.js';

export const AIRCRAFT_CLASSES = [
  'widebody',
  'narrowbody',
  'regional',
  'business_jet',
  'helicopter',
  'uas',
] as const;
export type AircraftClass = (typeof AIRCRAFT_CLASSES)[number];

/** A cost-per-AOG-day band in USD: `typical` is the default, `low`/`high` bound what tenants usually set. */
export interface AogCostBand {
  readonly low: number;
  readonly typical: number;
  readonly high: number;
  readonly source: string;
}

/**
 * Default AOG cost per aircraft-day (USD). ASSUMPTIONS, configurable per tenant: public figures are
 * per hour, marketing-grade and vary by a factor of ten; a grounded aircraft rarely loses 24 revenue
 * hours, so we do not multiply hourly figures by 24 for the typical value. Anchors:
 * - Boeing Commercial Airplanes Operations Center, as cited by FAA-H-8083-30A (AMT Handbook –
 *   General, 2018, ch. 14): a 1–2 h AOG costs an airline $10,000–$20,000 and up to $150,000 per hour.
 * - Dry-lease rates as a floor for the cost of replacing capacity: 787-9 about $1.1–1.25 M/month
 *   (≈ $36,000/day) per trade press; A320/737-class roughly $300–400 k/month (≈ $10–13 k/day).
 * - Trade press/forwarders quote narrow-body $10–15 k/h and wide-body $25–40 k/h (×24 = upper band).
 * Business jet, helicopter and UAS rows are judgements (charter-replacement and lost-mission value).
 */
export const AOG_COST_PER_DAY_BANDS: Readonly<Record<AircraftClass, AogCostBand>> = Object.freeze({
  widebody: {
    low: 40_000,
    typical: 150_000,
    high: 600_000,
    source: 'Boeing/FAA-H-8083-30A hourly range; 787-9 dry lease ≈ $36k/day floor; trade press $25–40k/h',
  },
  narrowbody: {
    low: 12_000,
    typical: 60_000,
    high: 250_000,
    source:
      'Boeing/FAA-H-8083-30A $10–20k per 1–2 h AOG; A320/737 dry lease ≈ $10–13k/day floor; trade press $10–15k/h',
  },
  regional: {
    low: 5_000,
    typical: 25_000,
    high: 80_000,
    source: 'Judgement scaled from narrow-body by seat count (≈ 70–100 seats)',
  },
  business_jet: {
    low: 5_000,
    typical: 20_000,
    high: 120_000,
    source: 'Judgement: charter replacement cost; trade press $5–15k/h upper',
  },
  helicopter: {
    low: 3_000,
    typical: 15_000,
    high: 60_000,
    source: 'Judgement: replacement charter / lost contract day (offshore, HEMS)',
  },
  uas: {
    low: 100,
    typical: 1_000,
    high: 10_000,
    source: 'Judgement: lost mission value of a commercial drone; set per tenant',
  },
});

/** The tenant's cost per AOG day, else the class default. Refuses NaN and negative costs. */
export function aogCostPerDay(aircraftClass: AircraftClass, tenantOverride?: number): number {
  if (tenantOverride !== undefined) return requireFinite('aogCostPerDay', tenantOverride, 0);
  const band = AOG_COST_PER_DAY_BANDS[aircraftClass];
  if (band === undefined)
    throw new SupplyRiskError(
      'SUPPLY_RISK_INVALID_INPUT',
      'aircraftClass',
      `must be one of ${AIRCRAFT_CLASSES.join(', ')}`,
      aircraftClass,
    );
  return band.typical;
}

export interface ExposureInput {
  readonly expectedAogDays: number;
  readonly aogCostPerDay: number;
  readonly stockoutProbability: number;
  /** Extra cost of expediting (AOG courier, premium freight, borrow/exchange fee) per stockout. */
  readonly expediteCostPerStockout?: number;
}

export interface Exposure {
  readonly aogCost: number;
  readonly expediteCost: number;
  /** Expected dollars: aogCost + expediteCost. */
  readonly expected: number;
  /** Dollars if the stockout happens: expected / P(stockout) (0 when P = 0). Used for concurrency bounds. */
  readonly conditional: number;
}

/** Expected exposure = E[AOG days] × cost/day + P(stockout) × expedite cost. */
export function dollarExposure(input: ExposureInput): Exposure {
  const days = requireFinite('expectedAogDays', input.expectedAogDays, 0);
  const cost = requireFinite('aogCostPerDay', input.aogCostPerDay, 0);
  const p = requireProbability('stockoutProbability', input.stockoutProbability);
  const expedite = requireFinite('expediteCostPerStockout', input.expediteCostPerStockout ?? 0, 0);
  const aogCost = days * cost;
  const expediteCost = p * expedite;
  const expected = aogCost + expediteCost;
  return { aogCost, expediteCost, expected, conditional: p > 0 ? expected / p : 0 };
}

export interface PortfolioItem {
  readonly partId: string;
  readonly exposure: Exposure;
  /** Parts grounding the same fleet compete for the same aircraft: their AOG cannot exceed the fleet. */
  readonly fleetKey?: string;
}

export interface FleetCap {
  readonly fleetKey: string;
  /** Most dollars that fleet can lose over the horizon: aircraft × cost/day × horizon days. */
  readonly maxConcurrentCost: number;
}

export interface PortfolioExposure {
  /** Σ expected exposures: valid under any dependence (linearity of expectation). */
  readonly expectedTotal: number;
  /**
   * Σ conditional exposures ("every part short at once"), capped per fleet. It is an UPPER BOUND of
   * concurrent exposure, not a forecast: parts rarely all fail together.
   */
  readonly concurrentUpperBound: number;
  readonly parts: number;
  readonly label: 'expectedTotal is an expected value; concurrentUpperBound is an upper bound assuming every part is short at once (capped per fleet), not a forecast';
  readonly cappedFleets: readonly string[];
}

/**
 * Aggregates part exposures without silently adding what cannot happen together. The expected total
 * is exact under any correlation. The concurrent figure sums the conditional (if-short) exposures —
 * the worst case — and caps each fleet's share at what the fleet can lose, since two parts
 * grounding the same aircraft do not ground it twice.
 */
export function portfolioExposure(
  items: readonly PortfolioItem[],
  fleetCaps: readonly FleetCap[] = [],
): PortfolioExposure {
  const caps = new Map(
    fleetCaps.map((c) => [c.fleetKey, requireFinite(`fleetCaps.${c.fleetKey}`, c.maxConcurrentCost, 0)]),
  );
  let expectedTotal = 0;
  let unfleeted = 0;
  const perFleet = new Map<string, number>();
  for (const it of items) {
    requireFinite(`${it.partId}.exposure.expected`, it.exposure.expected, 0);
    requireFinite(`${it.partId}.exposure.conditional`, it.exposure.conditional, 0);
    expectedTotal += it.exposure.expected;
    if (it.fleetKey !== undefined)
      perFleet.set(it.fleetKey, (perFleet.get(it.fleetKey) ?? 0) + it.exposure.conditional);
    else unfleeted += it.exposure.conditional;
  }
  let bound = unfleeted;
  const capped: string[] = [];
  for (const [fleet, sum] of perFleet) {
    const cap = caps.get(fleet);
    if (cap !== undefined && sum > cap) {
      bound += cap;
      capped.push(fleet);
    } else bound += sum;
  }
  return {
    expectedTotal,
    concurrentUpperBound: Math.max(bound, expectedTotal),
    parts: items.length,
    label:
      'expectedTotal is an expected value; concurrentUpperBound is an upper bound assuming every part is short at once (capped per fleet), not a forecast',
    cappedFleets: capped,
  };
}
