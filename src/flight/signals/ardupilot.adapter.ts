/**
 * ArduPilot DataFlash → canonical signals: vehicle info, attitude, rates, position, outputs, ESCs,
 * batteries, GPS. Events, modes, arming and flight state are in `ardupilot-state.adapter.ts`.
 *
 * Eras: 2014 logs (ArduCopter 3.2/3.3, ArduPlane 3.1, Rover 2.4x) have EKF1–4, CURR with centivolts,
 * UBX3 accuracies, `Ch1..` RCOU, no VIBE and no FMTU units; 3.8-era logs have NKF*, BAT, GPA, VIBE
 * with Clip0..2; 4.x logs have XKF*, instance-tagged BAT/GPS/VIBE/IMU and FMTU units (BAT.CurrTot in Ah).
 */
import type { DecodedLog, DecodedSeries } from '../formats/decoded-log.js';
import type {
  ActuatorInstance,
  ArduPilotFamily,
  AxisSignals,
  BatteryInstance,
  EscTelemetry,
  FlightSignals,
  GpsInstance,
  PositionSignals,
  Signal,
  VehicleInfo,
} from './flight-signals.js';
import { addArduPilotState } from './ardupilot-state.adapter.js';
import {
  emptyDraft,
  finishSignals,
  judgeBatteryVoltage,
  textEvents,
  type SignalsDraft,
} from './signals-assembly.js';
import {
  allInstances,
  degToRad,
  fieldSignal,
  findSeries,
  firstField,
  firstSeries,
  numericColumn,
  usefulChannels,
} from './signal-series.js';

const FAMILIES: readonly ArduPilotFamily[] = ['copter', 'plane', 'rover', 'sub', 'tracker', 'blimp'];

function vehicleInfo(log: DecodedLog): VehicleInfo {
  const fw = log.info.get('firmware');
  const type = String(log.info.get('vehicle_type') ?? '');
  const family = FAMILIES.find((f) => f === type);
  const param = (k: string): number | undefined => log.parameters.get(k);
  const frameText = log.info.get('frame');
  const board = log.messages
    .map((m) => /^(\S+) [0-9A-F]{8} [0-9A-F]{8} [0-9A-F]{8}$/.exec(m.text.trim())?.[1])
    .find(Boolean);
  const declared = {
    ...(param('FRAME_CLASS') !== undefined ? { frameClass: param('FRAME_CLASS') } : {}),
    ...(param('FRAME_TYPE') !== undefined ? { frameType: param('FRAME_TYPE') } : {}),
    ...(param('FRAME') !== undefined ? { frame: param('FRAME') } : {}),
    ...(param('Q_ENABLE') !== undefined ? { qEnable: param('Q_ENABLE') } : {}),
    ...(param('SYSID_SW_TYPE') !== undefined ? { sysidSwType: param('SYSID_SW_TYPE') } : {}),
    ...(frameText !== undefined ? { frameText: String(frameText) } : {}),
  };
  return {
    autopilot: 'ardupilot',
    logFormat: log.format,
    ...(fw !== undefined ? { firmware: String(fw) } : {}),
    ...(log.info.get('firmware_version') !== undefined
      ? { firmwareVersion: String(log.info.get('firmware_version')) }
      : {}),
    ...(board ? { hardware: board } : {}),
    ...(family ? { ardupilotFamily: family } : {}),
    declared,
  };
}

const deg = (s: DecodedSeries | undefined, f: string, name: string, unit = 'rad'): Signal | undefined =>
  fieldSignal(s, f, { name, unit, map: degToRad });

function attitudeGroups(log: DecodedLog, d: SignalsDraft): void {
  const att = findSeries(log, 'ATT', 0);
  d.attitude = {
    roll: deg(att, 'Roll', 'roll'),
    pitch: deg(att, 'Pitch', 'pitch'),
    yaw: deg(att, 'Yaw', 'yaw'),
  };
  const ctun = findSeries(log, 'CTUN');
  d.attitudeSetpoint = firstField(att, ['DesRoll'])
    ? {
        roll: deg(att, 'DesRoll', 'roll'),
        pitch: deg(att, 'DesPitch', 'pitch'),
        yaw: deg(att, 'DesYaw', 'yaw'),
      }
    : { roll: deg(ctun, 'NavRoll', 'roll'), pitch: deg(ctun, 'NavPitch', 'pitch') };
  const rate = findSeries(log, 'RATE');
  if (rate) {
    d.rates = {
      roll: deg(rate, 'R', 'roll', 'rad/s'),
      pitch: deg(rate, 'P', 'pitch', 'rad/s'),
      yaw: deg(rate, 'Y', 'yaw', 'rad/s'),
    };
    d.rateSetpoint = {
      roll: deg(rate, 'RDes', 'roll', 'rad/s'),
      pitch: deg(rate, 'PDes', 'pitch', 'rad/s'),
      yaw: deg(rate, 'YDes', 'yaw', 'rad/s'),
    };
  } else {
    const imu = findSeries(log, 'IMU', 0);
    const gyro: AxisSignals = {
      roll: fieldSignal(imu, 'GyrX', { name: 'roll', unit: 'rad/s' }),
      pitch: fieldSignal(imu, 'GyrY', { name: 'pitch', unit: 'rad/s' }),
      yaw: fieldSignal(imu, 'GyrZ', { name: 'yaw', unit: 'rad/s' }),
    };
    d.rates = gyro;
    d.reasons.set('rateSetpoint', 'no RATE message (rates taken from raw IMU gyro)');
  }
}

