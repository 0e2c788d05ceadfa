// POST /v1/events/inventory against the real server and PostgreSQL: apply, idempotency, ordering,
// dead letters, bad input, permissions and tenant isolation of the event tables.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { login, startTestServer, type TestServer } from '../support/test-server.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import type { Tenant } from '../../src/platform/accounts/tenant-admin.js';
import { at, countRows, seedStockFixtures, stockOf } from './events-support.js';

let ts: TestServer;
let cookie: string;
let demoId: string;
let other: Tenant;
let otherCookie: string;

before(async () => {
  ts = await startTestServer();
  cookie = await login(ts.baseUrl, ts.demo.tenant, ts.demo.email, ts.demo.password);
  demoId = (await ts.db.ownerPool.query<{ id: string }>("SELECT id FROM tenants WHERE slug = 'demo'")).rows[0]!.id;
  await seedStockFixtures(ts.db.appPool, demoId, ['P-1', 'P-2', 'P-3', 'P-4'], ['HAM', 'FRA'], 10);
  other = await ts.createTenant('other-mro');
  await seedStockFixtures(ts.db.appPool, other.id, ['P-1'], ['HAM'], 99);
  const u = await ts.createUser(['admin'], 'other-mro');
  otherCookie = await login(ts.baseUrl, 'other-mro', u.email, u.password);
});
after(() => ts.close());

interface Reply {
  status: number;
  body: { summary: Record<string, number>; results: { eventId: string | null; outcome: string; code?: string; field?: string; stock?: Record<string, number>; clamped?: number }[]; code?: string };
}
async function post(events: unknown, c = cookie, raw?: string): Promise<Reply> {
  const res = await fetch(`${ts.baseUrl}/v1/events/inventory`, { method: 'POST', headers: { cookie: c, 'content-type': 'application/json' }, body: raw ?? JSON.stringify({ events }) });
  return { status: res.status, body: (await res.json()) as Reply['body'] };
}
const ev = (eventId: string, kind: string, extra: Record<string, unknown>, part = 'P-1', loc = 'HAM') =>
  ({ eventId, partNumber: part, locationCode: loc, kind, occurredAt: at(0), ...extra });

