import { classifyDemand, type DemandClass } from './classify.js';
import { AUTO_DEFAULTS, FORECAST_METHODS, pointForecast, type BaseMethod } from './methods.js';

export interface MethodSelection {
  /** The method with the lowest holdout error, or the class default when nothing can be scored. */
  readonly method: BaseMethod;
  readonly class: DemandClass;
  /** Holdout score per candidate (lower is better); NaN when not scorable. */
  readonly scores: Readonly<Partial<Record<BaseMethod, number>>>;
}

/**
 * Backtest-based method choice for one part: fit each candidate on all but the last `holdout`
 * periods and score MAE + |mean error| on them (the bias term keeps the zero forecast from winning
 * just because most held-out periods are zero — see docs/validation/supply.md). With one origin and
 * 12 mostly-zero periods the choice is noisy; production uses AUTO_DEFAULTS unless a part has a long,
 * dense history, and this helper is for that case and for per-segment reviews.
 */
export function selectMethodByBacktest(
  history: ArrayLike<number>,
  options: { holdout?: number; candidates?: readonly BaseMethod[]; fallback?: BaseMethod } = {},
): MethodSelection {
  const holdout = options.holdout ?? 12;
  const candidates = options.candidates ?? FORECAST_METHODS.filter((m): m is BaseMethod => m !== 'auto');
  const cls = classifyDemand(history).class;
  const fallback = options.fallback ?? AUTO_DEFAULTS[cls];
  const n = history.length;
  const scores: Partial<Record<BaseMethod, number>> = {};
  if (n <= holdout + 1) return { method: fallback, class: cls, scores };
  const train = Array.prototype.slice.call(history, 0, n - holdout) as number[];
  let best: BaseMethod = fallback;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const m of candidates) {
    const f = pointForecast(m, train, { horizon: holdout });
    let sae = 0;
    let se = 0;
    let c = 0;
    for (let j = 0; j < holdout; j++) {
      const a = history[n - holdout + j]!;
      if (Number.isNaN(a)) continue;
      const e = Math.max(0, a) - f[j]!;
      sae += Math.abs(e);
      se += e;
      c++;
    }
    const score = c === 0 ? Number.NaN : (sae + Math.abs(se)) / c;
    scores[m] = score;
    if (score < bestScore) {
      bestScore = score;
      best = m;
    }
  }
  return { method: best, class: cls, scores };
}
