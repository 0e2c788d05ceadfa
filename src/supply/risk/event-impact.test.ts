import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bernoulliDelay, deterministicLeadTime, leadTimeFromMeanSpread } from '../leadtime/lead-time-distribution.js';
import { eventDurationModels } from './event-duration-priors.js';
import { applyEventMatches, combinedActiveImpact } from './event-impact.js';
import { matchRiskEvents, prepareRiskEvents } from './risk-events.js';
import { ACTIVE_EVENTS as active, DAY, ev, hamburg, munich, NOW } from './risk-event.fixtures.js';

const models = eventDurationModels();

const announced = ev({ id: 'STORM', type: 'weather', ports: ['DEHAM'], start: NOW + 20 * DAY, severity: 0.9 });

describe('combined event impact', () => {
  it('two offers of the same supplier share one combined distribution of its active events', () => {
    const prepared = prepareRiskEvents([...active, announced]);
    const short = leadTimeFromMeanSpread(15, 3);
    const long = leadTimeFromMeanSpread(60, 15);
    const a = matchRiskEvents(prepared, hamburg, NOW, short, models);
    const b = matchRiskEvents(prepared, hamburg, NOW, long, models);
    assert.deepEqual(a.map((m) => m.eventId), ['RAIL', 'PORT', 'EXPORT', 'STORM']);
    const combined = combinedActiveImpact(a);
    assert.ok(combined !== undefined);
    assert.equal(combinedActiveImpact(b), combined, 'the same object, built once');
    // The announced storm's chance to overlap differs with the lead time, so it stays per offer.
    assert.notEqual(a[3]!.impactProbability, b[3]!.impactProbability);
  });

  it('the combined delay keeps the exact mean Σ qᵢ·E[Rᵢ], and adding it keeps the lead time mean exact', () => {
    const matches = matchRiskEvents(prepareRiskEvents(active), hamburg, NOW, deterministicLeadTime(30), models);
    assert.equal(matches.length, 3);
    const exactMean = matches.reduce((s, m) => s + m.impactProbability * m.delay.mean, 0);
    // Var(Σ Bᵢ·Rᵢ) for independent events: Σ qᵢ·E[Rᵢ²] − (qᵢ·E[Rᵢ])².
    const exactVariance = matches.reduce((s, m) => {
      const q = m.impactProbability;
      return s + q * (m.delay.variance + m.delay.mean ** 2) - (q * m.delay.mean) ** 2;
    }, 0);
    const combined = combinedActiveImpact(matches)!;
    assert.ok(Math.abs(combined.mean - exactMean) < 1e-9 * exactMean);
    // Reducing to 16 points merges neighbours, which can only lose spread; it keeps most of it.
    assert.ok(combined.variance <= exactVariance * (1 + 1e-9) && combined.variance > 0.9 * exactVariance, `${combined.variance} vs ${exactVariance}`);
    const base = leadTimeFromMeanSpread(45, 10);
    assert.ok(Math.abs(applyEventMatches(base, matches).mean - (base.mean + exactMean)) < 1e-9 * base.mean);
  });

  it('suppliers with the same active events share the combined distribution; a supplier-only event splits it', () => {
    const shared = prepareRiskEvents([active[0]!, active[2]!]);
    const lt = deterministicLeadTime(30);
    const h = combinedActiveImpact(matchRiskEvents(shared, hamburg, NOW, lt, models));
    assert.equal(combinedActiveImpact(matchRiskEvents(shared, munich, NOW, lt, models)), h);
    const withFailure = prepareRiskEvents([active[0]!, active[2]!, ev({ id: 'FIRE', type: 'supplier_failure', supplierIds: ['SUP-8'] })]);
    const m = combinedActiveImpact(matchRiskEvents(withFailure, munich, NOW, lt, models))!;
    assert.ok(m.mean > h!.mean);
  });

  it('a single active event is its Bernoulli delay; announced events alone leave no combined part', () => {
    const matches = matchRiskEvents(prepareRiskEvents([active[0]!, announced]), hamburg, NOW, deterministicLeadTime(30), models);
    const rail = matches[0]!;
    assert.deepEqual(combinedActiveImpact([rail]), bernoulliDelay(rail.impactProbability, rail.delay));
    assert.equal(combinedActiveImpact([matches[1]!]), undefined);
    assert.equal(applyEventMatches(deterministicLeadTime(30), []).mean, 30);
  });
});
