/**
 * Per-series error measures of a flat-origin backtest. `train` and `actual` may hold NaN (missing,
 * skipped): differences need both ends observed, errors need an observed actual. Every scale uses the
 * series' own training part only. e = actual − forecast.
 */
export interface SeriesScore {
  /** Observed test cells scored. 0 means the series is not scored at all. */
  readonly cells: number;
  readonly sumAbsError: number;
  readonly sumSqError: number;
  readonly sumError: number;
  /** mean |y_t − y_{t−1}|, mean |y_t − y_{t−12}|, mean (Δy)² from the first demand on; NaN if undefined. */
  readonly scale1: number;
  readonly scale12: number;
  readonly scaleSq: number;
  /** Mean of the observed training values (NaN without any). */
  readonly trainMean: number;
}

function meanAbsLagDiff(y: ArrayLike<number>, lag: number, from = 0, squared = false): number {
  let s = 0;
  let c = 0;
  for (let t = Math.max(lag, from + lag); t < y.length; t++) {
    const d = y[t]! - y[t - lag]!;
    if (Number.isNaN(d)) continue;
    s += squared ? d * d : Math.abs(d);
    c++;
  }
  return c === 0 ? Number.NaN : s / c;
}

export function scoreSeries(train: ArrayLike<number>, actual: ArrayLike<number>, forecast: ArrayLike<number>): SeriesScore {
  let cells = 0;
  let sae = 0;
  let sse = 0;
  let se = 0;
  for (let j = 0; j < actual.length; j++) {
    const a = actual[j]!;
    if (Number.isNaN(a)) continue;
    const e = a - forecast[j]!;
    cells++;
    sae += Math.abs(e);
    sse += e * e;
    se += e;
  }
  let firstDemand = -1;
  let sum = 0;
  let obs = 0;
  for (let t = 0; t < train.length; t++) {
    const v = train[t]!;
    if (Number.isNaN(v)) continue;
    sum += v;
    obs++;
    if (firstDemand < 0 && v > 0) firstDemand = t;
  }
  return {
    cells,
    sumAbsError: sae,
    sumSqError: sse,
    sumError: se,
    scale1: meanAbsLagDiff(train, 1),
    scale12: meanAbsLagDiff(train, 12),
    scaleSq: firstDemand < 0 ? Number.NaN : meanAbsLagDiff(train, 1, firstDemand, true),
    trainMean: obs === 0 ? Number.NaN : sum / obs,
  };
}

/** Running aggregate of SeriesScores into the report's measures. */
export class ScoreAccumulator {
  private mase1 = new Mean();
  private mase12 = new Mean();
  private rmsse = new Mean();
  private sme = new Mean();
  private pooledAbs = 0;
  private pooledScale = 0;
  private pooledSq = 0;
  private pooledCells = 0;
  series = 0;

  add(s: SeriesScore): void {
    if (s.cells === 0) return;
    this.series++;
    const mae = s.sumAbsError / s.cells;
    this.mase1.add(mae / s.scale1);
    this.mase12.add(mae / s.scale12);
    this.rmsse.add(Math.sqrt(s.sumSqError / s.cells / s.scaleSq));
    this.sme.add(s.sumError / s.cells / s.trainMean);
    if (Number.isFinite(s.scale12) && s.scale12 > 0) {
      this.pooledAbs += s.sumAbsError;
      this.pooledScale += s.scale12 * s.cells;
    }
    this.pooledSq += s.sumSqError;
    this.pooledCells += s.cells;
  }

  result(): MethodScores {
    return {
      mase_s12: this.mase12.value(),
      mase_1: this.mase1.value(),
      rmsse: this.rmsse.value(),
      sme: this.sme.value(),
      mase_s12_pooled: this.pooledScale > 0 ? this.pooledAbs / this.pooledScale : Number.NaN,
      rmse_pooled: this.pooledCells > 0 ? Math.sqrt(this.pooledSq / this.pooledCells) : Number.NaN,
    };
  }
}

/** Mean over the finite values only (a zero or undefined scale drops the series from that measure). */
class Mean {
  private s = 0;
  private n = 0;
  add(v: number): void {
    if (Number.isFinite(v)) {
      this.s += v;
      this.n++;
    }
  }
  value(): number {
    return this.n === 0 ? Number.NaN : this.s / this.n;
  }
}

/**
 * The report measures of one method. The first four are averages over series (where finite);
 * `mase_s12_pooled` = Σ|e| / Σ scale over series × horizon (SOURCES.md's reference definition);
 * `rmse_pooled` = √(Σe² / cells), unscaled — the measure that exposes the zero forecast.
 */
export interface MethodScores {
  readonly mase_s12: number;
  readonly mase_1: number;
  readonly rmsse: number;
  readonly sme: number;
  readonly mase_s12_pooled: number;
  readonly rmse_pooled: number;
}
