import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Signal } from '../signals/flight-signals.js';
import { percentile, percentiles, samplesWithin } from './series-window.js';

/** The definition the selection must reproduce: sort the finite values, interpolate linearly. */
function sortedPercentile(values: readonly number[], p: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const pos = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Deterministic pseudo-random numbers (LCG), so a failure is reproducible. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const signal = (t: number[], v: number[]): Signal => ({
  name: 's',
  unit: '',
  source: 's',
  t: Float64Array.from(t),
  v: Float64Array.from(v),
});

describe('percentile (selection)', () => {
  const ps = [0, 1, 2, 5, 25, 50, 75, 95, 98, 99, 100];
  it('equals the sort-based definition on random, repetitive, sorted and reversed data with NaN/Infinity', () => {
    const next = lcg(7);
    const cases: number[][] = [[], [3], [NaN, Infinity], [2, 1], [5, 5, 5, 5]];
    for (const n of [3, 10, 101, 1000, 5000]) {
      cases.push(Array.from({ length: n }, () => next() * 100 - 50));
      cases.push(Array.from({ length: n }, () => 1000 + Math.floor(next() * 4) * 100)); // PWM-like levels
      cases.push(Array.from({ length: n }, (_, i) => i));
      cases.push(Array.from({ length: n }, (_, i) => n - i));
      cases.push(Array.from({ length: n }, (_, i) => (i % 7 === 0 ? NaN : i % 11 === 0 ? -Infinity : next())));
    }
    for (const values of cases) {
      for (const p of ps) assert.equal(percentile(values, p), sortedPercentile(values, p), `p${p} of ${values.length}`);
      assert.deepEqual(percentiles(Float64Array.from(values), ps), ps.map((p) => sortedPercentile(values, p)));
    }
  });

  it('does not reorder its input', () => {
    const values = Float64Array.from([5, 1, 4, 2, 3]);
    percentile(values, 50);
    assert.deepEqual([...values], [5, 1, 4, 2, 3]);
  });
});

describe('samplesWithin', () => {
  const s = signal([0, 1, 2, 3, 4, 5, 6], [10, 11, NaN, 13, 14, 15, 16]);

  it('takes the finite samples inside the intervals, bounds included', () => {
    const w = samplesWithin(s, [{ start: 1, end: 4 }]);
    assert.deepEqual([...w.t], [1, 3, 4]);
    assert.deepEqual([...w.v], [11, 13, 14]);
  });

  it('takes a sample on the boundary of two touching intervals once', () => {
    const w = samplesWithin(s, [
      { start: 3, end: 4 },
      { start: 4, end: 5 },
    ]);
    assert.deepEqual([...w.t], [3, 4, 5]);
  });

  it('returns views of the signal for one all-finite interval, copies otherwise', () => {
    const view = samplesWithin(s, [{ start: 3, end: 5.5 }]);
    assert.equal(view.v.buffer, s.v.buffer);
    assert.deepEqual([...view.v], [13, 14, 15]);
    const copy = samplesWithin(s, [
      { start: 0, end: 0.5 },
      { start: 5.5, end: 9 },
    ]);
    assert.notEqual(copy.v.buffer, s.v.buffer);
    assert.deepEqual([...copy.t], [0, 6]);
  });

  it('is empty without a signal, intervals or samples inside them', () => {
    assert.equal(samplesWithin(undefined, [{ start: 0, end: 9 }]).t.length, 0);
    assert.equal(samplesWithin(s, []).t.length, 0);
    assert.equal(samplesWithin(s, [{ start: 7, end: 9 }]).t.length, 0);
  });
});
