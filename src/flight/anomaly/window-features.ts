/**
 * Windowed features for the anomaly model, computed from the canonical {@link FlightSignals} only,
 * so a PX4 ULog and an ArduPilot DataFlash log of the same airframe land in the same feature space.
 *
 * Windows are 2 s long every 1 s, laid only over the evaluation scope: flying intervals (minus
 * 2 s after take-off and 2 s before a landing, the transients every check skips), else armed
 * intervals, else the whole log; the scope used is reported. A feature the log cannot provide in a
 * window is `NaN` ("missing"), never 0; the isolation forest marginalises it out.
 */
import type { FlightSignals, Interval, Signal } from '../signals/index.js';
import { valueAt } from '../signals/index.js';

export const WINDOW_S = 2;
export const HOP_S = 1;
export const TRANSIENT_S = 2;

/**
 * The feature catalogue. Models store feature names, not indices. `resolution` is the smallest
 * difference that means something for the feature (e.g. 0.5 m of GPS eph): training never treats
 * the healthy spread as narrower than this, so a new healthy flight 0.1 m off is not "unusual".
 */
export const FEATURES = [
  {
    name: 'attitude_error_deg',
    unit: 'deg',
    resolution: 1,
    label: 'attitude tracking error (RMS roll/pitch, setpoint − attitude)',
  },
  {
    name: 'rate_error_dps',
    unit: 'deg/s',
    resolution: 3,
    label: 'rate tracking error (RMS over axes, setpoint − rate)',
  },
  { name: 'rate_rms_dps', unit: 'deg/s', resolution: 3, label: 'angular activity (RMS body rate)' },
  { name: 'tilt_max_deg', unit: 'deg', resolution: 2, label: 'maximum tilt from roll and pitch' },
  {
    name: 'vibration_mps2',
    unit: 'm/s²',
    resolution: 1,
    label: 'vibration (mean of the worst-axis metric; else high-passed raw accel σ)',
  },
  {
    name: 'motor_spread',
    unit: 'fraction',
    resolution: 0.02,
    label: 'motor output spread (max − min of per-channel means, output range = 1)',
  },
  { name: 'motor_mean', unit: 'fraction', resolution: 0.03, label: 'mean motor output (output range = 1)' },
  { name: 'climb_rate_mps', unit: 'm/s', resolution: 0.3, label: 'mean climb rate (up positive)' },
  {
    name: 'voltage_sag_v',
    unit: 'V/cell',
    resolution: 0.03,
    label: 'battery sag per cell (10 s maximum − window minimum)',
  },
  { name: 'gps_eph_m', unit: 'm', resolution: 0.5, label: 'GPS horizontal accuracy (mean eph)' },
  { name: 'ekf_ratio_max', unit: 'ratio', resolution: 0.1, label: 'largest estimator test ratio' },
  { name: 'ground_speed_mps', unit: 'm/s', resolution: 0.5, label: 'mean ground speed' },
] as const;

export type FeatureName = (typeof FEATURES)[number]['name'];
export const FEATURE_NAMES: readonly FeatureName[] = FEATURES.map((f) => f.name);
const IDX = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i])) as Record<FeatureName, number>;

export interface FeatureWindows {
  /** Window starts (log seconds); each window is [start, start + WINDOW_S). */
  readonly starts: readonly number[];
  /** One row per window, FEATURES order, NaN = missing. */
  readonly rows: readonly Float64Array[];
  readonly scope: 'flying' | 'armed' | 'whole_log';
  /** Where each feature came from in this log, or why it is missing. */
  readonly sources: Readonly<Record<FeatureName, string>>;
}

const RAD_DEG = 180 / Math.PI;
const AXES = ['roll', 'pitch', 'yaw'] as const;

