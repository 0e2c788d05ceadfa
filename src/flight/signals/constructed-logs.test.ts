// The adapters on small constructed logs: empty, NaN and out-of-order data, a MAVLink tlog and CSV.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodedLog, DecodedSeries, LogFormat } from '../formats/decoded-log.js';
import { decodeCsv, decodeTlog } from '../formats/index.js';
import { messageByName } from '../formats/tlog/mavlink-dialect.js';
import { encodeFrame, encodeRecord, type FieldValues } from '../formats/tlog/tlog-generator.js';
import { decodeArduPilotError, quaternionToEuler, toFlightSignals } from './index.js';

function log(format: LogFormat, series: DecodedSeries[] = [], extra: Partial<DecodedLog> = {}): DecodedLog {
  return {
    format,
    formatVersion: '1',
    completeness: 'complete',
    bytesRead: 0,
    info: new Map(),
    parameters: new Map(),
    defaultParameters: new Map(),
    series,
    messages: [],
    dropouts: [],
    warnings: [],
    ...extra,
  };
}
function series(topic: string, t: number[], cols: Record<string, number[]>, instance = 0): DecodedSeries {
  return {
    topic,
    instance,
    fields: Object.keys(cols).map((name) => ({ name, sourceType: 'float' })),
    timestamps: Float64Array.from(t),
    columns: new Map(Object.entries(cols).map(([k, v]) => [k, Float64Array.from(v)])),
  };
}

describe('edge cases', () => {
  for (const format of ['ulog', 'dataflash', 'tlog', 'csv'] as const)
    it(`empty ${format} log: every group missing, nothing invented`, () => {
      const s = toFlightSignals(log(format));
      assert.equal(s.attitude.roll, undefined);
      assert.deepEqual(s.actuators, []);
      assert.deepEqual(s.batteries, []);
      assert.equal(s.armed, undefined);
      assert.equal(s.flying, undefined);
      assert.equal(s.timeRange, undefined);
      for (const path of [
        'attitude.roll',
        'actuators',
        'batteries',
        'gps',
        'armed',
        'flying',
        'modes',
        'messages',
      ])
        assert.ok(
          s.missing.some((m) => m.startsWith(`${path}:`)),
          path,
        );
    });

  it('out-of-order and NaN timestamps are dropped/sorted; NaN values stay NaN', () => {
    const att = series('ATT', [3, 1, NaN, 2], {
      Roll: [30, 10, 99, NaN],
      Pitch: [0, 0, 0, 0],
      Yaw: [0, 0, 0, 0],
    });
    const s = toFlightSignals(log('dataflash', [att]));
    assert.deepEqual([...s.attitude.roll!.t], [1, 2, 3]);
    const deg = [...s.attitude.roll!.v].map((v) => Math.round((v * 180) / Math.PI));
    assert.ok(Number.isNaN(deg[1]));
    assert.equal(deg[0], 10);
    assert.equal(deg[2], 30);
  });

  it('a stray UTC-scaled timestamp does not stretch the series', () => {
    const att = series('ATT', [10, 11, 1.7e9, 12], {
      Roll: [1, 2, 3, 4],
      Pitch: [0, 0, 0, 0],
      Yaw: [0, 0, 0, 0],
    });
    const s = toFlightSignals(log('dataflash', [att]));
    assert.deepEqual([...s.attitude.roll!.t], [10, 11, 12]);
    assert.deepEqual(s.timeRange, { start: 10, end: 12 });
  });

  it('all-NaN column is missing, not a signal of NaNs', () => {
    const s = toFlightSignals(log('dataflash', [series('ATT', [1, 2], { Roll: [NaN, NaN] })]));
    assert.equal(s.attitude.roll, undefined);
  });

  it('PX4: all-zero and noutputs==0 actuator instances are ignored; constant-zero battery is disconnected', () => {
    const zero = series('actuator_outputs', [1, 2], { noutputs: [8, 8], 'output[0]': [0, 0] }, 0);
    const none = series('actuator_outputs', [1, 2], { noutputs: [0, 0], 'output[0]': [1500, 1600] }, 1);
    const real = series(
      'actuator_outputs',
      [1, 2],
      { noutputs: [4, 4], 'output[0]': [1100, 1500], 'output[1]': [0, 0] },
      2,
    );
    const bat = series('battery_status', [1, 2], { voltage_v: [0, 0], connected: [1, 1] });
    const s = toFlightSignals(log('ulog', [zero, none, real, bat]));
    assert.deepEqual(
      s.actuators.map((a) => [a.instance, a.channels.map((c) => c.name)]),
      [[2, ['ch1']]],
    );
    assert.equal(s.batteries[0]!.connected, false);
  });

  it('quaternion → Euler (ZYX) and ERR decoding', () => {
    const half = Math.SQRT1_2;
    const e = quaternionToEuler(half, half, 0, 0);
    assert.ok(Math.abs(e.roll - Math.PI / 2) < 1e-9 && Math.abs(e.pitch) < 1e-9);
    assert.ok(Math.abs(quaternionToEuler(half, 0, half, 0).pitch - Math.PI / 2) < 1e-6);
    assert.equal(decodeArduPilotError(11, 2).name, 'GPS_GLITCH');
    assert.equal(decodeArduPilotError(6, 1).kind, 'failsafe');
    assert.equal(decodeArduPilotError(99, 7).name, 'SUBSYS_99_ECODE_7');
  });
});

