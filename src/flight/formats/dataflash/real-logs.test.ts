// Facts checked against the real DataFlash logs described in ../shared/flightlogs/SOURCES.md.
// The logs are never copied into the repository; each test skips with a notice when absent.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { missingSharedNotice, sharedFile } from '../../../../test/support/shared-data.js';
import { collectDecodedLog } from '../collect.js';
import type { DecodedLog, DecodedSeries } from '../decoded-log.js';
import { createDataflashDecoder, decodeDataflash } from './index.js';

const cache = new Map<string, DecodedLog>();
function load(name: string): DecodedLog {
  let log = cache.get(name);
  if (!log) {
    log = decodeDataflash(new Uint8Array(readFileSync(sharedFile(`flightlogs/${name}`)!)));
    cache.set(name, log);
  }
  return log;
}
const logTest = (name: string, title: string, fn: (log: DecodedLog) => void): void => {
  const path = sharedFile(`flightlogs/${name}`);
  it(`${name}: ${title}`, { skip: path ? false : missingSharedNotice(`flightlogs/${name}`) }, () => fn(load(name)));
};

const topics = (log: DecodedLog): Set<string> => new Set(log.series.map((s) => s.topic));
const get = (log: DecodedLog, topic: string, instance = 0): DecodedSeries => {
  const s = log.series.find((x) => x.topic === topic && x.instance === instance);
  assert.ok(s, `${topic}[${instance}] missing`);
  return s;
};
const col = (s: DecodedSeries, name: string): Float64Array => s.columns.get(name) as Float64Array;
const span = (s: DecodedSeries): number => s.timestamps[s.timestamps.length - 1]! - s.timestamps[0]!;
const hasAll = (log: DecodedLog, names: string[]): void => {
  const have = topics(log);
  for (const n of names) assert.ok(have.has(n), `${n} missing`);
};