function lowerBound(t: Float64Array, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Running sums over the finite values of a window, added in sample order — the order the former
 * per-window arrays were reduced in, so every feature keeps its exact floating-point value.
 */
class Sums {
  n = 0;
  sum = 0;
  squares = 0;
  reset(): this {
    this.n = 0;
    this.sum = 0;
    this.squares = 0;
    return this;
  }
  add(x: number): void {
    this.n++;
    this.sum += x;
    this.squares += x * x;
  }
  get mean(): number {
    return this.n ? this.sum / this.n : NaN;
  }
  get rms(): number {
    return this.n ? Math.sqrt(this.squares / this.n) : NaN;
  }
}

/** Adds the finite values of a signal in [a, b), mapped by `f` when given. */
function addWithin(acc: Sums, s: Signal | undefined, a: number, b: number, f?: (v: number) => number): Sums {
  if (!s) return acc;
  for (let i = lowerBound(s.t, a); i < s.t.length && s.t[i]! < b; i++) {
    const v = s.v[i]!;
    if (Number.isFinite(v)) acc.add(f ? f(v) : v);
  }
  return acc;
}

/** Mean of the finite values of a signal in [a, b); NaN when there are none. */
const meanWithin = (s: Signal | undefined, a: number, b: number): number => addWithin(new Sums(), s, a, b).mean;

/** Largest (`sign` 1) or smallest (`sign` -1) finite value of the signals in [a, b); NaN when none. */
function extremeWithin(signals: readonly (Signal | undefined)[], a: number, b: number, sign: 1 | -1): number {
  let out = sign * -Infinity;
  let any = false;
  for (const s of signals) {
    if (!s) continue;
    for (let i = lowerBound(s.t, a); i < s.t.length && s.t[i]! < b; i++) {
      const v = s.v[i]!;
      if (!Number.isFinite(v)) continue;
      out = sign === 1 ? Math.max(out, v) : Math.min(out, v);
      any = true;
    }
  }
  return any ? out : NaN;
}

const wrapPi = (a: number): number => Math.atan2(Math.sin(a), Math.cos(a));

/**
 * Reads a step signal at non-decreasing times (the value of the last sample at or before each time,
 * NaN before the first): `valueAt` with a cursor that only moves forward.
 */
class StepReader {
  private i = -1;
  constructor(
    private readonly s: Signal,
    from: number,
  ) {
    this.i = lowerBound(s.t, from) - 1;
  }
  at(t: number): number {
    const times = this.s.t;
    if (this.i >= 0 && times[this.i]! > t) return valueAt(this.s, t);
    while (this.i + 1 < times.length && times[this.i + 1]! <= t) this.i++;
    return this.i >= 0 ? this.s.v[this.i]! : NaN;
  }
}

/** Adds the squared tracking errors setpoint − actual at the setpoint's samples in [a, b). */
function addTrackingErrors(
  acc: Sums,
  sp: Signal | undefined,
  actual: Signal | undefined,
  a: number,
  b: number,
  wrap: boolean,
): void {
  if (!sp || !actual) return;
  const reader = new StepReader(actual, a);
  for (let i = lowerBound(sp.t, a); i < sp.t.length && sp.t[i]! < b; i++) {
    const e = sp.v[i]! - reader.at(sp.t[i]!);
    if (Number.isFinite(e)) acc.add(wrap ? wrapPi(e) : e);
  }
}

/** The evaluation scope: flying minus transients, else armed, else the whole log. */
export function evaluationScope(s: FlightSignals): { scope: FeatureWindows['scope']; intervals: Interval[] } {
  const end = s.timeRange?.end ?? 0;
  // `flying: []` means the log says it never flew: nothing to evaluate (not the whole bench log).
  if (s.flying) {
    const trimmed = s.flying
      .map((iv) => ({
        start: iv.start + TRANSIENT_S,
        end: iv.end >= end - 0.5 ? iv.end : iv.end - TRANSIENT_S,
      }))
      .filter((iv) => iv.end - iv.start >= WINDOW_S);
    return { scope: 'flying', intervals: trimmed };
  }
  if (s.armed && s.armed.length > 0) return { scope: 'armed', intervals: [...s.armed] };
  return { scope: 'whole_log', intervals: s.timeRange ? [s.timeRange] : [] };
}

interface MotorGroup {
  readonly channels: readonly Signal[];
  readonly normalise: (v: number) => number;
  readonly source: string;
}

/** The first output group with ≥ 2 PWM or raw ESC channels, normalised to 0..1 of the output range. */
function motorGroup(s: FlightSignals): MotorGroup | undefined {
  const group = s.actuators.find((a) => a.channels.length >= 2 && (a.unit === 'us' || a.unit === 'raw'));
  if (!group) return undefined;
  const channels = group.channels.slice(0, 8);
  if (group.unit === 'us')
    return { channels, normalise: (v) => (v - 1000) / 1000, source: `${group.source} (PWM 1000–2000 µs)` };
  let max = 0;
  for (const c of channels) for (const v of c.v) if (Number.isFinite(v) && v > max) max = v;
  const scale = max > 2047 ? 8191 : 2047;
  return { channels, normalise: (v) => v / scale, source: `${group.source} (raw ESC units / ${scale})` };
}

/** Computes the feature rows for every window of the evaluation scope. Pure and deterministic. */
export function extractFeatureWindows(s: FlightSignals): FeatureWindows {
  const { scope, intervals } = evaluationScope(s);
  const starts: number[] = [];
  for (const iv of intervals)
    for (let a = iv.start; a + WINDOW_S <= iv.end + 1e-9; a += HOP_S) starts.push(a);

  const vibMetric = s.vibration.metrics.filter((m) =>
    m.name.startsWith(s.vibration.metrics[0]?.name.split('.')[0] ?? ''),
  );
  const rawAccel = s.vibration.rawAccel;
  const motors = motorGroup(s);
  const battery = s.batteries.find((b) => b.connected && b.voltage);
  const cells = battery
    ? (battery.cellCount ?? Math.max(1, Math.ceil(maxFinite(battery.voltage!.v) / 4.25)))
    : 1;
  const gps = s.gps.find((g) => g.hasFix && g.eph);
  const ratios = s.estimators.flatMap((e) => e.testRatios);
  const vz = s.position.vz;
  const alt = s.position.altRel ?? s.position.baroAlt;

  const sources: Record<FeatureName, string> = {
    attitude_error_deg:
      s.attitudeSetpoint.roll && s.attitude.roll
        ? `${s.attitudeSetpoint.roll.source} − ${s.attitude.roll.source}`
        : 'missing: no attitude setpoint',
    rate_error_dps:
      s.rateSetpoint.roll && s.rates.roll
        ? `${s.rateSetpoint.roll.source} − ${s.rates.roll.source}`
        : 'missing: no rate setpoint',
    rate_rms_dps: s.rates.roll ? s.rates.roll.source : 'missing: no body rates',
    tilt_max_deg: s.attitude.roll && s.attitude.pitch ? s.attitude.roll.source : 'missing: no attitude',
    vibration_mps2: vibMetric.length
      ? vibMetric.map((m) => m.source).join(', ')
      : rawAccel.length
        ? `high-passed ${rawAccel[0]!.source}`
        : 'missing: no vibration data',
    motor_spread: motors ? motors.source : 'missing: no motor output group',
    motor_mean: motors ? motors.source : 'missing: no motor output group',
    climb_rate_mps: vz ? vz.source : alt ? `Δ ${alt.source}` : 'missing: no vertical speed or altitude',
    voltage_sag_v: battery
      ? `${battery.voltage!.source} / ${cells} cells`
      : 'missing: no connected battery monitor',
    gps_eph_m: gps ? gps.eph!.source : 'missing: no GPS fix / eph',
    ekf_ratio_max: ratios.length
      ? `${ratios.length} estimator test ratios`
      : 'missing: no estimator test ratios',
    ground_speed_mps: s.position.groundSpeed ? s.position.groundSpeed.source : 'missing: no ground speed',
  };

  const acc = new Sums();
  const rows = starts.map((a) => {
    const b = a + WINDOW_S;
    const row = new Float64Array(FEATURE_NAMES.length).fill(NaN);
    acc.reset();
    addTrackingErrors(acc, s.attitudeSetpoint.roll, s.attitude.roll, a, b, true);
    addTrackingErrors(acc, s.attitudeSetpoint.pitch, s.attitude.pitch, a, b, true);
    row[IDX.attitude_error_deg] = acc.rms * RAD_DEG;
    acc.reset();
    for (const ax of AXES) addTrackingErrors(acc, s.rateSetpoint[ax], s.rates[ax], a, b, false);
    row[IDX.rate_error_dps] = acc.rms * RAD_DEG;
    acc.reset();
    for (const ax of AXES) addWithin(acc, s.rates[ax], a, b);
    row[IDX.rate_rms_dps] = acc.rms * RAD_DEG;
    row[IDX.tilt_max_deg] = maxTilt(s.attitude.roll, s.attitude.pitch, a, b);
    row[IDX.vibration_mps2] = vibMetric.length
      ? maxOrNaN(vibMetric.map((m) => meanWithin(m, a, b)))
      : highPassSigma(rawAccel, a, b);
    if (motors) {
      const means = motors.channels
        .map((c) => addWithin(acc.reset(), c, a, b, motors.normalise).mean)
        .filter(Number.isFinite);
      if (means.length >= 2) {
        row[IDX.motor_spread] = Math.max(...means) - Math.min(...means);
        row[IDX.motor_mean] = means.reduce((x, y) => x + y, 0) / means.length;
      }
    }
    row[IDX.climb_rate_mps] = vz ? -meanWithin(vz, a, b) : slope(alt, a, b);
    if (battery) {
      const recentMax = extremeWithin([battery.voltage], b - 10, b, 1);
      const nowMin = extremeWithin([battery.voltage], a, b, -1);
      if (!Number.isNaN(recentMax) && !Number.isNaN(nowMin)) row[IDX.voltage_sag_v] = (recentMax - nowMin) / cells;
    }
    row[IDX.gps_eph_m] = gps ? meanWithin(gps.eph, a, b) : NaN;
    row[IDX.ekf_ratio_max] = extremeWithin(ratios, a, b, 1);
    row[IDX.ground_speed_mps] = meanWithin(s.position.groundSpeed, a, b);
    for (let i = 0; i < row.length; i++) if (!Number.isFinite(row[i]!)) row[i] = NaN;
    return row;
  });
  return { starts, rows, scope, sources };
}

function maxOrNaN(xs: readonly number[]): number {
  const f = xs.filter(Number.isFinite);
  return f.length ? Math.max(...f) : NaN;
}

function maxFinite(v: Float64Array): number {
  let m = 0;
  for (const x of v) if (Number.isFinite(x) && x > m) m = x;
  return m;
}

function maxTilt(roll: Signal | undefined, pitch: Signal | undefined, a: number, b: number): number {
  if (!roll || !pitch) return NaN;
  let best = NaN;
  const pitchAt = new StepReader(pitch, a);
  for (let i = lowerBound(roll.t, a); i < roll.t.length && roll.t[i]! < b; i++) {
    const tilt =
      Math.acos(Math.min(1, Math.abs(Math.cos(roll.v[i]!) * Math.cos(pitchAt.at(roll.t[i]!))))) * RAD_DEG;
    if (Number.isFinite(tilt) && !(tilt <= best)) best = tilt;
  }
  return best;
}

/** σ of sample-to-sample accel differences / √2 (white-noise σ), worst axis: vibration without a metric. */
function highPassSigma(axes: readonly Signal[], a: number, b: number): number {
  let worst = NaN;
  for (const axis of axes) {
    // Differences of consecutive finite values: one pass for their mean, one for the spread around it.
    const diffs = (visit: (d: number) => void): number => {
      let previous = NaN;
      let n = 0;
      for (let i = lowerBound(axis.t, a); i < axis.t.length && axis.t[i]! < b; i++) {
        const v = axis.v[i]!;
        if (!Number.isFinite(v)) continue;
        if (n > 0) visit(v - previous);
        previous = v;
        n++;
      }
      return n;
    };
    let sum = 0;
    const values = diffs((d) => (sum += d));
    if (values < 4) continue;
    const count = values - 1;
    const m = sum / count;
    let spread = 0;
    diffs((d) => (spread += (d - m) ** 2));
    const sigma = Math.sqrt(spread / count) / Math.SQRT2;
    if (!(sigma <= worst)) worst = sigma;
  }
  return worst;
}

/** Least-squares slope of a signal over [a, b) (per second). */
function slope(s: Signal | undefined, a: number, b: number): number {
  if (!s) return NaN;
  let n = 0;
  let st = 0;
  let sv = 0;
  let stt = 0;
  let stv = 0;
  for (let i = lowerBound(s.t, a); i < s.t.length && s.t[i]! < b; i++) {
    const v = s.v[i]!;
    if (!Number.isFinite(v)) continue;
    const t = s.t[i]! - a;
    n++;
    st += t;
    sv += v;
    stt += t * t;
    stv += t * v;
  }
  const den = n * stt - st * st;
  return n >= 2 && den > 0 ? (n * stv - st * sv) / den : NaN;
}
