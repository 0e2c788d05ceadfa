// The real-time path end to end, through the real server with its in-process job runner:
// inventory events via the API → outbox → relay → coalesced re-score job → alert in the alerts
// API (and on NATS when configured), exactly once even when the outbox delivers the change again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection, type Subscription } from 'nats';
import { eventually, login, startTestServer, type TestServer } from '../support/test-server.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import type { Tenant } from '../../src/platform/accounts/tenant-admin.js';
import { seedRiskDataset } from './risk-support.js';

const natsUrl = process.env.NATS_TEST_URL ?? 'nats://127.0.0.1:4222';
let probe: NatsConnection | undefined;
try {
  probe = await connect({ servers: natsUrl, timeout: 2000, maxReconnectAttempts: 0 });
} catch {
  probe = undefined;
}
const run = randomBytes(4).toString('hex');
const eventsSubject = `sgrisk.${run}.events`;

let ts: TestServer;
let tenant: Tenant;
let cookie: string;
let sub: Subscription | undefined;
const natsAlerts: { level: string; partId: string }[] = [];

async function call(path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${ts.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { cookie, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, body: await res.json() };
}
const q = <T extends object>(sql: string, params: unknown[] = []) =>
  withTenant(ts.db.appPool, { tenantId: tenant.id }, async (c) => (await c.query<T>(sql, params)).rows);

before(async () => {
  const env: Record<string, string> = probe
    ? { NATS_URL: natsUrl, NATS_EVENTS_SUBJECT: eventsSubject, NATS_INVENTORY_SUBJECT: `sgrisk.${run}.inventory`, NATS_INVENTORY_STREAM: `SGRISK_${run}`, NATS_INVENTORY_DURABLE: `sgrisk-${run}` }
    : {};
  if (probe) {
    sub = probe.subscribe(`${eventsSubject}.supply.risk_alert.>`);
    void (async () => {
      for await (const m of sub) natsAlerts.push(JSON.parse(new TextDecoder().decode(m.data)) as { level: string; partId: string });
    })();
  }
  ts = await startTestServer({ jobs: true, env });
  tenant = await ts.createTenant('risk-rt');
  await seedRiskDataset(ts.db.appPool, tenant.id);
  const u = await ts.createUser(['admin'], 'risk-rt');
  cookie = await login(ts.baseUrl, 'risk-rt', u.email, u.password);
  // The baseline: a full re-score through the API and the job runner.
  assert.equal((await call('/v1/supply/risk/rescore', { method: 'POST' })).status, 202);
  await eventually(async () => (await call('/v1/supply/risk/summary')).body.total.items === 4, 60_000);
});
after(async () => {
  await ts.close();
  if (probe) {
    await (await probe.jetstreamManager()).streams.delete(`SGRISK_${run}`).catch(() => undefined);
    await probe.drain();
  }
});

describe('event to alert', () => {
  test('an issue that empties a No-Go part raises one critical alert, visible in the alerts API', async () => {
    const r = await call('/v1/events/inventory', {
      method: 'POST',
      body: { events: [
        { eventId: 'rt-1', partNumber: 'P-NOGO', locationCode: 'STORE1', kind: 'issue', quantity: 6, occurredAt: new Date().toISOString() },
        { eventId: 'rt-2', partNumber: 'P-NOGO', locationCode: 'STORE1', kind: 'reservation', quantity: 1, occurredAt: new Date().toISOString() },
        { eventId: 'rt-3', partNumber: 'P-US2', locationCode: 'STORE1', kind: 'receipt', quantity: 1, occurredAt: new Date().toISOString() },
      ] },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.summary.applied, 3);
    const alert = await eventually(async () => {
      const a = await call('/v1/supply/alerts?status=open');
      return a.body.items.length > 0 ? a.body.items[0] : undefined;
    }, 60_000);
    assert.equal(alert.partNumber, 'P-NOGO');
    assert.equal(alert.level, 'critical');
    assert.equal(alert.trigger, 'stock_changed');
    assert.match(alert.triggerRef, /^outbox:\d+/);
    const item = (await call('/v1/supply/risk/items?level=critical')).body.items;
    assert.deepEqual(item.map((i: { partNumber: string }) => i.partNumber), ['P-NOGO']);
    const runs = await q<{ items: number }>(`SELECT items FROM risk_runs WHERE kind = 'stock_changed'`);
    assert.ok(runs.length >= 1 && runs.every((x) => x.items <= 2), 'only the changed items were re-scored');
  });

  test('redelivery of the same stock changes raises nothing new', async () => {
    const runsBefore = (await q<{ n: number }>(`SELECT count(*)::int AS n FROM risk_runs WHERE kind = 'stock_changed'`))[0]!.n;
    await q(`UPDATE domain_event_outbox SET published_at = NULL WHERE topic = 'supply.stock_changed'`);
    await ts.server.outbox.drainAll();
    await eventually(async () => (await q<{ n: number }>(`SELECT count(*)::int AS n FROM risk_runs WHERE kind = 'stock_changed'`))[0]!.n > runsBefore, 60_000);
    await eventually(async () => (await ts.db.ownerPool.query(`SELECT 1 FROM graphile_worker.jobs WHERE task_identifier = 'supply_risk_items'`)).rowCount === 0, 60_000);
    const alerts = (await call('/v1/supply/alerts')).body.items;
    assert.equal(alerts.length, 1);
    assert.equal((await q<{ n: number }>(`SELECT count(*)::int AS n FROM domain_event_outbox WHERE topic = 'supply.risk_alert'`))[0]!.n, 1);
  });

  test('the alert is published to NATS once', { skip: probe ? false : `NATS not reachable at ${natsUrl}` }, async () => {
    await eventually(async () => natsAlerts.length >= 1, 30_000);
    assert.equal(natsAlerts.length, 1);
    assert.equal(natsAlerts[0]!.level, 'critical');
  });
});
