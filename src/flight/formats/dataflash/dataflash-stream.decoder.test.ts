import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { collectDecodedLog, CollectingSink } from '../collect.js';
import type { DecodedLog, DecodedSeries } from '../decoded-log.js';
import { FlightDecodeError } from '../decoded-log.js';
import { DataflashLogBuilder } from './dataflash-log.builder.js';
import { createDataflashDecoder, decodeDataflash } from './index.js';

const series = (log: DecodedLog, topic: string, instance = 0): DecodedSeries => {
  const s = log.series.find((x) => x.topic === topic && x.instance === instance);
  assert.ok(s, `series ${topic}[${instance}] missing; have ${log.series.map((x) => `${x.topic}[${x.instance}]`).join(' ')}`);
  return s;
};
const num = (s: DecodedSeries, name: string): Float64Array => {
  const c = s.columns.get(name);
  assert.ok(c instanceof Float64Array, `${s.topic}.${name} is not numeric`);
  return c;
};
const text = (s: DecodedSeries, name: string): string[] => {
  const c = s.columns.get(name);
  assert.ok(Array.isArray(c), `${s.topic}.${name} is not text`);
  return c;
};

/** A small modern-style log: units, a multi-instance message, PARM, MSG and a plain message. */
function smallLog(): DataflashLogBuilder {
  const b = new DataflashLogBuilder()
    .unitFormats()
    .unit('s', 's')
    .unit('v', 'V')
    .unit('#', 'instance')
    .mult('F', 1e-6)
    .mult('B', 0.009999999776482582)
    .mult('0', 1)
    .fmt(64, 'PARM', 'QNf', 'TimeUS,Name,Value')
    .fmt(91, 'MSG', 'QZ', 'TimeUS,Message')
    .fmt(10, 'BAT', 'QBfH', 'TimeUS,Instance,Volt,Raw')
    .fmtu(10, 's#v-', 'F-0B')
    .fmt(11, 'ATT', 'Qcc', 'TimeUS,Roll,Pitch');
  b.data(64, [1_000_000, 'FRAME_CLASS', 1]).data(91, [1_500_000, 'ArduCopter V4.1.3 (2fb939a1)']);
  for (let i = 0; i < 5; i++) {
    b.data(10, [2_000_000 + i * 1000, 0, 12.5 + i, 1234]);
    b.data(10, [2_000_000 + i * 1000, 1, 11 - i, 99]);
    b.data(11, [2_000_500 + i * 1000, -1234 + i, 250]);
  }
  return b;
}

const decode = (bytes: Uint8Array, chunk?: number): DecodedLog =>
  collectDecodedLog(createDataflashDecoder, bytes, chunk);

describe('DataFlash format characters', () => {
  const b = new DataflashLogBuilder();
  const chars = 'bBhHiIfdnNZcCeELMqQa';
  const raw: Record<string, unknown> = {
    b: -128,
    B: 255,
    h: -32768,
    H: 65535,
    i: -2147483648,
    I: 4294967295,
    f: 1.5,
    d: Math.PI * 1e200,
    n: 'ABCD',
    N: 'sixteen-chars-ok',
    Z: 'z'.repeat(64),
    c: -12345,
    C: 65535,
    e: -2000000000,
    E: 4000000000,
    L: -353632620,
    M: 7,
    q: -(2n ** 53n) + 1n,
    Q: 2n ** 53n - 1n,
    a: Array.from({ length: 32 }, (_, k) => (k % 2 ? -k * 1000 : k * 1000)),
  };
  const expected: Record<string, unknown> = {
    ...raw,
    c: -123.45,
    C: 655.35,
    e: -20000000,
    E: 40000000,
    L: -35.363262,
    q: -(2 ** 53) + 1,
    Q: 2 ** 53 - 1,
  };
  [...chars].forEach((ch, k) => b.fmt(20 + k, `T${ch}`.slice(0, 4), `Q${ch}`, 'TimeUS,V'));
  [...chars].forEach((ch, k) => b.data(20 + k, [3_000_000 + k, raw[ch] as never]));
  const log = decodeDataflash(b.build());

  for (const ch of chars) {
    it(`round-trips '${ch}'`, () => {
      const s = series(log, `T${ch}`);
      assert.equal(s.timestamps.length, 1);
      assert.equal(s.timestamps[0], 3 + chars.indexOf(ch) * 1e-6);
      if (ch === 'a') {
        const values = raw.a as number[];
        values.forEach((v, k) => assert.equal(num(s, `V[${k}]`)[0], v));
        assert.equal(s.fields.length, 32);
        assert.equal(s.fields[0]!.sourceType, 'a');
      } else if ('nNZ'.includes(ch)) {
        assert.deepEqual(text(s, 'V'), [expected[ch]]);
      } else {
        const got = num(s, 'V')[0]!;
        const want = expected[ch] as number;
        if (ch === 'f' || ch === 'd') assert.equal(got, want);
        else assert.ok(Math.abs(got - want) <= Math.abs(want) * 1e-12, `${ch}: ${got} vs ${want}`);
        assert.equal(s.fields[0]!.sourceType, ch);
      }
    });
  }

  it('decodes the whole synthetic log as complete with no warnings', () => {
    assert.equal(log.completeness, 'complete');
    assert.deepEqual(log.warnings, []);
    assert.equal(log.format, 'dataflash');
  });
});

