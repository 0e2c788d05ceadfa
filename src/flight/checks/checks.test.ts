// Each check on small constructed signals: below, at and above its thresholds, plus suppressions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FlightCheck } from './check.js';
import { baseSignals, context, DURATION, sig } from './check-fixtures.js';
import { batteryCheck } from './battery.check.js';
import { boardPowerCheck } from './power.check.js';
import { clippingCheck, vibrationLevelCheck } from './vibration.check.js';
import { gpsGlitchCheck, gpsQualityCheck } from './gps.check.js';
import { estimatorSwitchCheck, innovationCheck } from './estimator.check.js';
import { compassCheck } from './compass.check.js';
import { motorFailureCheck, motorImbalanceCheck, motorSaturationCheck, quadPattern } from './motors.check.js';
import { thrustMarginCheck } from './thrust.check.js';
import { attitudeTrackingCheck } from './attitude.check.js';
import { crashCheck } from './crash.check.js';
import { rcLossCheck } from './rc.check.js';
import { failsafeCheck } from './failsafe.check.js';
import { loggingHealthCheck } from './logging.check.js';
import { truncationCheck } from './truncation.check.js';
import { neverFlewCheck } from './flight.check.js';
import { spectralCheck } from './spectral.check.js';
import type { FlightSignals } from '../signals/flight-signals.js';

const statusOf = (check: FlightCheck, s: FlightSignals, log = {}): string => check.run(context(s, log))[0]!.status;
const DEG = Math.PI / 180;
const quad = (levels: number[]) => [{ instance: 0, source: 'test_outputs', unit: 'us', channels: levels.map((l, i) => sig(`ch${i + 1}`, (t) => l + 15 * Math.sin(t * (i + 1)))) }];

describe('vibration.level', () => {
  const withMetric = (value: number) => baseSignals({ vibration: { metrics: [sig('vibe', () => value)], clipping: [], rawAccel: [] } });
  it('PX4 bands: below warn passes, at warn passes, above warn warns, above fail fails', () => {
    assert.equal(statusOf(vibrationLevelCheck, withMetric(4)), 'pass');
    assert.equal(statusOf(vibrationLevelCheck, withMetric(4.905)), 'pass');
    assert.equal(statusOf(vibrationLevelCheck, withMetric(5)), 'warn');
    assert.equal(statusOf(vibrationLevelCheck, withMetric(10)), 'fail');
  });
  it('ArduPilot VIBE bands 30/60', () => {
    const ap = (v: number) => ({ ...withMetric(v), vehicle: { autopilot: 'ardupilot' as const, logFormat: 'dataflash' as const, ardupilotFamily: 'copter' as const, declared: {} } });
    assert.equal(statusOf(vibrationLevelCheck, ap(29)), 'pass');
    assert.equal(statusOf(vibrationLevelCheck, ap(31)), 'warn');
    assert.equal(statusOf(vibrationLevelCheck, ap(61)), 'fail');
  });
  it('judges the p95 of steady flight: spikes on the ground and in take-off do not count', () => {
    const s = baseSignals({ vibration: { metrics: [sig('vibe', (t) => (t < 5 ? 50 : 2))], clipping: [], rawAccel: [] } });
    assert.equal(statusOf(vibrationLevelCheck, s), 'pass');
  });
  it('never flew → insufficient data', () => {
    assert.equal(statusOf(vibrationLevelCheck, { ...withMetric(20), flying: [] }), 'insufficient_data');
  });
});

describe('vibration.clipping', () => {
  const clip = (n: number) => baseSignals({ vibration: { metrics: [], clipping: [sig('clip', (t) => (t > 30 ? n : 0))], rawAccel: [] } });
  it('0 pass, 1 warn, 99 warn, 100 fail', () => {
    assert.equal(statusOf(clippingCheck, clip(0)), 'pass');
    assert.equal(statusOf(clippingCheck, clip(1)), 'warn');
    assert.equal(statusOf(clippingCheck, clip(99)), 'warn');
    assert.equal(statusOf(clippingCheck, clip(100)), 'fail');
  });
});