describe('applying events', () => {
  test('receipt, issue, reservation and snapshot move stock; each change leaves an outbox row', async () => {
    const r = await post([
      ev('a-1', 'receipt', { quantity: 5, sequence: 1 }),
      ev('a-2', 'issue', { quantity: 3, sequence: 2 }),
      ev('a-3', 'reservation', { quantity: 2, sequence: 3 }),
      ev('a-4', 'adjustment', { quantity: -1, sequence: 4 }),
    ]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.summary, { applied: 4, stale: 0, duplicate: 0, rejected: 0 });
    assert.deepEqual(await stockOf(ts.db.appPool, demoId, 'P-1', 'HAM'), { onHand: 11, reserved: 2, onOrder: 0 });
    const outbox = await withTenant(ts.db.appPool, { tenantId: demoId }, (db) =>
      db.query<{ payload: { eventId: string; before: { onHand: number }; after: { onHand: number } } }>("SELECT payload FROM domain_event_outbox WHERE topic = 'supply.stock_changed' ORDER BY id"));
    assert.deepEqual(outbox.rows.map((o) => [o.payload.eventId, o.payload.before.onHand, o.payload.after.onHand]), [['a-1', 10, 15], ['a-2', 15, 12], ['a-3', 12, 12], ['a-4', 12, 11]]);
  });

  test('the same events again change nothing (duplicates), in another batch or the same one', async () => {
    const before = await countRows(ts.db.appPool, demoId, 'domain_event_outbox');
    const r = await post([ev('a-1', 'receipt', { quantity: 5, sequence: 1 }), ev('a-2', 'issue', { quantity: 3, sequence: 2 }), ev('b-1', 'receipt', { quantity: 1, sequence: 5 }), ev('b-1', 'receipt', { quantity: 1, sequence: 5 })]);
    assert.deepEqual(r.body.results.map((x) => x.outcome), ['duplicate', 'duplicate', 'applied', 'duplicate']);
    assert.deepEqual(await stockOf(ts.db.appPool, demoId, 'P-1', 'HAM'), { onHand: 12, reserved: 2, onOrder: 0 });
    assert.equal(await countRows(ts.db.appPool, demoId, 'domain_event_outbox'), before + 1);
  });

  test('an event id reused with other content is a conflict and is dead-lettered', async () => {
    const r = await post([ev('a-1', 'receipt', { quantity: 500, sequence: 1 })]);
    assert.equal(r.body.results[0]!.code, 'EVENT_ID_CONFLICT');
    assert.deepEqual(await stockOf(ts.db.appPool, demoId, 'P-1', 'HAM'), { onHand: 12, reserved: 2, onOrder: 0 });
  });

  test('out of order: a stale snapshot does not regress stock; deltas older than the last snapshot are not counted twice', async () => {
    // In ERP order: seq 1 snapshot 20, seq 2 issue 4, seq 3 receipt 6, seq 4 snapshot 25, seq 5 issue 1 → 24.
    const inOrder = [
      ev('o-1', 'snapshot', { onHand: 20, sequence: 1 }, 'P-2'), ev('o-2', 'issue', { quantity: 4, sequence: 2 }, 'P-2'),
      ev('o-3', 'receipt', { quantity: 6, sequence: 3 }, 'P-2'), ev('o-4', 'snapshot', { onHand: 25, sequence: 4 }, 'P-2'),
      ev('o-5', 'issue', { quantity: 1, sequence: 5 }, 'P-2'),
    ];
    const shuffled = [inOrder[3], inOrder[4], inOrder[0], inOrder[2], inOrder[1]];
    const r = await post(shuffled);
    assert.deepEqual(r.body.results.map((x) => x.outcome), ['applied', 'applied', 'stale', 'stale', 'stale']);
    assert.deepEqual(await stockOf(ts.db.appPool, demoId, 'P-2', 'HAM'), { onHand: 24, reserved: 0, onOrder: 0 });
    // Without sequences the timestamps decide.
    const timed = [ev('t-2', 'snapshot', { onHand: 7, occurredAt: at(30) }, 'P-3'), ev('t-1', 'snapshot', { onHand: 99, occurredAt: at(10) }, 'P-3'), ev('t-3', 'issue', { quantity: 2, occurredAt: at(40) }, 'P-3')];
    assert.deepEqual((await post(timed)).body.results.map((x) => x.outcome), ['applied', 'stale', 'applied']);
    assert.deepEqual(await stockOf(ts.db.appPool, demoId, 'P-3', 'HAM'), { onHand: 5, reserved: 0, onOrder: 0 });
  });

  test('an issue larger than the stock stops at zero and reports what it could not take', async () => {
    const r = await post([ev('c-1', 'issue', { quantity: 15 }, 'P-4', 'FRA')]);
    assert.equal(r.body.results[0]!.clamped, 5);
    assert.deepEqual(await stockOf(ts.db.appPool, demoId, 'P-4', 'FRA'), { onHand: 0, reserved: 0, onOrder: 0 });
  });

  test('a first event for a known part at a known location creates the stock row', async () => {
    await withTenant(ts.db.appPool, { tenantId: demoId }, (db) => db.query("INSERT INTO locations (tenant_id, code, name) VALUES ($1, 'NEW', 'new store')", [demoId]));
    const r = await post([ev('n-1', 'receipt', { quantity: 3 }, 'P-1', 'NEW')]);
    assert.equal(r.body.results[0]!.outcome, 'applied');
    assert.deepEqual(await stockOf(ts.db.appPool, demoId, 'P-1', 'NEW'), { onHand: 3, reserved: 0, onOrder: 0 });
  });
});