describe('DataFlash FMTU, instances, PARM and MSG', () => {
  const log = decodeDataflash(smallLog().build());

  it('applies FMTU units and multipliers (float32-stored MULT snapped to 0.01)', () => {
    const bat = series(log, 'BAT', 0);
    assert.deepEqual(
      bat.fields.map((f) => [f.name, f.unit]),
      [['Instance', undefined], ['Volt', 'V'], ['Raw', undefined]],
    );
    assert.deepEqual([...num(bat, 'Volt')], [12.5, 13.5, 14.5, 15.5, 16.5]);
    assert.equal(num(bat, 'Raw')[0], 12.34);
  });

  it('splits instance-tagged messages into one series per instance', () => {
    assert.deepEqual([...num(series(log, 'BAT', 1), 'Volt')], [11, 10, 9, 8, 7]);
    assert.equal(log.series.filter((s) => s.topic === 'BAT').length, 2);
  });

  it('converts TimeUS to seconds and scales c fields once', () => {
    const att = series(log, 'ATT');
    assert.equal(att.timestamps[0], 2.0005);
    assert.equal(num(att, 'Roll')[0], -12.34);
    assert.equal(num(att, 'Pitch')[4], 2.5);
    assert.ok(!att.columns.has('TimeUS'));
  });

  it('reports parameters, messages and firmware info', () => {
    assert.equal(log.parameters.get('FRAME_CLASS'), 1);
    assert.deepEqual(log.messages, [{ time: 1.5, text: 'ArduCopter V4.1.3 (2fb939a1)' }]);
    assert.equal(log.info.get('firmware'), 'ArduCopter V4.1.3 (2fb939a1)');
    assert.equal(log.info.get('vehicle'), 'ArduCopter');
    assert.equal(log.info.get('vehicle_type'), 'copter');
    assert.equal(log.info.get('firmware_version'), '4.1.3');
    assert.ok(!log.series.some((s) => ['FMT', 'FMTU', 'UNIT', 'MULT'].includes(s.topic)));
  });

  it('emits PARM defaults where the modern PARM has a Default column', () => {
    const b = new DataflashLogBuilder().fmt(64, 'PARM', 'QNff', 'TimeUS,Name,Value,Default');
    b.data(64, [5, 'ATC_RAT_RLL_P', 0.2, 0.135]).data(64, [6, 'NO_DEFAULT', 3, NaN]);
    const log2 = decodeDataflash(b.build());
    assert.equal(log2.parameters.get('ATC_RAT_RLL_P'), Math.fround(0.2));
    assert.equal(log2.defaultParameters.get('ATC_RAT_RLL_P'), Math.fround(0.135));
    assert.ok(!log2.defaultParameters.has('NO_DEFAULT'));
  });

  it('handles 2014-era logs: TimeMS, GPS T column, untimed PARM/MODE, Instance label without FMTU', () => {
    const b = new DataflashLogBuilder()
      .fmt(129, 'PARM', 'Nf', 'Name,Value')
      .fmt(130, 'GPS', 'BIHBcLLeeEefI', 'Status,TimeMS,Week,NSats,HDop,Lat,Lng,RelAlt,Alt,Spd,GCrs,VZ,T')
      .fmt(131, 'IMU', 'Iffffff', 'TimeMS,GyrX,GyrY,GyrZ,AccX,AccY,AccZ')
      .fmt(3, 'MODE', 'Mh', 'Mode,ThrCrs')
      .fmt(151, 'UBX1', 'IBHBBH', 'TimeMS,Instance,noisePerMS,jamInd,aPower,agcCnt')
      .fmt(132, 'MSG', 'Z', 'Message');
    b.data(129, ['SYSID_SW_TYPE', 20])
      .data(132, ['ArduRover v2.46beta2 (d01fa3bf)'])
      .data(131, [1500, 0, 0, 0, 0, 0, -9.8])
      .data(130, [3, 123456789, 1800, 9, 150, -353632620, 1491652250, 1234, 5678, 250, 18000, -10, 1600])
      .data(3, [2, 0])
      .data(151, [1700, 1, 80, 2, 3, 4]);
    const log2 = decodeDataflash(b.build());
    assert.equal(log2.parameters.get('SYSID_SW_TYPE'), 20);
    assert.ok(Number.isNaN(series(log2, 'PARM').timestamps[0]!), 'PARM before any time → NaN');
    assert.equal(series(log2, 'IMU').timestamps[0], 1.5);
    const gps = series(log2, 'GPS');
    assert.equal(gps.timestamps[0], 1.6);
    assert.equal(num(gps, 'TimeMS')[0], 123456789, 'GPS time of week kept as a column');
    assert.equal(num(gps, 'Lat')[0], -35.363262);
    assert.equal(series(log2, 'MODE').timestamps[0], 1.6, 'untimed MODE takes the last time seen');
    assert.equal(series(log2, 'UBX1', 1).timestamps[0], 1.7);
    assert.equal(log2.info.get('vehicle_type'), 'rover');
    assert.equal(log2.info.get('firmware_version'), '2.46beta2');
  });

  it('flushes series longer than one batch without losing rows', () => {
    const b = new DataflashLogBuilder().fmt(5, 'RATE', 'Qf', 'TimeUS,R');
    for (let i = 0; i < 10_000; i++) b.data(5, [i, i / 2]);
    const sink = new CollectingSink();
    const d = createDataflashDecoder(sink);
    let batches = 0;
    const origBatch = sink.batch.bind(sink);
    sink.batch = (batch) => {
      batches++;
      origBatch(batch);
    };
    d.push(b.build());
    const log2 = sink.result(d.end());
    const r = series(log2, 'RATE');
    assert.equal(r.timestamps.length, 10_000);
    assert.equal(num(r, 'R')[9_999], 4999.5);
    assert.equal(r.timestamps[4097], 4097e-6);
    assert.equal(batches, 3);
  });
});

