/**
 * MAVLink telemetry (`.tlog`) → canonical signals. A tlog is what the ground station received, so it
 * is sparser than an onboard log (no setpoints at rate, no estimator internals) — many groups are
 * legitimately missing. Only the autopilot's own messages are read: the series whose instance
 * (`sysid * 256 + compid`) matches the heartbeat's system, preferring component 1 (MAV_COMP_ID_AUTOPILOT1).
 */
import type { DecodedLog, DecodedSeries } from '../formats/decoded-log.js';
import type { ArduPilotFamily, FlightSignals, GpsInstance, Signal, VehicleInfo } from './flight-signals.js';
import { ardupilotModeName } from './mode-names.table.js';
import { emptyDraft, finishSignals, judgeBatteryVoltage, textEvents } from './signals-assembly.js';
import {
  fieldSignal,
  intersect,
  intervalsWhere,
  logTimeRange,
  numericColumn,
  segmentsFrom,
  tidyIntervals,
  usefulChannels,
} from './signal-series.js';

const MAV_AUTOPILOT_ARDUPILOTMEGA = 3;
const MAV_AUTOPILOT_PX4 = 12;
const MAV_MODE_FLAG_SAFETY_ARMED = 128;
const MAV_MODE_FLAG_CUSTOM_MODE_ENABLED = 1;

/** ArduPilot family from MAV_TYPE (QuadPlanes report 1 or a VTOL type; both are ArduPlane). */
function familyOf(mavType: number | undefined): ArduPilotFamily | undefined {
  if (mavType === undefined) return undefined;
  if ([2, 3, 4, 13, 14, 15, 29].includes(mavType)) return 'copter';
  if (mavType === 1 || (mavType >= 19 && mavType <= 25)) return 'plane';
  if (mavType === 10 || mavType === 11) return 'rover';
  if (mavType === 12) return 'sub';
  if (mavType === 5) return 'tracker';
  return undefined;
}

const PX4_MAIN: readonly string[] = [
  '',
  'MANUAL',
  'ALTCTL',
  'POSCTL',
  'AUTO',
  'ACRO',
  'OFFBOARD',
  'STABILIZED',
  'RATTITUDE',
];
const PX4_AUTO: readonly string[] = [
  '',
  'READY',
  'TAKEOFF',
  'LOITER',
  'MISSION',
  'RTL',
  'LAND',
  'RTGS',
  'FOLLOW_TARGET',
  'PRECLAND',
];

/** PX4 custom_mode packs main mode in bits 16–23 and the auto sub-mode in bits 24–31. */
export function px4CustomModeName(customMode: number): string {
  const main = (customMode >>> 16) & 0xff;
  const sub = (customMode >>> 24) & 0xff;
  const mainName = PX4_MAIN[main] ?? `MAIN_${main}`;
  return main === 4 && sub > 0 ? `AUTO_${PX4_AUTO[sub] ?? sub}` : mainName || `MODE_${customMode}`;
}

