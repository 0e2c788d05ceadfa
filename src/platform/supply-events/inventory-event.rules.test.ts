import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyInventoryEvent, parseInventoryEvent, type InventoryEvent, type StockState } from './inventory-event.rules.js';

const empty: StockState = { onHand: 0, reserved: 0, onOrder: 0, lastSeq: null, lastAt: null, snapshotSeq: null, snapshotAt: null };
const parse = (v: Record<string, unknown>): InventoryEvent => {
  const r = parseInventoryEvent({ partNumber: 'P', locationCode: 'L', occurredAt: '2026-11-21T10:00:00Z', ...v }, 'test');
  if (!r.ok) throw new Error(JSON.stringify(r.rejection));
  return r.event;
};
const run = (events: readonly InventoryEvent[], from: StockState = empty): StockState => events.reduce((s, e) => applyInventoryEvent(s, e).next, from);

/** Deterministic shuffle (xorshift) so a failure names its seed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const j = (x >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('inventory event rules', () => {
  it('deltas commute: any arrival order of movements that never run dry ends in the same position', () => {
    const events = [parse({ eventId: 's', kind: 'snapshot', onHand: 100, reserved: 50, onOrder: 20, sequence: 1 })];
    for (let i = 2; i < 40; i++) {
      const kind = ['receipt', 'issue', 'adjustment', 'reservation'][i % 4]!;
      events.push(parse({ eventId: `e${i}`, kind, quantity: kind === 'issue' ? 2 : kind === 'receipt' ? 3 : i % 3 === 0 ? -1 : 1, sequence: i }));
    }
    const expected = run(events);
    for (let seed = 1; seed <= 200; seed++) {
      const order = [events[0]!, ...shuffled(events.slice(1), seed)];
      const got = run(order);
      assert.deepEqual([got.onHand, got.reserved, got.onOrder], [expected.onHand, expected.reserved, expected.onOrder], `seed ${seed}`);
    }
  });

  it('a snapshot older than the newest applied event is stale; a delta older than the last snapshot is stale', () => {
    const snap5 = parse({ eventId: 'a', kind: 'snapshot', onHand: 10, sequence: 5 });
    const after = run([snap5, parse({ eventId: 'b', kind: 'issue', quantity: 1, sequence: 6 })]);
    assert.equal(applyInventoryEvent(after, parse({ eventId: 'c', kind: 'snapshot', onHand: 99, sequence: 4 })).outcome, 'stale');
    assert.equal(applyInventoryEvent(after, parse({ eventId: 'd', kind: 'receipt', quantity: 5, sequence: 5 })).outcome, 'stale');
    assert.equal(applyInventoryEvent(after, parse({ eventId: 'e', kind: 'receipt', quantity: 5, sequence: 3 })).outcome, 'stale');
    const late = applyInventoryEvent(after, parse({ eventId: 'f', kind: 'receipt', quantity: 5, sequence: 7 }));
    assert.deepEqual([late.outcome, late.next.onHand], ['applied', 14]);
  });

  it('never goes below zero; the shortfall is reported', () => {
    const t = applyInventoryEvent({ ...empty, onHand: 3 }, parse({ eventId: 'x', kind: 'issue', quantity: 5 }));
    assert.deepEqual([t.next.onHand, t.clamped], [0, 2]);
    const r = applyInventoryEvent({ ...empty, reserved: 1 }, parse({ eventId: 'y', kind: 'reservation', quantity: -4 }));
    assert.deepEqual([r.next.reserved, r.clamped], [0, 3]);
  });

  it('refuses an event that would overflow the stored quantity', () => {
    assert.equal(applyInventoryEvent({ ...empty, onHand: 1_999_999_999 }, parse({ eventId: 'o', kind: 'receipt', quantity: 10 })).outcome, 'overflow');
  });

  it('a receipt lowers on-order by what arrived, never below zero', () => {
    assert.equal(applyInventoryEvent({ ...empty, onOrder: 3 }, parse({ eventId: 'r', kind: 'receipt', quantity: 5 })).next.onOrder, 0);
  });

  it('parsing names the field and the rule', () => {
    const bad = (v: unknown) => {
      const r = parseInventoryEvent(v, 'test');
      return r.ok ? 'ok' : `${r.rejection.code}:${r.rejection.field}`;
    };
    const base = { eventId: 'e', partNumber: 'P', locationCode: 'L', kind: 'issue', quantity: 1, occurredAt: '2026-11-21T10:00:00+01:00' };
    assert.equal(bad(base), 'ok');
    assert.equal(bad({ ...base, occurredAt: '2026-02-30T10:00:00Z' }), 'INVALID_OCCURRED_AT:occurredAt');
    assert.equal(bad({ ...base, occurredAt: 'yesterday' }), 'INVALID_OCCURRED_AT:occurredAt');
    assert.equal(bad({ ...base, eventId: 'x'.repeat(201) }), 'INVALID_EVENT_ID:eventId');
    assert.equal(bad({ ...base, partNumber: '  ' }), 'INVALID_FIELD:partNumber');
    assert.equal(bad({ ...base, source: 'a\nb' }), 'INVALID_FIELD:source');
    assert.equal(bad({ ...base, kind: 'snapshot' }), 'UNEXPECTED_FIELD:quantity');
    assert.equal(bad({ ...base, onHand: 3 }), 'UNEXPECTED_FIELD:onHand');
    assert.equal(bad({ ...base, quantity: undefined }), 'MISSING_FIELD:quantity');
    assert.equal(bad({ ...base, sequence: 2 ** 53 }), 'INVALID_SEQUENCE:sequence');
    assert.equal(bad({ ...base, attributes: [] }), 'INVALID_FIELD:attributes');
    assert.equal(bad(JSON.parse('{"eventId":"e","partNumber":"P","locationCode":"L","kind":"issue","quantity":1,"occurredAt":"2026-11-21T10:00:00Z","__proto__":{"x":1}}')), 'UNKNOWN_FIELD:__proto__');
  });
});
