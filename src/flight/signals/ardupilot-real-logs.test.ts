// Facts from ../shared/flightlogs/SOURCES.md checked on the canonical signals of the real ArduPilot
// logs. The logs are never copied into the repository; each test skips with a notice when absent.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { missingSharedNotice, sharedFile } from '../../../test/support/shared-data.js';
import { decodeFlightLog } from '../formats/index.js';
import type { FlightSignals } from './flight-signals.js';
import { toFlightSignals } from './index.js';
import { extent, medianWithin } from './signal-stats.js';

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

describe('ArduPilot adapter on real logs', () => {
  const PLANE = 'ardupilot_plane_erle_05_12_2014_E.BIN';
  logTest(PLANE, '"Low Battery 0.05V" is a disconnected monitor, not a low-battery event', (s) => {
    assert.equal(s.vehicle.ardupilotFamily, 'plane');
    assert.equal(s.batteries.length, 1);
    assert.equal(s.batteries[0]!.connected, false);
    assert.match(s.batteries[0]!.connectedReason, /0\.05 V/);
    assert.ok(!s.events.some((e) => e.kind === 'battery'));
    assert.ok(s.messages.some((m) => m.text.startsWith('Low Battery 0.05V')));
  });
  logTest(PLANE, 'plane mode names, roll to ~80°, 2014 message set (no VIBE → raw accel)', (s) => {
    const names = new Set(s.modes.map((m) => m.name));
    for (const n of ['MANUAL', 'FBWA', 'RTL', 'LOITER', 'GUIDED']) assert.ok(names.has(n), n);
    assert.ok(-extent(s.attitude.roll).min * DEG > 75);
    assert.equal(s.vibration.metrics.length, 0);
    assert.equal(s.vibration.rawAccel.length, 3);
    assert.ok(s.missing.some((m) => m.startsWith('vibration.metrics:')));
    assert.ok(
      s.missing.some((m) => m.startsWith('armed:')),
      'nothing in this log says when it was armed',
    );
  });

  const ROVER = 'ardupilot_rover_erle_61.BIN';
  logTest(ROVER, 'vehicle family rover, rover mode names, failsafe text events', (s) => {
    assert.equal(s.vehicle.ardupilotFamily, 'rover');
    assert.equal(s.vehicle.declared.sysidSwType, 20);
    assert.ok(s.modes.some((m) => m.name === 'HOLD'));
    assert.ok(s.modes.some((m) => m.name === 'LEARNING'));
    assert.ok(s.events.some((e) => e.kind === 'failsafe' && e.detail === 'Failsafe trigger 0x1'));
    assert.ok(s.events.some((e) => e.kind === 'resolved' && e.detail === 'Failsafe ended'));
    assert.equal(s.batteries[0]!.connected, false, 'BATT_MONITOR = 0');
  });

  const CRASH = 'ardupilot_copter_erle_181_lose_control_crash.BIN';
  logTest(CRASH, 'ERR 11/2 decoded as GPS_GLITCH, EKF4 innovations high', (s) => {
    const glitches = s.events.filter((e) => e.name === 'GPS_GLITCH');
    assert.ok(glitches.length > 10);
    assert.equal(glitches[0]!.detail, 'ERR Subsys 11 ECode 2');
    assert.ok(s.events.some((e) => e.name === 'GPS_RESOLVED' && e.kind === 'resolved'));
    assert.ok(s.events.some((e) => e.name === 'FAILSAFE_GPS' && e.kind === 'failsafe'));
    assert.ok(s.events.some((e) => e.name === 'EKFCHECK_BAD_VARIANCE'));
    const ratios = s.estimators[0]!.testRatios;
    assert.ok(extent(ratios.find((r) => r.name === 'vel')).max > 15);
    assert.ok(extent(ratios.find((r) => r.name === 'pos')).max > 15);
  });
  logTest(CRASH, 'attitude extremes: pitch to −74°, roll to 63°; armed and flying to the end', (s) => {
    assert.ok(Math.abs(extent(s.attitude.pitch).min * DEG + 74) < 2);
    assert.ok(Math.abs(extent(s.attitude.roll).max * DEG - 63) < 2);
    assert.equal(s.armed?.length, 1);
    assert.equal(s.armed[0]!.end, s.timeRange!.end, 'never disarmed: the log ends in the air');
    assert.equal(s.flying![0]!.end, s.timeRange!.end);
    assert.deepEqual([...new Set(s.modes.map((m) => m.name))].sort(), ['ALT_HOLD', 'LOITER', 'STABILIZE']);
  });

  const GPS = 'ardupilot_copter_erle_GPS_issues1.BIN';
  logTest(GPS, 'GPS glitch, GPS failsafe and crash check; flipped to −178°', (s) => {
    const names = s.events.filter((e) => e.source === 'ERR').map((e) => e.name);
    assert.deepEqual(names, ['GPS_GLITCH', 'FAILSAFE_GPS', 'CRASH_CHECK_CRASH']);
    assert.equal(s.events.find((e) => e.name === 'CRASH_CHECK_CRASH')!.kind, 'crash');
    assert.ok(extent(s.attitude.roll).min * DEG < -175);
    const gps = s.gps[0]!;
    assert.equal(extent(gps.satellites).min, 0);
    assert.equal(extent(gps.satellites).max, 11);
    assert.ok(extent(gps.hdop).max < 2);
    const names2 = new Set(s.modes.map((m) => m.name));
    for (const n of ['ALT_HOLD', 'GUIDED', 'STABILIZE', 'LOITER', 'LAND']) assert.ok(names2.has(n), n);
  });

  const GOOD = 'ardupilot_copter_4.1.3_good_prop_hover_1.BIN';
  const CUT = 'ardupilot_copter_4.1.3_25mm_cut_prop_hover_1.BIN';
  const hoverMedians = (s: FlightSignals): number[] =>
    s.actuators[0]!.channels.map((c) => medianWithin(c, s.flying!));
  logTest(
    GOOD,
    '4.x: 4 motor channels, hover medians ~1565–1592 µs, spread < 35 µs, instance-tagged groups',
    (s) => {
      assert.equal(s.vehicle.firmwareVersion, '4.1.3');
      assert.deepEqual(s.vehicle.declared.frameClass, 1);
      assert.equal(s.actuators.length, 1);
      assert.deepEqual(
        s.actuators[0]!.channels.map((c) => c.name),
        ['ch1', 'ch2', 'ch3', 'ch4'],
      );
      const m = hoverMedians(s);
      assert.ok(Math.max(...m) - Math.min(...m) < 35, `spread ${m.join(',')}`);
      // ~1565–1592 µs: lower than the cut-prop flight (the brief's 1630–1720 band is the cut-prop log only).
      for (const v of m) assert.ok(v > 1550 && v < 1610, `median ${v}`);
      assert.equal(s.estimators.length, 2, 'XKF4 per EKF3 core');
      assert.equal(s.vibration.metrics.length, 9, 'VIBE X/Y/Z for 3 IMUs');
      assert.equal(s.batteries[0]!.connected, true);
      assert.ok(extent(s.batteries[0]!.consumed).max > 250, 'BAT.CurrTot Ah converted to mAh');
      assert.ok(s.gps[0]!.hasFix);
    },
  );
  logTest(CUT, 'cut prop: motor 1 hover median highest (~1719 µs vs ~1630–1645)', (s) => {
    const m = hoverMedians(s);
    assert.equal(m.indexOf(Math.max(...m)), 0, `medians ${m.join(',')}`);
    assert.ok(m[0]! > 1700 && m[0]! < 1740);
    for (const v of m.slice(1)) assert.ok(v > 1615 && v < 1665, `median ${v}`);
    const flying = s.flying!;
    assert.equal(flying.length, 1);
    assert.equal(s.flyingSource, 'EV NOT_LANDED/LAND_COMPLETE');
    assert.ok(s.armed![0]!.end > flying[0]!.end);
  });

  const TRUNC = 'ardupilot_plane_truncated_64k.BIN';
  logTest(TRUNC, 'truncated 3.8 plane head: NKF4 + NKF9 cores, VIBE Clip0..2, Q_ENABLE 0', (s) => {
    assert.equal(s.vehicle.declared.qEnable, 0);
    assert.equal(s.vehicle.hardware, 'PX4v4');
    assert.deepEqual(
      s.estimators.map((e) => e.source),
      ['NKF4', 'NKF9'],
    );
    assert.equal(s.vibration.clipping.length, 3);
    assert.equal(s.batteries[0]!.connected, true);
  });
});
