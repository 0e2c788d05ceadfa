/**
 * Facts about the real PX4 logs in ../shared/flightlogs (see SOURCES.md there). Values were checked
 * against the notes in SOURCES.md and, where it disagreed or was silent, against the raw bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { missingSharedNotice, sharedFile } from '../../../../test/support/shared-data.js';
import type { DecodedLog, DecodedSeries } from '../decoded-log.js';
import { decodeUlog } from './index.js';

function realLog(name: string, run: (log: DecodedLog) => void): void {
  const rel = `flightlogs/${name}`;
  const path = sharedFile(rel);
  test(`real log ${name}`, { skip: path ? false : missingSharedNotice(rel) }, () => {
    const log = decodeUlog(readFileSync(path!));
    assert.equal(log.format, 'ulog');
    assert.equal(log.completeness, 'complete');
    assert.deepEqual(log.warnings, []);
    run(log);
  });
}

const series = (log: DecodedLog, topic: string, instance = 0): DecodedSeries => {
  const s = log.series.find((x) => x.topic === topic && x.instance === instance);
  assert.ok(s, `series ${topic}/${instance} missing`);
  return s;
};
const range = (log: DecodedLog, topic: string, column: string, instance = 0): [number, number] => {
  const c = series(log, topic, instance).columns.get(column);
  assert.ok(c instanceof Float64Array, `${topic}.${column} missing`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of c) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
};
const lastDataTime = (log: DecodedLog): number => Math.max(...log.series.map((s) => Math.max(...s.timestamps)));
const texts = (log: DecodedLog): string[] => log.messages.map((m) => m.text);

realLog('px4_pyulog_sample_quad_bench.ulg', (log) => {
  assert.equal(log.formatVersion, '0');
  assert.equal(log.bytesRead, 4_053_364);
  assert.equal(log.info.get('ver_hw'), 'AUAV_X21');
  assert.equal(log.info.get('sys_name'), 'PX4');
  assert.equal(log.parameters.get('MAV_TYPE'), 2);
  assert.equal(log.parameters.get('SYS_AUTOSTART'), 10020);
  for (const t of ['vehicle_status', 'control_state', 'actuator_controls_0', 'ekf2_innovations']) series(log, t);
  assert.deepEqual(range(log, 'vehicle_status', 'arming_state'), [0, 0]);
  // pyulog's ~69 s: last data timestamp minus the header start time. Some topics log timestamp 0,
  // which is why a min/max over data (e.g. @foxglove/ulog timeRange) gives ~181 s.
  const start = log.info.get('start_time_s') as number;
  assert.ok(Math.abs(start - 112.500176) < 1e-9);
  assert.ok(Math.abs(lastDataTime(log) - start - 68.99) < 0.01);
  assert.equal(series(log, 'sensor_preflight').timestamps[0], 0);
  assert.equal(log.dropouts.length, 4);
  assert.ok(log.dropouts.every((d) => d.durationS >= 0 && d.durationS <= 0.1));
  assert.equal(log.messages.length, 4);
  assert.ok(log.messages.every((m) => m.severity === 3 && m.text.includes('no barometer found')));
});

realLog('px4_pyulog_sample_log_small_vtol.ulg', (log) => {
  assert.equal(log.formatVersion, '1');
  assert.equal(log.info.get('ver_hw'), 'CUBEPILOT_CUBEORANGE');
  assert.equal(log.info.get('ver_sw_branch'), 'v1.11.2_w_rc_sysid');
  assert.equal(log.parameters.get('MAV_TYPE'), 22);
  assert.equal(log.parameters.get('VT_TYPE'), 2);
  assert.equal(log.parameters.get('SYS_AUTOSTART'), 13014);
  assert.equal(log.series.length, 70);
  assert.deepEqual(range(log, 'vehicle_status', 'is_vtol'), [1, 1]);
  for (const t of ['vtol_vehicle_status', 'airspeed', 'actuator_controls_1']) series(log, t);
  const start = log.info.get('start_time_s') as number;
  const takeoff = log.messages.find((m) => m.text.includes('Takeoff detected'));
  assert.ok(takeoff && Math.abs(takeoff.time - start - 2.4) < 0.1);
  assert.ok(texts(log).some((t) => t.includes('Disarmed by landing')));
});

realLog('px4_quadrotor_local_lowbatt_failsafe.ulg', (log) => {
  assert.equal(log.info.get('ver_hw'), 'PX4_FMU_V6C');
  assert.equal(log.parameters.get('SYS_AUTOSTART'), 4001);
  assert.ok(log.defaultParameters.size > 0);
  const start = log.info.get('start_time_s') as number;
  const low = log.messages.find((m) => m.text.includes('Low battery'));
  const failsafe = log.messages.find((m) => m.text.includes('Failsafe activated'));
  assert.ok(low && Math.abs(low.time - start - 77) < 1);
  assert.equal(low.severity, 3);
  assert.ok(failsafe && Math.abs(failsafe.time - start - 77) < 1);
  const [vMin, vMax] = range(log, 'battery_status', 'voltage_v');
  assert.ok(Math.abs(vMin - 28.54) < 0.01 && Math.abs(vMax - 30.96) < 0.01);
  assert.deepEqual(range(log, 'vehicle_gps_position', 'fix_type'), [0, 0]);
  // The first rtl_status has byte 0x41 in bool has_vtol_approach (uninitialised memory): bools read 0/1.
  assert.equal(series(log, 'rtl_status').columns.get('has_vtol_approach')?.[0], 1);
  // Multi-info: numeric arrays split over continued messages join with commas, text glues as written.
  assert.ok(String(log.info.get('perf_top_preflight')).length > 1000);
  assert.ok(String(log.info.get('excluded_optional_topics')).split('\n').includes('gps_dump'));
});

realLog('px4_esc_status_log_mission_rtl.ulg', (log) => {
  assert.equal(log.info.get('ver_hw'), 'PX4_FMU_V3');
  assert.equal(log.info.get('ver_sw_branch'), 'IA-release-1');
  assert.equal(log.parameters.get('MAV_TYPE'), 2);
  assert.ok(Math.abs((log.info.get('start_time_s') as number) - 5076.5) < 0.1);
  const outputs = log.series.filter((s) => s.topic === 'actuator_outputs').map((s) => s.instance);
  assert.deepEqual(outputs.sort(), [0, 1, 2]);
  assert.deepEqual(range(log, 'actuator_outputs', 'output[0]', 0), [0, 0]);
  assert.ok(range(log, 'actuator_outputs', 'output[0]', 1)[1] > 5000);
  assert.deepEqual(range(log, 'actuator_outputs', 'output[0]', 2), [1450, 1450]);
  assert.deepEqual(range(log, 'esc_status', 'esc_count'), [4, 4]);
  assert.ok(range(log, 'esc_status', 'esc[3].esc_rpm')[1] > 1000);
  assert.ok(Math.abs(range(log, 'battery_status', 'current_a')[1] - 74) < 0.5);
  assert.ok(series(log, 'vehicle_attitude').timestamps.every((t) => t > 5076));
});

realLog('px4_roboto_test_quad_short.ulg', (log) => {
  assert.equal(log.info.get('ver_hw'), 'PX4_FMU_V5');
  assert.equal(log.parameters.get('SYS_AUTOSTART'), 4011);
  const start = log.info.get('start_time_s') as number;
  const battery = log.messages.find((m) => m.text.includes('Dangerous battery level!, please land!'));
  assert.ok(battery && battery.time - start < 0.2);
  assert.equal(texts(log).filter((t) => t.includes('primary EKF changed')).length, 4);
  assert.ok(texts(log).some((t) => t.includes('gps low on stack')));
  assert.equal(series(log, 'esc_status').timestamps.length, 37);
  assert.ok(Math.abs(lastDataTime(log) - start - 9.08) < 0.01);
});
