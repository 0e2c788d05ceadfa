/**
 * "Nice" axis ticks (1, 2, 2.5, 5 × 10ⁿ steps) and labels printed with just the decimals the step needs,
 * so an axis reads 0, 0.5, 1.0 … or 4900, 5000 … and never 0.30000000000000004.
 */
export interface Ticks {
  /** Axis range expanded to whole steps. */
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly values: readonly number[];
}

const STEPS = [1, 2, 2.5, 5, 10];

export function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  return STEPS.find((s) => s * mag >= raw * (1 - 1e-9))! * mag;
}

/** Ticks covering [min, max] with about `target` intervals. A flat or empty range is widened around it. */
export function niceTicks(min: number, max: number, target = 5): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return niceTicks(0, 1, target);
  if (max < min) [min, max] = [max, min];
  if (max - min < 1e-12 * Math.max(1, Math.abs(max))) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    return niceTicks(min - pad, max + pad, target);
  }
  const step = niceStep(max - min, target);
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const values: number[] = [];
  for (let k = 0; lo + k * step <= hi + step * 1e-9; k++) values.push(cleanZero(lo + k * step));
  return { min: lo, max: hi, step, values };
}

const cleanZero = (x: number): number => (Math.abs(x) < 1e-12 ? 0 : x);

/** Decimals the step needs (0.25 → 2, 2.5 → 1, 50 → 0). */
export function stepDecimals(step: number): number {
  for (let d = 0; d < 6; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 6;
}

export function formatTick(value: number, step: number): string {
  return cleanZero(value).toFixed(stepDecimals(step));
}
