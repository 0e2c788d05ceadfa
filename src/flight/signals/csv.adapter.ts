/**
 * CSV flight data → canonical signals. CSV has no schema, so the adapter recognises three shapes
 * (documented in docs/flight/signals.md):
 * 1. PX4 topic columns (`vehicle_attitude.q[0]`, `battery_status.voltage_v` — pyulog-style exports)
 *    → the PX4 adapter; 2. ArduPilot message columns (`ATT.Roll`, `BAT.Volt`) → the ArduPilot adapter;
 * 3. generic names (`attitude.roll`, `roll`, `battery.voltage`, `gps.lat`, `armed`, `motor1` …) read by
 *    alias here. The autopilot is `unknown` unless the columns say otherwise.
 */
import type { DecodedLog, DecodedSeries } from '../formats/decoded-log.js';
import type { FlightSignals, Signal } from './flight-signals.js';
import { ardupilotSignals } from './ardupilot.adapter.js';
import { px4Signals } from './px4.adapter.js';
import { emptyDraft, finishSignals, judgeBatteryVoltage, textEvents } from './signals-assembly.js';
import {
  DEG,
  fieldSignal,
  intervalsWhere,
  logTimeRange,
  numericColumn,
  segmentsFrom,
  usefulChannels,
} from './signal-series.js';

const PX4_TOPICS = [
  'vehicle_attitude',
  'battery_status',
  'vehicle_status',
  'actuator_outputs',
  'vehicle_local_position',
  'vehicle_gps_position',
];
const ARDUPILOT_TOPICS = ['ATT', 'BAT', 'RCOU', 'XKF4', 'NKF4', 'VIBE', 'CTUN', 'MODE'];

const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

interface Column {
  readonly series: DecodedSeries;
  readonly field: string;
  readonly unit?: string;
}

function columnIndex(log: DecodedLog): Map<string, Column> {
  const index = new Map<string, Column>();
  for (const s of log.series)
    for (const f of s.fields) {
      if (!numericColumn(s, f.name)) continue;
      const col = { series: s, field: f.name, ...(f.unit ? { unit: f.unit } : {}) };
      const full = norm(s.topic === 'csv' ? f.name : `${s.topic}.${f.name}`);
      if (!index.has(full)) index.set(full, col);
      if (!index.has(norm(f.name))) index.set(norm(f.name), col);
    }
  return index;
}

