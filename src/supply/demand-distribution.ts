/**
 * The seam between forecasting (src/supply/forecast) and risk (src/supply/risk): a fitted model of a
 * part's demand per period that can answer "how many units over the next `periods` periods?".
 *
 * `periods` may be fractional (a lead time of 45 days is 1.48 monthly periods). The pmf covers
 * 0..n−1 units and its tail mass beyond n−1 is `1 − sum(pmf)`; callers that need a tail probability
 * must use `tailProbability` rather than summing the truncated pmf, so a truncation never reads as
 * "no risk".
 */
export interface DemandDistribution {
  /** Fitted method name, e.g. `sba`, `tsb`, `bootstrap`. */
  readonly method: string;
  /** Expected demand per period. */
  readonly meanPerPeriod: number;
  /** Variance of demand per period. */
  readonly variancePerPeriod: number;
  /** P(D = k) for k = 0..maxUnits over `periods` periods. */
  pmf(periods: number, maxUnits: number): Float64Array;
  /** P(D > units) over `periods` periods. */
  tailProbability(periods: number, units: number): number;
  /**
   * Optional one-pass form for the loss function, a ≥ 0: writes out[0] = P(D > ⌊a⌋) and
   * out[1] = E[(a − D)⁺] = Σ_{k ≤ a} (a − k)·P(D = k) over `periods` periods. Returns false when it
   * has no fast answer for these arguments (then the caller uses `tailProbability` and `pmf`).
   */
  tailAndShortfall?(periods: number, a: number, out: Float64Array): boolean;
}
