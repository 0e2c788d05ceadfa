import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DemandDistribution } from '../demand-distribution.js';
import { deterministicLeadTime, leadTimeFromMeanSpread } from '../leadtime/lead-time-distribution.js';
import { DAYS_PER_MONTH } from '../risk/stockout.js';
import { SupplyRiskError } from '../risk/supply-risk-error.js';
import {
  CRITICALITIES,
  DEFAULT_SERVICE_TARGETS,
  advisePolicy,
  cycleServiceLevel,
  fillRate,
  reorderPointForFillRate,
  reorderPointForServiceLevel,
} from './inventory-policy.js';

/** Test double: Poisson demand by direct summation. */
function poisson(rate: number): DemandDistribution {
  const pmf = (periods: number, maxUnits: number): Float64Array => {
    const l = rate * periods;
    const out = new Float64Array(maxUnits + 1);
    let p = Math.exp(-l);
    for (let k = 0; k <= maxUnits; k++) {
      out[k] = p;
      p *= l / (k + 1);
    }
    return out;
  };
  return {
    method: 'poisson-test-double',
    meanPerPeriod: rate,
    variancePerPeriod: rate,
    pmf,
    tailProbability: (periods, units) => Math.max(0, 1 - pmf(periods, units).reduce((s, x) => s + x, 0)),
  };
}

describe('reorder point for a cycle-service level', () => {
  it('reproduces the target on Poisson lead-time demand (hand check at λ = 2)', () => {
    const d = poisson(2);
    const lt = deterministicLeadTime(DAYS_PER_MONTH);
    // Poisson(2) CDF: 0.1353, 0.4060, 0.6767, 0.8571, 0.9473, 0.9834, 0.9955
    assert.equal(reorderPointForServiceLevel(d, lt, 0.9), 4);
    assert.equal(reorderPointForServiceLevel(d, lt, 0.95), 5);
    assert.equal(reorderPointForServiceLevel(d, lt, 0.99), 6);
    assert.equal(reorderPointForServiceLevel(d, lt, 0.1), 0);
  });

  it('is the smallest s reaching the target, for every criticality, with a stochastic lead time', () => {
    const d = poisson(3.2);
    const lt = leadTimeFromMeanSpread(50, 15);
    for (const c of CRITICALITIES) {
      const target = DEFAULT_SERVICE_TARGETS[c].cycleServiceLevel;
      const s = reorderPointForServiceLevel(d, lt, target);
      assert.ok(cycleServiceLevel(d, lt, s) >= target, `${c}: ${cycleServiceLevel(d, lt, s)} ≥ ${target}`);
      assert.ok(cycleServiceLevel(d, lt, s - 1) < target, c);
    }
  });
});

describe('reorder point for a fill rate', () => {
  it('is the smallest s whose (s, Q) fill rate reaches the target', () => {
    const d = poisson(2);
    const lt = leadTimeFromMeanSpread(40, 10);
    const s = reorderPointForFillRate(d, lt, 6, 0.98);
    assert.ok(fillRate(d, lt, s, 6) >= 0.98);
    assert.ok(fillRate(d, lt, s - 1, 6) < 0.98);
    // A larger order quantity exposes fewer cycles, so it needs no higher a reorder point.
    assert.ok(reorderPointForFillRate(d, lt, 24, 0.98) <= s);
  });
});

describe('policy advice', () => {
  const base = {
    partId: 'P-9',
    demand: poisson(1.2),
    leadTime: leadTimeFromMeanSpread(60, 20),
    criticality: 'no_go' as const,
    aog: { aircraftPerUnitShort: 1 },
    aogCostPerDay: 60_000,
  };

  it('recommends a higher ROP for an under-stocked No-Go part and shows the exposure it removes', () => {
    const a = advisePolicy({ ...base, current: { reorderPoint: 2 } });
    assert.ok(a.recommended.reorderPoint > 2);
    assert.ok(a.recommended.cycleServiceLevel >= 0.99);
    assert.ok(a.current.cycleServiceLevel < 0.99);
    assert.ok(a.expectedExposureChange < 0);
    assert.ok(
      Math.abs(a.recommended.safetyStock - (a.recommended.reorderPoint - a.meanLeadTimeDemand)) < 1e-12,
    );
    assert.ok(a.recommended.score < a.current.score);
  });

  it('a Go part gets a lower target than a No-Go part', () => {
    const nogo = advisePolicy({ ...base, current: { reorderPoint: 2 } });
    const go = advisePolicy({ ...base, criticality: 'go', current: { reorderPoint: 2 } });
    assert.ok(go.recommended.reorderPoint <= nogo.recommended.reorderPoint);
    assert.equal(go.target, 0.93);
  });

  it('fill-rate basis needs an order quantity; bad inputs are refused', () => {
    assert.throws(
      () => advisePolicy({ ...base, basis: 'fill_rate', current: { reorderPoint: 2 } }),
      (e: unknown) => e instanceof SupplyRiskError && e.field === 'current.orderQuantity',
    );
    const f = advisePolicy({ ...base, basis: 'fill_rate', current: { reorderPoint: 2, orderQuantity: 4 } });
    assert.ok(f.recommended.fillRate! >= 0.995);
    assert.throws(() => advisePolicy({ ...base, current: { reorderPoint: -1 } }), SupplyRiskError);
    assert.throws(
      () => advisePolicy({ ...base, criticality: 'vital' as never, current: { reorderPoint: 1 } }),
      SupplyRiskError,
    );
    assert.throws(
      () => reorderPointForServiceLevel(poisson(1), deterministicLeadTime(30), 1.5),
      SupplyRiskError,
    );
  });
});
