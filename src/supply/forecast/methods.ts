import type { DemandDistribution } from '../demand-distribution.js';
import { fitBootstrap, type BootstrapOptions } from './bootstrap.js';
import { classifyDemand, type DemandClass } from './classify.js';
import { MomentDemandDistribution } from './distributions.js';
import { adida, croston, sba, sesLevel, tsb } from './smoothing.js';

/** Every forecasting method, in report order. `auto` is the production choice (see AUTO_DEFAULTS). */
export const FORECAST_METHODS = [
  'naive',
  'snaive',
  'mean',
  'ses',
  'croston',
  'sba',
  'tsb',
  'adida',
  'bootstrap',
  'auto',
] as const;
export type ForecastMethod = (typeof FORECAST_METHODS)[number];
export type BaseMethod = Exclude<ForecastMethod, 'auto'>;

export const SEASON = 12;
/** Smoothing constant of SES, Croston, SBA and TSB (α_d = α_p): the fixed α of the protocol. */
export const ALPHA = 0.1;

/**
 * `auto`'s per-class default, chosen on the RAF service-level backtest and the accuracy tables of
 * docs/validation/supply.md (classes from the training part only):
 *
 * - intermittent → TSB: unbiased on RAF (sME 0.01), hits 90/95/99 % cycle service to within half a
 *   point, and its occurrence probability decays through long runs of zeros, so a part going
 *   obsolete stops attracting stock (Croston/SBA keep the last interval forever and over-forecast);
 * - lumpy → ADIDA: best MASE and pooled RMSE on RAF; on lumpy parts TSB under-achieves the 90 %
 *   target by ~3 points while ADIDA stays within ~1.2;
 * - smooth / erratic (rare in spares: 3 of 7,674 series) → SES, of which TSB is the intermittent form.
 */
export const AUTO_DEFAULTS: Readonly<Record<DemandClass, BaseMethod>> = {
  smooth: 'ses',
  erratic: 'ses',
  intermittent: 'tsb',
  lumpy: 'adida',
};

export interface ForecastOptions {
  /** Forecast horizon (periods). Default 12. */
  readonly horizon?: number;
  readonly bootstrap?: BootstrapOptions;
  /** Override of `auto`'s method (e.g. from `selectMethodByBacktest`). */
  readonly autoMethod?: BaseMethod;
}

/** Copies the observed (non-NaN) values, clamping negatives (returns) to zero. */
export function observed(y: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i]!)) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isNaN(v)) out[j++] = v > 0 ? v : 0;
  }
  return out;
}

function hasMissing(y: ArrayLike<number>): boolean {
  for (let i = 0; i < y.length; i++) if (Number.isNaN(y[i]!) || y[i]! < 0) return true;
  return false;
}

/** The method `auto` resolves to for this history. */
export function autoMethodFor(history: ArrayLike<number>): BaseMethod {
  return AUTO_DEFAULTS[classifyDemand(history).class];
}

/**
 * Seasonal naive: step j repeats the value one season (12 periods) before it; a missing value
 * looks a further season back, and without any it falls back to the last observed value.
 */
export function seasonalNaive(history: ArrayLike<number>, horizon: number): Float64Array {
  const n = history.length;
  const out = new Float64Array(horizon);
  const last = lastObserved(history);
  for (let j = 1; j <= horizon; j++) {
    let idx = n - SEASON + ((j - 1) % SEASON);
    let v = Number.NaN;
    while (idx >= 0 && Number.isNaN((v = history[idx]!))) idx -= SEASON;
    out[j - 1] = idx >= 0 && !Number.isNaN(v) ? Math.max(0, v) : last;
  }
  return out;
}

function lastObserved(y: ArrayLike<number>): number {
  for (let i = y.length - 1; i >= 0; i--) if (!Number.isNaN(y[i]!)) return Math.max(0, y[i]!);
  return 0;
}

/**
 * Flat one-number forecast per period of a method on a history with no NaN (use `observed`).
 * An empty history forecasts 0.
 */
export function flatForecast(method: Exclude<BaseMethod, 'snaive'>, y: ArrayLike<number>, options: ForecastOptions = {}): number {
  if (y.length === 0) return 0;
  switch (method) {
    case 'naive':
      return y[y.length - 1]!;
    case 'mean': {
      let s = 0;
      for (let i = 0; i < y.length; i++) s += y[i]!;
      return s / y.length;
    }
    case 'ses':
      return sesLevel(y, ALPHA);
    case 'croston':
      return croston(y, ALPHA);
    case 'sba':
      return sba(y, ALPHA);
    case 'tsb':
      return tsb(y, ALPHA, ALPHA);
    case 'adida':
      return adida(y);
    case 'bootstrap':
      return fitBootstrap(y, options.bootstrap).meanPerPeriod;
  }
}

/**
 * Point forecast over `horizon` periods. The history may contain NaN (missing, skipped) and
 * negative values (returns, read as zero). All methods but seasonal naive are flat.
 */
export function pointForecast(method: ForecastMethod, history: ArrayLike<number>, options: ForecastOptions = {}): Float64Array {
  const horizon = options.horizon ?? 12;
  const resolved = method === 'auto' ? (options.autoMethod ?? autoMethodFor(history)) : method;
  if (resolved === 'snaive') return seasonalNaive(history, horizon);
  const y = hasMissing(history) ? observed(history) : history;
  return new Float64Array(horizon).fill(flatForecast(resolved, y, options));
}

/** How much of σ² the variance of each method's level carries (see MomentDemandDistribution). */
function levelVarianceFactor(method: BaseMethod, n: number): number {
  switch (method) {
    case 'naive':
      return 1;
    case 'snaive':
      return 1 / SEASON;
    case 'mean':
      return 1 / Math.max(1, n);
    default:
      return ALPHA / (2 - ALPHA);
  }
}

/**
 * The fitted demand distribution of a method (the seam consumed by the risk engine).
 *
 * - `bootstrap`: Willemain et al. 2004, exact (BootstrapDemandDistribution).
 * - every other method: negative binomial (Poisson when not over-dispersed) with mean = the
 *   method's point forecast per period (seasonal naive: its mean over the next season),
 *   per-period variance σ² = the sample variance of the history, plus the variance of the level
 *   estimate growing with the square of the lead time (MomentDemandDistribution).
 *
 * Cost: one or two passes over the history, no allocation beyond the result (seasonal naive and
 * histories with NaN allocate one small array).
 */
export function fitDemandDistribution(
  method: ForecastMethod,
  history: ArrayLike<number>,
  options: ForecastOptions = {},
): DemandDistribution {
  const resolved = method === 'auto' ? (options.autoMethod ?? autoMethodFor(history)) : method;
  const y = hasMissing(history) ? observed(history) : history;
  if (resolved === 'bootstrap') return fitBootstrap(y, options.bootstrap);
  const n = y.length;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const d = y[i]! - mean;
    mean += d / (i + 1);
    m2 += d * (y[i]! - mean);
  }
  const variance = n > 1 ? m2 / (n - 1) : 0;
  let mu: number;
  if (resolved === 'snaive') {
    const s = seasonalNaive(history, SEASON);
    mu = s.reduce((a, b) => a + b, 0) / SEASON;
  } else mu = flatForecast(resolved, y, options);
  return new MomentDemandDistribution(method, mu, variance, levelVarianceFactor(resolved, n) * variance);
}
