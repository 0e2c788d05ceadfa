import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectDecodedLog } from '../collect.js';
import { FlightDecodeError, type DecodedLog, type DecodedSeries } from '../decoded-log.js';
import { crc16Bitwise, crc16Update, CRC_INIT } from './mavlink-crc.checksum.js';
import { createTlogDecoder, decodeTlog } from './index.js';
import { messageByName } from './mavlink-dialect.js';
import { encodeFrame, encodeRecord, generateTlog, type FieldValues } from './tlog-generator.js';

const hex = (s: string): Uint8Array =>
  Uint8Array.from(s.split(/\s+/).filter(Boolean), (b) => parseInt(b, 16));
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const series = (log: DecodedLog, topic: string, instance = 257): DecodedSeries => {
  const found = log.series.find((s) => s.topic === topic && s.instance === instance);
  assert.ok(found, `series ${topic}/${instance}`);
  return found;
};
const num = (s: DecodedSeries, name: string): Float64Array => s.columns.get(name) as Float64Array;
const T0 = 1_700_000_000_000_000;

/**
 * A MAVLink 1 HEARTBEAT published as a worked example (seq 0x4E, sys 1, comp 1, quadrotor, ArduPilot,
 * base_mode 0x51, MAV_STATE_STANDBY, mavlink_version 3). Its CRC 0x7F1C was recomputed by hand with the
 * bit-serial X.25 algorithm over bytes 1..14 plus CRC_EXTRA 50 and matches the published bytes.
 */
const PUBLISHED_HEARTBEAT = hex('FE 09 4E 01 01 00 00 00 00 00 02 03 51 04 03 1C 7F');

describe('CRC-16/MCRF4XX', () => {
  it('gives the catalogue check value 0x6F91 for "123456789"', () => {
    const ascii = new TextEncoder().encode('123456789');
    assert.equal(crc16Update(CRC_INIT, ascii, 0, ascii.length), 0x6f91);
    assert.equal(crc16Bitwise(ascii), 0x6f91);
  });

  it('matches the published HEARTBEAT frame CRC', () => {
    const covered = [...PUBLISHED_HEARTBEAT.subarray(1, 15), 50];
    assert.equal(crc16Bitwise(covered), 0x7f1c);
    assert.equal(messageByName('HEARTBEAT')?.crcExtra, 50);
  });
});

describe('tlog encoder', () => {
  it('reproduces the published HEARTBEAT byte for byte', () => {
    const frame = encodeFrame(
      messageByName('HEARTBEAT')!,
      { type: 2, autopilot: 3, baseMode: 0x51, customMode: 0, systemStatus: 4, mavlinkVersion: 3 },
      { version: 1, sysid: 1, compid: 1, seq: 0x4e },
    );
    assert.deepEqual(frame, PUBLISHED_HEARTBEAT);
  });
});

