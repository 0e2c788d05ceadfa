// The JetStream inventory consumer against the machine's NATS (127.0.0.1:4222, or NATS_TEST_URL):
// applied once, duplicates and redeliveries harmless, out-of-order safe, malformed → dead letter,
// transient failure → nak and redelivery, and a consumer connection closed mid-stream loses nothing.
// Each run uses its own stream, subject and durable names; the server itself is never restarted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { eventually } from '../support/test-server.js';
import { createTenant, type Tenant } from '../../src/platform/accounts/tenant-admin.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import { PLATFORM_TENANT_ID } from '../../src/platform/audit/audit-event.js';
import { startNatsInventoryConsumer, type NatsInventoryConsumer } from '../../src/platform/events/nats-inventory.consumer.js';
import { DomainEventDispatcher, type StockChangedEvent } from '../../src/platform/events/domain-events.js';
import { startOutboxRelay, type OutboxRelay } from '../../src/platform/events/outbox.relay.js';
import { at, countRows, seedStockFixtures, stockOf } from './events-support.js';

const url = process.env.NATS_TEST_URL ?? 'nats://127.0.0.1:4222';
let nc: NatsConnection | undefined;
try {
  nc = await connect({ servers: url, timeout: 2000, maxReconnectAttempts: 0 });
} catch {
  nc = undefined;
}
const skip = nc ? false : `NATS JetStream not reachable at ${url}; skipped`;

const run = randomBytes(4).toString('hex');
const subject = `sgtest.${run}.inventory`;
const stream = `SGTEST_${run}`;
const durable = `sgtest-${run}`;
let db: TestDatabase;
let tenant: Tenant;
let consumer: NatsInventoryConsumer | undefined;
let relay: OutboxRelay;
const seen: StockChangedEvent[] = [];
const logs: string[] = [];

const start = (nakDelayMs = 200): Promise<NatsInventoryConsumer> =>
  startNatsInventoryConsumer({ nc: nc!, pool: db.appPool, subject, stream, durable, batchSize: 100, nakDelayMs, ackWaitMs: 5000, now: () => new Date(), log: (m) => void logs.push(m) });
const publish = async (events: readonly unknown[], slug = tenant.slug, conn = nc!): Promise<void> => {
  const js = conn.jetstream();
  for (const e of events) await js.publish(`${subject}.${slug}`, Buffer.from(typeof e === 'string' ? e : JSON.stringify(e)));
};
const ev = (eventId: string, kind: string, extra: Record<string, unknown>, part = 'N-1', loc = 'HAM') =>
  ({ eventId, partNumber: part, locationCode: loc, kind, occurredAt: at(0), ...extra });

