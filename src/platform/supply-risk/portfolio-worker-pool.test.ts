import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PortfolioItemsBuilder, buildSuppliers, scorePortfolio, type PortfolioInput } from '../../supply/portfolio/index.js';
import type { RiskEvent } from '../../supply/risk/risk-events.js';
import { lazyPortfolioWorkerPool } from './portfolio-worker-pool.js';

const NOW = Date.UTC(2026, 10, 21);
const DAY = 86_400_000;

/** Three suppliers (one behind a port strike), 300 items with varied stock, lead times and demand. */
function portfolio(): PortfolioInput {
  const suppliers = buildSuppliers([
    { node: { supplierId: 'A', country: 'FR', region: 'EU', ports: ['FRLEH'] } },
    { node: { supplierId: 'B', country: 'US', region: 'NA', ports: ['USLAX'] } },
    { node: { supplierId: 'C', country: 'JP', region: 'ASIA', ports: ['JPTYO'] } },
  ]);
  const strike: RiskEvent = { id: 'E1', name: 'Le Havre strike', type: 'strike', ports: ['FRLEH'], start: NOW - 2 * DAY, severity: 0.8 };
  const b = new PortfolioItemsBuilder(300, true);
  for (let k = 0; k < 300; k++) {
    b.add({ supplier: k % 3, offerMeanDays: 20 + (k % 50), offerSdDays: 5 + (k % 7), onHand: k % 6, demand: Array.from({ length: 24 }, (_, m) => ((k + m) % 5 === 0 ? 1 + (m % 3) : 0)) });
  }
  return { now: NOW, items: b.build(), suppliers, events: [strike] };
}

test('the lazy pool scores a portfolio on threads exactly as the kernel does inline, and can be used again', async () => {
  const input = portfolio();
  const inline = scorePortfolio(input).scores;
  const pool = lazyPortfolioWorkerPool(2);
  try {
    for (let round = 0; round < 2; round++) {
      const { scores, errors } = await pool.score(input);
      assert.deepEqual(errors, []);
      assert.deepEqual(Array.from(scores.score), Array.from(inline.score));
      assert.deepEqual(Array.from(scores.level), Array.from(inline.level));
      assert.deepEqual(Array.from(scores.stockoutProbability), Array.from(inline.stockoutProbability));
    }
  } finally {
    await pool.close();
  }
});
