import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SCORE_PARAMS, levelThresholds, riskLevel, riskScore } from './risk-score.js';
import { decideAlert } from './alert-hysteresis.js';
import { SupplyRiskError } from './supply-risk-error.js';

describe('risk score', () => {
  it('is 0..100 and monotone in probability and exposure', () => {
    assert.equal(riskScore(0, 0), 0);
    assert.equal(riskScore(1, 1e12), 100);
    let prev = -1;
    for (const p of [0, 0.01, 0.1, 0.5, 0.9, 1]) {
      const s = riskScore(p, 50_000);
      assert.ok(s > prev);
      prev = s;
    }
    prev = -1;
    for (const e of [0, 10, 1_000, 100_000, 5_000_000]) {
      const s = riskScore(0.3, e);
      assert.ok(s > prev);
      prev = s;
    }
  });

  it('level thresholds are the scores of the probability/exposure anchors', () => {
    const t = levelThresholds();
    const a = DEFAULT_SCORE_PARAMS.anchors;
    assert.equal(t.high, riskScore(a.high.probability, a.high.exposureUsd));
    assert.ok(
      Math.abs(t.moderate - 15.517) < 1e-3 &&
        Math.abs(t.high - 35.054) < 1e-3 &&
        Math.abs(t.critical - 62.505) < 1e-3,
    );
    assert.equal(riskLevel(riskScore(0.01, 500)), 'low');
    assert.equal(riskLevel(riskScore(0.05, 10_000)), 'moderate');
    assert.equal(riskLevel(riskScore(0.2, 100_000)), 'high');
    assert.equal(riskLevel(riskScore(0.5, 1_000_000)), 'critical');
    assert.equal(
      riskLevel(riskScore(1, 0)),
      'high',
      'certain stockout of a part that grounds nothing is high, not critical',
    );
  });

  it('refuses NaN inputs', () => {
    assert.throws(() => riskScore(Number.NaN, 1), SupplyRiskError);
    assert.throws(() => riskScore(0.1, Number.NaN), SupplyRiskError);
    assert.throws(() => riskScore(1.2, 0), SupplyRiskError);
  });
});

describe('alert hysteresis', () => {
  const t = levelThresholds(); // moderate 15.5, high 35.05, critical 62.5

  it('raises only when crossing into a higher level by the margin', () => {
    assert.equal(decideAlert('P1', 'moderate', t.high + 1).fire, false, 'within the raise margin');
    assert.equal(decideAlert('P1', 'moderate', t.high + 1).level, 'moderate');
    const d = decideAlert('P1', 'moderate', t.high + 2.5);
    assert.deepEqual([d.level, d.fire, d.clear, d.dedupKey], ['high', true, false, 'P1:high']);
    const jump = decideAlert('P1', 'low', t.critical + 5);
    assert.deepEqual([jump.level, jump.fire], ['critical', true]);
  });

  it('stays put inside the band and clears only below the lower margin', () => {
    const wobble = decideAlert('P1', 'high', t.high - 2);
    assert.deepEqual([wobble.level, wobble.fire, wobble.clear], ['high', false, false]);
    const down = decideAlert('P1', 'high', t.high - 4);
    assert.deepEqual([down.level, down.fire, down.clear], ['moderate', false, true]);
    const downLow = decideAlert('P1', 'critical', 5);
    assert.deepEqual([downLow.level, downLow.clear], ['low', true]);
  });

  it('does not alert below the alert floor and deduplicates by (part, level)', () => {
    assert.equal(decideAlert('P1', 'low', t.moderate + 5).fire, false, 'moderate does not page by default');
    const open = new Set(['P1:high']);
    assert.equal(decideAlert('P1', 'moderate', t.high + 5, open).fire, false);
    assert.equal(decideAlert('P2', 'moderate', t.high + 5, open).fire, true);
  });
});