describe('NATS JetStream inventory consumer', { skip }, () => {
  before(async () => {
    db = await createTestDatabase();
    tenant = await createTenant(db.ownerPool, `nats-${run}`, 'NATS test');
    await seedStockFixtures(db.appPool, tenant.id, ['N-1', 'N-2', 'N-3', 'N-4', 'N-5'], ['HAM'], 0);
    const dispatcher = new DomainEventDispatcher();
    dispatcher.subscribe('supply.stock_changed', 'test', async (events) => void seen.push(...events));
    relay = startOutboxRelay({ pool: db.appPool, listenUrl: db.appUrl, dispatcher, log: () => undefined, sweepMs: 500 });
    consumer = await start();
  });
  after(async () => {
    await consumer?.close();
    await relay?.close();
    await (await nc!.jetstreamManager()).streams.delete(stream).catch(() => undefined);
    await nc!.drain();
    await db?.drop();
  });

  test('published events are applied once, and each change reaches the domain-event subscribers', async () => {
    await publish(Array.from({ length: 200 }, (_, i) => ev(`once-${i}`, 'receipt', { quantity: 1 }, `N-${(i % 5) + 1}`)));
    await eventually(async () => (await stockOf(db.appPool, tenant.id, 'N-5', 'HAM'))?.onHand === 40, 20_000);
    for (let p = 1; p <= 5; p++) assert.equal((await stockOf(db.appPool, tenant.id, `N-${p}`, 'HAM'))!.onHand, 40);
    assert.equal(await countRows(db.appPool, tenant.id, 'inventory_events'), 200);
    await eventually(async () => new Set(seen.map((s) => s.eventId)).size === 200, 20_000);
    assert.ok(seen.every((s) => s.tenantId === tenant.id && s.after.onHand === s.before.onHand + 1 && s.channel === 'nats'));
  });

  test('duplicates and redeliveries do not apply twice', async () => {
    await publish(Array.from({ length: 50 }, (_, i) => ev(`once-${i}`, 'receipt', { quantity: 1 }, `N-${(i % 5) + 1}`)));
    await publish([ev('marker-1', 'receipt', { quantity: 1 }, 'N-1')]);
    await eventually(async () => (await stockOf(db.appPool, tenant.id, 'N-1', 'HAM'))?.onHand === 41, 20_000);
    for (let p = 2; p <= 5; p++) assert.equal((await stockOf(db.appPool, tenant.id, `N-${p}`, 'HAM'))!.onHand, 40);
    assert.equal(await countRows(db.appPool, tenant.id, 'inventory_events'), 201);
  });

  test('out-of-order events do not corrupt stock', async () => {
    // ERP order: snapshot 30 (seq 10), issue 5 (11), receipt 2 (12), snapshot 50 (13), issue 1 (14) → 49.
    const e = [ev('ooo-10', 'snapshot', { onHand: 30, sequence: 10 }, 'N-2'), ev('ooo-11', 'issue', { quantity: 5, sequence: 11 }, 'N-2'),
      ev('ooo-12', 'receipt', { quantity: 2, sequence: 12 }, 'N-2'), ev('ooo-13', 'snapshot', { onHand: 50, sequence: 13 }, 'N-2'),
      ev('ooo-14', 'issue', { quantity: 1, sequence: 14 }, 'N-2')];
    await publish([e[3], e[1], e[4], e[0], e[2]]);
    await eventually(async () => (await countRows(db.appPool, tenant.id, 'inventory_events')) === 206, 20_000);
    assert.equal((await stockOf(db.appPool, tenant.id, 'N-2', 'HAM'))!.onHand, 49);
  });

  test('malformed events and unknown tenants land in the dead-letter table and are acked', async () => {
    await publish(['{"eventId": "broken", ', ev('bad-kind', 'teleport', { quantity: 1 }), ev('bad-part', 'issue', { quantity: 1 }, 'NOPE'), '\u0000\u0001binary']);
    await publish([ev('lost-1', 'issue', { quantity: 1 })], 'no-such-tenant');
    await eventually(async () => (await countRows(db.appPool, tenant.id, 'inventory_event_dead_letters')) === 4, 20_000);
    const codes = await withTenant(db.appPool, { tenantId: tenant.id }, async (c) =>
      (await c.query<{ reason_code: string }>('SELECT reason_code FROM inventory_event_dead_letters ORDER BY reason_code')).rows.map((r) => r.reason_code));
    assert.deepEqual(codes, ['INVALID_KIND', 'MALFORMED_JSON', 'MALFORMED_JSON', 'UNKNOWN_PART']);
    await eventually(async () => withTenant(db.appPool, { tenantId: PLATFORM_TENANT_ID }, async (c) =>
      (await c.query("SELECT 1 FROM inventory_event_dead_letters WHERE reason_code = 'UNKNOWN_TENANT' AND channel = 'nats'")).rowCount === 1), 20_000);
    await eventually(async () => {
      const info = await (await nc!.jetstreamManager()).consumers.info(stream, durable);
      return info.num_ack_pending === 0 && info.num_pending === 0 && info.delivered.stream_seq === 261;
    }, 20_000);
  });

  test('a transient database failure naks the batch; the redelivery applies it', async () => {
    await db.ownerPool.query(`CREATE FUNCTION sg_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.event_id = 'flaky-1' THEN RAISE EXCEPTION 'simulated outage'; END IF; RETURN NEW; END $$`);
    await db.ownerPool.query('CREATE TRIGGER sg_test_fail BEFORE INSERT ON inventory_events FOR EACH ROW EXECUTE FUNCTION sg_test_fail()');
    await publish([ev('flaky-1', 'receipt', { quantity: 7 }, 'N-3')]);
    await eventually(async () => logs.some((l) => l.includes('redelivery requested')), 20_000);
    assert.equal((await stockOf(db.appPool, tenant.id, 'N-3', 'HAM'))!.onHand, 40, 'nothing applied while failing');
    await db.ownerPool.query('DROP TRIGGER sg_test_fail ON inventory_events');
    await eventually(async () => (await stockOf(db.appPool, tenant.id, 'N-3', 'HAM'))?.onHand === 47, 20_000);
  });

  test('closing the consumer connection mid-stream loses nothing and applies nothing twice', async () => {
    const before = (await stockOf(db.appPool, tenant.id, 'N-4', 'HAM'))!.onHand;
    const events = Array.from({ length: 1500 }, (_, i) => ev(`restart-${i}`, 'receipt', { quantity: 1 }, 'N-4'));
    const publisher = publish(events);
    // Stop while the stream is being consumed (some applied, some pulled but unacked, some not yet sent)…
    await eventually(async () => (await stockOf(db.appPool, tenant.id, 'N-4', 'HAM'))!.onHand > before + 100, 20_000);
    await consumer!.close();
    const conn2 = await connect({ servers: url });
    const stoppedAt = (await stockOf(db.appPool, tenant.id, 'N-4', 'HAM'))!.onHand;
    await publisher;
    // …then come back on a new connection with the same durable consumer.
    consumer = await startNatsInventoryConsumer({ nc: conn2, pool: db.appPool, subject, stream, durable, batchSize: 100, ackWaitMs: 5000, now: () => new Date(), log: () => undefined });
    await eventually(async () => (await stockOf(db.appPool, tenant.id, 'N-4', 'HAM'))!.onHand === before + 1500, 60_000);
    assert.ok(stoppedAt < before + 1500, 'the stop really happened mid-stream');
    const n = await withTenant(db.appPool, { tenantId: tenant.id }, async (c) => (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM inventory_events WHERE event_id LIKE 'restart-%'")).rows[0]!.n);
    assert.equal(n, 1500);
    await consumer.close();
    consumer = undefined;
    await conn2.drain();
  });
});
