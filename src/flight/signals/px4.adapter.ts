/**
 * PX4 ULog → canonical signals: vehicle info, attitude, rates, position, outputs, ESCs, batteries,
 * GPS. State-like groups (modes, arming, flight, failsafes, estimator, RC, vibration) are in
 * `px4-state.adapter.ts`.
 *
 * Topic names changed across PX4 eras: ULog v0 (2016) has `control_state` and rates inside
 * `vehicle_attitude`; 1.9–1.12 `vehicle_global_position` and integer GPS `lat`; 1.14+ `latitude_deg`,
 * `vehicle_angular_velocity`, q-only setpoints. Each signal tries the names newest first.
 */
import type { DecodedLog, DecodedSeries } from '../formats/decoded-log.js';
import type {
  ActuatorInstance,
  AxisSignals,
  BatteryInstance,
  EscTelemetry,
  GpsInstance,
  PositionSignals,
  Signal,
} from './flight-signals.js';
import { eulerFromQuaternionSeries } from './quaternion-euler.js';
import { px4VehicleInfo } from './px4-vehicle-info.js';
import {
  emptyDraft,
  finishSignals,
  judgeBatteryVoltage,
  textEvents,
  type SignalsDraft,
} from './signals-assembly.js';
import { addPx4State } from './px4-state.adapter.js';
import {
  allInstances,
  allEqual,
  buildSignal,
  fieldSignal,
  findSeries,
  firstField,
  firstSeries,
  maxOf,
  numericColumn,
  usefulChannels,
} from './signal-series.js';
import type { FlightSignals } from './flight-signals.js';

function axes(
  series: DecodedSeries | undefined,
  fields: readonly [string, string, string],
  unit: string,
): AxisSignals {
  const [r, p, y] = fields;
  return {
    roll: fieldSignal(series, r, { name: 'roll', unit }),
    pitch: fieldSignal(series, p, { name: 'pitch', unit }),
    yaw: fieldSignal(series, y, { name: 'yaw', unit }),
  };
}

function attitudeGroups(log: DecodedLog, d: SignalsDraft): void {
  d.attitude = eulerFromQuaternionSeries(firstSeries(log, ['vehicle_attitude', 'control_state']), 'q');
  const sp = findSeries(log, 'vehicle_attitude_setpoint');
  d.attitudeSetpoint = firstField(sp, ['roll_body'])
    ? axes(sp, ['roll_body', 'pitch_body', 'yaw_body'], 'rad')
    : eulerFromQuaternionSeries(sp, 'q_d');
  const av = findSeries(log, 'vehicle_angular_velocity');
  const att = findSeries(log, 'vehicle_attitude');
  const cs = findSeries(log, 'control_state');
  if (av) d.rates = axes(av, ['xyz[0]', 'xyz[1]', 'xyz[2]'], 'rad/s');
  else if (firstField(att, ['rollspeed']))
    d.rates = axes(att, ['rollspeed', 'pitchspeed', 'yawspeed'], 'rad/s');
  else if (firstField(cs, ['roll_rate']))
    d.rates = axes(cs, ['roll_rate', 'pitch_rate', 'yaw_rate'], 'rad/s');
  else d.rates = axes(findSeries(log, 'rate_ctrl_status'), ['rollspeed', 'pitchspeed', 'yawspeed'], 'rad/s');
  d.rateSetpoint = axes(findSeries(log, 'vehicle_rates_setpoint'), ['roll', 'pitch', 'yaw'], 'rad/s');
}

/** A field masked to NaN where a validity flag is 0 (PX4 keeps publishing stale estimates). */
function validField(
  series: DecodedSeries | undefined,
  field: string,
  valid: string,
  name: string,
  unit: string,
  neg = false,
): Signal | undefined {
  const flag = numericColumn(series, valid);
  return fieldSignal(series, field, {
    name,
    unit,
    map: (v, i) => (flag && flag[i] === 0 ? NaN : neg ? -v : v),
  });
}

