/**
 * Quaternion → Euler for PX4 attitude topics, which log only `q[0..3]` (Hamilton, w first,
 * body-to-NED). Uses the ZYX (yaw-pitch-roll) convention PX4 and pyulog use, so roll/pitch/yaw agree
 * with Flight Review. Pitch is clamped at ±90° instead of producing NaN for |sin| slightly above 1.
 */
import type { DecodedSeries } from '../formats/decoded-log.js';
import type { AxisSignals } from './flight-signals.js';
import { buildSignal, numericColumn } from './signal-series.js';

export interface Euler {
  readonly roll: number;
  readonly pitch: number;
  readonly yaw: number;
}

export function quaternionToEuler(w: number, x: number, y: number, z: number): Euler {
  const roll = Math.atan2(2 * (w * x + y * z), 1 - 2 * (x * x + y * y));
  const s = 2 * (w * y - z * x);
  const pitch = Math.asin(Math.max(-1, Math.min(1, s)));
  const yaw = Math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z));
  return { roll, pitch, yaw };
}

/** Roll/pitch/yaw signals from a series with `prefix[0..3]` quaternion fields; {} when absent. */
export function eulerFromQuaternionSeries(series: DecodedSeries | undefined, prefix: string): AxisSignals {
  const q = [0, 1, 2, 3].map((i) => numericColumn(series, `${prefix}[${i}]`));
  if (!series || q.some((c) => !c)) return {};
  const [qw, qx, qy, qz] = q as [Float64Array, Float64Array, Float64Array, Float64Array];
  const n = series.timestamps.length;
  const roll = new Float64Array(n);
  const pitch = new Float64Array(n);
  const yaw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = qw[i]!;
    const x = qx[i]!;
    const y = qy[i]!;
    const z = qz[i]!;
    // An all-zero quaternion is "no setpoint", not a level attitude.
    const norm = Math.hypot(w, x, y, z);
    if (!(norm > 0.5)) {
      roll[i] = pitch[i] = yaw[i] = NaN;
      continue;
    }
    const e = quaternionToEuler(w / norm, x / norm, y / norm, z / norm);
    roll[i] = e.roll;
    pitch[i] = e.pitch;
    yaw[i] = e.yaw;
  }
  const source = (axis: string): string => `${series.topic}.${prefix}→${axis}`;
  return {
    roll: buildSignal(series.timestamps, roll, { name: 'roll', unit: 'rad', source: source('roll') }),
    pitch: buildSignal(series.timestamps, pitch, { name: 'pitch', unit: 'rad', source: source('pitch') }),
    yaw: buildSignal(series.timestamps, yaw, { name: 'yaw', unit: 'rad', source: source('yaw') }),
  };
}
