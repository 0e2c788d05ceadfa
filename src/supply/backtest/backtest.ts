import { classifyDemand, type DemandClass } from '../forecast/classify.js';
import { FORECAST_METHODS, pointForecast, type ForecastMethod, type ForecastOptions } from '../forecast/methods.js';
import { ScoreAccumulator, scoreSeries, type MethodScores } from './metrics.js';
import type { DemandSeries, SeriesSet } from './series-csv.js';

export interface BacktestOptions {
  /** Periods held out at the end of every series (= the forecast horizon). Default 12. */
  readonly holdout?: number;
  readonly forecast?: ForecastOptions;
}

/** A forecaster scored by `scoreMethods`: the training part (NaN = missing) → h forecasts. */
export type Forecaster = (train: Float64Array, horizon: number) => ArrayLike<number>;

export type ReportScores = Omit<MethodScores, 'rmse_pooled'>;

/** The `skyguard supply backtest --json` document. */
export interface BacktestReport {
  /** Series in the input. */
  readonly series: number;
  /** SBC classes over each whole series (observed cells). */
  readonly classes: Readonly<Record<DemandClass, number>>;
  readonly methods: Readonly<Record<ForecastMethod, ReportScores>>;
}

function seriesOf(input: SeriesSet | readonly DemandSeries[]): readonly DemandSeries[] {
  return 'series' in input ? input.series : input;
}

function checkHoldout(holdout: number): void {
  if (!Number.isInteger(holdout) || holdout < 1) throw new RangeError(`holdout must be a positive integer, got ${holdout}`);
}

/**
 * One-origin backtest: every forecaster is fitted on all but the last `holdout` periods of each
 * series and scored on those. A series with no observed test cell (e.g. carparts' short series) is
 * not scored. Returns the full scores (including `rmse_pooled`) per forecaster name.
 */
export function scoreMethods(
  input: SeriesSet | readonly DemandSeries[],
  forecasters: Readonly<Record<string, Forecaster>>,
  holdout = 12,
): Record<string, MethodScores & { readonly scored: number }> {
  checkHoldout(holdout);
  const names = Object.keys(forecasters);
  const acc = names.map(() => new ScoreAccumulator());
  for (const s of seriesOf(input)) {
    const n = s.values.length;
    if (n <= holdout) continue;
    const train = s.values.subarray(0, n - holdout);
    const test = s.values.subarray(n - holdout);
    names.forEach((name, i) => acc[i]!.add(scoreSeries(train, test, forecasters[name]!(train, holdout))));
  }
  const out: Record<string, MethodScores & { scored: number }> = {};
  names.forEach((name, i) => (out[name] = { ...acc[i]!.result(), scored: acc[i]!.series }));
  return out;
}

/** The built-in methods as forecasters. */
export function methodForecasters(options: ForecastOptions = {}): Record<ForecastMethod, Forecaster> {
  const out = {} as Record<ForecastMethod, Forecaster>;
  for (const m of FORECAST_METHODS) out[m] = (train, horizon) => pointForecast(m, train, { ...options, horizon });
  return out;
}

export function countClasses(input: SeriesSet | readonly DemandSeries[]): Record<DemandClass, number> {
  const classes: Record<DemandClass, number> = { smooth: 0, intermittent: 0, erratic: 0, lumpy: 0 };
  for (const s of seriesOf(input)) classes[classifyDemand(s.values).class]++;
  return classes;
}

/**
 * The backtest of every method (FORECAST_METHODS) with the report's measures: per-series averages
 * (`mase_s12`, `mase_1`, `rmsse`, `sme`) and the pooled `mase_s12_pooled` of SOURCES.md. Undefined
 * measures (no series with a usable scale) are NaN, i.e. `null` in JSON.
 */
export function runBacktest(input: SeriesSet | readonly DemandSeries[], options: BacktestOptions = {}): BacktestReport {
  const holdout = options.holdout ?? 12;
  const scores = scoreMethods(input, methodForecasters(options.forecast), holdout);
  const methods = {} as Record<ForecastMethod, ReportScores>;
  for (const m of FORECAST_METHODS) {
    const s = scores[m]!;
    methods[m] = { mase_s12: s.mase_s12, mase_1: s.mase_1, rmsse: s.rmsse, sme: s.sme, mase_s12_pooled: s.mase_s12_pooled };
  }
  return { series: seriesOf(input).length, classes: countClasses(input), methods };
}

const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(4) : '—');

/** Plain-text table of a report for the CLI (fixed-width, no colour, one method per line). */
export function formatBacktestTable(report: BacktestReport): string {
  const c = report.classes;
  const lines = [
    `series: ${report.series}   classes: smooth ${c.smooth}, intermittent ${c.intermittent}, erratic ${c.erratic}, lumpy ${c.lumpy}`,
    '',
    `${'method'.padEnd(10)}${'MASE_s12'.padStart(10)}${'pooled'.padStart(10)}${'MASE_1'.padStart(10)}${'RMSSE'.padStart(10)}${'sME'.padStart(10)}`,
  ];
  for (const [name, s] of Object.entries<ReportScores>(report.methods)) {
    lines.push(
      `${name.padEnd(10)}${fmt(s.mase_s12).padStart(10)}${fmt(s.mase_s12_pooled).padStart(10)}${fmt(s.mase_1).padStart(10)}${fmt(s.rmsse).padStart(10)}${fmt(s.sme).padStart(10)}`,
    );
  }
  lines.push('', 'MASE_s12, MASE_1, RMSSE, sME: means over series; pooled: Σ|e| / Σ seasonal scale. e = actual − forecast.');
  return lines.join('\n');
}
