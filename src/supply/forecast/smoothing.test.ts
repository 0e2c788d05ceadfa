import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adida, croston, optimalSesAlpha, roundHalfEven, sba, sesLevel, sesSse, tsb } from './smoothing.js';
import { flatForecast, pointForecast, seasonalNaive } from './methods.js';

const close = (actual: number, expected: number, tol = 1e-12): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} ≠ ${expected} (±${tol})`);

// One small history worked by hand: demands 3 (interval 2, counted from the series start) and 5 (interval 3).
const Y = [0, 3, 0, 0, 5, 0];

describe('smoothing kernels, hand-computed', () => {
  it('SES starts at the first value: 0 → 0.3 → 0.27 → 0.243 → 0.7187 → 0.64683', () => {
    close(sesLevel(Y, 0.1), 0.64683);
    assert.ok(Number.isNaN(sesLevel([], 0.1)));
  });

  it('SES SSE: first error is y₁ − y₀', () => {
    // α = 0.5 on [2, 4, 4]: errors 2, then 4 − 3 = 1 → 5.
    close(sesSse([2, 4, 4], 0.5), 5);
    close(sesSse([7], 0.5), 0);
  });

  it('Croston: ẑ = 3 + 0.1·(5 − 3) = 3.2, p̂ = 2 + 0.1·(3 − 2) = 2.1', () => {
    close(croston(Y, 0.1), 3.2 / 2.1);
    close(sba(Y, 0.1), (0.95 * 3.2) / 2.1);
    assert.equal(croston([0, 0, 0]), 0);
    close(croston([0, 0, 0, 4]), 1); // one demand of 4 after 4 periods
  });

  it('TSB: p̂ 0 → .1 → .09 → .081 → .1729 → .15561, ẑ 3 → 3.2', () => {
    close(tsb(Y, 0.1, 0.1), 0.15561 * 3.2);
    assert.equal(tsb([0, 0]), 0);
    // Obsolescence: the TSB forecast decays through trailing zeros, Croston's does not.
    const dying = [2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    assert.ok(tsb(dying) < 0.5 * croston(dying));
  });

  it('ADIDA: k = round(5/2) = 2 (half to even), buckets [3, 0, 5], SSE rises with α → α = 0.1', () => {
    assert.equal(roundHalfEven(2.5), 2);
    assert.equal(roundHalfEven(3.5), 4);
    assert.equal(roundHalfEven(2.4999), 2);
    close(adida(Y), (3 * 0.9 * 0.9 + 0.1 * 5) / 2, 1e-12); // level 3 → 2.7 → 2.93, / k
  });

  it('ADIDA drops the oldest remainder: [9 | 0 2 | 0 0 | 4 0] → buckets [2, 0, 4]', () => {
    // Demands at 1-based 1, 3, 6 → mean interval 2; n = 7 → the 9 is dropped.
    close(adida([9, 0, 2, 0, 0, 4, 0]), (2 * 0.9 * 0.9 + 0.1 * 4) / 2, 1e-12);
    assert.equal(adida([0, 0, 0]), 0);
  });

  it('optimal SES α is the minimum-SSE α in [0.1, 0.3] (brute-force grid agrees)', () => {
    assert.ok(Math.abs(optimalSesAlpha([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) - 0.3) < 1e-6); // trend: largest α
    for (const y of [
      [10, 0, 10, 0, 10, 0, 10, 0], // interior minimum ≈ 0.2259
      [5, 1, 7, 2, 9, 3, 3, 8, 1, 6, 4, 4, 9, 0, 5], // boundary 0.1
    ]) {
      let best = 0.1;
      for (let a = 0.1; a <= 0.3; a += 1e-5) if (sesSse(y, a) < sesSse(y, best)) best = a;
      const got = optimalSesAlpha(y);
      assert.ok(got >= 0.1 && got <= 0.3);
      assert.ok(Math.abs(sesSse(y, got) - sesSse(y, best)) < 1e-9);
    }
  });
});

describe('methods', () => {
  it('naive, mean and their flat horizon', () => {
    assert.equal(flatForecast('naive', [1, 2, 0]), 0);
    assert.equal(flatForecast('mean', [1, 2, 0]), 1);
    assert.deepEqual([...pointForecast('mean', [1, 2, 0], { horizon: 3 })], [1, 1, 1]);
    assert.deepEqual([...pointForecast('croston', [], { horizon: 2 })], [0, 0]);
  });

  it('seasonal naive repeats one season back; a missing cell looks a further season back', () => {
    const y = Array.from({ length: 13 }, (_, i) => i + 1);
    assert.deepEqual([...seasonalNaive(y, 3)], [2, 3, 4]);
    assert.deepEqual([...seasonalNaive(y, 14)].slice(12), [2, 3]);
    const z = Array.from({ length: 25 }, (_, i) => i + 1);
    z[13] = Number.NaN; // the value one season before step 1
    assert.equal(seasonalNaive(z, 1)[0], 2);
    assert.deepEqual([...seasonalNaive([4, 5], 2)], [5, 5]); // shorter than a season: naive
  });

  it('missing cells are skipped and negative cells read as zero', () => {
    const withNa = [0, 3, Number.NaN, 0, 0, 5, 0];
    assert.equal(flatForecast('croston', Y), pointForecast('croston', withNa)[0]);
    assert.equal(pointForecast('ses', [0, 3, -2, 0, 5, 0])[0], sesLevel([0, 3, 0, 0, 5, 0], 0.1));
  });

  it('bootstrap point forecast = stationary mean of the Markov chain × mean size', () => {
    // transitions 0→1, 1→0, 0→1: p01 = 1, p10 = 1 → π₁ = ½; sizes all 2 → 1 unit per period.
    close(flatForecast('bootstrap', [0, 2, 0, 2]), 1);
  });
});