describe('DataFlash streaming and damage', () => {
  const bytes = smallLog().build();
  const full = decodeDataflash(bytes);
  const rows = (log: DecodedLog): number => log.series.reduce((n, s) => n + s.timestamps.length, 0);

  it('gives identical results for a record split across pushes at every position', () => {
    for (let k = 1; k < bytes.length; k++) {
      const sink = new CollectingSink();
      const d = createDataflashDecoder(sink);
      d.push(bytes.subarray(0, k));
      d.push(bytes.subarray(k));
      assert.deepEqual(sink.result(d.end()), full, `split at ${k}`);
    }
    assert.deepEqual(decode(bytes, 1), full, 'one byte per push');
  });

  it('decodes the prefix of a log truncated at every byte offset', () => {
    const starts = new Set([...smallLog().recordStarts, bytes.length]);
    let previous = 0;
    for (let cut = 0; cut <= bytes.length; cut++) {
      let log: DecodedLog;
      try {
        log = decodeDataflash(bytes.subarray(0, cut));
      } catch (e) {
        assert.ok(e instanceof FlightDecodeError, `cut ${cut}: ${String(e)}`);
        assert.ok(cut < 3, `cut ${cut} threw ${e.code}`);
        assert.equal(e.code, 'DATAFLASH_TOO_SHORT');
        continue;
      }
      assert.equal(log.completeness, starts.has(cut) ? 'complete' : 'truncated', `cut ${cut}`);
      const n = rows(log);
      assert.ok(n >= previous, `rows never shrink as the cut moves right (cut ${cut})`);
      previous = n;
    }
    assert.equal(previous, rows(full));
  });

  it('resynchronises after garbage in the middle, rejecting false sync bytes', () => {
    const b = smallLog();
    const cutAt = b.recordStarts[b.recordStarts.length - 6]!;
    const clean = b.build();
    const garbage = [0x12, 0xa3, 0x95, 0x0a, 0x00, 0xa3, 0x95, 0xfe, 0xa3, 0x77, 0x42, 0xa3];
    const damaged = new Uint8Array([...clean.subarray(0, cutAt), ...garbage, ...clean.subarray(cutAt)]);
    for (const chunk of [1 << 20, 7, 1]) {
      const log = decode(damaged, chunk);
      assert.equal(log.completeness, 'corrupt_recovered');
      assert.equal(rows(log), rows(full), `no record lost (chunk ${chunk})`);
      assert.ok(log.warnings.some((w) => w.offset === cutAt && /skipped 12 corrupt bytes/.test(w.message)));
    }
  });

  it('resynchronises after an unknown message id and after a torn record', () => {
    const b = smallLog();
    const clean = b.build();
    const at = b.recordStarts[b.recordStarts.length - 3]!;
    const unknown = clean.slice();
    unknown[at + 2] = 250;
    const log = decodeDataflash(unknown);
    assert.equal(log.completeness, 'corrupt_recovered');
    assert.equal(rows(log), rows(full) - 1);
    assert.ok(log.warnings.some((w) => /unknown message id 250/.test(w.message)));
    const torn = new Uint8Array([...clean.subarray(0, at + 5), ...clean.subarray(at)]);
    const log2 = decodeDataflash(torn);
    assert.equal(log2.completeness, 'corrupt_recovered');
    assert.ok(rows(log2) >= rows(full) - 1);
  });

  it('stops cleanly at 0xFF flash tails and zero padding', () => {
    for (const fill of [0xff, 0x00]) {
      const log = decodeDataflash(new Uint8Array([...bytes, ...new Array<number>(700).fill(fill)]));
      assert.equal(log.completeness, 'complete');
      assert.equal(rows(log), rows(full));
      assert.ok(log.warnings.some((w) => /700 bytes of FF\/00 padding/.test(w.message)));
    }
    const b = smallLog();
    const at = b.recordStarts[b.recordStarts.length - 4]!;
    const gap = new Uint8Array([...bytes.subarray(0, at), ...new Array<number>(300).fill(0xff), ...bytes.subarray(at)]);
    const log = decodeDataflash(gap);
    assert.equal(rows(log), rows(full), 'records after an erased block are kept');
    assert.equal(log.completeness, 'complete');
  });

  it('throws only FlightDecodeError, with DATAFLASH_BAD_MAGIC, when the start is not DataFlash', () => {
    for (const bad of [[0x55, 0x4c, 0x6f, 0x67], [0xa3, 0x95, 0x81, 0, 0], [0xa3, 0x00]]) {
      assert.throws(
        () => decodeDataflash(Uint8Array.from(bad)),
        (e: unknown) => e instanceof FlightDecodeError && e.code === 'DATAFLASH_BAD_MAGIC' && e.format === 'dataflash',
      );
    }
    assert.throws(() => decodeDataflash(new Uint8Array(0)), (e: unknown) => e instanceof FlightDecodeError);
  });

  it('survives hostile FMT records without crashing or looping', () => {
    const b = new DataflashLogBuilder()
      .fmt(40, 'ZERO', 'Q', 'TimeUS', 0)
      .fmt(41, 'SHRT', 'QffffI', 'TimeUS,A,B,C,D,E', 10)
      .fmt(42, 'UNKN', 'Qx', 'TimeUS,X', 12)
      .fmt(43, 'LONG', 'Qf', 'TimeUS,A', 40)
      .fmt(44, 'DUPL', 'Qff', 'TimeUS,A,A')
      .fmt(45, 'MANY', 'QBBBBBBBBBBBBBB', 'TimeUS')
      .fmt(128, 'FMT', 'BBnNZZZ', 'Type,Length,Name,Format,Columns', 200)
      .raw([0xa3, 0x95, 41, ...new Array<number>(7).fill(1)])
      .raw([0xa3, 0x95, 42, ...new Array<number>(9).fill(2)])
      .raw([0xa3, 0x95, 43, ...new Array<number>(37).fill(0)])
      .data(44, [7, 1, 2])
      .data(45, [8, 1, 2, 3])
      .fmt(44, 'DUPL', 'QH', 'TimeUS,A')
      .data(44, [9, 5])
      .raw([0xa3, 0x95, 40, 1, 2, 3]);
    const log = decodeDataflash(b.build());
    const messages = log.warnings.map((w) => w.message).join('\n');
    assert.match(messages, /length 0 < 3/);
    assert.match(messages, /needs 31 bytes but declares 10/);
    assert.match(messages, /unknown format char 'x'/);
    assert.match(messages, /redefines FMT itself/);
    assert.match(messages, /redefines type 44/);
    assert.equal(log.completeness, 'corrupt_recovered', 'records of the rejected length-0 type cannot be framed');
    assert.deepEqual([...series(log, 'DUPL').columns.keys()], ['A', 'A_2']);
    assert.deepEqual([...num(series(log, 'DUPL.2'), 'A')], [5]);
    assert.equal(series(log, 'MANY').fields.length, 14);
    assert.equal(series(log, 'LONG').timestamps.length, 1);
  });

  it('reads FMT fields that fill their whole width without a NUL', () => {
    const labels = ['TimeUS', ...Array.from({ length: 15 }, (_, k) => `Lbl${(k + 1).toString().padStart(2, '0')}`)];
    const b = new DataflashLogBuilder().fmt(30, 'WIDE', 'QBBBBBBBBBBBBBBB', labels.join(',').slice(0, 64));
    b.data(30, [1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    const log = decodeDataflash(b.build());
    const wide = series(log, 'WIDE');
    assert.equal(wide.fields.length, 15);
    assert.equal(num(wide, 'Lbl01')[0], 1);
    assert.equal(num(wide, 'f15')[0], 15, 'missing labels are named by position');
  });

  it('keeps the first schema when FMTU arrives after data of its type', () => {
    const b = new DataflashLogBuilder().unitFormats().unit('v', 'V').fmt(12, 'BAT', 'QBf', 'TimeUS,I,Volt');
    b.data(12, [1, 1, 12]).fmtu(12, 's#v', 'F-0').data(12, [2, 1, 11]);
    const log = decodeDataflash(b.build());
    assert.deepEqual([...num(series(log, 'BAT', 1), 'Volt')], [12, 11]);
    assert.ok(log.warnings.some((w) => /FMTU for BAT arrived after its first record/.test(w.message)));
  });

  it('decodes non-UTF-8 text without throwing', () => {
    const b = new DataflashLogBuilder().fmt(91, 'MSG', 'QZ', 'TimeUS,Message');
    b.data(91, [1, 'ok']);
    const bytes2 = b.build();
    bytes2.set([0xff, 0xfe, 0xc3, 0x28, 0x41], bytes2.length - 64);
    const log = decodeDataflash(bytes2);
    assert.equal(log.messages[0]!.text, '\ufffd\ufffd\ufffd(A');
  });

  it('never throws anything but FlightDecodeError on random damage (deterministic fuzz)', () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let round = 0; round < 300; round++) {
      const damaged = bytes.slice();
      const flips = 1 + Math.floor(rand() * 20);
      for (let k = 0; k < flips; k++) damaged[Math.floor(rand() * damaged.length)] = Math.floor(rand() * 256);
      const start = performance.now();
      try {
        const log = decode(damaged, 1 + Math.floor(rand() * 64));
        assert.ok(rows(log) <= rows(full) + 200);
      } catch (e) {
        assert.ok(e instanceof FlightDecodeError, `round ${round}: ${String(e)}`);
      }
      assert.ok(performance.now() - start < 2000, 'no pathological slowdown');
    }
  });
});
