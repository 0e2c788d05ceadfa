import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SUMMED_UNITS, MomentDemandDistribution, negBinLogPmf, quantileUnits } from './distributions.js';
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

  it('summed tails agree with the incomplete beta / gamma to 1e-10 relative, down to tiny tails', () => {
    let worst = 0;
    let smallest = 1;
    for (const mean of [0.01, 0.3, 1, 3, 10, 40])
      for (const dispersion of [1, 1.5, 4, 20])
        for (const level of [0, 0.05])
          for (const tau of [0.2, 1, 3.7]) {
            const d = new MomentDemandDistribution('t', mean, mean * dispersion, level * mean * dispersion);
            const f = d.family(tau);
            for (let u = 0; u <= MAX_SUMMED_UNITS; u++) {
              const closed =
                f.kind === 'zero' ? 0 : f.kind === 'poisson' ? regularizedGammaP(u + 1, f.lambda) : regularizedBeta(1 - f.p, u + 1, f.r);
              if (!(closed > 1e-280)) continue;
              const rel = Math.abs(d.tailProbability(tau, u) - closed) / closed;
              worst = Math.max(worst, rel);
              smallest = Math.min(smallest, closed);
              assert.ok(rel <= 1e-10, `mean ${mean} ×${dispersion} level ${level} τ ${tau} u ${u}: ${rel}`);
            }
          }
    assert.ok(worst > 0 && smallest < 1e-100); // both branches (1 − CDF and the upward sum) were exercised
  });

  it('tailAndShortfall = the tail and Σ_{k ≤ a} (a − k)·P(k) from the pmf, up to large stock', () => {
    const out = new Float64Array(2);
    for (const [mean, variance, tau] of [
      [0.4, 0.4, 2.2],
      [1.3, 6, 3],
      [7, 9, 0.7],
    ] as const) {
      const d = new MomentDemandDistribution('t', mean, variance, 0.1);
      for (const a of [0, 0.5, 1, 2.25, 7, 19.9, MAX_SUMMED_UNITS, 300.5, 512]) {
        assert.equal(d.tailAndShortfall(tau, a, out), true);
        const pmf = d.pmf(tau, Math.floor(a));
        let below = 0;
        for (let k = 0; k < pmf.length; k++) below += (a - k) * pmf[k]!;
        const f = d.family(tau);
        const u = Math.floor(a);
        const closed = f.kind === 'poisson' ? regularizedGammaP(u + 1, f.lambda) : f.kind === 'negbin' ? regularizedBeta(1 - f.p, u + 1, f.r) : 0;
        assert.ok(Math.abs(out[0]! - closed) <= 1e-10 * closed, `tail ${out[0]} vs ${closed}`);
        close(out[1]!, below, 1e-12 * Math.max(1, a));
      }
    }
    // p₀ would underflow: no fast answer, the caller takes the closed form.
    assert.equal(new MomentDemandDistribution('t', 900, 40_000, 500).tailAndShortfall(12, 200, out), false);
    const zero = new MomentDemandDistribution('t', 0, 0, 0);
    assert.equal(zero.tailAndShortfall(3, 2.5, out), true);
    assert.deepEqual([...out], [0, 2.5]);
  });

  it('large means (p₀ would underflow) and large stock fall back to the closed form', () => {
    const d = new MomentDemandDistribution('t', 900, 40_000, 500);
    const f = d.family(12);
    assert.equal(f.kind, 'negbin');
    if (f.kind === 'negbin') assert.equal(d.tailProbability(12, 50), regularizedBeta(1 - f.p, 51, f.r));
    const p = new MomentDemandDistribution('t', 900, 800, 0);
    assert.equal(p.tailProbability(12, 90), regularizedGammaP(91, 10_800));
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
