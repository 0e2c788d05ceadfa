import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DemandDistribution } from '../demand-distribution.js';
import { deterministicLeadTime, leadTimeFromPoints } from '../leadtime/lead-time-distribution.js';
import { DAYS_PER_MONTH, assessStockout, leadTimeDemandLoss } from './stockout.js';
import { SupplyRiskError } from './supply-risk-error.js';
import { poissonDemand } from './poisson-demand.js';

/** Test double: Poisson by naive summation (independent of the engine's implementation). */
function naivePoisson(rate: number): DemandDistribution {
  const pmf = (periods: number, maxUnits: number): Float64Array => {
    const l = rate * periods;
    const out = new Float64Array(maxUnits + 1);
    let fact = 1;
    for (let k = 0; k <= maxUnits; k++) {
      if (k > 0) fact *= k;
      out[k] = (Math.exp(-l) * l ** k) / fact;
    }
    return out;
  };
  return {
    method: 'naive-poisson',
    meanPerPeriod: rate,
    variancePerPeriod: rate,
    pmf,
    tailProbability: (periods, units) => 1 - pmf(periods, units).reduce((s, x) => s + x, 0),
  };
}

const M = DAYS_PER_MONTH;
const e2 = Math.exp(-2);

describe('stockout probability (Poisson, hand-computed)', () => {
  const demand = naivePoisson(2);

  it('P(D > 3) over one month at λ = 2 and the expected shortage', () => {
    const r = assessStockout(demand, deterministicLeadTime(M), { onHand: 3 });
    // 1 − e⁻²(1 + 2 + 2 + 4/3)
    assert.ok(Math.abs(r.stockoutProbability - (1 - e2 * (1 + 2 + 2 + 4 / 3))) < 1e-12);
    assert.ok(Math.abs(r.stockoutProbability - 0.142876539501453) < 1e-12);
    // E[(D − 3)⁺] = λ − 3 + 3p₀ + 2p₁ + p₂ = −1 + 9e⁻²
    assert.ok(Math.abs(r.expectedShortageUnits! - (-1 + 9 * e2)) < 1e-12);
    assert.ok(Math.abs(r.meanLeadTimeDemand - 2) < 1e-12);
  });

  it('mixes over the lead-time grid', () => {
    const lt = leadTimeFromPoints([M, 2 * M], [0.5, 0.5]);
    const r = assessStockout(demand, lt, { onHand: 3 });
    const e4 = Math.exp(-4);
    const p2 = 1 - e4 * (1 + 4 + 8 + 64 / 6);
    assert.ok(Math.abs(r.stockoutProbability - 0.5 * (0.142876539501453 + p2)) < 1e-12);
  });

  it('available = on hand − reserved + on order due within the lead time', () => {
    const lt = deterministicLeadTime(M);
    const ref = assessStockout(demand, lt, { onHand: 3 }).stockoutProbability;
    assert.equal(assessStockout(demand, lt, { onHand: 5, reserved: 2 }).stockoutProbability, ref);
    assert.equal(
      assessStockout(demand, lt, { onHand: 1, onOrder: [{ quantity: 2, dueInDays: 10 }] })
        .stockoutProbability,
      ref,
    );
    const lateOrder = assessStockout(demand, lt, { onHand: 1, onOrder: [{ quantity: 2, dueInDays: 40 }] });
    assert.ok(lateOrder.stockoutProbability > ref, 'an order due after the lead time does not protect');
    const over = assessStockout(demand, lt, { onHand: 1, reserved: 3 });
    assert.equal(over.stockoutProbability, 1);
    assert.ok(Math.abs(over.expectedShortageUnits! - 4) < 1e-12);
  });

  it('days short and backorder-days match a fine numerical integral', () => {
    const L = 60;
    const a = 3;
    const r = assessStockout(demand, deterministicLeadTime(L), { onHand: a });
    let days = 0;
    let backorderDays = 0;
    const steps = 6000;
    for (let i = 0; i < steps; i++) {
      const t = ((i + 0.5) * L) / steps;
      days += (demand.tailProbability(t / M, a) * L) / steps;
      backorderDays += (leadTimeDemandLoss(demand, deterministicLeadTime(t), a) * L) / steps;
    }
    assert.ok(Math.abs(r.expectedDaysShort! - days) / days < 0.02, `${r.expectedDaysShort!} vs ${days}`);
    assert.ok(
      Math.abs(r.expectedBackorderDays! - backorderDays) / backorderDays < 0.02,
      `${r.expectedBackorderDays!} vs ${backorderDays}`,
    );
    const trap = assessStockout(demand, deterministicLeadTime(L), { onHand: a }, { quadrature: 'trapezoid' });
    assert.ok(trap.expectedDaysShort! > 0);
  });

  it('AOG days = aircraft per unit short × backorder-days, capped by the fleet', () => {
    const lt = deterministicLeadTime(60);
    const plain = assessStockout(demand, lt, { onHand: 0 });
    assert.equal(plain.expectedAogDays, 0, 'a non-essential part grounds nothing');
    const aog = assessStockout(demand, lt, { onHand: 0 }, { aog: { aircraftPerUnitShort: 2 } });
    assert.ok(Math.abs(aog.expectedAogDays - 2 * plain.expectedBackorderDays!) < 1e-9);
    const capped = assessStockout(
      demand,
      lt,
      { onHand: 0 },
      { aog: { aircraftPerUnitShort: 2, fleetSize: 1 } },
    );
    assert.ok(Math.abs(capped.expectedAogDays - capped.expectedDaysShort!) < 1e-9, 'one aircraft is down at most while short');
    assert.ok(capped.expectedAogDays < 60);
  });

  it('a part that is rarely short is charged at most its expected days short per aircraft, not a lead time', () => {
    // Many aircraft per unit short make the backorder-days term large; the fleet of one can still be
    // down only while the part is short (3 % of the time here), not for the whole 90-day lead time.
    const r = assessStockout(poissonDemand(1), deterministicLeadTime(90), { onHand: 6 }, { aog: { aircraftPerUnitShort: 20, fleetSize: 1 } });
    assert.ok(r.stockoutProbability > 0.01 && r.stockoutProbability < 0.05);
    assert.ok(20 * r.expectedBackorderDays! > r.expectedDaysShort!, 'the fleet cap binds');
    assert.ok(Math.abs(r.expectedAogDays - r.expectedDaysShort!) < 1e-9);
    assert.ok(r.expectedAogDays < 1);
  });

  it('agrees with the engine Poisson and uses the normal loss above 512 units', () => {
    const big = poissonDemand(600);
    const r = assessStockout(big, deterministicLeadTime(M), { onHand: 620 });
    assert.ok(r.stockoutProbability > 0.1 && r.stockoutProbability < 0.3);
    assert.ok(r.expectedShortageUnits! > 1 && r.expectedShortageUnits! < 6);
    const small = assessStockout(poissonDemand(2), deterministicLeadTime(M), { onHand: 3 });
    assert.ok(Math.abs(small.stockoutProbability - 0.142876539501453) < 1e-12);
  });

  it('score detail computes the probability only, identically, for parts that ground nothing', () => {
    const lt = leadTimeFromPoints([M, 2 * M], [0.5, 0.5]);
    const full = assessStockout(demand, lt, { onHand: 3, onOrder: [{ quantity: 1, dueInDays: 40 }] });
    const fast = assessStockout(
      demand,
      lt,
      { onHand: 3, onOrder: [{ quantity: 1, dueInDays: 40 }] },
      { detail: 'score' },
    );
    assert.ok(Math.abs(full.stockoutProbability - fast.stockoutProbability) < 1e-15);
    assert.equal(fast.expectedShortageUnits, undefined);
    const aog = assessStockout(demand, lt, { onHand: 3 }, { detail: 'score', aog: {} });
    assert.ok(aog.expectedBackorderDays! > 0, 'AOG parts are always computed in full');
  });

  it('refuses negative or non-finite stock with the field named', () => {
    const lt = deterministicLeadTime(M);
    assert.throws(
      () => assessStockout(demand, lt, { onHand: -1 }),
      (e: unknown) => e instanceof SupplyRiskError && e.field === 'position.onHand',
    );
    assert.throws(() => assessStockout(demand, lt, { onHand: Number.NaN }), SupplyRiskError);
    assert.throws(() => assessStockout(demand, lt, { onHand: 1, reserved: -2 }), SupplyRiskError);
    assert.throws(
      () =>
        assessStockout(demand, lt, {
          onHand: 1,
          onOrder: [{ quantity: 1, dueInDays: Number.POSITIVE_INFINITY }],
        }),
      SupplyRiskError,
    );
  });
});

