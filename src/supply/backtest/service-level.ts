import { quantileUnits } from '../forecast/distributions.js';
import { FORECAST_METHODS, fitDemandDistribution, type ForecastMethod, type ForecastOptions } from '../forecast/methods.js';
import type { DemandSeries, SeriesSet } from './series-csv.js';

/**
 * Achieved-vs-target cycle service (after Teunter & Duncan 2009), for a periodic-review
 * order-up-to policy (R = 1 period, S) with backorders:
 *
 * - for each part, method and target β, S is the β-quantile of the method's demand distribution
 *   over the protection interval τ = L + 1 periods (lead time L from the part's attribute, plus the
 *   one-period review; so a lead time of 0 protects one period), fitted on the training periods only;
 * - under that policy the net stock at the end of period t is exactly S − D(t − L … t), the demand of
 *   the last L + 1 periods; a **cycle** is a (part, held-out period t) pair and it **stocks out** when
 *   D(t − L … t) > S;
 * - **achieved cycle service** = cycles without a stockout / cycles, over all parts and the
 *   `holdout` periods. Windows reaching back before the holdout use the observed training demand
 *   (the policy is taken as running in steady state); windows with a missing cell are not counted.
 *
 * Also reported: the mean S (stock carried, the price of the service) per method and target.
 */
export interface ServiceLevelOptions {
  readonly targets?: readonly number[];
  readonly holdout?: number;
  readonly methods?: readonly ForecastMethod[];
  /** Lead time in periods of a part; default: the `lead_time_months` attribute. undefined skips the part. */
  readonly leadTime?: (s: DemandSeries) => number | undefined;
  readonly forecast?: ForecastOptions;
}

export interface ServiceCell {
  readonly target: number;
  readonly achieved: number;
  readonly cycles: number;
  /** Mean order-up-to level (units) over parts. */
  readonly meanOrderUpTo: number;
}

export interface ServiceLevelReport {
  readonly parts: number;
  readonly skippedParts: number;
  readonly holdout: number;
  readonly methods: Readonly<Partial<Record<ForecastMethod, readonly ServiceCell[]>>>;
}

export const defaultLeadTime = (s: DemandSeries): number | undefined => {
  const raw = s.attributes.lead_time_months;
  if (raw === undefined || raw.trim() === '') return undefined;
  const v = Number(raw);
  return Number.isFinite(v) && v >= 0 ? v : undefined;
};

export function serviceLevelBacktest(input: SeriesSet | readonly DemandSeries[], options: ServiceLevelOptions = {}): ServiceLevelReport {
  const targets = options.targets ?? [0.9, 0.95, 0.99];
  const holdout = options.holdout ?? 12;
  const methods = options.methods ?? FORECAST_METHODS;
  const leadTime = options.leadTime ?? defaultLeadTime;
  const all = 'series' in input ? input.series : input;
  const ok = new Array<number>(methods.length * targets.length).fill(0);
  const cycles = new Array<number>(methods.length * targets.length).fill(0);
  const stock = new Array<number>(methods.length * targets.length).fill(0);
  let parts = 0;
  let skipped = 0;
  for (const s of all) {
    const L = leadTime(s);
    const n = s.values.length;
    if (L === undefined || n <= holdout) {
      skipped++;
      continue;
    }
    parts++;
    const tau = L + 1;
    const w = Math.ceil(tau); // whole periods of a window (fractional lead times round up)
    const train = s.values.subarray(0, n - holdout);
    // Realised window demands for the held-out periods (NaN if the window is incomplete).
    const windows = new Float64Array(holdout);
    for (let j = 0; j < holdout; j++) {
      const t = n - holdout + j;
      let d = t - w + 1 < 0 ? Number.NaN : 0;
      for (let i = Math.max(0, t - w + 1); i <= t; i++) d += s.values[i]!;
      windows[j] = d;
    }
    methods.forEach((m, mi) => {
      const dist = fitDemandDistribution(m, train, options.forecast);
      targets.forEach((beta, ti) => {
        const S = quantileUnits(dist, tau, beta);
        const k = mi * targets.length + ti;
        stock[k]! += S;
        for (let j = 0; j < holdout; j++) {
          const d = windows[j]!;
          if (Number.isNaN(d)) continue;
          cycles[k]!++;
          if (d <= S) ok[k]!++;
        }
      });
    });
  }
  const out: Partial<Record<ForecastMethod, ServiceCell[]>> = {};
  methods.forEach((m, mi) => {
    out[m] = targets.map((target, ti) => {
      const k = mi * targets.length + ti;
      return {
        target,
        achieved: cycles[k]! > 0 ? ok[k]! / cycles[k]! : Number.NaN,
        cycles: cycles[k]!,
        meanOrderUpTo: parts > 0 ? stock[k]! / parts : Number.NaN,
      };
    });
  });
  return { parts, skippedParts: skipped, holdout, methods: out };
}

/** Plain-text table: one row per method, achieved service (and mean S) per target. */
export function formatServiceLevelTable(report: ServiceLevelReport): string {
  const entries = Object.entries(report.methods).filter((e): e is [string, readonly ServiceCell[]] => e[1] !== undefined);
  const targets = entries[0]?.[1].map((c) => c.target) ?? [];
  const head = `${'method'.padEnd(10)}${targets.map((t) => `${(t * 100).toFixed(0)}% target`.padStart(22)).join('')}`;
  const rows = entries.map(
    ([m, cells]) =>
      `${m.padEnd(10)}${cells.map((c) => `${(c.achieved * 100).toFixed(1)}% (S̄ ${c.meanOrderUpTo.toFixed(1)})`.padStart(22)).join('')}`,
  );
  return [head, ...rows].join('\n');
}