function positionGroup(log: DecodedLog): PositionSignals {
  const ekf = firstSeries(log, ['XKF1', 'NKF1', 'EKF1']);
  const pos = findSeries(log, 'POS');
  const gps = findSeries(log, 'GPS', 0);
  const status = numericColumn(gps, 'Status');
  const fixed = (v: number, i: number): number => (status && status[i]! < 2 ? NaN : v);
  const e = (f: string, name: string, unit: string): Signal | undefined =>
    fieldSignal(ekf, f, { name, unit });
  const baro = findSeries(log, 'BARO', 0);
  const ctun = findSeries(log, 'CTUN');
  const rel = firstField(pos, ['RelHomeAlt'])
    ? fieldSignal(pos, 'RelHomeAlt', { name: 'altRel', unit: 'm' })
    : fieldSignal(gps, 'RelAlt', { name: 'altRel', unit: 'm', map: fixed });
  return {
    x: e('PN', 'x', 'm'),
    y: e('PE', 'y', 'm'),
    z: e('PD', 'z', 'm'),
    vx: e('VN', 'vx', 'm/s'),
    vy: e('VE', 'vy', 'm/s'),
    vz: e('VD', 'vz', 'm/s'),
    lat: pos
      ? fieldSignal(pos, 'Lat', { name: 'lat', unit: 'deg' })
      : fieldSignal(gps, 'Lat', { name: 'lat', unit: 'deg', map: fixed }),
    lon: pos
      ? fieldSignal(pos, 'Lng', { name: 'lon', unit: 'deg' })
      : fieldSignal(gps, 'Lng', { name: 'lon', unit: 'deg', map: fixed }),
    altMsl: pos
      ? fieldSignal(pos, 'Alt', { name: 'altMsl', unit: 'm' })
      : fieldSignal(gps, 'Alt', { name: 'altMsl', unit: 'm', map: fixed }),
    altRel: rel ?? fieldSignal(ctun, 'Alt', { name: 'altRel', unit: 'm' }),
    baroAlt: baro
      ? fieldSignal(baro, 'Alt', { name: 'baroAlt', unit: 'm' })
      : fieldSignal(ctun, firstField(ctun, ['BAlt', 'BarAlt']) ?? 'BAlt', { name: 'baroAlt', unit: 'm' }),
    groundSpeed: fieldSignal(gps, 'Spd', { name: 'groundSpeed', unit: 'm/s', map: fixed }),
  };
}

function actuatorGroups(log: DecodedLog): ActuatorInstance[] {
  return allInstances(log, 'RCOU').flatMap((s) => {
    const fields = s.fields.map((f) => f.name).filter((n) => /^(C|Ch)\d+$/.test(n));
    const all = fields
      .map((f) => fieldSignal(s, f, { name: `ch${f.replace(/\D/g, '')}`, unit: 'us' }))
      .filter((x): x is Signal => Boolean(x));
    const channels = usefulChannels(all);
    return channels.length > 0
      ? [{ instance: s.instance, source: `RCOU${s.instance ? `[${s.instance}]` : ''}`, unit: 'us', channels }]
      : [];
  });
}

function escGroup(log: DecodedLog): EscTelemetry[] {
  return allInstances(log, 'ESC').map((s) => ({
    index: s.instance,
    rpm: fieldSignal(s, 'RPM', { name: 'rpm', unit: 'rpm' }),
    voltage: fieldSignal(s, 'Volt', { name: 'voltage', unit: 'V' }),
    current: fieldSignal(s, 'Curr', { name: 'current', unit: 'A' }),
    temperature: fieldSignal(s, 'Temp', { name: 'temperature', unit: 'degC' }),
  }));
}

