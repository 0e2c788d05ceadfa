import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deterministicLeadTime, leadTimeFromPoints } from '../leadtime/lead-time-distribution.js';
import { eventDurationModels, EVENT_DELAY_PRIORS, RISK_EVENT_TYPES } from './event-duration-priors.js';
import {
  applyRiskEvents,
  matchDimensions,
  matchRiskEvents,
  prepareRiskEvents,
  validateRiskEvent,
  type RiskEvent,
  type SupplyNode,
} from './risk-events.js';
import { SupplyRiskError } from './supply-risk-error.js';

const node: SupplyNode = { supplierId: 'SUP-7', country: 'DE', region: 'EU', ports: ['DEHAM', 'NLRTM'] };
const now = '2025-03-01T00:00:00Z';
const base = deterministicLeadTime(30);
const models = eventDurationModels();
const ev = (over: Partial<RiskEvent>): RiskEvent => ({
  id: 'E1',
  type: 'strike',
  start: '2025-02-25T00:00:00Z',
  severity: 1,
  ...over,
});

describe('risk event matching', () => {
  it('matches by supplier, country, region and port, case-insensitively', () => {
    assert.deepEqual(matchDimensions(ev({ supplierIds: ['sup-7'] }), node), ['supplier']);
    assert.deepEqual(matchDimensions(ev({ countries: ['de'] }), node), ['country']);
    assert.deepEqual(matchDimensions(ev({ regions: ['EU'] }), node), ['region']);
    assert.deepEqual(matchDimensions(ev({ ports: ['nlrtm'] }), node), ['port']);
    assert.deepEqual(
      matchDimensions(
        ev({ countries: ['FR'], ports: ['FRLEH'], supplierIds: ['SUP-8'], regions: ['ASIA'] }),
        node,
      ),
      [],
    );
    assert.deepEqual(matchDimensions(ev({}), node), [], 'an event with no location matches nothing');
  });

  it('an active event elsewhere changes nothing; one touching the supplier lengthens the lead time', () => {
    const elsewhere = applyRiskEvents(base, [ev({ countries: ['JP'] })], node, now, models);
    assert.equal(elsewhere.matches.length, 0);
    assert.equal(elsewhere.leadTime.mean, base.mean);
    const here = applyRiskEvents(
      base,
      [ev({ countries: ['DE'], name: 'German rail strike' })],
      node,
      now,
      models,
    );
    assert.equal(here.matches.length, 1);
    assert.equal(here.matches[0]!.status, 'active');
    assert.equal(here.matches[0]!.name, 'German rail strike');
    assert.ok(here.leadTime.mean > base.mean + 5);
  });

  it('drops ended events and weights active ones by severity and probability', () => {
    assert.equal(
      matchRiskEvents([ev({ countries: ['DE'], actualEnd: '2025-02-28T00:00:00Z' })], node, now, base, models)
        .length,
      0,
    );
    const m = matchRiskEvents(
      [ev({ countries: ['DE'], severity: 0.5, probability: 0.8 })],
      node,
      now,
      base,
      models,
    );
    assert.ok(Math.abs(m[0]!.impactProbability - 0.4) < 1e-12);
  });

  it('announced events count with the chance the shipment is still in transit when they start', () => {
    const lt = leadTimeFromPoints([20, 40], [0.5, 0.5]);
    const soon = matchRiskEvents(
      [ev({ ports: ['DEHAM'], start: '2025-03-11T00:00:00Z' })],
      node,
      now,
      lt,
      models,
    );
    assert.equal(soon[0]!.status, 'announced');
    assert.equal(soon[0]!.impactProbability, 1, 'starts in 10 days: every shipment is still in transit');
    const mid = matchRiskEvents(
      [ev({ ports: ['DEHAM'], start: '2025-03-31T00:00:00Z' })],
      node,
      now,
      lt,
      models,
    );
    assert.equal(mid[0]!.impactProbability, 0.5, 'starts in 30 days: only the 40-day half is exposed');
    const late = matchRiskEvents(
      [ev({ ports: ['DEHAM'], start: '2025-06-01T00:00:00Z' })],
      node,
      now,
      lt,
      models,
    );
    assert.equal(late.length, 0, 'starts after every delivery');
  });

  it('an active event contributes its residual duration; expected end sets the scale', () => {
    const started = matchRiskEvents(
      [ev({ countries: ['DE'], start: '2025-02-01T00:00:00Z' })],
      node,
      now,
      base,
      models,
    )[0]!;
    const fresh = matchRiskEvents(
      [ev({ countries: ['DE'], start: '2025-03-01T00:00:00Z' })],
      node,
      now,
      base,
      models,
    )[0]!;
    assert.ok(Math.abs(fresh.delay.mean - EVENT_DELAY_PRIORS.strike.meanDays) < 1e-6);
    assert.notEqual(started.delay.mean, fresh.delay.mean);
    const announcedEnd = matchRiskEvents(
      [ev({ countries: ['DE'], start: '2025-03-01T00:00:00Z', expectedEnd: '2025-03-06T00:00:00Z' })],
      node,
      now,
      base,
      models,
    )[0]!;
    assert.ok(Math.abs(announcedEnd.delay.mean - 5) < 1e-6);
  });

  it('within one UTC day the time terms are fixed (same lead time, same digest), while start and end use the exact time', () => {
    const active = ev({ countries: ['DE'], start: '2025-02-20T12:00:00Z' });
    const announced = ev({ id: 'E2', countries: ['DE'], start: '2025-03-10T00:00:00Z' });
    const morning = applyRiskEvents(base, [active, announced], node, '2025-03-01T00:10:00Z', models);
    const evening = applyRiskEvents(base, [active, announced], node, '2025-03-01T23:50:00Z', models);
    assert.deepEqual(Array.from(evening.leadTime.days), Array.from(morning.leadTime.days));
    assert.deepEqual(Array.from(evening.leadTime.probs), Array.from(morning.leadTime.probs));
    assert.deepEqual(evening.matches.map((m) => m.impactProbability), morning.matches.map((m) => m.impactProbability));
    const nextDay = applyRiskEvents(base, [active, announced], node, '2025-03-02T00:10:00Z', models);
    assert.notDeepEqual(Array.from(nextDay.leadTime.probs), Array.from(morning.leadTime.probs), 'the terms move with the day');
    // Ended at 10:00: still counted at 09:59, gone at 10:01 the same day.
    const ending = ev({ countries: ['DE'], actualEnd: '2025-03-01T10:00:00Z' });
    assert.equal(matchRiskEvents([ending], node, '2025-03-01T09:59:00Z', base, models).length, 1);
    assert.equal(matchRiskEvents([ending], node, '2025-03-01T10:01:00Z', base, models).length, 0);
    // Starting at 15:00: announced at 14:59, active at 15:01 with its whole duration still ahead.
    const starting = ev({ countries: ['DE'], start: '2025-03-01T15:00:00Z' });
    assert.equal(matchRiskEvents([starting], node, '2025-03-01T14:59:00Z', base, models)[0]!.status, 'announced');
    const started = matchRiskEvents([starting], node, '2025-03-01T15:01:00Z', base, models)[0]!;
    assert.equal(started.status, 'active');
    assert.equal(started.delay.mean, models.strike.duration.mean);
  });

  it('prepared (indexed) events match exactly like raw events', () => {
    const events = [
      ev({ id: 'A', countries: ['DE'] }),
      ev({ id: 'B', ports: ['NLRTM'], regions: ['EU'] }),
      ev({ id: 'C', supplierIds: ['SUP-9'] }),
      ev({ id: 'D', type: 'weather', ports: ['DEHAM'], start: '2025-03-10T00:00:00Z' }),
    ];
    const prepared = prepareRiskEvents(events);
    const raw = matchRiskEvents(events, node, now, base, models);
    const fast = matchRiskEvents(prepared, node, now, base, models);
    assert.deepEqual(
      fast.map((m) => [m.eventId, m.matchedOn, m.impactProbability, m.delay.mean]),
      raw.map((m) => [m.eventId, m.matchedOn, m.impactProbability, m.delay.mean]),
    );
    assert.deepEqual(
      raw.map((m) => m.eventId),
      ['A', 'B', 'D'],
    );
    assert.deepEqual(raw[1]!.matchedOn, ['region', 'port']);
  });

  it('refuses end before start, bad severity and unknown types', () => {
    assert.throws(
      () => validateRiskEvent(ev({ expectedEnd: '2025-02-01T00:00:00Z' })),
      (e: unknown) => e instanceof SupplyRiskError && e.code === 'SUPPLY_RISK_INVALID_EVENT',
    );
    assert.throws(() => validateRiskEvent(ev({ actualEnd: '2025-02-01T00:00:00Z' })), SupplyRiskError);
    assert.throws(() => validateRiskEvent(ev({ severity: 1.5 })), SupplyRiskError);
    assert.throws(() => validateRiskEvent(ev({ severity: Number.NaN })), SupplyRiskError);
    assert.throws(() => validateRiskEvent(ev({ type: 'alien_invasion' as never })), SupplyRiskError);
    assert.throws(() => validateRiskEvent(ev({ start: 'soon' })), SupplyRiskError);
  });

  it('every event type has a documented prior with a source', () => {
    for (const t of RISK_EVENT_TYPES) {
      assert.ok(EVENT_DELAY_PRIORS[t].source.length > 20);
      assert.ok(models[t].duration.days.length <= 8);
    }
  });
});
