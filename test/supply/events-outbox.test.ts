// The outbox's commit notification (migration 0010): one NOTIFY per INSERT statement and tenant,
// however many rows the statement wrote, and none before the commit.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createTenant, type Tenant } from '../../src/platform/accounts/tenant-admin.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import { writeOutbox, STOCK_CHANGED, type OutboxEntry } from '../../src/platform/events/domain-events.js';

let db: TestDatabase;
let a: Tenant;
let listener: pg.Client;
const received: string[] = [];

before(async () => {
  db = await createTestDatabase();
  a = await createTenant(db.ownerPool, 'outbox-a', 'Outbox A');
  listener = new pg.Client({ connectionString: db.appUrl });
  await listener.connect();
  listener.on('notification', (n) => received.push(n.payload ?? ''));
  await listener.query('LISTEN skyguard_outbox');
});
after(async () => {
  await listener.end();
  await db.drop();
});

const settle = () => new Promise((r) => setTimeout(r, 200));

it('a statement of many rows notifies its tenant once, on commit', async () => {
  const entries: OutboxEntry[] = Array.from({ length: 50 }, (_, i) => ({ topic: STOCK_CHANGED, payload: { topic: STOCK_CHANGED, eventId: `e${i}` } }));
  await withTenant(db.appPool, { tenantId: a.id }, async (c) => {
    await writeOutbox(c, a.id, entries);
    await writeOutbox(c, a.id, entries.slice(0, 2));
    await settle();
    assert.deepEqual(received, [], 'nothing before the commit');
  });
  await settle();
  // PostgreSQL folds the two identical notifications of one transaction.
  assert.deepEqual(received, [a.id]);
  const { rows } = await withTenant(db.appPool, { tenantId: a.id }, (c) => c.query<{ n: number }>('SELECT count(*)::int AS n FROM domain_event_outbox'));
  assert.equal(rows[0]!.n, 52);
});
