import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { combinedActiveImpact } from '../risk/event-impact.js';
import type { RiskEvent } from '../risk/risk-events.js';
import { buildSuppliers, PortfolioItemsBuilder, prepareRun, scorePortfolio, type PortfolioInput } from './index.js';
import { ACTIVE_EVENTS as active, ev, hamburg, munich, NOW } from '../risk/risk-event.fixtures.js';

describe('combined event impact in a portfolio', () => {
  const suppliers = buildSuppliers([{ node: hamburg }, { node: munich }]);
  const HIST = [0, 2, 0, 0, 1, 0, 3, 0, 0, 1, 0, 2, 0, 0, 1, 0, 0, 2, 0, 1, 0, 0, 3, 0];
  function portfolio(events: RiskEvent[]): PortfolioInput {
    const b = new PortfolioItemsBuilder(6);
    for (const supplier of [0, 1])
      for (const [mean, sd] of [[20, 4], [45, 10], [90, 30]] as const) b.add({ supplier, offerMeanDays: mean, offerSdDays: sd, onHand: 2, demand: HIST });
    return { now: NOW, items: b.build(), suppliers, events };
  }

  it('the offers of one supplier share one combined distribution', () => {
    const p = portfolio(active);
    const run = prepareRun(p);
    const entries = [run.table.entry(0, 20, 4), run.table.entry(0, 45, 10), run.table.entry(0, 90, 30)];
    const combined = entries.map((e) => combinedActiveImpact(e.supply!.matches));
    assert.ok(combined[0] !== undefined);
    assert.equal(combined[1], combined[0]);
    assert.equal(combined[2], combined[0]);
  });

  it('an event touching only one supplier changes only its items', () => {
    const calm = scorePortfolio(portfolio(active)).scores;
    const fire = ev({ id: 'FIRE', type: 'supplier_failure', supplierIds: ['SUP-8'], severity: 0.9 });
    const hit = scorePortfolio(portfolio([...active, fire])).scores;
    for (const i of [0, 1, 2]) {
      assert.equal(hit.score[i], calm.score[i]);
      assert.equal(hit.meanLeadTimeDays[i], calm.meanLeadTimeDays[i]);
      assert.deepEqual(hit.digest.subarray(i * 32, i * 32 + 32), calm.digest.subarray(i * 32, i * 32 + 32));
    }
    for (const i of [3, 4, 5]) {
      assert.ok(hit.meanLeadTimeDays[i]! > calm.meanLeadTimeDays[i]!);
      assert.ok(hit.score[i]! > calm.score[i]!);
    }
  });
});