function positionGroup(log: DecodedLog): PositionSignals {
  const lp = findSeries(log, 'vehicle_local_position');
  const gp = findSeries(log, 'vehicle_global_position');
  const gps = findSeries(log, 'vehicle_gps_position');
  const air = firstSeries(log, ['vehicle_air_data']);
  const latField = firstField(gps, ['latitude_deg', 'lat']);
  const gpsDeg = (v: number): number => (latField === 'lat' ? v * 1e-7 : v);
  const gpsFix = numericColumn(gps, 'fix_type');
  const fixed = (v: number, i: number): number => (gpsFix && gpsFix[i]! < 2 ? NaN : gpsDeg(v));
  const vx = numericColumn(lp, 'vx');
  const vy = numericColumn(lp, 'vy');
  const vValid = numericColumn(lp, 'v_xy_valid');
  const speed =
    lp && vx && vy
      ? buildSignal(
          lp.timestamps,
          vx.map((x, i) => (vValid && vValid[i] === 0 ? NaN : Math.hypot(x, vy[i]!))),
          { name: 'groundSpeed', unit: 'm/s', source: 'vehicle_local_position.|vx,vy|' },
        )
      : undefined;
  return {
    x: validField(lp, 'x', 'xy_valid', 'x', 'm'),
    y: validField(lp, 'y', 'xy_valid', 'y', 'm'),
    z: validField(lp, 'z', 'z_valid', 'z', 'm'),
    vx: validField(lp, 'vx', 'v_xy_valid', 'vx', 'm/s'),
    vy: validField(lp, 'vy', 'v_xy_valid', 'vy', 'm/s'),
    vz: validField(lp, 'vz', 'v_z_valid', 'vz', 'm/s'),
    altRel: validField(lp, 'z', 'z_valid', 'altRel', 'm', true),
    lat: gp
      ? fieldSignal(gp, 'lat', { name: 'lat', unit: 'deg' })
      : latField
        ? fieldSignal(gps, latField, { name: 'lat', unit: 'deg', map: fixed })
        : undefined,
    lon: gp
      ? fieldSignal(gp, 'lon', { name: 'lon', unit: 'deg' })
      : latField
        ? fieldSignal(gps, latField === 'lat' ? 'lon' : 'longitude_deg', {
            name: 'lon',
            unit: 'deg',
            map: fixed,
          })
        : undefined,
    altMsl: gp ? fieldSignal(gp, 'alt', { name: 'altMsl', unit: 'm' }) : undefined,
    baroAlt: air
      ? fieldSignal(air, 'baro_alt_meter', { name: 'baroAlt', unit: 'm' })
      : fieldSignal(findSeries(log, 'sensor_combined'), 'baro_alt_meter', { name: 'baroAlt', unit: 'm' }),
    groundSpeed: speed,
  };
}

/** `actuator_outputs` per instance; instances with `noutputs == 0` or only zeros are not outputs in use. */
function actuatorGroups(log: DecodedLog): ActuatorInstance[] {
  const out: ActuatorInstance[] = [];
  for (const s of allInstances(log, 'actuator_outputs')) {
    const nCol = numericColumn(s, 'noutputs');
    const declared = nCol ? maxOf(nCol) : 16;
    if (!(declared > 0)) continue;
    const channels: Signal[] = [];
    let peak = 0;
    for (let ch = 0; ch < Math.min(16, declared); ch++) {
      const col = numericColumn(s, `output[${ch}]`);
      if (!col) break;
      peak = Math.max(peak, maxOf(col));
      const sig = fieldSignal(s, `output[${ch}]`, { name: `ch${ch + 1}`, unit: 'us' });
      if (sig) channels.push(sig);
    }
    const useful = usefulChannels(channels);
    if (useful.length === 0) continue;
    const unit = peak > 2500 ? 'raw' : 'us';
    out.push({
      instance: s.instance,
      source: `actuator_outputs[${s.instance}]`,
      unit,
      channels: useful.map((c) => ({ ...c, unit })),
    });
  }
  return out;
}

function escGroup(log: DecodedLog): EscTelemetry[] {
  const s = findSeries(log, 'esc_status');
  const count = numericColumn(s, 'esc_count');
  if (!s || !count) return [];
  const n = Math.min(8, maxOf(count));
  const out: EscTelemetry[] = [];
  for (let i = 0; i < n; i++) {
    const f = (field: string, name: string, unit: string): Signal | undefined =>
      fieldSignal(s, `esc[${i}].${field}`, { name, unit });
    out.push({
      index: i,
      rpm: f('esc_rpm', 'rpm', 'rpm'),
      current: f('esc_current', 'current', 'A'),
      voltage: f('esc_voltage', 'voltage', 'V'),
      temperature: f('esc_temperature', 'temperature', 'degC'),
    });
  }
  return out;
}

