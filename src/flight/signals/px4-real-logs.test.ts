// Facts from ../shared/flightlogs/SOURCES.md checked on the canonical signals of the real PX4 logs.
// The logs are never copied into the repository; each test skips with a notice when absent.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { missingSharedNotice, sharedFile } from '../../../test/support/shared-data.js';
import { decodeFlightLog } from '../formats/index.js';
import type { FlightSignals } from './flight-signals.js';
import { toFlightSignals } from './index.js';
import { extent } from './signal-stats.js';

const cache = new Map<string, FlightSignals>();
const logTest = (name: string, title: string, fn: (s: FlightSignals) => void): void => {
  const path = sharedFile(`flightlogs/${name}`);
  it(`${name}: ${title}`, { skip: path ? false : missingSharedNotice(`flightlogs/${name}`) }, () => {
    if (!cache.has(name))
      cache.set(name, toFlightSignals(decodeFlightLog(new Uint8Array(readFileSync(path!)))));
    fn(cache.get(name)!);
  });
};
const DEG = 180 / Math.PI;
const near = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} not within ${tol} of ${expected}`);

describe('PX4 adapter on real logs', () => {
  const LOWBATT = 'px4_quadrotor_local_lowbatt_failsafe.ulg';
  logTest(LOWBATT, 'vehicle info and declared airframe', (s) => {
    assert.equal(s.vehicle.autopilot, 'px4');
    assert.equal(s.vehicle.hardware, 'PX4_FMU_V6C');
    assert.match(s.vehicle.firmwareVersion!, /^1\.16\./);
    assert.deepEqual(s.vehicle.declared, { mavType: 2, sysAutostart: 4001, caAirframe: 0, isVtol: false });
  });
  logTest(LOWBATT, 'no GPS fix: eph sentinel 4294967.5 becomes NaN, never a huge error', (s) => {
    assert.equal(s.gps.length, 1);
    const gps = s.gps[0]!;
    assert.equal(gps.hasFix, false);
    assert.equal(gps.eph, undefined, 'every eph sample is a sentinel, so no eph signal at all');
    assert.equal(extent(gps.fixType).max, 0);
    assert.ok(s.missing.some((m) => m.startsWith('position.global:')));
  });
  logTest(LOWBATT, 'battery 30.96 → 28.54 V, 8S, connected, 59 % → 14 %', (s) => {
    assert.equal(s.batteries.length, 1);
    const b = s.batteries[0]!;
    assert.equal(b.connected, true);
    assert.equal(b.cellCount, 8);
    near(extent(b.voltage).max, 30.96, 0.05, 'max voltage');
    near(extent(b.voltage).min, 28.54, 0.05, 'min voltage');
    near(extent(b.remaining).max, 0.59, 0.01, 'remaining max');
    near(extent(b.remaining).min, 0.14, 0.01, 'remaining min');
  });
  logTest(LOWBATT, 'armed 0 → ~91.5 s, flying ~5 → ~91 s, Stabilized', (s) => {
    const t0 = s.timeRange!.start;
    assert.equal(s.armed?.length, 1);
    near(s.armed[0]!.start - t0, 0, 0.5, 'armed start');
    near(s.armed[0]!.end - t0, 91.5, 0.5, 'armed end');
    assert.equal(s.flying?.length, 1);
    near(s.flying[0]!.start - t0, 5.1, 0.5, 'takeoff');
    near(s.flying[0]!.end - t0, 90.7, 0.5, 'landing');
    assert.deepEqual([...new Set(s.modes.map((m) => m.name))], ['STAB']);
  });
  logTest(LOWBATT, '"Low battery" and "Failsafe activated" at ~77 s', (s) => {
    const t0 = s.timeRange!.start;
    const failsafe = s.events.find((e) => e.kind === 'failsafe');
    const battery = s.events.find((e) => e.kind === 'battery');
    near(failsafe!.time - t0, 77, 1, 'failsafe');
    near(battery!.time - t0, 77, 1, 'low battery');
    assert.ok(s.messages.some((m) => m.text.includes('Low battery') && m.severity === 3));
  });
  logTest(LOWBATT, 'vibration metric per IMU ≤ 2.4 m/s², quaternion attitude level', (s) => {
    assert.equal(s.vibration.metrics.length, 2);
    for (const m of s.vibration.metrics) assert.ok(extent(m).max <= 2.4);
    assert.ok(Math.abs(extent(s.attitude.roll).max * DEG) < 10);
    assert.match(s.attitude.roll!.source, /vehicle_attitude\.q→roll/);
  });

  const ESC = 'px4_esc_status_log_mission_rtl.ulg';
  logTest(ESC, 'actuator_outputs: instance 0 (all zero) ignored, instance 1 is the motors', (s) => {
    assert.ok(!s.actuators.some((a) => a.instance === 0));
    const motors = s.actuators.find((a) => a.instance === 1)!;
    assert.equal(motors.unit, 'raw');
    assert.ok(motors.channels.length >= 4);
    assert.ok(extent(motors.channels[0]).max > 5000 && extent(motors.channels[0]).max < 6500);
  });
  logTest(ESC, '4 ESCs with RPM telemetry, current up to ~74 A', (s) => {
    assert.equal(s.esc.length, 4);
    for (const e of s.esc) assert.ok(extent(e.rpm).max > 2000);
    const total = Math.max(...s.batteries.map((b) => extent(b.current).max));
    assert.ok(total > 60 && total < 80, `battery current ${total}`);
  });
  logTest(ESC, 'Mission → RTL, ends landed and disarmed, tilt ≤ ~33°', (s) => {
    assert.deepEqual(
      s.modes.map((m) => m.name),
      ['AUTO_MISSION', 'AUTO_RTL'],
    );
    assert.ok(s.armed!.length === 1 && s.armed![0]!.end < s.timeRange!.end);
    assert.ok(extent(s.attitude.pitch).max * DEG < 33 && extent(s.attitude.roll).max * DEG < 33);
    assert.ok(s.missing.includes('messages: no logged text'));
  });

  const BENCH = 'px4_pyulog_sample_quad_bench.ulg';
  logTest(BENCH, 'ULog v0: never armed, old topics, tilt ~22°', (s) => {
    assert.deepEqual(s.armed, []);
    assert.deepEqual(s.flying, []);
    assert.equal(s.vehicle.declared.sysAutostart, 10020);
    assert.ok(Math.max(-extent(s.attitude.roll).min, extent(s.attitude.roll).max) * DEG > 20);
    assert.ok(s.messages.some((m) => m.text.includes('no barometer found')));
    assert.ok(s.missing.some((m) => m.startsWith('batteries:')));
    assert.ok(s.missing.some((m) => m.startsWith('gps:')));
  });

  const VTOL = 'px4_pyulog_sample_log_small_vtol.ulg';
  logTest(VTOL, 'standard VTOL metadata and a 2.4 → 3.5 s hop', (s) => {
    assert.deepEqual(s.vehicle.declared, { mavType: 22, sysAutostart: 13014, vtType: 2, isVtol: true });
    assert.equal(s.vehicle.firmwareVersion, '1.11.2-dev', 'ver_sw_release type byte 0 = dev build');
    assert.equal(s.vehicle.hardware, 'CUBEPILOT_CUBEORANGE');
    const t0 = s.timeRange!.start;
    assert.equal(s.flying?.length, 1);
    near(s.flying[0]!.start - t0, 2.4, 0.3, 'takeoff');
    near(s.flying[0]!.end - t0, 3.5, 0.3, 'landing');
    near(s.armed![0]!.end - t0, 5.5, 0.3, 'disarm');
  });

  const ROBOTO = 'px4_roboto_test_quad_short.ulg';
  logTest(ROBOTO, 'dangerous battery at 0.1 s, EKF switches at 2.6 s, two hops', (s) => {
    const t0 = s.timeRange!.start;
    const battery = s.events.find((e) => e.kind === 'battery')!;
    assert.ok(battery.time - t0 < 0.5);
    assert.ok(extent(s.batteries[0]!.remaining).max < 0.05, 'remaining 0–4 %');
    assert.equal(s.events.filter((e) => e.name === 'EKF_FAULT').length, 4);
    assert.equal(s.flying?.length, 2);
    assert.equal(s.estimators.length, 4);
    assert.equal(s.batteries[0]!.cellCount, 4);
  });
});