describe('battery.state', () => {
  const pack = (perCell: number, extra = {}) =>
    baseSignals({ batteries: [{ instance: 0, connected: true, connectedReason: 'test', voltage: sig('v', () => perCell * 4), cellCount: 4, ...extra }] });
  it('per-cell voltage: 3.6 pass, 3.45 warn, 3.2 fail', () => {
    assert.equal(statusOf(batteryCheck, pack(3.6)), 'pass');
    assert.equal(statusOf(batteryCheck, pack(3.45)), 'warn');
    assert.equal(statusOf(batteryCheck, pack(3.2)), 'fail');
  });
  it('remaining below 15 % warns; autopilot warning ≥ 2 fails', () => {
    assert.equal(statusOf(batteryCheck, pack(3.8, { remaining: sig('r', () => 0.16) })), 'pass');
    assert.equal(statusOf(batteryCheck, pack(3.8, { remaining: sig('r', () => 0.1) })), 'warn');
    assert.equal(statusOf(batteryCheck, pack(3.8, { warning: sig('w', () => 2) })), 'fail');
  });
  it('a disconnected monitor is not applicable, with a suppression', () => {
    const s = baseSignals({ batteries: [{ instance: 0, connected: false, connectedReason: 'BATT_MONITOR = 0', voltage: sig('v', () => 0.05) }] });
    const f = batteryCheck.run(context(s))[0]!;
    assert.equal(f.status, 'not_applicable');
    assert.equal(f.suppressions[0]!.id, 'battery_disconnected');
  });
});

describe('power.board', () => {
  const vcc = (f: (t: number) => number) => baseSignals({ system: { magField: [], boardVoltage: sig('vcc', f) } });
  it('5.0 V steady pass, 0.4 V swing warn, 4.5 V fail', () => {
    assert.equal(statusOf(boardPowerCheck, vcc(() => 5)), 'pass');
    assert.equal(statusOf(boardPowerCheck, vcc((t) => (t < 30 ? 5.2 : 4.8))), 'warn');
    assert.equal(statusOf(boardPowerCheck, vcc(() => 4.5)), 'fail');
  });
});

describe('gps', () => {
  const gps = (sats: number, hdop: number) => baseSignals({ gps: [{ instance: 0, hasFix: true, satellites: sig('sats', () => sats), hdop: sig('hdop', () => hdop) }] });
  it('quality: 10 sats/HDOP 1 pass, 5 sats warn, 4 sats fail, HDOP 11 fail', () => {
    assert.equal(statusOf(gpsQualityCheck, gps(10, 1)), 'pass');
    assert.equal(statusOf(gpsQualityCheck, gps(5, 1)), 'warn');
    assert.equal(statusOf(gpsQualityCheck, gps(4, 1)), 'fail');
    assert.equal(statusOf(gpsQualityCheck, gps(10, 11)), 'fail');
  });
  it('no fix at all = flown without GPS: not applicable', () => {
    const s = baseSignals({ gps: [{ instance: 0, hasFix: false, satellites: sig('sats', () => 0) }] });
    assert.equal(statusOf(gpsQualityCheck, s), 'not_applicable');
  });
  it('glitches: none pass, 1 warn, 3 fail', () => {
    const g = (n: number) => baseSignals({ gps: [{ instance: 0, hasFix: true }], events: Array.from({ length: n }, (_, i) => ({ time: 10 + i, kind: 'error' as const, name: 'GPS_GLITCH', source: 'ERR' })) });
    assert.equal(statusOf(gpsGlitchCheck, g(0)), 'pass');
    assert.equal(statusOf(gpsGlitchCheck, g(1)), 'warn');
    assert.equal(statusOf(gpsGlitchCheck, g(3)), 'fail');
  });
});

