import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MomentDemandDistribution, negBinLogPmf, quantileUnits } from './distributions.js';
import { fitBootstrap } from './bootstrap.js';
import { fitDemandDistribution, FORECAST_METHODS, pointForecast } from './methods.js';
import { logGamma, normalCdf, regularizedBeta, regularizedGammaP, regularizedGammaQ } from './special-functions.js';
import type { DemandDistribution } from '../demand-distribution.js';

const close = (actual: number, expected: number, tol = 1e-12): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} ≠ ${expected} (±${tol})`);
const sum = (a: Float64Array): number => a.reduce((x, y) => x + y, 0);

/** The seam's invariant: pmf mass up to n plus the tail beyond n is 1, for every n and τ. */
function assertConsistent(d: DemandDistribution, periods: number, maxUnits: number, tol = 1e-10): void {
  const p = d.pmf(periods, maxUnits);
  assert.equal(p.length, maxUnits + 1);
  for (const v of p) assert.ok(v >= 0 && v <= 1 + 1e-12);
  close(sum(p) + d.tailProbability(periods, maxUnits), 1, tol);
  let cum = 0;
  for (let k = 0; k <= maxUnits; k += Math.max(1, Math.floor(maxUnits / 7))) {
    cum = sum(p.subarray(0, k + 1));
    close(d.tailProbability(periods, k), 1 - cum, tol);
  }
}

describe('special functions', () => {
  it('match known values', () => {
    close(logGamma(5), Math.log(24), 1e-13);
    close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-13);
    close(regularizedBeta(0.5, 2, 2), 0.5, 1e-14);
    close(regularizedBeta(0.3, 1, 1), 0.3, 1e-14);
    close(regularizedGammaP(1, 2), 1 - Math.exp(-2), 1e-14);
    close(regularizedGammaP(3, 2) + regularizedGammaQ(3, 2), 1, 1e-14);
    close(normalCdf(1.959963984540054), 0.975, 1e-12);
    close(normalCdf(-3), 0.0013498980316301, 1e-13);
  });
});

describe('MomentDemandDistribution', () => {
  it('NB from mean 2, variance 4: r = 2, p = ½ → pmf ¼, ¼, 3/16; tail(1) = ½', () => {
    const d = new MomentDemandDistribution('t', 2, 4, 0);
    assert.deepEqual(d.family(1), { kind: 'negbin', r: 2, p: 0.5 });
    const p = d.pmf(1, 2);
    close(p[0]!, 0.25);
    close(p[1]!, 0.25);
    close(p[2]!, 3 / 16);
    close(d.tailProbability(1, 1), 0.5, 1e-14);
    close(Math.exp(negBinLogPmf(2, 2, 0.5)), 3 / 16, 1e-14);
  });

  it('variance ≤ mean → Poisson; mean 0 → point mass at zero', () => {
    const d = new MomentDemandDistribution('t', 2, 1, 0);
    assert.equal(d.family(1).kind, 'poisson');
    close(d.pmf(1, 0)[0]!, Math.exp(-2));
    close(d.tailProbability(1, 0), 1 - Math.exp(-2), 1e-14);
    const z = new MomentDemandDistribution('t', 0, 5, 1);
    assert.deepEqual([...z.pmf(3, 2)], [1, 0, 0]);
    assert.equal(z.tailProbability(3, 0), 0);
    assert.equal(z.tailProbability(3, -1), 1);
  });

  it('moments scale with τ (fractional allowed), the level variance with τ²', () => {
    const d = new MomentDemandDistribution('t', 0.5, 2, 0.1);
    assert.deepEqual(d.moments(2.5), { mean: 1.25, variance: 2.5 * 2 + 6.25 * 0.1 });
    close(d.variancePerPeriod, 2.1);
    for (const tau of [0.3, 1, 2.5, 10, 33]) assertConsistent(d, tau, 60);
  });

  it('no underflow for large means; tail sums stay consistent', () => {
    const d = new MomentDemandDistribution('t', 900, 40_000, 500);
    assertConsistent(d, 12, 30_000, 1e-8);
    const p = new MomentDemandDistribution('t', 900, 800, 0); // Poisson(10,800)
    assertConsistent(p, 12, 14_000, 1e-8);
  });

  it('quantile is the smallest s with P(D ≤ s) ≥ β', () => {
    const d = new MomentDemandDistribution('t', 2, 4, 0);
    // P(D ≤ 0) = .25, P(D ≤ 1) = .5, P(D ≤ 2) = .6875
    assert.equal(quantileUnits(d, 1, 0.25), 0);
    assert.equal(quantileUnits(d, 1, 0.5), 1);
    assert.equal(quantileUnits(d, 1, 0.6), 2);
    const s = quantileUnits(d, 7.5, 0.99);
    assert.ok(d.tailProbability(7.5, s) <= 0.01 && d.tailProbability(7.5, s - 1) > 0.01);
  });
});

describe('BootstrapDemandDistribution (Willemain, exact)', () => {
  it('alternating history: D(1) = 0, D(2) = 2, D(1.5) mixes ½/½', () => {
    const d = fitBootstrap([0, 2, 0, 2]); // p01 = p10 = 1, last state = demand
    assert.deepEqual([...d.pmf(1, 3)], [1, 0, 0, 0]);
    assert.deepEqual([...d.pmf(2, 3)], [0, 0, 1, 0]);
    assert.deepEqual([...d.pmf(1.5, 3)], [0.5, 0, 0.5, 0]);
    assert.deepEqual([...d.pmf(0.25, 1)], [1, 0]);
    close(d.meanPerPeriod, 1);
  });

  it('two-state chain worked by hand', () => {
    // [0,0,1,1,0,3]: transitions 00, 01, 11, 10, 01 → p01 = 2/3, p10 = 1/2; sizes {1,1,3}; last = demand.
    const d = fitBootstrap([0, 0, 1, 1, 0, 3]);
    close(d.p01, 2 / 3);
    close(d.p10, 1 / 2);
    const p = d.pmf(1, 4); // next period: demand w.p. ½, size 1 w.p. 2/3, 3 w.p. 1/3
    close(p[0]!, 0.5);
    close(p[1]!, 1 / 3);
    close(p[3]!, 1 / 6);
    assertConsistent(d, 6.4, 40);
  });

  it('Willemain jitter keeps mass and shifts sizes up', () => {
    const plain = fitBootstrap([0, 1, 0, 0, 2, 0, 1, 0, 5, 0]);
    const jit = fitBootstrap([0, 1, 0, 0, 2, 0, 1, 0, 5, 0], { jitter: 'willemain' });
    close(sum(jit.sizePmf), 1, 1e-9);
    assert.ok(jit.meanPerPeriod > plain.meanPerPeriod);
    assertConsistent(jit, 9, 80, 1e-9);
  });

  it('no demand → point mass at zero', () => {
    const d = fitBootstrap([0, 0, 0]);
    assert.equal(d.meanPerPeriod, 0);
    assert.equal(d.tailProbability(5, 0), 0);
  });
});

describe('fitDemandDistribution', () => {
  it('every method yields a consistent distribution whose mean is its point forecast', () => {
    const y = [0, 0, 3, 0, 1, 0, 0, 0, 6, 0, 0, 2, 0, 0, 0, 1, 0, 4, 0, 0, 0, 0, 2, 0];
    for (const m of FORECAST_METHODS) {
      const d = fitDemandDistribution(m, y);
      assertConsistent(d, 4.5, 50, 1e-9);
      assert.ok(Math.abs(d.meanPerPeriod - pointForecast(m, y, { horizon: 12 }).reduce((a, b) => a + b, 0) / 12) < 1e-12, m);
      assert.ok(d.variancePerPeriod > 0, m);
    }
  });
});