describe('invalid events are dead-lettered with their reason; the valid rest is applied', () => {
  const cases: [string, unknown, string, string | null][] = [
    ['unknown part', ev('d-1', 'receipt', { quantity: 1 }, 'NOPE'), 'UNKNOWN_PART', 'partNumber'],
    ['unknown location', ev('d-2', 'receipt', { quantity: 1 }, 'P-1', 'NOWHERE'), 'UNKNOWN_LOCATION', 'locationCode'],
    ['bad kind', ev('d-3', 'teleport', { quantity: 1 }), 'INVALID_KIND', 'kind'],
    ['zero quantity', ev('d-4', 'adjustment', { quantity: 0 }), 'INVALID_QUANTITY', 'quantity'],
    ['negative receipt', ev('d-5', 'receipt', { quantity: -3 }), 'INVALID_QUANTITY', 'quantity'],
    ['fractional quantity', ev('d-6', 'issue', { quantity: 1.5 }), 'INVALID_QUANTITY', 'quantity'],
    ['quantity as string', ev('d-7', 'issue', { quantity: '2' }), 'INVALID_QUANTITY', 'quantity'],
    ['snapshot without onHand', ev('d-8', 'snapshot', {}), 'MISSING_FIELD', 'onHand'],
    ['local time without zone', ev('d-9', 'issue', { quantity: 1, occurredAt: '2026-11-21 10:00' }), 'INVALID_OCCURRED_AT', 'occurredAt'],
    ['negative sequence', ev('d-10', 'issue', { quantity: 1, sequence: -1 }), 'INVALID_SEQUENCE', 'sequence'],
    ['unknown field', ev('d-11', 'issue', { quantity: 1, warehouse: 'x' }), 'UNKNOWN_FIELD', 'warehouse'],
    ['no event id', { partNumber: 'P-1', locationCode: 'HAM', kind: 'issue', quantity: 1, occurredAt: at(0) }, 'INVALID_EVENT_ID', 'eventId'],
    ['control characters in the id', ev('d-\u0000\u001b[2J', 'issue', { quantity: 1 }), 'INVALID_EVENT_ID', 'eventId'],
    ['SQL in a part number', ev('d-12', 'issue', { quantity: 1 }, "P-1'; DROP TABLE parts; --"), 'UNKNOWN_PART', 'partNumber'],
    ['huge part number', ev('d-13', 'issue', { quantity: 1 }, 'P'.repeat(10_000)), 'INVALID_FIELD', 'partNumber'],
    ['not an object', [1, 2, 3], 'EVENT_NOT_OBJECT', null],
    ['null', null, 'EVENT_NOT_OBJECT', null],
    ['overflowing quantity', ev('d-14', 'receipt', { quantity: 2 ** 40 }), 'INVALID_QUANTITY', 'quantity'],
  ];
  test('each rule, in one batch with a valid event', async () => {
    const before = await stockOf(ts.db.appPool, demoId, 'P-1', 'FRA');
    const r = await post([...cases.map((c) => c[1]), ev('d-ok', 'receipt', { quantity: 1 }, 'P-1', 'FRA')]);
    assert.equal(r.status, 200);
    cases.forEach(([name, , code, field], i) => {
      assert.equal(r.body.results[i]!.outcome, 'rejected', name);
      assert.equal(r.body.results[i]!.code, code, name);
      assert.equal(r.body.results[i]!.field ?? null, field, name);
    });
    assert.equal(r.body.results.at(-1)!.outcome, 'applied');
    assert.equal((await stockOf(ts.db.appPool, demoId, 'P-1', 'FRA'))!.onHand, before!.onHand + 1);
    assert.equal(await ts.db.ownerPool.query('SELECT 1 FROM parts LIMIT 1').then((x) => x.rowCount), 1, 'parts table still there');
  });

  test('dead letters keep the raw payload; a resend counts as another occurrence, not another row', async () => {
    const bad = ev('dl-1', 'receipt', { quantity: 1 }, 'NOPE-2');
    await post([bad]);
    await post([bad]);
    const res = await fetch(`${ts.baseUrl}/v1/events/inventory/dead-letters?limit=100`, { headers: { cookie } });
    const list = (await res.json()) as { items: { eventId: string; reasonCode: string; payload: string; occurrences: number }[] };
    const mine = list.items.filter((d) => d.eventId === 'dl-1');
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.occurrences, 2);
    assert.deepEqual(JSON.parse(mine[0]!.payload), bad);
    const hostile = await fetch(`${ts.baseUrl}/v1/events/inventory/dead-letters?cursor=${Buffer.from(JSON.stringify({ v: 'x', id: "1' OR 1=1" })).toString('base64url')}`, { headers: { cookie } });
    assert.equal(hostile.status, 400);
  });
});

