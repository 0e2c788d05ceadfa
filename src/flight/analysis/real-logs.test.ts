// The analysis engine on the twelve real logs of ../shared/flightlogs (see SOURCES.md for labels and
// caveats). Never copied into the repository; each test skips with a notice when the file is absent.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { missingSharedNotice, sharedFile } from '../../../test/support/shared-data.js';
import { decodeFlightLog } from '../formats/index.js';
import { toFlightSignals } from '../signals/index.js';
import type { FlightSignals } from '../signals/flight-signals.js';
import type { FlightReport } from '../report/report.js';
import { detectVehicleType, stripVehicleMetadata } from '../vehicle/vehicle-type.detector.js';
import { analyzeFlight } from './analyze-flight.js';

const cache = new Map<string, { s: FlightSignals; r: FlightReport }>();
function load(name: string): { s: FlightSignals; r: FlightReport } {
  if (!cache.has(name)) {
    const log = decodeFlightLog(new Uint8Array(readFileSync(sharedFile(`flightlogs/${name}`)!)));
    const s = toFlightSignals(log);
    cache.set(name, { s, r: analyzeFlight(s, { log: { completeness: log.completeness, dropouts: { count: log.dropouts.length, totalS: log.dropouts.reduce((a, d) => a + d.durationS, 0) } } }) });
  }
  return cache.get(name)!;
}
const logIt = (name: string, title: string, fn: (x: { s: FlightSignals; r: FlightReport }) => void): void => {
  const path = sharedFile(`flightlogs/${name}`);
  it(`${name}: ${title}`, { skip: path ? false : missingSharedNotice(`flightlogs/${name}`) }, () => fn(load(name)));
};
const status = (r: FlightReport, id: string): string | undefined => r.findings.find((f) => f.id === id)?.status;

// [file, type from metadata, type from behaviour alone (metadata stripped), expected risk ceiling]
const EXPECTED: [string, string, string, 'low' | 'moderate' | 'high' | 'critical'][] = [
  ['px4_pyulog_sample_quad_bench.ulg', 'multirotor', 'unknown', 'low'],
  ['px4_pyulog_sample_log_small_vtol.ulg', 'vtol', 'vtol', 'low'],
  ['px4_quadrotor_local_lowbatt_failsafe.ulg', 'multirotor', 'multirotor', 'moderate'],
  ['px4_esc_status_log_mission_rtl.ulg', 'multirotor', 'multirotor', 'low'],
  ['px4_roboto_test_quad_short.ulg', 'multirotor', 'multirotor', 'high'],
  ['ardupilot_plane_truncated_64k.BIN', 'fixed_wing', 'unknown', 'low'],
  ['ardupilot_plane_erle_05_12_2014_E.BIN', 'fixed_wing', 'fixed_wing', 'low'],
  ['ardupilot_rover_erle_61.BIN', 'rover', 'rover', 'low'],
  ['ardupilot_copter_erle_181_lose_control_crash.BIN', 'multirotor', 'multirotor', 'critical'],
  ['ardupilot_copter_erle_GPS_issues1.BIN', 'multirotor', 'multirotor', 'critical'],
  ['ardupilot_copter_4.1.3_good_prop_hover_1.BIN', 'multirotor', 'multirotor', 'low'],
  ['ardupilot_copter_4.1.3_25mm_cut_prop_hover_1.BIN', 'multirotor', 'multirotor', 'moderate'],
];
const ORDER = ['low', 'moderate', 'high', 'critical'];

