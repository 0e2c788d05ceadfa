import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DemandDistribution } from '../demand-distribution.js';
import { offerLeadTime, type DeliveryRecord } from '../leadtime/supplier-lead-time.js';
import { eventDurationModels } from './event-duration-priors.js';
import { assessPartRisk, type PartRiskInput } from './part-risk.js';
import { explainPartRisk, EXPLANATION_FACTORS } from './risk-explanation.js';
import type { RiskEvent, SupplyNode } from './risk-events.js';
import { buildSupplyLeadTime } from './supply-lead-time.js';
import { SupplyRiskError } from './supply-risk-error.js';

/** Test double: negative binomial demand (lumpy spares), size r·t over t periods. */
function negativeBinomial(mean: number, variance: number): DemandDistribution {
  const r = (mean * mean) / (variance - mean);
  const p = mean / variance;
  const pmf = (periods: number, maxUnits: number): Float64Array => {
    const rt = r * periods;
    const out = new Float64Array(maxUnits + 1);
    let v = Math.pow(p, rt);
    for (let k = 0; k <= maxUnits; k++) {
      out[k] = v;
      v *= ((k + rt) / (k + 1)) * (1 - p);
    }
    return out;
  };
  return {
    method: 'nb-test-double',
    meanPerPeriod: mean,
    variancePerPeriod: variance,
    pmf,
    tailProbability: (periods, units) => Math.max(0, 1 - pmf(periods, units).reduce((s, x) => s + x, 0)),
  };
}

const node: SupplyNode = { supplierId: 'SUP-1', country: 'FR', region: 'EU', ports: ['FRLEH'] };
const now = '2025-06-01T00:00:00Z';
const models = eventDurationModels();
const day = (n: number): string => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString();
const history = (late: number, total: number): DeliveryRecord[] =>
  Array.from({ length: total }, (_, i) => ({
    promised: day(i * 5),
    actual: day(i * 5 + (i < late ? 15 : 0)),
  }));
const strike: RiskEvent = {
  id: 'EV-STRIKE',
  type: 'strike',
  name: 'Le Havre dockers strike',
  ports: ['FRLEH'],
  start: '2025-05-30T00:00:00Z',
  severity: 0.8,
};
const elsewhere: RiskEvent = {
  id: 'EV-TYPHOON',
  type: 'weather',
  name: 'Typhoon at Kaohsiung',
  ports: ['TWKHH'],
  countries: ['TW'],
  start: '2025-05-31T00:00:00Z',
  severity: 1,
};

function score(
  over: {
    onHand?: number;
    meanDays?: number;
    late?: number;
    events?: RiskEvent[];
    demand?: DemandDistribution;
  } = {},
): number {
  const lt = buildSupplyLeadTime({
    offer: { meanDays: over.meanDays ?? 45, sdDays: 10 },
    node,
    history: history(over.late ?? 2, 30),
    events: over.events ?? [],
    now,
    models,
  });
  return assessPartRisk({
    partId: 'P-1',
    demand: over.demand ?? negativeBinomial(1.5, 4),
    leadTime: lt.leadTime,
    position: { onHand: over.onHand ?? 4 },
    aog: { aircraftPerUnitShort: 1, fleetSize: 12 },
    aogCostPerDay: 60_000,
    expediteCostPerStockout: 3_000,
  }).score;
}

describe('part risk: each factor moves the score the right way', () => {
  const ref = score();
  it('more stock → lower', () => assert.ok(score({ onHand: 8 }) < ref));
  it('longer lead time → higher', () => assert.ok(score({ meanDays: 90 }) > ref));
  it('worse supplier reliability → higher', () => assert.ok(score({ late: 20 }) > ref));
  it('an event touching the supplier → higher', () => assert.ok(score({ events: [strike] }) > ref));
  it('an event elsewhere → no change', () => assert.equal(score({ events: [elsewhere] }), ref));
  it('more demand variability (same mean) → higher', () =>
    assert.ok(score({ demand: negativeBinomial(1.5, 9) }) > ref));

  it('a part that grounds nothing is scored on probability and expediting only', () => {
    const lt = offerLeadTime({ meanDays: 45 });
    const r = assessPartRisk({
      partId: 'P-2',
      demand: negativeBinomial(1.5, 4),
      leadTime: lt,
      position: { onHand: 0 },
    });
    assert.equal(r.stockout.expectedAogDays, 0);
    assert.equal(r.exposure.expected, 0);
    assert.ok(Math.abs(r.score - 50 * r.stockout.stockoutProbability) < 1e-9);
    assert.ok(r.stockout.stockoutProbability > 0.5);
  });

  it('refuses an essential part without an AOG cost', () => {
    const input: PartRiskInput = {
      partId: 'P-3',
      demand: negativeBinomial(1, 2),
      leadTime: offerLeadTime({ meanDays: 10 }),
      position: { onHand: 1 },
      aog: {},
    };
    assert.throws(
      () => assessPartRisk(input),
      (e: unknown) => e instanceof SupplyRiskError && e.field === 'P-3.aogCostPerDay',
    );
  });
});

describe('risk explanation (Shapley over counterfactuals)', () => {
  const lt = buildSupplyLeadTime({
    offer: { meanDays: 60, sdDays: 15 },
    node,
    history: history(10, 30),
    events: [strike, elsewhere],
    now,
    models,
  });
  const input = {
    partId: 'P-1',
    demand: negativeBinomial(1.5, 6),
    offerLeadTime: lt.offer,
    supplierDelay: lt.reliability.delay,
    events: lt.matches,
    position: { onHand: 2 },
    aog: { aircraftPerUnitShort: 1 },
    aogCostPerDay: 60_000,
  };
  const x = explainPartRisk(input);

  it('contributions sum exactly to score − baseline and the score equals the bulk path', () => {
    const total = x.contributions.reduce((s, c) => s + c.points, 0);
    assert.ok(Math.abs(x.baselineScore + total - x.score) < 1e-9);
    const bulk = assessPartRisk({ ...input, leadTime: lt.leadTime }).score;
    assert.ok(Math.abs(bulk - x.score) < 1e-9);
    assert.deepEqual(
      x.contributions.map((c) => c.factor),
      [...EXPLANATION_FACTORS],
    );
  });

  it('attributes positively to each adverse factor and names the events involved', () => {
    for (const c of x.contributions) assert.ok(c.points > 0, `${c.factor} ${c.points}`);
    assert.deepEqual(
      x.events.map((e) => e.eventId),
      ['EV-STRIKE'],
    );
    assert.match(x.summary, /Le Havre dockers strike/);
    assert.doesNotMatch(x.summary, /Typhoon/);
  });

  it('gives zero to events when none match and a negative share to ample stock', () => {
    const calm = explainPartRisk({ ...input, events: [], position: { onHand: 40 } });
    const ev = calm.contributions.find((c) => c.factor === 'risk_events')!;
    assert.equal(ev.points, 0);
    assert.ok(calm.contributions.find((c) => c.factor === 'stock_position')!.points < 0);
  });
});
