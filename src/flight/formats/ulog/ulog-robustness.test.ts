import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectDecodedLog } from '../collect.js';
import { FlightDecodeError, type DecodedLog } from '../decoded-log.js';
import { createUlogDecoder, decodeUlog } from './index.js';
import { LeBytes, sampleLog, UlogBuilder } from './ulog-test.builder.js';

/** Decodes, asserting that nothing but a FlightDecodeError can escape. */
function tryDecode(bytes: Uint8Array, chunkSize?: number): DecodedLog | FlightDecodeError {
  try {
    return collectDecodedLog(createUlogDecoder, bytes, chunkSize);
  } catch (e) {
    assert.ok(e instanceof FlightDecodeError, `unexpected ${String(e)}`);
    return e;
  }
}

/** A canonical summary to compare two decodes of the same bytes. */
function summary(log: DecodedLog): unknown {
  return {
    completeness: log.completeness,
    bytesRead: log.bytesRead,
    info: [...log.info],
    params: [...log.parameters],
    series: log.series.map((s) => [s.topic, s.instance, [...s.timestamps], [...s.columns].map(([k, v]) => [k, [...v]])]),
    messages: log.messages,
    dropouts: log.dropouts,
    warnings: log.warnings.length,
  };
}

const rows = (log: DecodedLog): number => log.series.reduce((n, s) => n + s.timestamps.length, 0);

test('truncation at every byte offset: prefix decoded, only FlightDecodeError before the header ends', () => {
  const bytes = sampleLog().build();
  const full = decodeUlog(bytes);
  let previousRows = 0;
  for (let cut = 0; cut <= bytes.length; cut++) {
    const r = tryDecode(bytes.subarray(0, cut));
    if (cut < 16) {
      assert.ok(r instanceof FlightDecodeError, `cut ${cut}`);
      continue;
    }
    assert.ok(!(r instanceof FlightDecodeError), `cut ${cut} threw ${r instanceof Error ? r.message : ""}`);
    assert.ok(r.completeness === 'complete' || r.completeness === 'truncated', `cut ${cut}: ${r.completeness}`);
    assert.equal(r.completeness === 'complete', r.bytesRead === cut, `cut ${cut}`);
    assert.ok(rows(r) >= previousRows, 'rows never decrease as more of the file is present');
    previousRows = rows(r);
  }
  assert.equal(previousRows, rows(full));
});

test('a message split across pushes at every position decodes identically', () => {
  const bytes = sampleLog().build();
  const expected = summary(decodeUlog(bytes));
  for (let at = 0; at <= bytes.length; at++) {
    const log = collectDecodedLog((sink) => {
      const d = createUlogDecoder(sink);
      return { push: () => undefined, end: () => (d.push(bytes.subarray(0, at)), d.push(bytes.subarray(at)), d.end()) };
    }, bytes);
    assert.deepEqual(summary(log), expected, `split at ${at}`);
  }
  for (const size of [1, 2, 3, 7, 64]) assert.deepEqual(summary(collectDecodedLog(createUlogDecoder, bytes, size)), expected, `chunks of ${size}`);
});

/** Two healthy halves around `garbage`, with a sync message after it as PX4 writes them. */
function withGarbage(garbage: number[], sync = true): Uint8Array {
  const b = new UlogBuilder().flagBits().format('t:uint64_t timestamp;float x;').add(0, 1, 't');
  for (let i = 0; i < 5; i++) b.data(1, new LeBytes().u64(i).f32(i));
  b.raw(garbage);
  if (sync) b.sync();
  for (let i = 5; i < 10; i++) b.data(1, new LeBytes().u64(i).f32(i));
  return b.build();
}