/** Maps a CSV log to the canonical model. */
export function csvSignals(log: DecodedLog): FlightSignals {
  const topics = new Set(log.series.map((s) => s.topic));
  if (PX4_TOPICS.some((t) => topics.has(t))) return px4Signals(log);
  if (ARDUPILOT_TOPICS.filter((t) => topics.has(t)).length >= 2) return ardupilotSignals(log);
  const index = columnIndex(log);
  const find = (aliases: readonly string[]): Column | undefined =>
    aliases.map((a) => index.get(norm(a))).find(Boolean);
  const sig = (
    aliases: readonly string[],
    name: string,
    unit: string,
    map?: (v: number) => number,
  ): Signal | undefined => {
    const c = find(aliases);
    return c ? fieldSignal(c.series, c.field, { name, unit, ...(map ? { map } : {}) }) : undefined;
  };
  /** Angles: a `deg` unit or `_deg` name converts; otherwise radians unless values exceed 2π (degrees). */
  const angle = (aliases: readonly string[], name: string, rate = false): Signal | undefined => {
    const c = find(aliases);
    if (!c) return undefined;
    const values = numericColumn(c.series, c.field)!;
    let peak = 0;
    for (const v of values) if (Number.isFinite(v)) peak = Math.max(peak, Math.abs(v));
    const isDeg =
      /deg/i.test(c.unit ?? '') ||
      /deg/i.test(c.field) ||
      (!/rad/i.test(c.unit ?? '') && peak > 2 * Math.PI + 0.1 && !rate);
    return fieldSignal(c.series, c.field, {
      name,
      unit: rate ? 'rad/s' : 'rad',
      map: (v) => (isDeg ? v * DEG : v),
    });
  };
  const d = emptyDraft(log, { autopilot: 'unknown', logFormat: log.format, declared: {} });
  const end = logTimeRange(log)?.end ?? 0;
  d.attitude = {
    roll: angle(['attitude.roll', 'roll', 'roll_deg', 'roll_rad'], 'roll'),
    pitch: angle(['attitude.pitch', 'pitch', 'pitch_deg', 'pitch_rad'], 'pitch'),
    yaw: angle(['attitude.yaw', 'yaw', 'heading', 'yaw_deg', 'yaw_rad'], 'yaw'),
  };
  d.rates = {
    roll: angle(['rates.roll', 'rollrate', 'roll_rate', 'p'], 'roll', true),
    pitch: angle(['rates.pitch', 'pitchrate', 'pitch_rate', 'q'], 'pitch', true),
    yaw: angle(['rates.yaw', 'yawrate', 'yaw_rate', 'r'], 'yaw', true),
  };
  d.position = {
    lat: sig(['gps.lat', 'position.lat', 'lat', 'latitude'], 'lat', 'deg'),
    lon: sig(['gps.lon', 'position.lon', 'lon', 'lng', 'longitude'], 'lon', 'deg'),
    altMsl: sig(['gps.alt', 'position.alt', 'alt_msl', 'altitude_msl'], 'altMsl', 'm'),
    altRel: sig(['position.alt_rel', 'alt_rel', 'relative_alt', 'altitude', 'alt'], 'altRel', 'm'),
    baroAlt: sig(['baro.alt', 'baro_alt'], 'baroAlt', 'm'),
    groundSpeed: sig(['gps.speed', 'groundspeed', 'ground_speed', 'speed'], 'groundSpeed', 'm/s'),
  };
  const voltage = sig(['battery.voltage', 'battery_voltage', 'voltage', 'volt'], 'voltage', 'V');
  if (voltage) {
    const judged = judgeBatteryVoltage(voltage);
    d.batteries.push({
      instance: 0,
      connected: judged.connected,
      connectedReason: judged.reason,
      voltage,
      current: sig(['battery.current', 'battery_current', 'current'], 'current', 'A'),
      remaining: sig(['battery.remaining', 'battery_remaining'], 'remaining', '1', (v) =>
        v > 1 ? v / 100 : v,
      ),
    });
  }
  const fix = sig(['gps.fix_type', 'gps.fix', 'fix_type'], 'fixType', 'enum');
  const sats = sig(['gps.satellites', 'gps.sats', 'satellites', 'nsats'], 'satellites', 'count');
  const hdop = sig(['gps.hdop', 'hdop'], 'hdop', '1');
  if (fix ?? sats ?? hdop)
    d.gps.push({
      instance: 0,
      hasFix: fix ? fix.v.some((v) => v >= 3) : false,
      ...(fix ? { fixType: fix } : {}),
      ...(sats ? { satellites: sats } : {}),
      ...(hdop ? { hdop } : {}),
    });
  const motors = Array.from({ length: 16 }, (_, i) =>
    sig(
      [`motor${i + 1}`, `output${i + 1}`, `rcou.c${i + 1}`, `motors.m${i + 1}`, `servo${i + 1}`],
      `ch${i + 1}`,
      'us',
    ),
  ).filter((x): x is Signal => Boolean(x));
  const channels = usefulChannels(motors);
  if (channels.length > 0)
    d.actuators.push({ instance: 0, source: 'csv motor columns', unit: 'us', channels });
  const armed = sig(['armed', 'status.armed', 'is_armed'], 'armed', 'bool');
  if (armed) {
    d.armed = intervalsWhere(armed, (v) => v > 0, end);
    d.armedSource = `csv ${armed.source}`;
  }
  const flying = sig(['flying', 'in_air', 'status.flying', 'airborne'], 'flying', 'bool');
  if (flying) {
    d.flying = intervalsWhere(flying, (v) => v > 0, end);
    d.flyingSource = `csv ${flying.source}`;
  }
  const mode = sig(['mode', 'flight_mode', 'status.mode'], 'mode', 'enum');
  if (mode)
    d.modes = segmentsFrom(
      Array.from(mode.v, (m, i) => ({ time: mode.t[i]!, mode: m })),
      end,
      (m) => `MODE_${m}`,
    );
  d.vibration = {
    metrics: ['x', 'y', 'z']
      .map((a) =>
        sig([`vibration.${a}`, `vibe${a}`, `vibration_${a}`], `imu0.vibe${a.toUpperCase()}`, 'm/s/s'),
      )
      .filter((x): x is Signal => Boolean(x)),
    clipping: [],
    rawAccel: [],
  };
  d.reasons.set('attitudeSetpoint', 'generic CSV has no setpoint convention');
  d.events.push(...textEvents(d.messages, d.batteries));
  return finishSignals(log, d);
}