describe('estimator', () => {
  const ratio = (seconds: number) => baseSignals({ estimators: [{ instance: 0, source: 'est', testRatios: [sig('vel', (t) => (t >= 20 && t < 20 + seconds ? 1.5 : 0.2))], flags: [] }] });
  it('test ratio > 1 sustained: 1 s pass, 3 s warn, 6 s fail', () => {
    assert.equal(statusOf(innovationCheck, ratio(1)), 'pass');
    assert.equal(statusOf(innovationCheck, ratio(3)), 'warn');
    assert.equal(statusOf(innovationCheck, ratio(6)), 'fail');
  });
  it('switching: one switch warns, three within 10 s fail', () => {
    const ev = (n: number) => baseSignals({ estimators: [], events: Array.from({ length: n }, (_, i) => ({ time: 10 + i, kind: 'error' as const, name: 'EKF_FAULT', source: 'text' })) });
    assert.equal(statusOf(estimatorSwitchCheck, ev(0)), 'insufficient_data');
    assert.equal(statusOf(estimatorSwitchCheck, ev(1)), 'warn');
    assert.equal(statusOf(estimatorSwitchCheck, ev(3)), 'fail');
  });
});

describe('compass.field', () => {
  const mag = (swing: number) => baseSignals({ system: { magField: [sig('mag', (t) => 0.5 * (1 + (t > 30 ? swing : 0)))] } });
  it('field change 10 % pass, 30 % warn, 40 % fail', () => {
    assert.equal(statusOf(compassCheck, mag(0.1)), 'pass');
    assert.equal(statusOf(compassCheck, mag(0.3)), 'warn');
    assert.equal(statusOf(compassCheck, mag(0.4)), 'fail');
  });
  it('ArduPilot offsets: 200 pass, 400 warn, 600 fail', () => {
    const ofs = (x: number) => baseSignals({ parameters: new Map([['COMPASS_OFS_X', x], ['COMPASS_OFS_Y', 0], ['COMPASS_OFS_Z', 0]]) });
    assert.equal(statusOf(compassCheck, ofs(200)), 'pass');
    assert.equal(statusOf(compassCheck, ofs(400)), 'warn');
    assert.equal(statusOf(compassCheck, ofs(600)), 'fail');
  });
});

describe('motors', () => {
  it('imbalance: 50 µs pass, 100 µs warn (single motor), 200 µs fail', () => {
    assert.equal(statusOf(motorImbalanceCheck, baseSignals({ actuators: quad([1500, 1550, 1520, 1530]) })), 'pass');
    const warn = motorImbalanceCheck.run(context(baseSignals({ actuators: quad([1600, 1500, 1500, 1500]) })))[0]!;
    assert.equal(warn.status, 'warn');
    assert.equal(warn.evidence.values.pattern, 'single_motor');
    assert.equal(statusOf(motorImbalanceCheck, baseSignals({ actuators: quad([1700, 1500, 1500, 1500]) })), 'fail');
  });
  it('imbalance pattern: diagonal pairs apart = yaw, lower severity', () => {
    assert.equal(quadPattern([1690, 1690, 1550, 1550]), 'yaw_pair');
    assert.equal(quadPattern([1710, 1620, 1615, 1625]), 'single_motor');
    const f = motorImbalanceCheck.run(context(baseSignals({ actuators: quad([1690, 1690, 1550, 1550]) })))[0]!;
    assert.equal(f.severity, 'low');
  });
  it('fixed wing and ground vehicles: not applicable', () => {
    const plane = baseSignals({ vehicle: { autopilot: 'px4', logFormat: 'ulog', declared: { mavType: 1 } }, actuators: quad([1700, 1500, 1500, 1500]) });
    assert.equal(statusOf(motorImbalanceCheck, plane), 'not_applicable');
  });
  it('saturation: 1 s at max passes, 5 s warns, most of the flight fails', () => {
    const sat = (secs: number) => baseSignals({ actuators: [{ instance: 0, source: 'o', unit: 'us', channels: [0, 1, 2, 3].map((i) => sig(`ch${i}`, (t) => (i === 0 && t > 20 && t < 20 + secs ? 1980 : 1500 + 15 * Math.sin(t + i)))) }] });
    assert.equal(statusOf(motorSaturationCheck, sat(1)), 'pass');
    assert.equal(statusOf(motorSaturationCheck, sat(5)), 'warn');
    assert.equal(statusOf(motorSaturationCheck, sat(40)), 'fail');
  });
  it('failure: a motor at idle while the others carry the vehicle fails; all idle (landed) does not', () => {
    const fail = baseSignals({ actuators: [{ instance: 0, source: 'o', unit: 'us', channels: [0, 1, 2, 3].map((i) => sig(`ch${i}`, (t) => (i === 0 && t > 30 ? 1000 : 1600 + 15 * Math.sin(t + i)))) }] });
    assert.equal(statusOf(motorFailureCheck, fail), 'fail');
    assert.equal(statusOf(motorFailureCheck, baseSignals({ actuators: quad([1600, 1600, 1600, 1600]) })), 'pass');
  });
});

