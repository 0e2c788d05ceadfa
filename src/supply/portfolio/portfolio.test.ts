import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  PortfolioItemsBuilder,
  buildSuppliers,
  allocateScores,
  decideTransitions,
  itemLeadTime,
  itemsOfSuppliers,
  partitionBySupplier,
  prepareRun,
  quantizeOffer,
  scorePortfolio,
  scoreSlice,
  settingsDigest,
  summarizePortfolio,
  suppliersTouchedBy,
  type PortfolioInput,
} from './index.js';
import { fitDemandDistribution } from '../forecast/methods.js';
import { assessPartRisk, scoringContext } from '../risk/part-risk.js';
import { buildSupplyLeadTime } from '../risk/supply-lead-time.js';
import { eventDurationModels } from '../risk/event-duration-priors.js';
import { RISK_LEVELS } from '../risk/risk-score.js';
import type { RiskEvent } from '../risk/risk-events.js';

const NOW = Date.UTC(2026, 10, 21);
const DAY = 86_400_000;
const HIST = [0, 2, 0, 0, 1, 0, 3, 0, 0, 1, 0, 2, 0, 0, 1, 0, 0, 2, 0, 1, 0, 0, 3, 0];
const suppliers = buildSuppliers([
  { node: { supplierId: 'A', country: 'FR', region: 'EU', ports: ['FRLEH'] } },
  {
    node: { supplierId: 'B', country: 'US', region: 'NA', ports: ['USLAX'] },
    deliveries: Array.from({ length: 20 }, (_, k) => ({ promisedDay: NOW / DAY - 200 + k * 7, actualDay: NOW / DAY - 200 + k * 7 + (k % 3 === 0 ? 12 : 0) })),
  },
]);
const strikeAtA: RiskEvent = { id: 'E1', name: 'Le Havre strike', type: 'strike', ports: ['FRLEH'], start: NOW - 2 * DAY, severity: 0.8 };

type ItemSpec = Parameters<PortfolioItemsBuilder['add']>[0];
function portfolio(specs: ItemSpec[], events: RiskEvent[] = []): PortfolioInput {
  const b = new PortfolioItemsBuilder(specs.length);
  specs.forEach((s) => b.add(s));
  return { now: NOW, items: b.build(), suppliers, events };
}
const base = (over: Partial<ItemSpec> = {}): ItemSpec => ({ supplier: 0, offerMeanDays: 45, offerSdDays: 10, onHand: 2, demand: HIST, ...over });

