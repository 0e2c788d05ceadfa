import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  anomalyScore,
  averagePathLength,
  deserialiseForest,
  featureContributions,
  fitIsolationForest,
  seededRandom,
  serialiseForest,
} from './isolation-forest.js';

/** 400 rows of 3 correlated-free Gaussian features, seeded. */
function cloud(seed: number, n = 400): Float64Array[] {
  const r = seededRandom(seed);
  const g = (): number => Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());
  return Array.from({ length: n }, () => Float64Array.of(g(), 10 + 2 * g(), 100 + 5 * g()));
}
const opts = { trees: 60, sampleSize: 128, seed: 7 };

describe('isolation forest', () => {
  it('is deterministic for a seed and differs for another seed', () => {
    const rows = cloud(1);
    const a = JSON.stringify(serialiseForest(fitIsolationForest(rows, opts)));
    const b = JSON.stringify(serialiseForest(fitIsolationForest(rows, opts)));
    const c = JSON.stringify(serialiseForest(fitIsolationForest(rows, { ...opts, seed: 8 })));
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it('scores an outlier above the 95th percentile of a fresh sample, and ordinary points below 0.5', () => {
    const forest = fitIsolationForest(cloud(1), opts);
    const fresh = cloud(2, 200)
      .map((r) => anomalyScore(forest, r))
      .sort((x, y) => x - y);
    const outlier = anomalyScore(forest, Float64Array.of(0, 10, 160));
    assert.ok(outlier > 0.5 && outlier > fresh[190]!, `${outlier} vs p95 ${fresh[190]}`);
    // Out-of-range isolation: the score keeps growing with the distance beyond the training range.
    assert.ok(anomalyScore(forest, Float64Array.of(0, 10, 1e6)) > outlier);
    assert.ok(anomalyScore(forest, Float64Array.of(0, 10, 125)) < outlier);
    const median = fresh[100]!;
    assert.ok(median > 0.35 && median < 0.55, `median ${median}`);
  });

  it('attributes an outlier to the feature that is out of range', () => {
    const forest = fitIsolationForest(cloud(1), opts);
    for (const [row, expected] of [
      [Float64Array.of(6, 10, 100), 0],
      [Float64Array.of(0, 30, 100), 1],
      [Float64Array.of(0, 10, 150), 2],
    ] as const) {
      const c = featureContributions(forest, row);
      const top = [...c].indexOf(Math.max(...c));
      assert.equal(top, expected, `row ${[...row].join(',')} → ${[...c].join(',')}`);
    }
  });

  it('marginalises a missing feature: no attribution, and a missing value cannot make a row unusual', () => {
    const forest = fitIsolationForest(cloud(1), opts);
    const c = featureContributions(forest, Float64Array.of(NaN, 10, 160));
    assert.equal(c[0], 0);
    assert.ok(c[2]! > 0);
    const allMissing = anomalyScore(forest, Float64Array.of(NaN, NaN, NaN));
    assert.ok(allMissing < 0.5, `all-missing score ${allMissing}`);
  });

  it('trains with missing values in some rows', () => {
    const rows = cloud(3).map((r, i) => (i % 3 === 0 ? Float64Array.of(NaN, r[1]!, r[2]!) : r));
    const forest = fitIsolationForest(rows, opts);
    assert.ok(
      anomalyScore(forest, Float64Array.of(8, 10, 100)) > anomalyScore(forest, Float64Array.of(0, 10, 100)),
    );
  });

  it('round-trips through its serialised form with identical scores', () => {
    const forest = fitIsolationForest(cloud(1), opts);
    const back = deserialiseForest(JSON.parse(JSON.stringify(serialiseForest(forest))));
    for (const row of cloud(4, 50)) assert.equal(anomalyScore(back, row), anomalyScore(forest, row));
  });

  it('rejects corrupt serialised forests with a RangeError', () => {
    const good = serialiseForest(fitIsolationForest(cloud(1, 50), { trees: 2, sampleSize: 16, seed: 1 }));
    const t0 = good.trees[0]!;
    const bad: unknown[] = [
      null,
      { ...good, featureCount: 0 },
      { ...good, sampleSize: 1.5 },
      { ...good, trees: [] },
      { ...good, trees: ['x'] },
      { ...good, trees: [t0.slice(0, -1)] },
      { ...good, trees: [[...t0, 1]] },
      { ...good, trees: [[9, 1, 0.5, -1, 1, -1, 1]] },
      { ...good, trees: [[0, 1, 2, -1, 1, -1, 1]] },
      { ...good, trees: [[0, 'NaN', 0.5, -1, 1, -1, 1]] },
      { ...good, trees: [Array.from({ length: 400 }, () => 0)] },
    ];
    for (const b of bad)
      assert.throws(() => deserialiseForest(b as never), RangeError, JSON.stringify(b)?.slice(0, 60));
  });

  it('refuses empty and ragged input, and a row of the wrong width', () => {
    assert.throws(() => fitIsolationForest([], opts), RangeError);
    assert.throws(() => fitIsolationForest([Float64Array.of(1, 2), Float64Array.of(1)], opts), RangeError);
    const forest = fitIsolationForest(cloud(1, 20), opts);
    assert.throws(() => anomalyScore(forest, Float64Array.of(1)), RangeError);
  });

  it('c(n) matches the textbook values', () => {
    assert.equal(averagePathLength(1), 0);
    assert.equal(averagePathLength(2), 1);
    assert.ok(Math.abs(averagePathLength(256) - 10.2448) < 1e-3);
  });
});
