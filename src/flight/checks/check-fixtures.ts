/**
 * Small constructed flights for check unit tests: a 60 s hover of a declared PX4 quad with every group
 * empty, plus helpers to add signals. Tests change one signal and look at one check.
 */
import type { FlightSignals, Signal } from '../signals/flight-signals.js';
import type { CheckContext } from './check.js';
import { detectPhases } from '../phases/flight-phases.js';
import { detectVehicleType } from '../vehicle/vehicle-type.detector.js';
import { vehicleClassOf } from './thresholds.table.js';

export const HZ = 10;
export const DURATION = 60;

export function sig(name: string, f: (t: number, i: number) => number, opts: { hz?: number; from?: number; to?: number; unit?: string } = {}): Signal {
  const hz = opts.hz ?? HZ;
  const from = opts.from ?? 0;
  const to = opts.to ?? DURATION;
  const n = Math.floor((to - from) * hz) + 1;
  const t = Float64Array.from({ length: n }, (_, i) => from + i / hz);
  return { name, unit: opts.unit ?? '', source: `test.${name}`, t, v: Float64Array.from(t, (x, i) => f(x, i)) };
}

export function baseSignals(overrides: Partial<FlightSignals> = {}): FlightSignals {
  return {
    vehicle: { autopilot: 'px4', logFormat: 'ulog', declared: { mavType: 2 } },
    parameters: new Map(),
    timeRange: { start: 0, end: DURATION },
    attitude: {},
    attitudeSetpoint: {},
    rates: {},
    rateSetpoint: {},
    position: {},
    actuators: [],
    esc: [],
    batteries: [],
    gps: [],
    estimators: [],
    vibration: { metrics: [], clipping: [], rawAccel: [] },
    rc: { channels: [], lossIntervals: [] },
    events: [],
    modes: [],
    armed: [{ start: 0, end: DURATION }],
    flying: [{ start: 2, end: DURATION - 2 }],
    flyingSource: 'test',
    messages: [],
    missing: [],
    system: { magField: [] },
    ...overrides,
  };
}

export function context(s: FlightSignals, log: Partial<CheckContext['log']> = {}): CheckContext {
  const vehicle = detectVehicleType(s);
  return {
    signals: s,
    vehicle,
    vehicleClass: vehicleClassOf(vehicle.type),
    phases: detectPhases(s, vehicle),
    log: { completeness: 'complete', dropouts: { count: 0, totalS: 0 }, ...log },
  };
}