describe('real DataFlash logs', () => {
  logTest('ardupilot_plane_truncated_64k.BIN', 'ArduPlane 3.8.2-dev head, 809 PARM, ends mid-record', (log) => {
    assert.equal(log.completeness, 'truncated');
    assert.equal(log.bytesRead, 65_536);
    assert.equal(log.info.get('firmware'), 'ArduPlane V3.8.2-dev (8178ab40)');
    assert.equal(log.info.get('vehicle_type'), 'plane');
    assert.equal(get(log, 'PARM').timestamps.length, 809);
    assert.equal(log.parameters.get('Q_ENABLE'), 0);
    assert.equal(topics(log).size + 1, 47, '47 message types counting FMT');
    hasAll(log, ['VIBE', 'BAT', 'POWR', 'NKF1', 'NKF6', 'IMU', 'IMU2', 'ATT', 'RCOU', 'GPS', 'MODE']);
    assert.ok(Math.abs(span(get(log, 'ATT')) - 1) < 0.2, '~1 s of data');
    assert.match(log.warnings.at(-1)!.message, /file ends inside record AHR2/);
  });

  logTest('ardupilot_plane_erle_05_12_2014_E.BIN', 'ArduPlane 3.1.2beta1, ~13 min, 2014 message set', (log) => {
    assert.equal(log.info.get('firmware'), 'ArduPlane V3.1.2beta1 (834f90e8)');
    assert.equal(log.info.get('vehicle_type'), 'plane');
    assert.equal(log.parameters.get('SYSID_SW_TYPE'), 0);
    hasAll(log, ['EKF1', 'EKF2', 'EKF3', 'EKF4', 'ATT', 'GPS', 'IMU', 'MODE']);
    assert.ok(!topics(log).has('VIBE'));
    const minutes = span(get(log, 'ATT')) / 60;
    assert.ok(minutes > 12.5 && minutes < 13.5, `${minutes} min`);
    assert.deepEqual(
      [...new Set(col(get(log, 'MODE'), 'ModeNum'))].sort((a, b) => a - b),
      [0, 5, 11, 12, 15],
      'MANUAL, FBWA, RTL, LOITER, GUIDED',
    );
    assert.ok(Math.max(...col(get(log, 'ATT'), 'Roll').map(Math.abs)) > 70, 'rolls to ~80°');
    assert.ok(log.messages.some((m) => m.text.startsWith('Low Battery 0.05V')));
    assert.equal(log.completeness, 'truncated', 'the download stops mid-record');
  });

  logTest('ardupilot_rover_erle_61.BIN', 'ArduRover 2.46beta2, ground vehicle, ~5.6 min', (log) => {
    assert.equal(log.info.get('firmware'), 'ArduRover v2.46beta2 (d01fa3bf)');
    assert.equal(log.info.get('vehicle_type'), 'rover');
    assert.equal(log.parameters.get('SYSID_SW_TYPE'), 20);
    const minutes = span(get(log, 'ATT')) / 60;
    assert.ok(minutes > 5.4 && minutes < 5.8, `${minutes} min`);
    assert.ok(log.messages.some((m) => m.text === 'Failsafe trigger 0x1'));
    assert.ok(log.messages.some((m) => m.text === 'Failsafe ended'));
    assert.ok(Number.isNaN(log.messages[0]!.time), 'banner precedes any timed record');
    hasAll(log, ['EKF1', 'RCOU', 'CTUN', 'ATT']);
  });

  logTest('ardupilot_copter_erle_181_lose_control_crash.BIN', 'ArduCopter 3.3-dev, ERR GPS glitch 11/2', (log) => {
    assert.equal(log.info.get('firmware'), 'ArduCopter V3.3-dev (834f90e8)');
    assert.equal(log.info.get('vehicle_type'), 'copter');
    assert.equal(log.info.get('frame'), 'QUAD');
    assert.equal(log.parameters.get('SYSID_SW_TYPE'), 10);
    const err = get(log, 'ERR');
    const pairs = [...col(err, 'Subsys')].map((s, i) => `${s}/${col(err, 'ECode')[i]}`);
    assert.ok(pairs.includes('11/2') && pairs.includes('11/0'), 'GPS glitch set and cleared');
    assert.ok(err.timestamps.every((t) => Number.isFinite(t)), 'untimed ERR takes the last time seen');
    hasAll(log, ['EKF4', 'RCOU', 'ATT', 'CURR', 'MODE', 'EV']);
    assert.ok(Math.min(...col(get(log, 'ATT'), 'Pitch')) < -70, 'pitch to about -74°');
  });

  logTest('ardupilot_copter_erle_GPS_issues1.BIN', 'ArduCopter 3.3-dev, GPS glitch, failsafe, crash check', (log) => {
    assert.equal(log.completeness, 'complete');
    assert.deepEqual(log.warnings, []);
    assert.equal(log.info.get('firmware_version'), '3.3-dev');
    const err = get(log, 'ERR');
    const pairs = [...col(err, 'Subsys')].map((s, i) => `${s}/${col(err, 'ECode')[i]}`);
    assert.deepEqual(pairs, ['11/2', '7/1', '12/1']);
    assert.ok(Math.min(...col(get(log, 'ATT'), 'Roll')) < -170, 'flipped');
    assert.deepEqual([...new Set(col(get(log, 'MODE'), 'Mode'))].sort((a, b) => a - b), [0, 2, 4, 5, 9]);
  });

  for (const [name, seconds] of [
    ['ardupilot_copter_4.1.3_good_prop_hover_1.BIN', 96.3],
    ['ardupilot_copter_4.1.3_25mm_cut_prop_hover_1.BIN', 92.6],
  ] as const) {
    logTest(name, 'ArduCopter 4.1.3 quad X, instance-tagged EKF3/IMU/VIBE', (log) => {
      assert.equal(log.info.get('firmware'), 'ArduCopter V4.1.3 (2fb939a1)');
      assert.equal(log.info.get('frame'), 'QUAD/X');
      assert.equal(log.parameters.get('FRAME_CLASS'), 1);
      assert.equal(log.parameters.get('FRAME_TYPE'), 1);
      assert.ok(Math.abs(span(get(log, 'ATT')) - seconds) < 1, `${span(get(log, 'ATT'))} s`);
      for (const t of ['XKF1', 'XKF4', 'XKQ']) {
        assert.deepEqual(log.series.filter((s) => s.topic === t).map((s) => s.instance), [0, 1], t);
      }
      assert.deepEqual(log.series.filter((s) => s.topic === 'IMU').map((s) => s.instance), [0, 1, 2]);
      assert.deepEqual(log.series.filter((s) => s.topic === 'VIBE').map((s) => s.instance), [0, 1, 2]);
      const imu0 = get(log, 'IMU', 0);
      assert.equal(imu0.fields.find((f) => f.name === 'AccZ')?.unit, 'm/s/s');
      const accZ = col(imu0, 'AccZ');
      assert.ok(Math.abs(accZ.reduce((a, b) => a + b, 0) / accZ.length + 9.8) < 1.5, 'AccZ ≈ -g');
      const xkf1 = get(log, 'XKF1', 1);
      assert.equal(xkf1.fields.find((f) => f.name === 'Roll')?.unit, 'deg');
      assert.ok(Math.max(...col(xkf1, 'Roll').map(Math.abs)) < 45, 'centidegrees scaled to degrees');
      const gps = get(log, 'GPS');
      assert.ok(Math.abs(col(gps, 'Lat')[gps.timestamps.length - 1]! - 17.45) < 0.05, 'Lat in degrees');
      assert.equal(gps.fields.find((f) => f.name === 'Lat')?.unit, 'deglatitude');
      hasAll(log, ['BAT', 'POWR', 'RCOU', 'MODE', 'EV', 'XKF5', 'XKFS', 'ARM']);
      assert.equal(log.completeness, 'truncated', 'the file stops mid-record');
    });
  }

  const streamed = 'ardupilot_copter_4.1.3_good_prop_hover_1.BIN';
  it(`${streamed}: odd-sized chunks give the same result as one buffer`, {
    skip: sharedFile(`flightlogs/${streamed}`) ? false : missingSharedNotice(`flightlogs/${streamed}`),
  }, () => {
    const bytes = new Uint8Array(readFileSync(sharedFile(`flightlogs/${streamed}`)!));
    assert.deepEqual(collectDecodedLog(createDataflashDecoder, bytes, 4093), load(streamed));
  });
});
