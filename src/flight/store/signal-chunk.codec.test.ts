import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLevels, CHUNK_POINTS, chooseLevel, chunkLevel, decodeFloat64, encodeFloat64, encodeSignal, joinChunks } from './signal-chunk.codec.js';

test('float64 arrays round-trip through bytes, including NaN, ±Infinity and -0, from unaligned buffers', () => {
  const a = Float64Array.of(1.5, -0, NaN, Infinity, -Infinity, 47.397742, 8.545594, 1e-300);
  const bytes = encodeFloat64(a);
  assert.equal(bytes.length, a.length * 8);
  assert.equal(new DataView(bytes.buffer).getFloat64(0, true), 1.5, 'little-endian on the wire');
  const unaligned = new Uint8Array(bytes.length + 3);
  unaligned.set(bytes, 3);
  const back = decodeFloat64(unaligned.subarray(3));
  assert.deepEqual([...back].map(String), [...a].map(String));
  assert.ok(Object.is(back[1], -0));
  assert.throws(() => decodeFloat64(new Uint8Array(7)), RangeError);
});

test('chunks cover every sample once, in order, with exact statistics', () => {
  const n = CHUNK_POINTS * 2 + 17;
  const t = Float64Array.from({ length: n }, (_, i) => 10 + i / 100);
  const v = Float64Array.from({ length: n }, (_, i) => (i === 5 ? NaN : Math.cos(i)));
  const chunks = chunkLevel({ t, v }, 0);
  assert.equal(chunks.length, 3);
  assert.deepEqual(chunks.map((c) => c.n), [CHUNK_POINTS, CHUNK_POINTS, 17]);
  assert.equal(chunks[0]!.tStart, 10);
  assert.equal(chunks[2]!.tEnd, t[n - 1]);
  assert.equal(chunks[1]!.vFirst, v[CHUNK_POINTS]);
  assert.equal(chunks[0]!.vMin, Math.min(...[...v.subarray(0, CHUNK_POINTS)].filter(Number.isFinite)));
  const joined = joinChunks(chunks);
  assert.deepEqual([...joined.t], [...t]);
  assert.deepEqual([...joined.v].map(String), [...v].map(String));
});

test('an all-NaN chunk has null min/max', () => {
  const [c] = chunkLevel({ t: Float64Array.of(1, 2), v: Float64Array.of(NaN, NaN) }, 0);
  assert.equal(c!.vMin, null);
  assert.equal(c!.vMax, null);
});

test('coarse levels are built only for long signals and keep the extremes', () => {
  assert.equal(buildLevels({ t: new Float64Array(100), v: new Float64Array(100) }).length, 1);
  const n = 1_000_000;
  const t = Float64Array.from({ length: n }, (_, i) => i / 250);
  const v = Float64Array.from({ length: n }, (_, i) => (i === 777_777 ? -99 : Math.sin(i / 1e4)));
  const { chunks, levelCounts } = encodeSignal({ t, v });
  assert.equal(levelCounts.length, 4);
  assert.equal(levelCounts[0], n);
  for (let l = 1; l < 4; l++) assert.ok(levelCounts[l]! <= 2 * Math.ceil(levelCounts[l - 1]! / 16), String(levelCounts));
  const top = joinChunks(chunks.filter((c) => c.level === 3));
  assert.equal(Math.min(...top.v), -99);
});

test('level choice: the coarsest level that still has enough points in the window', () => {
  const counts = [1_000_000, 125_000, 15_626, 1_954];
  assert.equal(chooseLevel(counts, 1, 4000), 2, 'whole flight: level 3 has too few points');
  assert.equal(chooseLevel(counts, 1, 1000), 3);
  assert.equal(chooseLevel(counts, 0.01, 4000), 0, 'a 1 % window needs raw samples');
  assert.equal(chooseLevel([500], 1, 4000), 0);
});
