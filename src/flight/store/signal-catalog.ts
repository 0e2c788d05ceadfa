/**
 * Stable, flat names for every time series of the canonical signal model — the names the signals API
 * and the dashboard use (`attitude.roll`, `batteries.0.voltage`, `actuators.1.ch3`, `esc.2.rpm`,
 * `estimators.0.vel`, `rc.ch5`, `vibration.metrics.0`). Names are built from the model's structure,
 * never from the log's topic names, so they are the same for PX4, ArduPilot, MAVLink and CSV logs.
 */
import type { AxisSignals, FlightSignals, PositionSignals, Signal } from '../signals/flight-signals.js';

export interface NamedSignal {
  readonly name: string;
  readonly signal: Signal;
}

const AXES = ['roll', 'pitch', 'yaw'] as const;
const POSITION_KEYS: readonly (keyof PositionSignals)[] = [
  'x', 'y', 'z', 'vx', 'vy', 'vz', 'lat', 'lon', 'altMsl', 'altRel', 'baroAlt', 'groundSpeed',
];

/** Every signal of a flight with its flat name, in a stable order; duplicate names get `#2`, `#3`… */
export function catalogSignals(fs: FlightSignals): NamedSignal[] {
  const out: NamedSignal[] = [];
  const seen = new Map<string, number>();
  const add = (name: string, signal: Signal | undefined): void => {
    if (!signal || signal.t.length === 0) return;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    out.push({ name: n === 1 ? name : `${name}#${n}`, signal });
  };
  const axes = (prefix: string, group: AxisSignals): void => {
    for (const axis of AXES) add(`${prefix}.${axis}`, group[axis]);
  };
  axes('attitude', fs.attitude);
  axes('attitudeSetpoint', fs.attitudeSetpoint);
  axes('rates', fs.rates);
  axes('rateSetpoint', fs.rateSetpoint);
  for (const key of POSITION_KEYS) add(`position.${key}`, fs.position[key]);
  for (const a of fs.actuators) for (const ch of a.channels) add(`actuators.${a.instance}.${ch.name}`, ch);
  for (const e of fs.esc) {
    add(`esc.${e.index}.rpm`, e.rpm);
    add(`esc.${e.index}.current`, e.current);
    add(`esc.${e.index}.voltage`, e.voltage);
    add(`esc.${e.index}.temperature`, e.temperature);
  }
  for (const b of fs.batteries) {
    for (const key of ['voltage', 'current', 'consumed', 'remaining', 'temperature', 'warning'] as const) {
      add(`batteries.${b.instance}.${key}`, b[key]);
    }
  }
  for (const g of fs.gps) {
    for (const key of ['fixType', 'satellites', 'eph', 'epv', 'hdop', 'vdop', 'speedAccuracy', 'jamming', 'noise'] as const) {
      add(`gps.${g.instance}.${key}`, g[key]);
    }
  }
  for (const e of fs.estimators) {
    for (const s of e.testRatios) add(`estimators.${e.instance}.${s.name}`, s);
    for (const s of e.flags) add(`estimators.${e.instance}.${s.name}`, s);
  }
  fs.vibration.metrics.forEach((s, i) => add(`vibration.metrics.${i}`, s));
  fs.vibration.clipping.forEach((s, i) => add(`vibration.clipping.${i}`, s));
  for (const s of fs.vibration.rawAccel) add(`vibration.${s.name}`, s);
  for (const s of fs.rc.channels) add(`rc.${s.name}`, s);
  add('rc.rssi', fs.rc.rssi);
  add('rc.lost', fs.rc.lost);
  return out;
}