describe('MAVLink tlog adapter', () => {
  const T0 = 1_700_000_000_000_000;
  const parts: Uint8Array[] = [];
  let seq = 0;
  const add = (name: string, sec: number, values: FieldValues, who = { sysid: 1, compid: 1 }): void => {
    const frame = encodeFrame(messageByName(name)!, values, { version: 2, ...who, seq: seq++ & 0xff });
    parts.push(encodeRecord(T0 + sec * 1e6, frame));
  };
  for (let sec = 0; sec < 10; sec++) {
    const armed = sec >= 2 && sec < 8;
    add('HEARTBEAT', sec, {
      type: 2,
      autopilot: 3,
      baseMode: (armed ? 128 : 0) | 1,
      customMode: sec < 5 ? 0 : 5,
      systemStatus: 4,
      mavlinkVersion: 3,
    });
    add('HEARTBEAT', sec + 0.05, { type: 6, autopilot: 8, mavlinkVersion: 3 }, { sysid: 255, compid: 190 });
    add('ATTITUDE', sec + 0.1, { roll: 0.1 * sec, pitch: -0.05, yaw: 1 });
    add('SYS_STATUS', sec + 0.2, {
      voltageBattery: 12600 - sec * 50,
      currentBattery: 1500,
      batteryRemaining: 90 - sec,
    });
    add('GPS_RAW_INT', sec + 0.3, {
      fixType: sec < 3 ? 0 : 3,
      eph: sec < 3 ? 65535 : 120,
      epv: 65535,
      satellitesVisible: sec < 3 ? 0 : 12,
    });
    add('SERVO_OUTPUT_RAW', sec + 0.4, {
      servo1Raw: armed ? 1500 + sec : 1000,
      servo2Raw: armed ? 1520 : 1000,
      servo3Raw: 0,
    });
    add('VFR_HUD', sec + 0.5, { throttle: sec >= 3 && sec < 7 ? 50 : 0, groundspeed: 2 });
  }
  add('STATUSTEXT', 6, { severity: 2, text: 'Battery failsafe' });
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
  const s = toFlightSignals(decodeTlog(bytes));

  it('maps heartbeat, attitude, battery, GPS sentinels, outputs, modes, armed and flying', () => {
    assert.equal(s.vehicle.autopilot, 'ardupilot');
    assert.equal(s.vehicle.ardupilotFamily, 'copter');
    assert.equal(s.attitude.roll!.t.length, 10);
    assert.equal(s.batteries[0]!.connected, true);
    assert.ok(Math.abs(s.batteries[0]!.voltage!.v[0]! - 12.6) < 1e-9);
    const gps = s.gps[0]!;
    assert.equal(gps.hasFix, true);
    assert.ok(Number.isNaN(gps.hdop!.v[0]!), 'eph 65535 / no fix is NaN, not 655 m');
    assert.ok(Math.abs(gps.hdop!.v[5]! - 1.2) < 1e-9);
    assert.deepEqual(
      s.actuators[0]!.channels.map((c) => c.name),
      ['ch1', 'ch2'],
    );
    assert.deepEqual(
      s.modes.map((m) => m.name),
      ['STABILIZE', 'LOITER'],
    );
    const t0 = T0 / 1e6;
    assert.deepEqual(
      s.armed!.map((i) => [i.start - t0, i.end - t0]),
      [[2, 8]],
    );
    assert.equal(s.flying!.length, 1);
    assert.ok(Math.abs(s.flying![0]!.start - t0 - 3.5) < 1e-6);
    assert.ok(s.events.some((e) => e.kind === 'failsafe'));
    assert.ok(s.missing.some((m) => m.startsWith('estimators:')));
  });
});

describe('CSV adapter', () => {
  it('generic columns: degrees converted, NaN cells kept as NaN, out-of-order rows sorted', () => {
    const text = [
      'time_s,attitude.roll (deg),attitude.pitch (deg),battery.voltage,armed,motor1,motor2,gps.fix_type',
      '1.0,10,1,12.5,0,1000,1000,3',
      '3.0,30,,12.3,1,1600,1610,3',
      '2.0,20,2,12.4,1,1500,1510,3',
      '4.0,0,0,12.2,0,1000,1000,3',
    ].join('\n');
    const s = toFlightSignals(decodeCsv(new TextEncoder().encode(text)));
    assert.equal(s.vehicle.autopilot, 'unknown');
    assert.deepEqual([...s.attitude.roll!.t], [1, 2, 3, 4]);
    assert.ok(Math.abs(s.attitude.roll!.v[1]! - (20 * Math.PI) / 180) < 1e-12);
    assert.ok(Number.isNaN(s.attitude.pitch!.v[2]!));
    assert.equal(s.batteries[0]!.connected, true);
    assert.deepEqual(s.armed, [{ start: 2, end: 4 }]);
    assert.equal(s.actuators[0]!.channels.length, 2);
    assert.equal(s.gps[0]!.hasFix, true);
  });

  it('PX4 topic columns go through the PX4 adapter', () => {
    const text = [
      'timestamp,battery_status.voltage_v,battery_status.connected',
      '1000000,0.02,1',
      '2000000,0.03,1',
    ].join('\n');
    const s = toFlightSignals(decodeCsv(new TextEncoder().encode(text)));
    assert.equal(s.vehicle.autopilot, 'px4');
    assert.equal(s.batteries[0]!.connected, false, 'a 0.03 V "battery" is a floating input');
  });
});
