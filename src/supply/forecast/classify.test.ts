import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { classifyDemand } from './classify.js';
import { parseSeriesCsv } from '../backtest/series-csv.js';
import { countClasses } from '../backtest/backtest.js';
import { missingSharedNotice, sharedFile } from '../../../test/support/shared-data.js';

describe('SBC classification', () => {
  it('one case per quadrant, with the sample variance of sizes', () => {
    assert.equal(classifyDemand([1, 1, 1, 1]).class, 'smooth');
    assert.equal(classifyDemand([1, 9, 1, 9]).class, 'erratic'); // CV² = (64/3) / 25 = 0.853
    assert.equal(classifyDemand([0, 2, 0, 2, 0, 2]).class, 'intermittent');
    assert.equal(classifyDemand([0, 1, 0, 0, 12, 0]).class, 'lumpy');
  });

  it('ADI and CV² are computed as documented', () => {
    const c = classifyDemand([0, 1, 0, 0, 3, 0, Number.NaN]);
    assert.equal(c.periods, 6);
    assert.equal(c.demands, 2);
    assert.equal(c.adi, 3);
    assert.equal(c.cv2, 2 / 4); // sample variance 2, mean 2
    // [1, 9, 1, 9]: sample variance 64/3, mean 5 → CV² 0.853 > 0.49, ADI 1.
    assert.ok(Math.abs(classifyDemand([1, 9, 1, 9]).cv2 - 64 / 3 / 25) < 1e-12);
  });

  it('no demand or one demand: ADI = ∞ or periods, CV² = 0 → intermittent', () => {
    assert.equal(classifyDemand([0, 0, 0]).class, 'intermittent');
    assert.equal(classifyDemand([0, 0, 0]).adi, Number.POSITIVE_INFINITY);
    assert.equal(classifyDemand([0, 0, 7]).cv2, 0);
  });

  const raf = 'mrodata/raf_spares_monthly_demand.csv';
  it('RAF: exactly 2,597 intermittent and 2,403 lumpy', { skip: sharedFile(raf) ? false : missingSharedNotice(raf) }, () => {
    const set = parseSeriesCsv(readFileSync(sharedFile(raf)!, 'utf8'));
    assert.deepEqual(countClasses(set), { smooth: 0, intermittent: 2597, erratic: 0, lumpy: 2403 });
  });
});
