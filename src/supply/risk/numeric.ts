/**
 * Small closed-form numerics shared by leadtime/, risk/ and policy/. No allocation beyond return
 * values; accuracy is stated per function.
 */

/** Complementary error function, Chebyshev fit (Numerical Recipes `erfcc`), |relative error| < 1.2e-7. */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

// Acklam's coefficients.
const A0 = -39.69683028665376,
  A1 = 220.9460984245205,
  A2 = -275.9285104469687,
  A3 = 138.357751867269,
  A4 = -30.66479806614716,
  A5 = 2.506628277459239;
const B0 = -54.47609879822406,
  B1 = 161.5858368580409,
  B2 = -155.6989798598866,
  B3 = 66.80131188771972,
  B4 = -13.28068155288572;
const C0 = -0.007784894002430293,
  C1 = -0.3223964580411365,
  C2 = -2.400758277161838,
  C3 = -2.549732539343734,
  C4 = 4.374664141464968,
  C5 = 2.938163982698783;
const D0 = 0.007784695709041462,
  D1 = 0.3224671290700398,
  D2 = 2.445134137142996,
  D3 = 3.754408661907416;

/** Standard normal quantile Φ⁻¹(p), Acklam's rational approximation (|relative error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((C0 * q + C1) * q + C2) * q + C3) * q + C4) * q + C5) /
      ((((D0 * q + D1) * q + D2) * q + D3) * q + 1)
    );
  }
  if (p > 1 - pl) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((C0 * q + C1) * q + C2) * q + C3) * q + C4) * q + C5) /
      ((((D0 * q + D1) * q + D2) * q + D3) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A0 * r + A1) * r + A2) * r + A3) * r + A4) * r + A5) * q) /
    (((((B0 * r + B1) * r + B2) * r + B3) * r + B4) * r + 1)
  );
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~15 significant digits). */
const LANCZOS = Float64Array.of(
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
);

export function logGamma(x: number): number {
  const g = LANCZOS;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const xx = x - 1;
  let s = g[0]!;
  for (let i = 1; i < 9; i++) s += g[i]! / (xx + i);
  const t = xx + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(s);
}

/**
 * Discretises a lognormal with the given mean and standard deviation into `points` equal-probability
 * bins, each represented by its conditional mean, so the mean is preserved exactly and the variance
 * is understated only by the within-bin variance. Used for quoted lead times ("45 ± 10 days") and
 * for the event-duration priors, where a right-skewed non-negative shape is the usual choice.
 */
export function discretiseLognormal(
  mean: number,
  sd: number,
  points: number,
): { values: Float64Array; probs: Float64Array } {
  const values = new Float64Array(points);
  const probs = new Float64Array(points).fill(1 / points);
  if (sd <= 0 || points === 1) {
    values.fill(mean);
    return { values, probs };
  }
  const sigma2 = Math.log(1 + (sd * sd) / (mean * mean));
  const sigma = Math.sqrt(sigma2);
  // E[X; a < X < b] = mean · [Φ((ln b − μ − σ²)/σ) − Φ((ln a − μ − σ²)/σ)], and the bin edges sit at
  // z-quantiles, so (ln edge − μ − σ²)/σ = z − σ.
  let prevShifted = 0; // Φ(−∞ − σ) = 0
  for (let i = 0; i < points; i++) {
    const upperZ = i === points - 1 ? Infinity : normalQuantile((i + 1) / points);
    const shifted = upperZ === Infinity ? 1 : normalCdf(upperZ - sigma);
    values[i] = (mean * (shifted - prevShifted)) / (1 / points);
    prevShifted = shifted;
  }
  return { values, probs };
}