/** Maps a MAVLink telemetry log to the canonical model. */
export function mavlinkSignals(log: DecodedLog): FlightSignals {
  const num = (k: string): number | undefined => {
    const v = log.info.get(k);
    return v === undefined || !Number.isFinite(Number(v)) ? undefined : Number(v);
  };
  const autopilotId = num('mav_autopilot');
  const sysid = num('mav_sysid');
  const mavType = num('mav_type');
  const autopilot =
    autopilotId === MAV_AUTOPILOT_PX4
      ? 'px4'
      : autopilotId === MAV_AUTOPILOT_ARDUPILOTMEGA
        ? 'ardupilot'
        : 'unknown';
  const family = autopilot === 'ardupilot' ? familyOf(mavType) : undefined;
  const vehicle: VehicleInfo = {
    autopilot,
    logFormat: log.format,
    ...(family ? { ardupilotFamily: family } : {}),
    declared: {
      ...(mavType !== undefined ? { mavType } : {}),
      ...(log.parameters.has('FRAME_CLASS') ? { frameClass: log.parameters.get('FRAME_CLASS') } : {}),
    },
  };
  const pick = (topic: string): DecodedSeries | undefined => {
    const all = log.series.filter((s) => s.topic === topic);
    const own = sysid === undefined ? all : all.filter((s) => s.instance >> 8 === sysid);
    return own.find((s) => (s.instance & 0xff) === 1) ?? own[0];
  };
  const d = emptyDraft(log, vehicle);
  const end = logTimeRange(log)?.end ?? 0;
  const att = pick('ATTITUDE');
  const f = (
    s: DecodedSeries | undefined,
    field: string,
    name: string,
    unit: string,
    scale = 1,
  ): Signal | undefined => fieldSignal(s, field, { name, unit, map: (v) => v * scale });
  d.attitude = {
    roll: f(att, 'roll', 'roll', 'rad'),
    pitch: f(att, 'pitch', 'pitch', 'rad'),
    yaw: f(att, 'yaw', 'yaw', 'rad'),
  };
  d.rates = {
    roll: f(att, 'rollspeed', 'roll', 'rad/s'),
    pitch: f(att, 'pitchspeed', 'pitch', 'rad/s'),
    yaw: f(att, 'yawspeed', 'yaw', 'rad/s'),
  };
  const target = pick('ATTITUDE_TARGET');
  d.rateSetpoint = {
    roll: f(target, 'bodyRollRate', 'roll', 'rad/s'),
    pitch: f(target, 'bodyPitchRate', 'pitch', 'rad/s'),
    yaw: f(target, 'bodyYawRate', 'yaw', 'rad/s'),
  };
  const gpi = pick('GLOBAL_POSITION_INT');
  const lpn = pick('LOCAL_POSITION_NED');
  const hud = pick('VFR_HUD');
  const press = pick('SCALED_PRESSURE');
  d.position = {
    x: f(lpn, 'x', 'x', 'm'),
    y: f(lpn, 'y', 'y', 'm'),
    z: f(lpn, 'z', 'z', 'm'),
    vx: f(gpi, 'vx', 'vx', 'm/s', 0.01) ?? f(lpn, 'vx', 'vx', 'm/s'),
    vy: f(gpi, 'vy', 'vy', 'm/s', 0.01) ?? f(lpn, 'vy', 'vy', 'm/s'),
    vz: f(gpi, 'vz', 'vz', 'm/s', 0.01) ?? f(lpn, 'vz', 'vz', 'm/s'),
    lat: f(gpi, 'lat', 'lat', 'deg', 1e-7),
    lon: f(gpi, 'lon', 'lon', 'deg', 1e-7),
    altMsl: f(gpi, 'alt', 'altMsl', 'm', 1e-3),
    altRel: f(gpi, 'relativeAlt', 'altRel', 'm', 1e-3),
    groundSpeed: f(hud, 'groundspeed', 'groundSpeed', 'm/s'),
  };
  if (!d.position.baroAlt)
    d.reasons.set(
      'position.baroAlt',
      press ? 'SCALED_PRESSURE has pressure, not altitude' : 'no barometer message in telemetry',
    );
  const servo = log.series.filter(
    (s) => s.topic === 'SERVO_OUTPUT_RAW' && (sysid === undefined || s.instance >> 8 === sysid),
  );
  for (const s of servo) {
    const all = Array.from({ length: 16 }, (_, i) => f(s, `servo${i + 1}Raw`, `ch${i + 1}`, 'us')).filter(
      (x): x is Signal => Boolean(x),
    );
    const channels = usefulChannels(all);
    if (channels.length > 0)
      d.actuators.push({
        instance: s.instance,
        source: `SERVO_OUTPUT_RAW[${s.instance}]`,
        unit: 'us',
        channels,
      });
  }
  const sys = pick('SYS_STATUS');
  const voltage = fieldSignal(sys, 'voltageBattery', {
    name: 'voltage',
    unit: 'V',
    map: (v) => (v === 65535 ? NaN : v / 1000),
  });
  if (sys) {
    const judged = judgeBatteryVoltage(voltage);
    d.batteries.push({
      instance: 0,
      connected: judged.connected,
      connectedReason: judged.reason,
      voltage,
      current: fieldSignal(sys, 'currentBattery', {
        name: 'current',
        unit: 'A',
        map: (v) => (v === -1 ? NaN : v / 100),
      }),
      remaining: fieldSignal(sys, 'batteryRemaining', {
        name: 'remaining',
        unit: '1',
        map: (v) => (v < 0 ? NaN : v / 100),
      }),
    });
  }
  const raw = pick('GPS_RAW_INT');
  if (raw) {
    const fix = numericColumn(raw, 'fixType');
    const masked =
      (scale: number) =>
      (v: number, i: number): number =>
        v === 65535 || (fix && fix[i]! < 2) ? NaN : v * scale;
    const gps: GpsInstance = {
      instance: 0,
      hasFix: fix ? fix.some((v) => v >= 3) : false,
      fixType: f(raw, 'fixType', 'fixType', 'enum'),
      satellites: fieldSignal(raw, 'satellitesVisible', {
        name: 'satellites',
        unit: 'count',
        map: (v) => (v === 255 ? NaN : v),
      }),
      // GPS_RAW_INT eph/epv are dilution of precision ×100; hAcc/vAcc (mm) are the accuracies.
      hdop: fieldSignal(raw, 'eph', { name: 'hdop', unit: '1', map: masked(0.01) }),
      vdop: fieldSignal(raw, 'epv', { name: 'vdop', unit: '1', map: masked(0.01) }),
      eph: fieldSignal(raw, 'hAcc', {
        name: 'eph',
        unit: 'm',
        map: (v, i) => (v === 0 ? NaN : masked(1e-3)(v, i)),
      }),
      epv: fieldSignal(raw, 'vAcc', {
        name: 'epv',
        unit: 'm',
        map: (v, i) => (v === 0 ? NaN : masked(1e-3)(v, i)),
      }),
    };
    d.gps.push(gps);
  }
  const vib = pick('VIBRATION');
  d.vibration = {
    metrics: ['X', 'Y', 'Z']
      .map((a) => f(vib, `vibration${a}`, `imu0.vibe${a}`, 'm/s/s'))
      .filter((x): x is Signal => Boolean(x)),
    clipping: [0, 1, 2]
      .map((i) => f(vib, `clipping${i}`, `imu${i}.clip`, 'count'))
      .filter((x): x is Signal => Boolean(x)),
    rawAccel: [],
  };
  const rcs = pick('RC_CHANNELS');
  d.rc = {
    channels: Array.from({ length: 18 }, (_, i) =>
      fieldSignal(rcs, `chan${i + 1}Raw`, {
        name: `ch${i + 1}`,
        unit: 'us',
        map: (v) => (v === 65535 || v === 0 ? NaN : v),
      }),
    ).filter((x): x is Signal => Boolean(x)),
    lossIntervals: [],
  };
  const hb = pick('HEARTBEAT');
  const base = numericColumn(hb, 'baseMode');
  const custom = numericColumn(hb, 'customMode');
  if (hb && base) {
    const armed = fieldSignal(hb, 'baseMode', {
      name: 'armed',
      unit: 'bool',
      map: (v) => ((v & MAV_MODE_FLAG_SAFETY_ARMED) !== 0 ? 1 : 0),
    });
    if (armed) {
      d.armed = intervalsWhere(armed, (v) => v > 0, end);
      d.armedSource = 'HEARTBEAT.baseMode & MAV_MODE_FLAG_SAFETY_ARMED';
    }
    if (custom) {
      const changes = Array.from(custom, (mode, i) => ({
        time: hb.timestamps[i]!,
        mode,
        ok: (base[i]! & MAV_MODE_FLAG_CUSTOM_MODE_ENABLED) !== 0,
      })).filter((c) => c.ok);
      const name = (m: number): string =>
        autopilot === 'px4' ? px4CustomModeName(m) : ardupilotModeName(family, m);
      d.modes = segmentsFrom(changes, end, name);
    }
  }
  const throttle = fieldSignal(hud, 'throttle', { name: 'throttle', unit: '%' });
  if (d.armed && throttle) {
    d.flying = tidyIntervals(
      intersect(
        intervalsWhere(throttle, (v) => v > 20, end),
        d.armed,
      ),
      1,
      0.5,
    );
    d.flyingSource = 'armed ∧ VFR_HUD.throttle > 20 %';
  } else if (d.armed)
    d.reasons.set('flying', 'armed state known, but no VFR_HUD throttle to tell flight from ground');
  d.reasons.set('estimators', 'telemetry carries no innovation test ratios');
  d.events.push(...textEvents(d.messages, d.batteries));
  return finishSignals(log, d);
}
