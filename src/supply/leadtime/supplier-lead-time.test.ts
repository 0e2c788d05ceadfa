import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_RELIABILITY_PRIOR,
  estimateSupplierReliability,
  offerLeadTime,
  supplierLeadTime,
  type DeliveryRecord,
} from './supplier-lead-time.js';
import { SupplyRiskError } from '../risk/supply-risk-error.js';

const day = (n: number): string => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString();
const deliveries = (onTime: number, late: number, lateBy = 12): DeliveryRecord[] => [
  ...Array.from({ length: onTime }, (_, i) => ({ promised: day(i * 3), actual: day(i * 3 - (i % 2)) })),
  ...Array.from({ length: late }, (_, i) => ({ promised: day(i * 3), actual: day(i * 3 + lateBy) })),
];

describe('supplier reliability', () => {
  const priorMean =
    DEFAULT_RELIABILITY_PRIOR.onTimeAlpha /
    (DEFAULT_RELIABILITY_PRIOR.onTimeAlpha + DEFAULT_RELIABILITY_PRIOR.onTimeBeta);

  it('with no history equals the prior', () => {
    const r = estimateSupplierReliability([]);
    assert.equal(r.onTimeProbability, priorMean);
    assert.equal(r.deliveries, 0);
  });

  it('shrinks a short history toward the prior and lets a long one speak', () => {
    const short = estimateSupplierReliability(deliveries(0, 2));
    const long = estimateSupplierReliability(deliveries(0, 200));
    assert.ok(Math.abs(short.onTimeProbability - 8.5 / 12) < 1e-12);
    assert.ok(short.onTimeProbability > 0.6, 'two late deliveries do not condemn a supplier');
    assert.ok(long.onTimeProbability < 0.05);
    // Late-delay shrinkage: 200 observations of 12 days dominate the 10-day prior.
    assert.ok(Math.abs(long.lateDelay.mean - 12) < 0.2, `late mean ${long.lateDelay.mean}`);
  });

  it('counts early deliveries as on time and honours the grace period', () => {
    const r = estimateSupplierReliability(
      [
        { promised: day(10), actual: day(5) },
        { promised: day(10), actual: day(11) },
      ],
      { ...DEFAULT_RELIABILITY_PRIOR, graceDays: 1 },
    );
    assert.equal(r.onTimeDeliveries, 2);
  });

  it('a less reliable supplier has a longer lead time', () => {
    const offer = { meanDays: 30, sdDays: 5 };
    const good = supplierLeadTime(offer, estimateSupplierReliability(deliveries(50, 2)));
    const bad = supplierLeadTime(offer, estimateSupplierReliability(deliveries(10, 40)));
    assert.ok(bad.mean > good.mean + 5, `${bad.mean} vs ${good.mean}`);
    assert.ok(good.mean > offerLeadTime(offer).mean);
  });

  it('refuses invalid dates', () => {
    assert.throws(
      () => estimateSupplierReliability([{ promised: 'not a date', actual: day(1) }]),
      (e: unknown) => e instanceof SupplyRiskError && e.code === 'SUPPLY_RISK_INVALID_DATE',
    );
  });
});