describe('tlog decoder', () => {
  it('decodes the published HEARTBEAT and records the vehicle facts', () => {
    const log = decodeTlog(encodeRecord(T0, PUBLISHED_HEARTBEAT));
    assert.equal(log.format, 'tlog');
    assert.equal(log.completeness, 'complete');
    const hb = series(log, 'HEARTBEAT');
    assert.deepEqual([...hb.timestamps], [T0 / 1e6]);
    assert.equal(num(hb, 'type')[0], 2);
    assert.equal(num(hb, 'baseMode')[0], 0x51);
    assert.equal(log.info.get('mav_type'), 2);
    assert.equal(log.info.get('mav_autopilot'), 3);
    assert.equal(log.info.get('mavlink_versions'), 'v1');
  });

  it('round-trips a generated v1/v2/signed stream field by field', () => {
    const { bytes, records } = generateTlog({ seed: 7, seconds: 20 });
    const log = decodeTlog(bytes);
    assert.equal(log.completeness, 'complete');
    assert.equal(log.bytesRead, bytes.length);
    assert.deepEqual(log.warnings, []);
    assert.equal(log.info.get('mavlink_versions'), 'v1+v2');
    for (const topic of ['ATTITUDE', 'GLOBAL_POSITION_INT', 'SYS_STATUS', 'HEARTBEAT', 'PARAM_VALUE']) {
      const expected = records.filter((r) => r.name === topic && r.instance === 257);
      const s = series(log, topic);
      assert.equal(s.timestamps.length, expected.length, topic);
      expected.forEach((r, row) => {
        assert.equal(s.timestamps[row], r.timeUs / 1e6);
        for (const [name, value] of Object.entries(r.values)) {
          if (typeof value === 'number') assert.equal(num(s, name)[row], value, `${topic}.${name}[${row}]`);
          else assert.equal((s.columns.get(name) as string[])[row], value);
        }
      });
    }
    // The GCS heartbeat is its own series and does not override the vehicle facts.
    assert.equal(series(log, 'HEARTBEAT', 255 * 256 + 190).timestamps.length, 20);
    assert.equal(log.info.get('mav_type'), 2);
    assert.equal(
      log.parameters.get('BATT_CAPACITY'),
      records.find((r) => r.values.paramId === 'BATT_CAPACITY')!.values.paramValue,
    );
    const texts = records.filter((r) => r.name === 'STATUSTEXT');
    assert.deepEqual(
      log.messages.map((m) => [m.time, m.severity, m.text]),
      texts.map((r) => [r.timeUs / 1e6, r.values.severity ?? 0, r.values.text]),
    );
  });

  it('gives the same result whatever the chunking', () => {
    const { bytes } = generateTlog({ seed: 3, seconds: 3 });
    const whole = decodeTlog(bytes);
    for (const size of [1, 5, 17, 300]) {
      const chunked = collectDecodedLog(createTlogDecoder, bytes, size);
      assert.deepEqual(chunked, whole, `chunk size ${size}`);
    }
  });

  it('zero-extends MAVLink 2 payloads truncated of trailing zeros', () => {
    const attitude = messageByName('ATTITUDE')!;
    const frame = encodeFrame(attitude, { timeBootMs: 5, roll: 0.5 }, { version: 2, sysid: 1, compid: 1 });
    assert.equal(frame[1], 8, 'payload truncated to time_boot_ms + roll');
    const s = series(decodeTlog(encodeRecord(T0, frame)), 'ATTITUDE');
    assert.equal(num(s, 'roll')[0], 0.5);
    assert.equal(num(s, 'yawspeed')[0], 0);
  });

  it('skips a corrupted frame, resynchronises and says so', () => {
    const { bytes, records } = generateTlog({ seed: 11, seconds: 2, v2Share: 0 });
    const damaged = bytes.slice();
    damaged[400] = damaged[400]! ^ 0x10;
    const log = decodeTlog(damaged);
    assert.equal(log.completeness, 'corrupt_recovered');
    assert.ok(log.warnings.some((w) => /corrupt bytes/.test(w.message)));
    const decoded = log.series.reduce((n, s) => n + s.timestamps.length, 0);
    assert.equal(decoded, records.length - 1);
  });

  it('recovers every record around inserted garbage', () => {
    const a = generateTlog({ seed: 1, seconds: 1 });
    const b = generateTlog({ seed: 2, seconds: 1 });
    const junk = Uint8Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 0xfe : (i * 37) & 0xff));
    const log = decodeTlog(concat(a.bytes, junk, b.bytes));
    assert.equal(log.completeness, 'corrupt_recovered');
    assert.equal(
      log.series.reduce((n, s) => n + s.timestamps.length, 0),
      a.records.length + b.records.length,
    );
    const warning = log.warnings.find((w) => /skipped 300 corrupt bytes/.test(w.message));
    assert.equal(warning?.offset, a.bytes.length);
  });

  it('reports a file cut inside a record as truncated and keeps the prefix', () => {
    const { bytes, records } = generateTlog({ seed: 5, seconds: 2 });
    const log = decodeTlog(bytes.subarray(0, bytes.length - 3));
    assert.equal(log.completeness, 'truncated');
    assert.equal(
      log.series.reduce((n, s) => n + s.timestamps.length, 0),
      records.length - 1,
    );
    assert.ok(log.warnings.some((w) => /ends inside a record/.test(w.message)));
  });

  it('skips in-sync frames of messages outside the dialects with one warning', () => {
    const heartbeat = encodeRecord(T0, PUBLISHED_HEARTBEAT);
    const unknown = encodeRecord(T0 + 1, hex('FD 02 00 00 00 01 01 FF FF 00 AA BB 00 00'));
    const log = decodeTlog(concat(heartbeat, unknown, unknown, heartbeat));
    assert.equal(log.completeness, 'complete');
    assert.equal(series(log, 'HEARTBEAT').timestamps.length, 2);
    assert.equal(log.warnings.length, 1);
    assert.match(log.warnings[0]!.message, /message id 65535/);
  });

  it('reassembles chunked STATUSTEXT and reads PX4 bytewise integer parameters', () => {
    const statustext = messageByName('STATUSTEXT')!;
    const long = 'x'.repeat(50);
    const px4 = { type: 2, autopilot: 12, mavlinkVersion: 3 };
    const intBits = new Float32Array(new Int32Array([4001]).buffer)[0]!;
    const frames = [
      encodeFrame(messageByName('HEARTBEAT')!, px4, { version: 2, sysid: 1, compid: 1 }),
      encodeFrame(
        statustext,
        { severity: 4, text: long, id: 9, chunkSeq: 0 },
        { version: 2, sysid: 1, compid: 1 },
      ),
      encodeFrame(
        statustext,
        { severity: 4, text: 'tail', id: 9, chunkSeq: 1 },
        { version: 2, sysid: 1, compid: 1 },
      ),
      encodeFrame(
        messageByName('PARAM_VALUE')!,
        { paramId: 'SYS_AUTOSTART', paramValue: intBits, paramType: 6 } satisfies FieldValues,
        {
          version: 2,
          sysid: 1,
          compid: 1,
        },
      ),
    ];
    const log = decodeTlog(concat(...frames.map((f, i) => encodeRecord(T0 + i, f))));
    assert.deepEqual(
      log.messages.map((m) => [m.severity, m.text]),
      [[4, `${long}tail`]],
    );
    assert.equal(log.parameters.get('SYS_AUTOSTART'), 4001);
  });

  it('throws FlightDecodeError when nothing is a MAVLink frame', () => {
    assert.throws(
      () => decodeTlog(new TextEncoder().encode('not a tlog at all, just some text')),
      (e: unknown) => {
        return e instanceof FlightDecodeError && e.code === 'TLOG_NO_FRAMES';
      },
    );
    assert.throws(
      () => decodeTlog(new Uint8Array(0)),
      (e: unknown) => e instanceof FlightDecodeError && e.code === 'EMPTY_LOG',
    );
  });
});
