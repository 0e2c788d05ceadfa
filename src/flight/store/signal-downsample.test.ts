import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envelopeBySamples, lowerBound, lttbDownsample, minMaxDownsample, sliceWindow, upperBound } from './signal-downsample.js';

const series = (n: number, f: (i: number) => number, dt = 0.01, t0 = 100) => ({
  t: Float64Array.from({ length: n }, (_, i) => t0 + i * dt),
  v: Float64Array.from({ length: n }, (_, i) => f(i)),
});

test('window bounds are inclusive at both ends and clamp outside the data', () => {
  const s = series(10, (i) => i, 1, 0);
  assert.equal(lowerBound(s.t, 3), 3);
  assert.equal(upperBound(s.t, 3), 4);
  assert.deepEqual([...sliceWindow(s, 2.5, 5).v], [3, 4, 5]);
  assert.equal(sliceWindow(s, 20, 30).t.length, 0);
  assert.equal(sliceWindow(s, -5, -1).t.length, 0);
  assert.equal(sliceWindow(s, 5, 4).t.length, 0, 'from > to gives nothing, not a negative slice');
});

test('min/max keeps a one-sample spike that plain decimation would drop', () => {
  const s = series(100_000, (i) => (i === 54_321 ? 50 : Math.sin(i / 1000)));
  const d = minMaxDownsample(s, -Infinity, Infinity, 2000);
  assert.ok(d.t.length <= 2000, `${d.t.length} points`);
  assert.ok(d.v.includes(50), 'the spike is kept');
  assert.ok(Math.min(...d.v) <= -0.999, 'the trough is kept');
  for (let i = 1; i < d.t.length; i++) assert.ok(d.t[i]! > d.t[i - 1]!, 'time ascending');
});

test('min/max returns the window unchanged when it is already small enough, and respects the window', () => {
  const s = series(1000, (i) => i);
  const d = minMaxDownsample(s, 101, 102, 2000);
  assert.equal(d.t.length, 101);
  assert.equal(d.v[0], 100);
  const e = minMaxDownsample(s, 100, 110, 10);
  assert.ok(e.t.length <= 10);
  assert.equal(e.v[0], 0);
  assert.equal(e.v.at(-1), 999);
});

test('min/max skips NaN but keeps an all-NaN bucket as a gap', () => {
  const s = series(1000, (i) => (i >= 400 && i < 600 ? NaN : i));
  const d = minMaxDownsample(s, -Infinity, Infinity, 20);
  assert.ok(d.v.some((x) => Number.isNaN(x)), 'gap kept');
  assert.equal(Math.max(...[...d.v].filter(Number.isFinite)), 999);
  assert.equal(Math.min(...[...d.v].filter(Number.isFinite)), 0);
});

test('min/max copes with a window where every sample has the same time', () => {
  const s = { t: new Float64Array(5000).fill(7), v: Float64Array.from({ length: 5000 }, (_, i) => i) };
  const d = minMaxDownsample(s, 0, 10, 100);
  assert.deepEqual([...d.v], [0, 4999]);
});

test('envelope by samples: at most two points per bucket, extremes exact, composable', () => {
  const s = series(10_000, (i) => Math.sin(i / 37) * (i % 977 === 0 ? 3 : 1));
  const e1 = envelopeBySamples(s, 32);
  assert.ok(e1.t.length <= 2 * Math.ceil(10_000 / 32));
  const e2 = envelopeBySamples(e1, 64);
  assert.equal(Math.max(...e2.v), Math.max(...s.v));
  assert.equal(Math.min(...e2.v), Math.min(...s.v));
  assert.throws(() => envelopeBySamples(s, 0), RangeError);
});

test('LTTB keeps the end points, returns exactly maxPoints, in time order', () => {
  const s = series(50_000, (i) => Math.sin(i / 500) + (i === 25_000 ? 10 : 0));
  const d = lttbDownsample(s, 1000);
  assert.equal(d.t.length, 1000);
  assert.equal(d.t[0], s.t[0]);
  assert.equal(d.t.at(-1), s.t.at(-1));
  for (let i = 1; i < d.t.length; i++) assert.ok(d.t[i]! > d.t[i - 1]!);
  assert.ok(Math.max(...d.v) > 9, 'a large isolated spike forms the largest triangle');
  assert.equal(lttbDownsample(series(10, (i) => i), 100).t.length, 10);
  assert.equal(lttbDownsample(series(10, (i) => i), 2).t.length, 2);
});

test('LTTB never selects a NaN sample when finite ones exist in the bucket', () => {
  const s = series(10_000, (i) => (i % 2 ? NaN : i));
  const d = lttbDownsample(s, 500);
  assert.ok([...d.v.subarray(1, -1)].every(Number.isFinite));
});