function batteryGroups(log: DecodedLog): BatteryInstance[] {
  return allInstances(log, 'battery_status').map((s) => {
    const voltage = fieldSignal(s, 'voltage_v', { name: 'voltage', unit: 'V' });
    const conn = numericColumn(s, 'connected');
    const byVoltage = judgeBatteryVoltage(voltage);
    const judged =
      conn && allEqual(conn, 0)
        ? { connected: false, reason: `battery_status[${s.instance}].connected is false throughout` }
        : byVoltage;
    const cells = numericColumn(s, 'cell_count');
    const cellCount = cells ? maxOf(cells) : NaN;
    return {
      instance: s.instance,
      connected: judged.connected,
      connectedReason: judged.reason,
      voltage,
      current: fieldSignal(s, 'current_a', { name: 'current', unit: 'A' }),
      consumed: fieldSignal(s, 'discharged_mah', { name: 'consumed', unit: 'mAh' }),
      remaining: fieldSignal(s, 'remaining', { name: 'remaining', unit: '1', map: (v) => (v < 0 ? NaN : v) }),
      temperature: fieldSignal(s, 'temperature', {
        name: 'temperature',
        unit: 'degC',
        map: (v) => (Number.isFinite(v) && v !== 0 ? v : NaN),
      }),
      warning: fieldSignal(s, 'warning', { name: 'warning', unit: 'enum' }),
      ...(cellCount > 0 ? { cellCount } : {}),
    };
  });
}

/** GPS accuracy above this (m) is the "no estimate" sentinel (u-blox/PX4 log 4294967.5 = UINT32_MAX mm). */
const EPH_SENTINEL_M = 1e5;

function gpsGroups(log: DecodedLog): GpsInstance[] {
  const sources = allInstances(log, 'vehicle_gps_position');
  return (sources.length > 0 ? sources : allInstances(log, 'sensor_gps')).map((s) => {
    const fix = numericColumn(s, 'fix_type');
    const eph = numericColumn(s, 'eph');
    const noFix = (i: number): boolean =>
      (fix ? fix[i]! < 2 : false) || (eph ? !(eph[i]! < EPH_SENTINEL_M) : false);
    const acc = (field: string, name: string, unit: string): Signal | undefined =>
      fieldSignal(s, field, { name, unit, map: (v, i) => (noFix(i) || !(v < EPH_SENTINEL_M) ? NaN : v) });
    let hasFix = false;
    if (fix) for (let i = 0; i < fix.length; i++) if (fix[i]! >= 3 && !noFix(i)) hasFix = true;
    return {
      instance: s.instance,
      hasFix,
      fixType: fieldSignal(s, 'fix_type', { name: 'fixType', unit: 'enum' }),
      satellites: fieldSignal(s, 'satellites_used', { name: 'satellites', unit: 'count' }),
      eph: acc('eph', 'eph', 'm'),
      epv: acc('epv', 'epv', 'm'),
      hdop: acc('hdop', 'hdop', '1'),
      vdop: acc('vdop', 'vdop', '1'),
      speedAccuracy: acc('s_variance_m_s', 'speedAccuracy', 'm/s'),
      jamming: fieldSignal(s, 'jamming_indicator', { name: 'jamming', unit: '1' }),
      noise: fieldSignal(s, 'noise_per_ms', { name: 'noise', unit: '1' }),
    };
  });
}

/** Maps a PX4 ULog to the canonical model. */
export function px4Signals(log: DecodedLog): FlightSignals {
  const d = emptyDraft(log, px4VehicleInfo(log));
  attitudeGroups(log, d);
  d.position = positionGroup(log);
  d.actuators = actuatorGroups(log);
  if (d.actuators.length === 0 && allInstances(log, 'actuator_outputs').length > 0)
    d.reasons.set('actuators', 'every actuator_outputs instance is empty (noutputs 0 or all zero)');
  d.esc = escGroup(log);
  d.batteries = batteryGroups(log);
  d.gps = gpsGroups(log);
  addPx4State(log, d);
  d.events.push(...textEvents(d.messages, d.batteries));
  return finishSignals(log, d);
}