describe('thrust.margin', () => {
  const thr = (level: number, climb = 0) => baseSignals({ system: { magField: [], throttle: sig('thr', () => level) }, position: { vz: sig('vz', () => -climb) } });
  it('hover throttle 50 % pass, 75 % climbing fast warn (low margin), 80 % without climb fail', () => {
    assert.equal(statusOf(thrustMarginCheck, thr(0.5)), 'pass');
    assert.equal(statusOf(thrustMarginCheck, thr(0.75, 2)), 'warn');
    assert.equal(statusOf(thrustMarginCheck, thr(0.8, 0)), 'fail');
  });
});

describe('attitude.tracking', () => {
  const track = (errDeg: number, secs: number) => baseSignals({ attitude: { roll: sig('roll', (t) => (t > 20 && t < 20 + secs ? errDeg * DEG : 0)), pitch: sig('pitch', () => 0) }, attitudeSetpoint: { roll: sig('rsp', () => 0), pitch: sig('psp', () => 0) } });
  it('4° pass; 7° for 2 s warn; 12° for 2 s fail; 12° for 0.5 s pass (short overshoot)', () => {
    assert.equal(statusOf(attitudeTrackingCheck, track(4, 10)), 'pass');
    assert.equal(statusOf(attitudeTrackingCheck, track(7, 2)), 'warn');
    assert.equal(statusOf(attitudeTrackingCheck, track(12, 2)), 'fail');
    assert.equal(statusOf(attitudeTrackingCheck, track(12, 0.5)), 'pass');
  });
  it('manual modes are excluded, with a suppression', () => {
    const s = { ...track(12, 5), modes: [{ start: 0, end: DURATION, mode: 0, name: 'ACRO' }] };
    const f = attitudeTrackingCheck.run(context(s))[0]!;
    assert.equal(f.status, 'not_applicable');
    assert.equal(f.suppressions[0]!.id, 'manual_modes');
  });
});

describe('crash.attitude', () => {
  const tilt = (deg: number) => baseSignals({ attitude: { roll: sig('roll', (t) => (t > 30 && t < 32 ? deg * DEG : 0)), pitch: sig('pitch', () => 0) } });
  it('40° pass, 60° warn, 120° fail; crash event fails', () => {
    assert.equal(statusOf(crashCheck, tilt(40)), 'pass');
    assert.equal(statusOf(crashCheck, tilt(60)), 'warn');
    assert.equal(statusOf(crashCheck, tilt(120)), 'fail');
    assert.equal(statusOf(crashCheck, { ...tilt(0), events: [{ time: 40, kind: 'crash', name: 'CRASH_CHECK_CRASH', source: 'ERR' }] }), 'fail');
  });
  it('a rover at 90° roll is not a crash', () => {
    const rover = { ...tilt(120), vehicle: { autopilot: 'ardupilot' as const, logFormat: 'dataflash' as const, ardupilotFamily: 'rover' as const, declared: {} } };
    assert.equal(statusOf(crashCheck, rover), 'not_applicable');
  });
});

describe('rc.loss', () => {
  const loss = (secs: number) => baseSignals({ rc: { channels: [sig('ch1', () => 1500)], lossIntervals: secs ? [{ start: 20, end: 20 + secs }] : [] } });
  it('none pass, 0.3 s pass, 1 s warn, 6 s fail', () => {
    assert.equal(statusOf(rcLossCheck, loss(0)), 'pass');
    assert.equal(statusOf(rcLossCheck, loss(0.3)), 'pass');
    assert.equal(statusOf(rcLossCheck, loss(1)), 'warn');
    assert.equal(statusOf(rcLossCheck, loss(6)), 'fail');
  });
});

