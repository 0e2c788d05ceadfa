/**
 * Seeded synthetic multirotor flights with optional injected faults, for tests of the anomaly model
 * and the report renderer. They exercise the feature extractor through the real
 * {@link FlightSignals} shape (never a shortcut into the feature rows), so a constructed fault must
 * travel the same path a real one would. Not a flight simulator: hover with noise, nothing more.
 */
import type { FlightSignals, Signal } from '../signals/index.js';
import { seededRandom } from './isolation-forest.js';

export type InjectedFaultKind = 'vibration' | 'motor_imbalance' | 'attitude_oscillation' | 'voltage_sag';

export interface InjectedFault {
  readonly kind: InjectedFaultKind;
  /** Log seconds. */
  readonly startS: number;
  readonly endS: number;
}

export interface SyntheticFlightOptions {
  readonly seed: number;
  readonly durationS?: number;
  readonly rateHz?: number;
  readonly faults?: readonly InjectedFault[];
}

const DEG = Math.PI / 180;

export function syntheticMultirotorFlight(options: SyntheticFlightOptions): FlightSignals {
  const { seed, durationS = 120, rateHz = 20, faults = [] } = options;
  const rand = seededRandom(seed);
  const noise = (): number => {
    const u = Math.max(rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const n = Math.round(durationS * rateHz);
  const t = Float64Array.from({ length: n }, (_, i) => i / rateHz);
  const inFault = (kind: InjectedFaultKind, time: number): boolean =>
    faults.some((f) => f.kind === kind && time >= f.startS && time < f.endS);
  const series = (name: string, unit: string, fn: (time: number, i: number) => number): Signal => ({
    name,
    unit,
    source: `synthetic.${name}`,
    t,
    v: Float64Array.from(t, (time, i) => fn(time, i)),
  });
  const sp = {
    roll: series('roll', 'rad', () => 2 * DEG * noise()),
    pitch: series('pitch', 'rad', () => 2 * DEG * noise()),
  };
  const osc = (time: number): number =>
    inFault('attitude_oscillation', time) ? 15 * DEG * Math.sin(2 * Math.PI * 3 * time) : 0;
  const attitude = {
    roll: series('roll', 'rad', (time, i) => sp.roll.v[i]! + 0.5 * DEG * noise() + osc(time)),
    pitch: series('pitch', 'rad', (time, i) => sp.pitch.v[i]! + 0.5 * DEG * noise() + osc(time)),
    yaw: series('yaw', 'rad', () => 0.2 * noise()),
  };
  const rateSp = {
    roll: series('roll', 'rad/s', () => 5 * DEG * noise()),
    pitch: series('pitch', 'rad/s', () => 5 * DEG * noise()),
    yaw: series('yaw', 'rad/s', () => 3 * DEG * noise()),
  };
  const rates = {
    roll: series(
      'roll',
      'rad/s',
      (time, i) =>
        rateSp.roll.v[i]! + 2 * DEG * noise() + (osc(time) ? 90 * DEG * Math.cos(6 * Math.PI * time) : 0),
    ),
    pitch: series('pitch', 'rad/s', (_, i) => rateSp.pitch.v[i]! + 2 * DEG * noise()),
    yaw: series('yaw', 'rad/s', (_, i) => rateSp.yaw.v[i]! + 1 * DEG * noise()),
  };
  const motor = (k: number): Signal =>
    series(
      `ch${k + 1}`,
      'us',
      (time) => 1550 + 15 * noise() + (k === 0 && inFault('motor_imbalance', time) ? 180 : 0),
    );
  const vib = (axis: string): Signal =>
    series(
      `imu0.vibe${axis}`,
      'm/s^2',
      (time) => Math.abs(3 + 0.5 * noise()) * (inFault('vibration', time) ? 5 : 1),
    );
  const volts = series(
    'voltage',
    'V',
    (time) => 16.4 - 1.2 * (time / durationS) - (inFault('voltage_sag', time) ? 1.6 : 0) + 0.02 * noise(),
  );
  const flying = [{ start: 5, end: durationS - 5 }];
  return {
    vehicle: { autopilot: 'unknown', logFormat: 'csv', declared: {} },
    parameters: new Map(),
    timeRange: { start: 0, end: t[n - 1] ?? 0 },
    attitude,
    attitudeSetpoint: { roll: sp.roll, pitch: sp.pitch },
    rates,
    rateSetpoint: rateSp,
    position: {
      vz: series('vz', 'm/s', () => 0.15 * noise()),
      altRel: series('altRel', 'm', () => 10 + 0.1 * noise()),
      groundSpeed: series('groundSpeed', 'm/s', () => Math.abs(0.2 * noise())),
    },
    actuators: [{ instance: 0, source: 'synthetic.outputs', unit: 'us', channels: [0, 1, 2, 3].map(motor) }],
    esc: [],
    batteries: [
      {
        instance: 0,
        connected: true,
        connectedReason: 'synthetic',
        voltage: volts,
        current: series('current', 'A', () => 18 + noise()),
        cellCount: 4,
      },
    ],
    gps: [
      {
        instance: 0,
        hasFix: true,
        eph: series('eph', 'm', () => 0.6 + 0.05 * noise()),
        satellites: series('sats', '', () => 14),
      },
    ],
    estimators: [
      {
        instance: 0,
        source: 'synthetic',
        testRatios: [series('vel', '', () => Math.abs(0.1 + 0.05 * noise()))],
        flags: [],
      },
    ],
    vibration: { metrics: ['X', 'Y', 'Z'].map(vib), clipping: [], rawAccel: [] },
    rc: { channels: [], lossIntervals: [] },
    events: [],
    modes: [{ start: 0, end: durationS, mode: 0, name: 'POSCTL' }],
    armed: [{ start: 2, end: durationS - 2 }],
    armedSource: 'synthetic',
    flying,
    flyingSource: 'synthetic',
    messages: [],
    missing: [],
  };
}