describe('portfolio scoring', () => {
  it('scores an item exactly as the single-part engine does', () => {
    const { scores } = scorePortfolio(portfolio([base({ grounds: { fleetSize: 8, aogCostPerDay: 60_000 } })]));
    const q = quantizeOffer(45, 10);
    const lt = buildSupplyLeadTime({ offer: { meanDays: q.mean, sdDays: q.sd }, node: suppliers.nodes[0]!, history: [], events: [], now: NOW, models: eventDurationModels() });
    const ref = assessPartRisk(
      { partId: 'x', demand: fitDemandDistribution('auto', HIST), leadTime: lt.leadTime, position: { onHand: 2, reserved: 0 }, aog: { aircraftPerUnitShort: 1, fleetSize: 8 }, aogCostPerDay: 60_000, expediteCostPerStockout: 0 },
      scoringContext(undefined, 'score'),
    );
    assert.equal(scores.score[0], ref.score);
    assert.equal(RISK_LEVELS[scores.level[0]!], ref.level);
    assert.equal(scores.expectedExposure[0], ref.exposure.expected);
  });

  it('each factor moves the score the right way', () => {
    const specs = [
      base(),
      base({ onHand: 6 }),
      base({ offerMeanDays: 120, offerSdDays: 30 }),
      base({ supplier: 1 }), // late a third of the time
      base({ demand: HIST.map((v) => v * 2) }), // twice the demand
    ];
    const { scores } = scorePortfolio(portfolio(specs));
    const s = scores.score;
    assert.ok(s[1]! < s[0]!, 'more stock lowers it');
    assert.ok(s[2]! > s[0]!, 'a longer lead time raises it');
    assert.ok(s[3]! > s[0]!, 'an unreliable supplier raises it');
    assert.ok(s[4]! > s[0]!, 'more demand raises it');
    // Demand variability at equal mean is covered in src/supply/risk/part-risk.test.ts.
  });

  it('an event raises exposure only for the items of the suppliers it touches', () => {
    const specs = [base({ grounds: { fleetSize: 8, aogCostPerDay: 60_000 } }), base({ supplier: 1, grounds: { fleetSize: 8, aogCostPerDay: 60_000 } })];
    const calm = scorePortfolio(portfolio(specs)).scores;
    const hit = scorePortfolio(portfolio(specs, [strikeAtA])).scores;
    assert.ok(hit.expectedExposure[0]! > calm.expectedExposure[0]!);
    assert.ok(hit.score[0]! > calm.score[0]!);
    assert.equal(hit.eventAffected[0], 1);
    assert.equal(hit.expectedExposure[1], calm.expectedExposure[1]);
    assert.equal(hit.score[1], calm.score[1]);
    assert.equal(hit.eventAffected[1], 0);
    assert.deepEqual([...suppliersTouchedBy([strikeAtA], suppliers.nodes)], [0]);
  });

  it('refuses a bad item or event with the reason and scores the rest', () => {
    const p = portfolio([base({ onHand: -1 }), base(), base({ demand: [1, Infinity, 0] })], [{ ...strikeAtA, id: 'BAD', severity: 2 }]);
    const { scores, report } = scorePortfolio(p);
    assert.deepEqual([...scores.status], [1, 0, 1]);
    assert.equal(report.errors.length, 2);
    assert.equal(report.errors[0]!.field, 'position.onHand');
    assert.equal(report.errors[1]!.field, 'demand[1]');
    assert.equal(report.rejectedEvents[0]!.eventId, 'BAD');
    assert.ok(Number.isFinite(scores.score[1]!));
  });

  it('digests change with an item’s own inputs and nothing else', () => {
    const d = (p: PortfolioInput, i: number) => Buffer.from(scorePortfolio(p).scores.digest.subarray(i * 32, i * 32 + 32)).toString('hex');
    const a = portfolio([base(), base({ supplier: 1 })]);
    assert.equal(d(a, 0), d(portfolio([base(), base({ supplier: 1 })]), 0));
    assert.notEqual(d(a, 0), d(portfolio([base({ onHand: 3 }), base({ supplier: 1 })]), 0));
    assert.equal(d(a, 0), d(portfolio([base(), base({ supplier: 1, onHand: 9 })]), 0));
    assert.notEqual(d(a, 0), d(portfolio([base(), base({ supplier: 1 })], [strikeAtA]), 0));
    assert.equal(d(a, 1), d(portfolio([base(), base({ supplier: 1 })], [strikeAtA]), 1));
  });

  it('digests are SHA-256 of a fixed byte layout (stored digests stay comparable across releases)', () => {
    const p = portfolio([base({ onOrder: [{ quantity: 3, dueInDays: 12 }], grounds: { fleetSize: 8, aogCostPerDay: 60_000 } })], [strikeAtA]);
    const { scores, run } = scorePortfolio(p);
    const entry = itemLeadTime(p, run, 0);
    const lt = entry.supply!.leadTime;
    const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const entryHash = createHash('sha256').update(settingsDigest({})).update(bytes(lt.days)).update(bytes(lt.probs));
    for (const m of entry.supply!.matches) entryHash.update(`${m.eventId}:${m.impactProbability}\n`);
    const entryDigest = entryHash.digest();
    assert.deepEqual(Buffer.from(entry.digest), entryDigest);
    assert.equal(entry.supply!.matches.length, 1);
    // entry digest ‖ months, demand… ‖ on hand, reserved ‖ lines, (quantity, due)… ‖ grounds, per unit, fleet, AOG cost, expedite
    const fields = Float64Array.of(HIST.length, ...HIST, 2, 0, 1, 3, 12, 1, 1, 8, 60_000, 0);
    const item = createHash('sha256').update(entryDigest).update(bytes(fields)).digest();
    assert.deepEqual(Buffer.from(scores.digest.subarray(0, 32)), item);
  });

  it('re-scoring a subset (incremental) gives the same numbers as the full run', () => {
    const specs = Array.from({ length: 40 }, (_, k) => base({ supplier: k % 2, onHand: k % 5, offerMeanDays: 20 + k }));
    const p = portfolio(specs, [strikeAtA]);
    const full = scorePortfolio(p).scores;
    const subset = itemsOfSuppliers(p.items, suppliersTouchedBy([strikeAtA], p.suppliers.nodes));
    assert.equal(subset.length, 20);
    const out = allocateScores(p.items.count);
    scoreSlice(p, prepareRun(p), subset, 0, subset.length, out);
    for (const i of subset) assert.equal(out.score[i], full.score[i]);
  });

  it('partitions items by supplier, each item once', () => {
    const specs = Array.from({ length: 30 }, (_, k) => base({ supplier: k % 3 === 2 ? -1 : k % 2 }));
    const p = portfolio(specs);
    const { order, bounds } = partitionBySupplier(p.items, 2, 2);
    assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: 30 }, (_, k) => k));
    for (let k = 0; k < 2; k++) {
      const sup = new Set([...order.subarray(bounds[k], bounds[k + 1])].map((i) => p.items.supplier[i]).filter((s) => s! >= 0));
      assert.ok(sup.size <= 1);
    }
  });

  it('builds one quoted lead time per quantised quote, shared across suppliers, and a distinct one per bin', () => {
    const run = prepareRun(portfolio([]));
    const offer = (s: number, mean: number, sd: number) => run.table.entry(s, mean, sd).supply!.offer;
    assert.equal(offer(0, 45, 10), offer(1, 45, 10), 'same quote, two suppliers');
    assert.equal(offer(0, 45, 10), offer(1, 45.1, 10.05), 'same bins');
    assert.notEqual(offer(0, 45, 10), offer(0, 45, 14), 'another spread bin');
    assert.notEqual(offer(0, 45, 10), offer(0, 60, 10), 'another mean bin');
    assert.deepEqual(offer(0, 60, 10), prepareRun(portfolio([])).table.entry(0, 60, 10).supply!.offer, 'as a fresh table builds it');
  });

  it('grows every column together from a capacity of one, shared or not', () => {
    for (const shared of [false, true]) {
      const b = new PortfolioItemsBuilder(1, shared, 1);
      for (let k = 0; k < 100; k++)
        b.add({ supplier: k % 7, offerMeanDays: k, onHand: 2 * k, reserved: k % 3, demand: [k, k + 1], expediteCost: k + 0.5,
          onOrder: k % 2 ? [{ quantity: k, dueInDays: 3 }] : [], grounds: { fleet: k % 4, fleetSize: k, aogCostPerDay: 10 * k } });
      const it = b.build();
      assert.equal(it.count, 100);
      for (const k of [0, 1, 63, 64, 99]) {
        assert.deepEqual([it.supplier[k], it.offerMeanDays[k], it.onHand[k], it.reserved[k], it.expediteCost[k], it.fleet[k], it.fleetSize[k], it.aogCostPerDay[k], it.grounds[k]],
          [k % 7, k, 2 * k, k % 3, k + 0.5, k % 4, k, 10 * k, 1]);
        assert.deepEqual([...it.demand.subarray(it.demandOffsets[k], it.demandOffsets[k + 1])], [k, k + 1]);
        assert.deepEqual([...it.onOrderQuantity.subarray(it.onOrderOffsets[k], it.onOrderOffsets[k + 1])], k % 2 ? [k] : []);
      }
      assert.equal(it.supplier.buffer instanceof SharedArrayBuffer, shared);
    }
  });

  it('quantises offers to within 0.5 % of the mean', () => {
    for (const m of [0, 0.3, 7.2, 49.9, 50.1, 333, 2000]) {
      const q = quantizeOffer(m, m * 0.2);
      assert.ok(Math.abs(q.mean - m) <= Math.max(0.25, m * 0.005 + 1e-9), `mean ${m} → ${q.mean}`);
    }
  });
});

