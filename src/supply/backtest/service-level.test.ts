import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatServiceLevelTable, serviceLevelBacktest } from './service-level.js';
import { parseSeriesCsv } from './series-csv.js';
import { missingSharedNotice, sharedFile } from '../../../test/support/shared-data.js';

describe('serviceLevelBacktest', () => {
  it('cycles are (part, held-out period) pairs; a zero forecast stocks out on every demand', () => {
    const zeros = Array(24).fill(0).join(',');
    const text = `id,lead_time_months,${Array.from({ length: 28 }, (_, i) => `t${i + 1}`).join(',')}\n` +
      `dead,0,${zeros},5,5,0,5\n` + // no training demand → S = 0; 3 of 4 held-out periods stock out
      `nolead,,${zeros},1,1,1,1\n`;
    const r = serviceLevelBacktest(parseSeriesCsv(text), { holdout: 4, methods: ['croston', 'tsb'], targets: [0.95] });
    assert.equal(r.parts, 1);
    assert.equal(r.skippedParts, 1);
    assert.deepEqual(r.methods.croston, [{ target: 0.95, achieved: 0.25, cycles: 4, meanOrderUpTo: 0 }]);
  });

  it('the protection window is L + 1 periods, reaching back into training', () => {
    // Steady 1 per period, lead time 2 → window demand 3 each held-out period; Poisson(3) at 50 % → S = 3.
    const text = `id,lead_time_months,${Array.from({ length: 20 }, (_, i) => `t${i + 1}`).join(',')}\n` +
      `p,2,${Array(20).fill(1).join(',')}\n`;
    const r = serviceLevelBacktest(parseSeriesCsv(text), { holdout: 3, methods: ['mean'], targets: [0.5, 0.1] });
    assert.deepEqual(r.methods.mean!.map((c) => [c.meanOrderUpTo, c.achieved]), [[3, 1], [1, 0]]);
    assert.match(formatServiceLevelTable(r), /mean\s+100\.0%/);
  });

  const raf = 'mrodata/raf_spares_monthly_demand.csv';
  it('RAF: the production method (auto) achieves its target within 3 points', { skip: sharedFile(raf) ? false : missingSharedNotice(raf) }, () => {
    const set = parseSeriesCsv(readFileSync(sharedFile(raf)!, 'utf8'));
    const r = serviceLevelBacktest(set, { methods: ['auto', 'naive'] });
    assert.equal(r.parts, 5000);
    for (const c of r.methods.auto!) {
      assert.equal(c.cycles, 60_000);
      assert.ok(Math.abs(c.achieved - c.target) <= 0.03, `auto at ${c.target}: ${c.achieved}`);
    }
    // The zero-forecast trap in service terms: naive (mostly a last value of 0) misses badly.
    assert.ok(r.methods.naive![1]!.achieved < 0.6);
  });
});