describe('failsafe.events', () => {
  const ev = (name: string, time = 20) => baseSignals({ events: [{ time, kind: 'failsafe', name, source: 'ERR' }] });
  it('none pass, fence warn, battery failsafe fail, failsafe while disarmed ignored', () => {
    assert.equal(statusOf(failsafeCheck, baseSignals()), 'pass');
    assert.equal(statusOf(failsafeCheck, ev('FAILSAFE_FENCE')), 'warn');
    assert.equal(statusOf(failsafeCheck, ev('FAILSAFE_BATT')), 'fail');
    assert.equal(statusOf(failsafeCheck, { ...ev('FAILSAFE_BATT', 100) }), 'pass');
  });
});

describe('logging.health', () => {
  it('dropouts 0.2 s pass, 1 s warn; slow loops 8 % warn, 12 % fail; NaN attitude fails', () => {
    assert.equal(statusOf(loggingHealthCheck, baseSignals(), { dropouts: { count: 2, totalS: 0.2 } }), 'pass');
    assert.equal(statusOf(loggingHealthCheck, baseSignals(), { dropouts: { count: 5, totalS: 1 } }), 'warn');
    assert.equal(statusOf(loggingHealthCheck, baseSignals({ system: { magField: [], slowLoops: sig('sl', () => 0.08) } })), 'warn');
    assert.equal(statusOf(loggingHealthCheck, baseSignals({ system: { magField: [], slowLoops: sig('sl', () => 0.12) } })), 'fail');
    assert.equal(statusOf(loggingHealthCheck, baseSignals({ attitude: { roll: sig('roll', (t) => (t > 10 && t < 11 ? NaN : 0)) } })), 'fail');
  });
});

describe('truncation.in_flight', () => {
  it('landed before the end passes; ends flying at 2 m warns, at 10 m fails', () => {
    assert.equal(statusOf(truncationCheck, baseSignals()), 'pass');
    const ends = (alt: number) => baseSignals({ armed: [{ start: 0, end: DURATION }], flying: [{ start: 2, end: DURATION }], position: { altRel: sig('alt', () => alt) } });
    assert.equal(statusOf(truncationCheck, ends(2)), 'warn');
    assert.equal(statusOf(truncationCheck, ends(10)), 'fail');
  });
});

describe('flight.activity', () => {
  it('never armed is "no flight to assess", armed but never flew warns, a flight passes', () => {
    assert.equal(statusOf(neverFlewCheck, baseSignals({ armed: [], flying: [] })), 'insufficient_data');
    assert.equal(statusOf(neverFlewCheck, baseSignals({ flying: [] })), 'warn');
    assert.equal(statusOf(neverFlewCheck, baseSignals()), 'pass');
  });
});

describe('spectral.peaks', () => {
  // Deterministic white noise (LCG) so the test is reproducible.
  const noise = (i: number) => (((i * 1103515245 + 12345) >>> 0) % 65536) / 65536 - 0.5;
  const rate = (amp: number) => baseSignals({ rates: { roll: sig('roll', (t, i) => amp * Math.sin(2 * Math.PI * 55 * t) + 0.05 * noise(i * 7919), { hz: 250 }) } });
  it('needs ≥ 100 Hz sampling; a strong 55 Hz tone warns, broadband noise passes', () => {
    assert.equal(statusOf(spectralCheck, baseSignals({ rates: { roll: sig('roll', () => 0, { hz: 50 }) } })), 'insufficient_data');
    const tone = spectralCheck.run(context(rate(1)))[0]!;
    assert.equal(tone.status, 'warn');
    assert.ok(Math.abs((tone.evidence.values.peakHz as number) - 55) < 2);
    assert.equal(statusOf(spectralCheck, rate(0)), 'pass');
  });
});
