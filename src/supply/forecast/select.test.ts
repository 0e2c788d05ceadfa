import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { selectMethodByBacktest } from './select.js';
import { AUTO_DEFAULTS, autoMethodFor, pointForecast } from './methods.js';

describe('auto and backtest-based selection', () => {
  it('auto resolves to the per-class default', () => {
    assert.equal(autoMethodFor([0, 2, 0, 2, 0, 2]), AUTO_DEFAULTS.intermittent);
    assert.equal(autoMethodFor([0, 1, 0, 0, 12, 0]), AUTO_DEFAULTS.lumpy);
    assert.equal(autoMethodFor([3, 3, 3, 3]), AUTO_DEFAULTS.smooth);
    const y = [0, 1, 0, 0, 12, 0, 0, 3];
    assert.deepEqual(pointForecast('auto', y), pointForecast(AUTO_DEFAULTS.lumpy, y));
    assert.deepEqual(pointForecast('auto', y, { autoMethod: 'sba' }), pointForecast('sba', y));
  });

  it('picks the candidate with the lowest MAE + |bias| on the holdout; too short → class default', () => {
    // A level shift from 1 to 5: the last value (naive) wins over the long-run mean.
    const y = [...Array(24).fill(1), ...Array(12).fill(5), ...Array(6).fill(5)];
    const sel = selectMethodByBacktest(y, { holdout: 6, candidates: ['naive', 'mean'] });
    assert.equal(sel.method, 'naive');
    assert.equal(sel.scores.naive, 0);
    assert.ok(sel.scores.mean! > 0);
    assert.equal(selectMethodByBacktest([0, 3, 0], { holdout: 12 }).method, AUTO_DEFAULTS.intermittent);
  });
});