describe('stockout within the window when an order line arrives inside it', () => {
  // Nothing on hand, 0.5/month, 50 units due in ~10 months, lead time ~20 months: short for the first
  // 10 months almost surely, yet at the end of the window 50 units cover the demand.
  const demand = poissonDemand(0.5);
  const leadTime = deterministicLeadTime(20 * M);
  const position = { onHand: 0, onOrder: [{ quantity: 50, dueInDays: 10 * M }] };
  const shortBeforeArrival = 1 - Math.exp(-0.5 * 10);

  it('is the chance of running out before the line arrives, not the end-of-window tail', () => {
    for (const detail of ['full', 'score'] as const) {
      const r = assessStockout(demand, leadTime, position, { detail, aog: detail === 'full' ? { fleetSize: 10 } : undefined });
      assert.ok(Math.abs(r.stockoutProbability - shortBeforeArrival) < 1e-9, `${detail}: ${r.stockoutProbability}`);
    }
    const endOfWindow = poissonDemand(0.5).tailProbability(20, 50);
    assert.ok(endOfWindow < 1e-9, 'the end-of-window tail alone says "never short"');
  });

  it('integrates days short and backorders up to the arrival and on from it (within 0.5 % of exact)', () => {
    const r = assessStockout(demand, leadTime, position, { aog: { fleetSize: 10 } });
    const rate = 0.5 / M;
    const arrival = 10 * M;
    const daysShort = arrival - (1 - Math.exp(-rate * arrival)) / rate; // ∫ P(D(t) > 0) dt
    const backorderDays = (rate * arrival * arrival) / 2; // ∫ E[D(t)] dt
    assert.ok(Math.abs(r.expectedDaysShort! / daysShort - 1) < 0.005, `${r.expectedDaysShort} vs ${daysShort}`);
    assert.ok(Math.abs(r.expectedBackorderDays! / backorderDays - 1) < 0.005, `${r.expectedBackorderDays} vs ${backorderDays}`);
  });

  it('is unchanged without lines, and with lines due after the lead time or already received', () => {
    for (const onOrder of [undefined, [{ quantity: 50, dueInDays: 30 * M }], [{ quantity: 5, dueInDays: 0 }]]) {
      const p = assessStockout(demand, leadTime, { onHand: 2, ...(onOrder ? { onOrder } : {}) }).stockoutProbability;
      const a = 2 + (onOrder?.[0]?.dueInDays === 0 ? 5 : 0);
      assert.ok(Math.abs(p - demand.tailProbability(20, a)) < 1e-12);
    }
  });
});