function batteryGroups(log: DecodedLog): BatteryInstance[] {
  const monitor = log.parameters.get('BATT_MONITOR');
  const disabled = monitor === 0;
  const bats = allInstances(log, 'BAT');
  const curr = bats.length > 0 ? [] : allInstances(log, 'CURR');
  const build = (s: DecodedSeries, legacy: boolean): BatteryInstance => {
    const voltField = s.fields.find((f) => f.name === 'Volt');
    // 2014 CURR.Volt is int16 centivolts with no unit metadata.
    const centi = legacy && voltField?.sourceType === 'h';
    const voltage = fieldSignal(s, 'Volt', { name: 'voltage', unit: 'V', map: (v) => (centi ? v / 100 : v) });
    const totUnit = s.fields.find((f) => f.name === 'CurrTot')?.unit;
    const judged = disabled
      ? { connected: false, reason: 'BATT_MONITOR = 0 (battery monitor disabled)' }
      : judgeBatteryVoltage(voltage);
    return {
      instance: s.instance,
      connected: judged.connected,
      connectedReason: judged.reason,
      voltage,
      current: fieldSignal(s, 'Curr', {
        name: 'current',
        unit: 'A',
        map: (v) => (legacy && s.fields.find((f) => f.name === 'Curr')?.sourceType === 'h' ? v / 100 : v),
      }),
      consumed: fieldSignal(s, 'CurrTot', {
        name: 'consumed',
        unit: 'mAh',
        map: (v) => (totUnit === 'Ah' ? v * 1000 : v),
      }),
      remaining: fieldSignal(s, 'RemPct', { name: 'remaining', unit: '1', map: (v) => v / 100 }),
      temperature: fieldSignal(s, 'Temp', {
        name: 'temperature',
        unit: 'degC',
        map: (v) => (v === 0 ? NaN : v),
      }),
    };
  };
  const out = [...bats.map((s) => build(s, false)), ...curr.map((s) => build(s, true))];
  if (out.length > 0) return out;
  // Some logs carry no battery records at all, only the firmware's complaint, e.g. "Low Battery 0.05V Used 0 mAh".
  const text = log.messages.find((m) => /low battery\s+([\d.]+)\s*v/i.test(m.text));
  if (!text) return [];
  const volts = Number(/low battery\s+([\d.]+)\s*v/i.exec(text.text)![1]);
  const connected = !disabled && volts >= 1;
  return [
    {
      instance: 0,
      connected,
      connectedReason: `no BAT/CURR records; only text "${text.text.trim()}" (${volts} V${connected ? '' : ' < 1 V: monitor not connected'})`,
    },
  ];
}

function gpsGroups(log: DecodedLog): GpsInstance[] {
  return allInstances(log, 'GPS').map((s) => {
    const gpa = findSeries(log, 'GPA', s.instance);
    const ubx3 = findSeries(log, 'UBX3');
    const ubx1 = findSeries(log, 'UBX1');
    const status = numericColumn(s, 'Status');
    let hasFix = false;
    if (status) for (const v of status) if (v >= 3) hasFix = true;
    // Accuracies are only meaningful with a fix; receivers report 99.99 or huge sentinels without one.
    const acc = (src: DecodedSeries | undefined, f: string, name: string, unit: string): Signal | undefined =>
      fieldSignal(src, f, { name, unit, map: (v) => (v > 0 && v < 1e5 ? v : NaN) });
    const hdop = fieldSignal(s, 'HDop', {
      name: 'hdop',
      unit: '1',
      map: (v, i) => ((status && status[i]! < 2) || v >= 99 ? NaN : v),
    });
    return {
      instance: s.instance,
      hasFix,
      fixType: fieldSignal(s, 'Status', { name: 'fixType', unit: 'enum' }),
      satellites: fieldSignal(s, 'NSats', { name: 'satellites', unit: 'count' }),
      eph: gpa ? acc(gpa, 'HAcc', 'eph', 'm') : acc(ubx3, 'hAcc', 'eph', 'm'),
      epv: gpa ? acc(gpa, 'VAcc', 'epv', 'm') : acc(ubx3, 'vAcc', 'epv', 'm'),
      hdop,
      vdop: acc(gpa, 'VDop', 'vdop', '1'),
      speedAccuracy: gpa
        ? acc(gpa, 'SAcc', 'speedAccuracy', 'm/s')
        : acc(ubx3, 'sAcc', 'speedAccuracy', 'm/s'),
      jamming: s.instance === 0 ? fieldSignal(ubx1, 'jamInd', { name: 'jamming', unit: '1' }) : undefined,
      noise: s.instance === 0 ? fieldSignal(ubx1, 'noisePerMS', { name: 'noise', unit: '1' }) : undefined,
    };
  });
}

/** Maps an ArduPilot DataFlash log to the canonical model. */
export function ardupilotSignals(log: DecodedLog): FlightSignals {
  const d = emptyDraft(log, vehicleInfo(log));
  attitudeGroups(log, d);
  d.position = positionGroup(log);
  d.actuators = actuatorGroups(log);
  d.esc = escGroup(log);
  d.batteries = batteryGroups(log);
  d.gps = gpsGroups(log);
  addArduPilotState(log, d);
  d.events.push(...textEvents(d.messages, d.batteries));
  return finishSignals(log, d);
}