describe('portfolio summary', () => {
  it('sums expected exposure, caps each fleet in the concurrent bound and states its assumptions', () => {
    const g = { fleetSize: 1, fleet: 0, aogCostPerDay: 100_000 };
    const p = portfolio([base({ onHand: 0, grounds: g }), base({ onHand: 0, grounds: g }), base({ onHand: 0 }), base({ onHand: -1 })]);
    const { scores } = scorePortfolio(p);
    const dims = [{ name: 'supplier', codes: Int32Array.of(0, 0, 1, 1), labels: ['A', 'B'] }];
    const s = summarizePortfolio(p.items, scores, dims);
    assert.equal(s.refused, 1);
    assert.equal(s.total.items, 3);
    assert.equal(s.total.expectedExposure, scores.expectedExposure[0]! + scores.expectedExposure[1]! + scores.expectedExposure[2]!);
    // Plain sum of conditional exposures vs the bound: one aircraft cannot be grounded twice.
    const plain = scores.conditionalExposure[0]! + scores.conditionalExposure[1]! + scores.conditionalExposure[2]!;
    assert.ok(s.total.concurrentUpperBound < plain);
    assert.equal(s.total.cappedFleets, 1);
    assert.ok(s.assumptions.length >= 3);
    assert.deepEqual(s.groups.supplier!.map((x) => x.key).sort(), ['A', 'B']);
  });
});

describe('alert transitions', () => {
  it('decides only items whose level moved, fires on entering high and respects open alerts', () => {
    const scores = allocateScores(3);
    scores.score.set([80, 80, 5]);
    scores.level.set([3, 3, 0]);
    const prev = Uint8Array.of(0, 3, 255);
    const t = decideTransitions(scores, prev, (i) => `P${i}`, new Set());
    assert.equal(t.length, 1);
    assert.deepEqual({ ...t[0], index: t[0]!.index }, { index: 0, from: 'low', to: 'critical', fire: true, clear: false, dedupKey: 'P0:critical' });
    assert.equal(decideTransitions(scores, prev, (i) => `P${i}`, new Set(['P0:critical']))[0]!.fire, false);
  });
});