describe('bad requests are refused whole with problem+json', () => {
  const cases: [string, string, number][] = [
    ['malformed JSON', '{"events": [ {"eventId": ', 400],
    ['events not an array', JSON.stringify({ events: { eventId: 'x' } }), 400],
    ['empty batch', JSON.stringify({ events: [] }), 400],
    ['oversized batch', JSON.stringify({ events: Array.from({ length: 1001 }, (_, i) => ev(`big-${i}`, 'issue', { quantity: 1 })) }), 400],
    ['unknown top-level field', JSON.stringify({ events: [ev('x-1', 'issue', { quantity: 1 })], tenant: 'other-mro' }), 400],
    ['body over the size limit', JSON.stringify({ events: [ev('x-2', 'issue', { quantity: 1, attributes: { pad: 'x'.repeat(2_000_000) } })] }), 413],
  ];
  for (const [name, body, status] of cases) {
    test(name, async () => {
      const before = await countRows(ts.db.appPool, demoId, 'inventory_events');
      const res = await fetch(`${ts.baseUrl}/v1/events/inventory`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body });
      assert.equal(res.status, status);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.ok(!/at .*\.(ts|js):\d+|SELECT|INSERT/.test(await res.text()));
      assert.equal(await countRows(ts.db.appPool, demoId, 'inventory_events'), before);
    });
  }

  test('needs supply:write (an operator only reads supply)', async () => {
    const u = await ts.createUser(['operator']);
    const r = await post([ev('perm-1', 'issue', { quantity: 1 })], await login(ts.baseUrl, ts.demo.tenant, u.email, u.password));
    assert.equal(r.status, 403);
  });
});

describe('tenant isolation', () => {
  test("one tenant's events never touch, and never see, another's", async () => {
    const r = await post([ev('iso-1', 'issue', { quantity: 1 }, 'P-2')], otherCookie);
    assert.equal(r.body.results[0]!.code, 'UNKNOWN_PART', 'P-2 exists only in the demo tenant');
    const same = await post([ev('a-1', 'receipt', { quantity: 5, sequence: 1 })], otherCookie);
    assert.equal(same.body.results[0]!.outcome, 'applied', 'event ids are per tenant');
    assert.deepEqual(await stockOf(ts.db.appPool, other.id, 'P-1', 'HAM'), { onHand: 104, reserved: 0, onOrder: 0 });
    for (const table of ['inventory_events', 'inventory_event_dead_letters', 'domain_event_outbox'] as const) {
      const seen = await withTenant(ts.db.appPool, { tenantId: other.id }, (db) => db.query<{ tenant_id: string }>(`SELECT tenant_id FROM ${table}`));
      assert.ok(seen.rows.length > 0 && seen.rows.every((x) => x.tenant_id === other.id), table);
    }
    // A complete, valid row for another tenant is refused by the policy alone.
    await assert.rejects(
      withTenant(ts.db.appPool, { tenantId: other.id }, (db) => db.query("INSERT INTO domain_event_outbox (tenant_id, topic, payload) VALUES ($1, 'supply.stock_changed', '{}')", [demoId])),
      /row-level security/);
    const list = (await (await fetch(`${ts.baseUrl}/v1/events/inventory/dead-letters`, { headers: { cookie: otherCookie } })).json()) as { items: { eventId: string }[] };
    assert.deepEqual(list.items.map((d) => d.eventId), ['iso-1']);
  });
});
