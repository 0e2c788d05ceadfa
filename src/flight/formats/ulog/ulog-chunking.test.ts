/**
 * Chunking independence after corruption: a decode must not depend on where the input is split into
 * `push()` calls. Each constructed corrupt log is decoded whole and at every chunk size 1..length, and
 * everything decoded must be identical: series (row counts and values), text, dropouts, info,
 * parameters, completeness, bytesRead and the warnings themselves (offset and message), since every
 * resynchronisation decision, and so every warning, is meant to be made identically whatever the chunking.
 *
 * Regression for fuzz cases seed 777 #9558 and #86813: the resync scan read a candidate's type byte
 * past the end of the buffered tail, i.e. stale bytes of the reused tail buffer, and so skipped a real
 * message start that happened to straddle a chunk end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectDecodedLog } from '../collect.js';
import { FlightDecodeError, type DecodedLog } from '../decoded-log.js';
import { createUlogDecoder } from './index.js';
import { LeBytes, UlogBuilder } from './ulog-test.builder.js';

function decode(bytes: Uint8Array, chunkSize: number): DecodedLog | string {
  try {
    return collectDecodedLog(createUlogDecoder, bytes, chunkSize);
  } catch (e) {
    assert.ok(e instanceof FlightDecodeError, `unexpected ${String(e)}`);
    return `rejected ${e.code}`;
  }
}

/** Everything a decode produced, in a form deepEqual can compare (NaN-safe via Object.is). */
function summary(log: DecodedLog | string): unknown {
  if (typeof log === 'string') return log;
  return {
    completeness: log.completeness,
    bytesRead: log.bytesRead,
    info: [...log.info],
    params: [...log.parameters],
    series: log.series.map((s) => ({
      id: `${s.topic}/${s.instance}`,
      rows: s.timestamps.length,
      timestamps: [...s.timestamps],
      columns: [...s.columns].map(([k, v]) => [k, [...v]]),
    })),
    messages: log.messages,
    dropouts: log.dropouts,
    warnings: log.warnings.map((w) => `${w.offset}: ${w.message}`),
  };
}

/** Decodes whole and at every chunk size 1..length; fails on the first chunk size that differs. */
function assertChunkingIndependent(name: string, bytes: Uint8Array): DecodedLog {
  const whole = decode(bytes, bytes.length + 1);
  const expected = summary(whole);
  for (let size = 1; size <= bytes.length; size++) {
    assert.deepEqual(summary(decode(bytes, size)), expected, `${name}: chunk size ${size} changes the result`);
  }
  if (typeof whole === 'string') assert.fail(`${name}: ${whole}`);
  return whole;
}

const TOPIC = 't:uint64_t timestamp;float x;uint16_t k;';
const row = (i: number): LeBytes => new LeBytes().u64(1000 * i).f32(i + 0.5).u16(0x4400 + i);

/** Definitions, then `n` data rows starting at `from`. */
function head(): UlogBuilder {
  return new UlogBuilder()
    .flagBits()
    .format(TOPIC)
    .format('u:uint64_t timestamp;uint8_t[5] v;')
    .add(0, 1, 't')
    .add(0, 2, 'u');
}
function rows(b: UlogBuilder, from: number, n: number): UlogBuilder {
  for (let i = from; i < from + n; i++) {
    b.data(1, row(i));
    if (i % 3 === 0) b.data(2, new LeBytes().u64(1000 * i).raw([i, 0x44, 0x4c, 0x53, 0x4f]));
  }
  return b;
}

/** Deterministic bytes in which candidate types (D, L, C, S, O, R) are frequent but rarely plausible. */
function garbage(length: number, seed: number): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  const alphabet = [0x44, 0x4c, 0x43, 0x53, 0x4f, 0x52, 0x00, 0xff, 0x01, 0x02, 0x0e, 0x36];
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out.push(s & 0x100 ? alphabet[(s >>> 16) % alphabet.length]! : (s >>> 16) & 0xff);
  }
  return out;
}

test('garbage without a sync message: same rows and values for every chunk size', () => {
  for (const [length, seed] of [[17, 1], [40, 2], [99, 3], [131, 4]] as const) {
    const b = rows(head(), 0, 6).raw(garbage(length, seed));
    const bytes = rows(b, 6, 8).build();
    const log = assertChunkingIndependent(`garbage ${length}/${seed}`, bytes);
    assert.equal(log.completeness, 'corrupt_recovered');
    const t = log.series.find((s) => s.topic === 't')!;
    assert.ok(t.timestamps.length >= 13, `garbage ${length}/${seed}: ${t.timestamps.length} rows`);
  }
});

test('overwritten bytes inside data messages and headers: chunking does not matter', () => {
  const clean = rows(head(), 0, 16).build();
  const firstData = rows(head(), 0, 0).build().length;
  for (const [at, patch] of [
    [firstData + 5, [0xff, 0xff, 0xff, 0xff]],
    [firstData + 1, [0x00, 0x44, 0x02]],
    [firstData + 40, [0x4c, 0x36, 0x4c, 0x36, 0x00, 0x44]],
    [firstData + 77, garbage(12, 9)],
    [firstData + 150, [0x0e, 0x00, 0x44, 0x01]],
  ] as const) {
    const bytes = Uint8Array.from(clean);
    bytes.set(patch, at);
    assertChunkingIndependent(`overwrite at ${at}`, bytes);
  }
});

test('inserted bytes mid-message, a huge size claim and a cut-off end: chunking does not matter', () => {
  const clean = rows(head(), 0, 12).build();
  const firstData = rows(head(), 0, 0).build().length;
  const insert = (at: number, extra: number[]): Uint8Array => {
    const out = new Uint8Array(clean.length + extra.length);
    out.set(clean.subarray(0, at));
    out.set(extra, at);
    out.set(clean.subarray(at), at + extra.length);
    return out;
  };
  assertChunkingIndependent('insert mid-message', insert(firstData + 23, garbage(29, 5)));
  assertChunkingIndependent('insert at a boundary', insert(firstData + 24 + 3, garbage(8, 6)));
  assertChunkingIndependent('huge size claim', insert(firstData + 24 * 4, [0xff, 0xff, 0x4c, 0x36, 1, 2, 3]));
  assertChunkingIndependent('cut off at the end', insert(firstData, garbage(50, 7)).subarray(0, clean.length + 30));
});

test('text, dropouts and a sync after corruption: chunking does not matter', () => {
  const b = rows(head(), 0, 4);
  b.log('6', 4000, 'before').raw(garbage(45, 11)).dropout(30);
  rows(b, 4, 3).tagged('3', 7, 8000, 'after').raw(garbage(23, 12)).sync();
  const log = assertChunkingIndependent('text and sync', rows(b, 7, 5).build());
  assert.equal(log.completeness, 'corrupt_recovered');
});