describe('analysis on real logs', () => {
  for (const [file, type, behaviour, ceiling] of EXPECTED) {
    logIt(file, `vehicle ${type} (metadata), ${behaviour} (behaviour only), risk ≤ ${ceiling}`, ({ s, r }) => {
      assert.equal(r.vehicle.type, type);
      assert.equal(r.vehicle.method, 'metadata');
      assert.ok(r.vehicle.confidence >= 0.9);
      const b = detectVehicleType(stripVehicleMetadata(s));
      assert.equal(b.type, behaviour);
      assert.ok(b.confidence <= 0.75);
      assert.ok(ORDER.indexOf(r.risk.level) <= ORDER.indexOf(ceiling), `risk ${r.risk.level} (${r.risk.score}) above ${ceiling}`);
      assert.ok(r.findings.length >= 21, 'every check reports');
      assert.doesNotThrow(() => JSON.parse(JSON.stringify(r)));
    });
  }
  logIt('ardupilot_copter_4.1.3_good_prop_hover_1.BIN', 'healthy props: motor balance passes (control for the cut prop)', ({ r }) => {
    assert.equal(status(r, 'motors.imbalance:0'), 'pass');
    assert.ok((r.findings.find((f) => f.id === 'motors.imbalance:0')!.evidence.values.spreadUs as number) < 40);
    assert.equal(status(r, 'vibration.level'), 'pass');
  });
  logIt('ardupilot_copter_4.1.3_25mm_cut_prop_hover_1.BIN', 'cut prop: motor 1 imbalance warns (75–150 µs), vibration does not', ({ r }) => {
    const f = r.findings.find((x) => x.id === 'motors.imbalance:0')!;
    assert.equal(f.status, 'warn');
    assert.equal(f.evidence.values.outlierMotor, 1);
    assert.notEqual(f.evidence.values.pattern, 'yaw_pair', 'one corner works harder, not a diagonal pair');
    assert.equal(status(r, 'vibration.level'), 'pass');
  });
  logIt('px4_esc_status_log_mission_rtl.ulg', 'label trap: no motor failure, no crash (instances kept apart)', ({ r }) => {
    assert.equal(status(r, 'motors.failure:1'), 'pass');
    assert.equal(status(r, 'crash.attitude'), 'pass');
    assert.equal(status(r, 'truncation.in_flight'), 'pass');
  });
  logIt('px4_esc_status_log_mission_rtl.ulg', 'fast mission turns at MC_ROLLRATE_MAX 70°/s: tilt error against the configured response warns, not fails', ({ r }) => {
    const f = r.findings.find((x) => x.id === 'attitude.tracking')!;
    assert.equal(f.status, 'warn');
    assert.equal(f.evidence.values.referenceRateMaxDegS, 70, 'the response comes from the log parameters');
    assert.ok((f.evidence.values.tiltAbove10degS as number) < 1);
    assert.ok(f.suppressions.some((x) => x.id === 'configured_response'));
  });
  logIt('px4_quadrotor_local_lowbatt_failsafe.ulg', 'low battery and failsafe found; no GPS is not a GPS error', ({ r }) => {
    assert.equal(status(r, 'battery.state'), 'warn');
    assert.equal(status(r, 'failsafe.events'), 'fail');
    assert.equal(status(r, 'gps.quality'), 'not_applicable');
  });
  logIt('px4_roboto_test_quad_short.ulg', 'emergency battery and EKF switching', ({ r }) => {
    assert.equal(status(r, 'battery.state'), 'fail');
    assert.equal(status(r, 'estimator.switching'), 'fail');
  });
  logIt('ardupilot_copter_erle_181_lose_control_crash.BIN', 'lose control + crash: GPS glitches, EKF, attitude, ended in flight', ({ r }) => {
    for (const id of ['gps.glitch', 'estimator.innovations', 'attitude.tracking', 'truncation.in_flight']) assert.equal(status(r, id), 'fail', id);
  });
  logIt('ardupilot_copter_erle_GPS_issues1.BIN', 'GPS issues: glitch, GPS failsafe and the crash check', ({ r }) => {
    assert.equal(status(r, 'gps.glitch'), 'warn');
    assert.equal(status(r, 'failsafe.events'), 'fail');
    assert.equal(status(r, 'crash.attitude'), 'fail');
  });
  logIt('ardupilot_plane_erle_05_12_2014_E.BIN', '"Low Battery 0.05V" is a disconnected monitor, not a finding; roll 80° in MANUAL is no crash', ({ r }) => {
    assert.equal(status(r, 'battery.state'), 'not_applicable');
    assert.equal(status(r, 'crash.attitude'), 'pass');
  });
  logIt('ardupilot_rover_erle_61.BIN', 'rover: roll ±180° is not a crash, flight checks not applicable', ({ r }) => {
    assert.equal(status(r, 'crash.attitude'), 'not_applicable');
    assert.equal(status(r, 'truncation.in_flight'), 'not_applicable');
  });
  logIt('px4_pyulog_sample_quad_bench.ulg', 'bench log: never armed is "no flight", not healthy', ({ r }) => {
    assert.equal(status(r, 'flight.activity'), 'insufficient_data');
  });
});
