import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AIRCRAFT_CLASSES,
  AOG_COST_PER_DAY_BANDS,
  aogCostPerDay,
  dollarExposure,
  portfolioExposure,
} from './exposure.js';
import { SupplyRiskError } from './supply-risk-error.js';

describe('dollar exposure', () => {
  it('= AOG days × cost/day + P(stockout) × expedite cost', () => {
    const e = dollarExposure({
      expectedAogDays: 0.5,
      aogCostPerDay: 60_000,
      stockoutProbability: 0.2,
      expediteCostPerStockout: 5_000,
    });
    assert.equal(e.aogCost, 30_000);
    assert.equal(e.expediteCost, 1_000);
    assert.equal(e.expected, 31_000);
    assert.equal(e.conditional, 155_000);
    assert.equal(
      dollarExposure({ expectedAogDays: 0, aogCostPerDay: 1, stockoutProbability: 0 }).conditional,
      0,
    );
  });

  it('default bands are ordered, sourced and overridable', () => {
    for (const c of AIRCRAFT_CLASSES) {
      const b = AOG_COST_PER_DAY_BANDS[c];
      assert.ok(b.low < b.typical && b.typical < b.high, c);
      assert.ok(b.source.length > 10);
    }
    assert.equal(aogCostPerDay('narrowbody'), 60_000);
    assert.equal(aogCostPerDay('narrowbody', 42_000), 42_000);
  });

  it('refuses NaN and negative costs', () => {
    assert.throws(
      () => aogCostPerDay('widebody', Number.NaN),
      (e: unknown) => e instanceof SupplyRiskError && e.field === 'aogCostPerDay',
    );
    assert.throws(
      () => dollarExposure({ expectedAogDays: 1, aogCostPerDay: -5, stockoutProbability: 0.1 }),
      SupplyRiskError,
    );
    assert.throws(
      () =>
        dollarExposure({
          expectedAogDays: 1,
          aogCostPerDay: 5,
          stockoutProbability: 0.1,
          expediteCostPerStockout: Number.NaN,
        }),
      SupplyRiskError,
    );
    assert.throws(() => aogCostPerDay('zeppelin' as never), SupplyRiskError);
  });
});

describe('portfolio exposure', () => {
  const part = (id: string, expected: number, p: number, fleetKey?: string) => ({
    partId: id,
    exposure: { aogCost: expected, expediteCost: 0, expected, conditional: expected / p },
    ...(fleetKey ? { fleetKey } : {}),
  });

  it('reports an expected total and a labelled concurrent upper bound', () => {
    const r = portfolioExposure([part('a', 10_000, 0.1), part('b', 20_000, 0.5)]);
    assert.equal(r.expectedTotal, 30_000);
    assert.equal(r.concurrentUpperBound, 140_000);
    assert.match(r.label, /upper bound/);
    assert.match(r.label, /expected value/);
  });

  it('never lets parts grounding one fleet exceed what that fleet can lose', () => {
    const items = [part('a', 50_000, 0.1, 'A320'), part('b', 50_000, 0.1, 'A320'), part('c', 1_000, 0.5)];
    const r = portfolioExposure(items, [{ fleetKey: 'A320', maxConcurrentCost: 600_000 }]);
    assert.equal(r.concurrentUpperBound, 600_000 + 2_000);
    assert.deepEqual(r.cappedFleets, ['A320']);
    assert.equal(r.expectedTotal, 101_000);
  });
});
