import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlightDecodeError, type DecodedLog, type DecodedSeries } from '../decoded-log.js';
import { decodeUlog } from './index.js';
import { LeBytes, sampleLog, UlogBuilder } from './ulog-test.builder.js';

const series = (log: DecodedLog, topic: string, instance = 0): DecodedSeries => {
  const s = log.series.find((x) => x.topic === topic && x.instance === instance);
  assert.ok(s, `series ${topic}/${instance} missing`);
  return s;
};
const col = (s: DecodedSeries, name: string): number[] => {
  const c = s.columns.get(name);
  assert.ok(c instanceof Float64Array, `numeric column ${name} missing`);
  return [...c];
};

test('sample log: header, info, multi-info, parameters and defaults', () => {
  const log = decodeUlog(sampleLog().build());
  assert.equal(log.format, 'ulog');
  assert.equal(log.formatVersion, '1');
  assert.equal(log.completeness, 'complete');
  assert.deepEqual(log.warnings, []);
  assert.equal(log.info.get('start_time_s'), 5);
  assert.equal(log.info.get('sys_name'), 'PX4');
  assert.equal(log.info.get('ver_sw_release'), 0x010b0200);
  assert.equal(log.info.get('perf'), 'hello world');
  assert.equal(log.parameters.get('MC_ROLL_P'), 6.5);
  assert.equal(log.parameters.get('SYS_AUTOSTART'), 4001);
  assert.equal(log.defaultParameters.get('SYS_AUTOSTART'), 0);
});

test('nested types flatten to parent[i].child, padding is skipped, timestamp becomes seconds', () => {
  const log = decodeUlog(sampleLog().build());
  const esc = series(log, 'esc_status');
  assert.deepEqual(
    esc.fields.map((f) => f.name),
    ['volt[0]', 'volt[1]', 'esc[0].rpm', 'esc[0].temp', 'esc[1].rpm', 'esc[1].temp', 'count', 'label', 'armed'],
  );
  assert.deepEqual([...esc.timestamps], [5.1, 5.2]);
  assert.deepEqual(col(esc, 'volt[0]'), [12, 13]);
  assert.deepEqual(col(esc, 'volt[1]'), [-1.5, -1.5]);
  assert.deepEqual(col(esc, 'esc[0].rpm'), [1000, 1001]);
  assert.deepEqual(col(esc, 'esc[0].temp'), [-1, -1]);
  assert.deepEqual(col(esc, 'esc[1].temp'), [25, 25]);
  assert.deepEqual(col(esc, 'armed'), [1, 1]);
  assert.deepEqual(esc.columns.get('label'), ['ab', 'ab']);
  assert.equal(esc.fields.find((f) => f.name === 'esc[0].temp')?.sourceType, 'int16_t');
});

test('each multi_id is its own series; int64, NaN and out-of-order timestamps kept as logged', () => {
  const log = decodeUlog(sampleLog().build());
  const s0 = series(log, 'sensor', 0);
  const s1 = series(log, 'sensor', 1);
  assert.deepEqual([...s0.timestamps], [5.1, 5.05]);
  assert.deepEqual(col(s0, 'value'), [1.25, 2.5]);
  assert.deepEqual(col(s0, 'delta'), [-2, 3]);
  assert.equal(s1.timestamps.length, 1);
  assert.ok(Number.isNaN(col(s1, 'value')[0]));
  assert.deepEqual(col(s1, 'delta'), [7]);
});

test('logged and tagged text carry severity, tag and time; dropouts take the last data time', () => {
  const log = decodeUlog(sampleLog().build());
  assert.deepEqual(log.messages, [
    { time: 5.15, severity: 6, text: 'Takeoff detected' },
    { time: 5.25, severity: 3, tag: 42, text: 'Dangerous battery level!' },
  ]);
  assert.deepEqual(log.dropouts, [{ time: 5.2, durationS: 0.12 }]);
});

test('file version 0 without a flag-bits message decodes', () => {
  const b = new UlogBuilder(0).format('t:uint64_t timestamp;float x;').add(0, 7, 't').data(7, new LeBytes().u64(2_000_000).f32(0.5));
  const log = decodeUlog(b.build());
  assert.equal(log.formatVersion, '0');
  assert.equal(log.completeness, 'complete');
  assert.deepEqual(col(series(log, 't'), 'x'), [0.5]);
});

