/**
 * Syntetos–Boylan–Croston demand classification (Syntetos, Boylan & Croston 2005, with the
 * cut-offs ADI = 1.32 and CV² = 0.49):
 *
 * - ADI = observed periods / periods with demand (∞ without any demand);
 * - CV² = sample variance (n − 1) of the non-zero sizes / their mean², 0 with fewer than two demands.
 *
 * A history without demand therefore lands in `intermittent` (ADI = ∞, CV² = 0), as does one with
 * a single demand; callers that care (obsolete parts) can test `demands === 0` themselves.
 */
export type DemandClass = 'smooth' | 'intermittent' | 'erratic' | 'lumpy';

export const ADI_CUTOFF = 1.32;
export const CV2_CUTOFF = 0.49;

export interface DemandClassification {
  readonly class: DemandClass;
  readonly adi: number;
  readonly cv2: number;
  readonly demands: number;
  readonly periods: number;
}

/** Classifies a history; NaN cells (missing) are not periods. Negative values count as no demand. */
export function classifyDemand(y: ArrayLike<number>): DemandClassification {
  let periods = 0;
  let demands = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (Number.isNaN(v)) continue;
    periods++;
    if (v > 0) {
      demands++;
      const d = v - mean; // Welford: stable for huge sizes
      mean += d / demands;
      m2 += d * (v - mean);
    }
  }
  const adi = demands === 0 ? Number.POSITIVE_INFINITY : periods / demands;
  const cv2 = demands < 2 ? 0 : m2 / (demands - 1) / (mean * mean);
  const intermittent = adi > ADI_CUTOFF;
  const variable = cv2 > CV2_CUTOFF;
  const cls: DemandClass = intermittent ? (variable ? 'lumpy' : 'intermittent') : variable ? 'erratic' : 'smooth';
  return { class: cls, adi, cv2, demands, periods };
}
