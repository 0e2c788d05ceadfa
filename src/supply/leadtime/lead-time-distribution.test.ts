import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_LEAD_TIME_POINTS,
  bernoulliDelay,
  compressLeadTime,
  convolveLeadTimes,
  deterministicLeadTime,
  leadTimeExceedance,
  leadTimeFromMeanSpread,
  leadTimeFromPoints,
  leadTimeFromSamples,
  leadTimeQuantile,
  residualLeadTime,
  scaleLeadTime,
} from './lead-time-distribution.js';
import { SupplyRiskError } from '../risk/supply-risk-error.js';

const sum = (a: Float64Array): number => a.reduce((s, x) => s + x, 0);

describe('lead-time distribution', () => {
  it('discretises a quoted mean ± sd preserving the mean on a small grid', () => {
    const lt = leadTimeFromMeanSpread(45, 10);
    assert.ok(lt.days.length <= 8);
    assert.ok(Math.abs(lt.mean - 45) < 1e-6, `mean ${lt.mean}`);
    assert.ok(Math.abs(sum(lt.probs) - 1) < 1e-9);
    // Within-bin variance is lost, so the grid's sd is a bit under the quoted 10.
    assert.ok(Math.sqrt(lt.variance) > 8 && Math.sqrt(lt.variance) <= 10.001, `sd ${Math.sqrt(lt.variance)}`);
    for (let i = 1; i < lt.days.length; i++) assert.ok(lt.days[i]! > lt.days[i - 1]!);
  });

  it('reduces many samples to at most the cap, keeping the sample mean', () => {
    const samples = Array.from({ length: 500 }, (_, i) => 20 + (i % 37));
    const lt = leadTimeFromSamples(samples, 8);
    const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
    assert.equal(lt.days.length, 8);
    assert.ok(Math.abs(lt.mean - mean) < 1e-9);
  });

  it('keeps few distinct samples exactly', () => {
    const lt = leadTimeFromSamples([10, 10, 20, 30]);
    assert.deepEqual([...lt.days], [10, 20, 30]);
    assert.deepEqual([...lt.probs], [0.5, 0.25, 0.25]);
  });

  it('convolution adds means and variances and stays within the cap', () => {
    const a = leadTimeFromMeanSpread(30, 8);
    const b = leadTimeFromMeanSpread(10, 5);
    const c = convolveLeadTimes(a, b);
    assert.ok(c.days.length <= MAX_LEAD_TIME_POINTS);
    assert.ok(Math.abs(c.mean - (a.mean + b.mean)) < 1e-9);
    assert.ok(c.variance <= a.variance + b.variance + 1e-9);
    assert.ok(c.variance > 0.8 * (a.variance + b.variance));
  });

  it('large inputs take the bucketed path and stay mean-exact', () => {
    const a = leadTimeFromSamples(
      Array.from({ length: 300 }, (_, i) => (i * 7.3) % 91),
      16,
    );
    const b = leadTimeFromMeanSpread(12, 6, 16);
    const c = convolveLeadTimes(a, b); // 16 × 16 = 256 points → buckets
    assert.equal(c.days.length, 16);
    assert.ok(Math.abs(c.mean - (a.mean + b.mean)) < 1e-9);
    assert.ok(Math.abs(c.variance - (a.variance + b.variance)) / (a.variance + b.variance) < 0.1);
    const small = compressLeadTime(c, 8);
    assert.equal(small.days.length, 8);
    assert.ok(Math.abs(small.mean - c.mean) < 1e-9);
    assert.equal(compressLeadTime(small, 8), small);
  });

  it('results share no storage: building thousands more leaves earlier ones unchanged', () => {
    const a = leadTimeFromMeanSpread(40, 12);
    const b = bernoulliDelay(0.3, leadTimeFromMeanSpread(9, 6));
    const kept = Array.from({ length: 3000 }, (_, k) => convolveLeadTimes(a, leadTimeFromMeanSpread(5 + (k % 50), 2 + (k % 7))));
    const copies = kept.map((d) => [Array.from(d.days), Array.from(d.probs)]);
    for (let k = 0; k < 3000; k++) convolveLeadTimes(kept[k]!, b);
    kept.forEach((d, k) => {
      assert.deepEqual([Array.from(d.days), Array.from(d.probs)], copies[k]);
      assert.equal(d.days.length, d.probs.length);
    });
  });

  it('bernoulli delay mixes no delay with the delay', () => {
    const d = bernoulliDelay(0.25, deterministicLeadTime(8));
    assert.deepEqual([...d.days], [0, 8]);
    assert.equal(d.mean, 2);
  });

  it('residual, scale, exceedance and quantile', () => {
    const d = leadTimeFromPoints([2, 5, 10], [0.5, 0.3, 0.2]);
    const r = residualLeadTime(d, 4)!;
    assert.deepEqual([...r.days], [1, 6]);
    assert.ok(Math.abs(r.probs[0]! - 0.6) < 1e-12);
    assert.equal(residualLeadTime(d, 10), undefined);
    assert.ok(Math.abs(scaleLeadTime(d, 2).mean - 2 * d.mean) < 1e-12);
    assert.ok(Math.abs(leadTimeExceedance(d, 4) - 0.5) < 1e-12);
    assert.equal(leadTimeQuantile(d, 0.8), 5);
  });

  it('refuses NaN and negative inputs with a coded error', () => {
    assert.throws(
      () => leadTimeFromMeanSpread(Number.NaN, 1),
      (e: unknown) =>
        e instanceof SupplyRiskError &&
        e.code === 'SUPPLY_RISK_INVALID_INPUT' &&
        e.field === 'offer.meanDays',
    );
    assert.throws(() => leadTimeFromMeanSpread(10, -1), SupplyRiskError);
    assert.throws(() => leadTimeFromSamples([]), SupplyRiskError);
    assert.throws(() => leadTimeFromPoints([1, 2], [0, 0]), SupplyRiskError);
  });
});