test('a data message may omit trailing padding', () => {
  const b = new UlogBuilder()
    .format('t:uint64_t timestamp;uint16_t a;uint8_t[6] _padding0;')
    .add(0, 1, 't')
    .data(1, new LeBytes().u64(1).u16(9)) // 10 bytes of a 16-byte format
    .data(1, new LeBytes().u64(2).u16(8).raw([0, 0, 0, 0, 0, 0]));
  const log = decodeUlog(b.build());
  assert.equal(log.completeness, 'complete');
  assert.deepEqual(col(series(log, 't'), 'a'), [9, 8]);
});

test('appended data: a message cut at the appended offset is dropped, decoding resumes there', () => {
  const head = new UlogBuilder().flagBits([1], [0]);
  const flagAt = 16;
  head.format('t:uint64_t timestamp;int32_t v;').add(0, 1, 't').data(1, new LeBytes().u64(1_000_000).i32(1));
  head.raw([14, 0, 0x44, 1, 0, 1, 2]); // a data message cut off by a hard fault
  const appendedAt = head.offset;
  head.data(1, new LeBytes().u64(3_000_000).i32(3));
  const bytes = head.build();
  // Patch appended_offsets[0] now that it is known (payload: compat 8, incompat 8, offsets).
  new DataView(bytes.buffer).setUint32(flagAt + 3 + 16, appendedAt, true);
  const log = decodeUlog(bytes);
  assert.equal(log.info.get('appended_data'), 1);
  assert.deepEqual(col(series(log, 't'), 'v'), [1, 3]);
  assert.notEqual(log.completeness, 'truncated');
  assert.ok(log.warnings.some((w) => w.message.includes('appended')));
});

test('an unknown incompatible flag is refused with a clear code', () => {
  for (const incompat of [[0x02], [0, 1], [0, 0, 0, 0, 0, 0, 0, 0x80]]) {
    const bytes = new UlogBuilder().flagBits(incompat).format('t:uint64_t timestamp;').build();
    assert.throws(() => decodeUlog(bytes), (e: unknown) => e instanceof FlightDecodeError && e.code === 'ULOG_UNSUPPORTED_INCOMPAT_FLAG');
  }
});

test('wrong magic, empty input and a cut header are FlightDecodeErrors', () => {
  const code = (bytes: Uint8Array): string => {
    try {
      decodeUlog(bytes);
    } catch (e) {
      assert.ok(e instanceof FlightDecodeError);
      return e.code;
    }
    return 'none';
  };
  assert.equal(code(new TextEncoder().encode('not a ulog file at all')), 'ULOG_BAD_MAGIC');
  assert.equal(code(Uint8Array.from([0xa3, 0x95, 0x80, 0x80])), 'ULOG_BAD_MAGIC');
  assert.equal(code(new Uint8Array(0)), 'ULOG_EMPTY');
  assert.equal(code(new UlogBuilder().build().subarray(0, 10)), 'ULOG_TRUNCATED_HEADER');
});

test('removed subscriptions stop; re-added ones continue the same series', () => {
  const b = new UlogBuilder()
    .format('t:uint64_t timestamp;uint8_t v;')
    .add(0, 1, 't')
    .data(1, new LeBytes().u64(1).u8(1))
    .remove(1)
    .add(0, 5, 't')
    .data(5, new LeBytes().u64(2).u8(2));
  const log = decodeUlog(b.build());
  assert.equal(log.series.length, 1);
  assert.deepEqual(col(series(log, 't'), 'v'), [1, 2]);
});

test('non-UTF-8 text decodes with replacement characters, never throws', () => {
  const b = new UlogBuilder().log('4', 1, Uint8Array.from([0x41, 0xff, 0xfe, 0x42])).infoString('sys_name', 'x');
  const log = decodeUlog(b.build());
  assert.equal(log.messages[0]?.text, 'A\uFFFD\uFFFDB');
  assert.equal(log.messages[0]?.severity, 4);
});

test('large series are emitted in batches and reassemble exactly', () => {
  const b = new UlogBuilder().format('t:uint64_t timestamp;uint32_t i;').add(0, 1, 't');
  for (let i = 0; i < 10_000; i++) b.data(1, new LeBytes().u64(i).u32(i));
  const log = decodeUlog(b.build());
  const i = col(series(log, 't'), 'i');
  assert.equal(i.length, 10_000);
  assert.ok(i.every((v, k) => v === k));
});