test('garbage in the middle is skipped and the rest recovered', () => {
  const garbage = Array.from({ length: 300 }, (_, i) => (i * 73 + 11) & 0xff);
  for (const sync of [true, false]) {
    const log = decodeUlog(withGarbage(garbage, sync));
    assert.equal(log.completeness, 'corrupt_recovered');
    assert.deepEqual([...(log.series[0]!.columns.get('x') as Float64Array)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.ok(log.warnings.some((w) => w.message.includes('corrupt')));
  }
});

test('invalid sizes, unknown msg ids and unknown types are corruption, not crashes', () => {
  const cases: Record<string, number[]> = {
    'data size not matching its format': [9, 0, 0x44, 1, 0, 1, 2, 3, 4, 5, 6, 7],
    'data for an unsubscribed id': [14, 0, 0x44, 99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    'unknown message type': [2, 0, 0x7a, 0, 0],
    'huge size claim': [0xff, 0xff, 0x4c, 0x36, 1, 2, 3],
  };
  for (const [name, garbage] of Object.entries(cases)) {
    const log = decodeUlog(withGarbage(garbage));
    assert.equal(log.completeness, 'corrupt_recovered', name);
    assert.equal(log.series[0]!.timestamps.length, 10, name);
  }
});

test('0x00 and 0xFF tails keep the data and report truncation', () => {
  for (const pad of [0x00, 0xff]) {
    const good = sampleLog().build();
    const bytes = new Uint8Array(good.length + 5000).fill(pad);
    bytes.set(good);
    const log = decodeUlog(bytes);
    assert.equal(log.completeness, 'truncated');
    assert.equal(rows(log), rows(decodeUlog(good)));
    assert.ok(log.warnings.some((w) => w.message.includes('padding')));
  }
});

test('a message claiming more bytes than the file has ends as truncated', () => {
  const b = sampleLog().raw([0xff, 0xff, 0x4c, 0x36, 0, 0, 0]);
  const log = decodeUlog(b.build());
  assert.equal(log.completeness, 'truncated');
});

test('hostile formats: recursion, deep nesting, huge arrays are rejected; thousands of fields work', () => {
  const b = new UlogBuilder()
    .format('loop_a:uint64_t timestamp;loop_b b;')
    .format('loop_b:loop_a a;')
    .format('huge:uint64_t timestamp;float[100000000] x;')
    .format('missing:uint64_t timestamp;nothing_here n;');
  for (let i = 0; i < 200; i++) b.format(`deep${i}:deep${i + 1} d;`);
  b.format('deep200:uint8_t v;');
  const many = Array.from({ length: 3000 }, (_, i) => `uint8_t f${i};`).join('');
  b.format(`wide:uint64_t timestamp;${many}`);
  ['loop_a', 'huge', 'missing', 'deep0', 'wide'].forEach((name, i) => b.add(0, i, name));
  for (let i = 0; i < 4; i++) b.data(i, new LeBytes().u64(1).raw([1, 2, 3, 4]));
  b.data(4, new LeBytes().u64(1).raw(new Array<number>(3000).fill(7)));
  const log = decodeUlog(b.build());
  assert.deepEqual(log.series.map((s) => s.topic), ['wide']);
  assert.equal(log.series[0]!.columns.size, 3000);
  assert.equal((log.series[0]!.columns.get('f2999') as Float64Array)[0], 7);
  assert.ok(log.warnings.filter((w) => w.message.includes('cannot be decoded')).length >= 4);
});

test('random bytes after a valid header never throw and never hang', () => {
  let seed = 12345;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  const head = sampleLog().build();
  for (let round = 0; round < 50; round++) {
    const bytes = Uint8Array.from(head);
    for (let k = 0; k < 20; k++) bytes[16 + ((rnd() << 8) | rnd()) % (bytes.length - 16)] = rnd();
    const r = tryDecode(bytes, 1 + (round % 17));
    if (r instanceof FlightDecodeError) assert.equal(r.code, 'ULOG_UNSUPPORTED_INCOMPAT_FLAG');
  }
  const noise = Uint8Array.from({ length: 200_000 }, rnd);
  noise.set(head.subarray(0, 16));
  const log = tryDecode(noise);
  assert.ok(!(log instanceof FlightDecodeError));
});
