// Real-time re-scoring plumbing against PostgreSQL and graphile-worker's tables: stock changes
// delivered by the dispatcher become ONE coalesced items job per tenant; redelivery raises no
// second alert; risk events re-score the suppliers they touch (and release the ones they left).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createTenant, type Tenant } from '../../src/platform/accounts/tenant-admin.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import { createJobQueue, type JobQueue } from '../../src/platform/jobs/job-queue.js';
import { DomainEventDispatcher, type StockChangedEvent } from '../../src/platform/events/domain-events.js';
import { enqueueSuppliersRescore, itemsJobKey, rescoreAfterImport, subscribeRiskRescoring, suppliersJobKey } from '../../src/platform/supply-risk/risk-rescore.subscriber.js';
import { ITEMS_PER_RUN, supplyRiskJobs } from '../../src/platform/supply-risk/risk-jobs.js';
import { randomUUID } from 'node:crypto';
import { idOf, RISK_NOW, seedRiskDataset } from './risk-support.js';

describe('re-scoring on domain events', () => {
  let db: TestDatabase;
  let a: Tenant;
  let jobs: JobQueue;
  const dispatcher = new DomainEventDispatcher();
  const ids: Record<string, string> = {};
  const q = <T extends object>(sql: string, params: unknown[] = []) =>
    withTenant(db.appPool, { tenantId: a.id }, async (c) => (await c.query<T>(sql, params)).rows);
  const tasks = () => supplyRiskJobs({ appPool: db.appPool, now: () => RISK_NOW, log: () => undefined }).tasks as Record<string, (p: unknown, h: unknown) => Promise<void>>;
  /** Takes the pending job with `key` off the queue (as a worker would) and returns its payload. */
  const take = async (key: string): Promise<unknown> => {
    const { rows } = await db.ownerPool.query<{ payload: unknown }>('SELECT payload FROM graphile_worker._private_jobs WHERE key = $1', [key]);
    await db.ownerPool.query('SELECT graphile_worker.remove_job($1)', [key]);
    return rows[0]?.payload;
  };
  let outboxId = 0;
  const stockChanged = (part: string, loc: string): StockChangedEvent => ({
    topic: 'supply.stock_changed', outboxId: ++outboxId, tenantId: a.id, eventId: `e-${outboxId}`, kind: 'issue', partId: part, partNumber: 'x',
    locationId: loc, locationCode: 'x', before: { onHand: 6, reserved: 0, onOrder: 0 }, after: { onHand: 0, reserved: 1, onOrder: 0 },
    occurredAt: RISK_NOW.toISOString(), appliedAt: RISK_NOW.toISOString(), source: 'test', channel: 'api',
  });

  before(async () => {
    db = await createTestDatabase();
    a = await createTenant(db.ownerPool, 'rt-a', 'RT A');
    await seedRiskDataset(db.appPool, a.id);
    for (const pn of ['P-NOGO', 'P-FR', 'P-US']) ids[pn] = await idOf(db.appPool, a.id, 'parts', pn);
    ids.STORE1 = await idOf(db.appPool, a.id, 'locations', 'STORE1');
    ids['SUP-FR'] = await idOf(db.appPool, a.id, 'suppliers', 'SUP-FR');
    jobs = createJobQueue(db.ownerPool);
    subscribeRiskRescoring(dispatcher, jobs);
    await tasks().supply_risk_full!({ tenantId: a.id }, {});
  });
  after(async () => {
    await jobs.close();
    await db.drop();
  });

  it('a burst of stock changes becomes one pending job holding each changed item once', async () => {
    await dispatcher.dispatch([stockChanged(ids['P-NOGO']!, ids.STORE1!), stockChanged(ids['P-NOGO']!, ids.STORE1!)]);
    await dispatcher.dispatch([stockChanged(ids['P-FR']!, ids.STORE1!)]);
    const pending = await db.ownerPool.query<{ n: number }>(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'supply_risk_items'`);
    assert.equal(pending.rows[0]!.n, 1);
    const payload = (await take(itemsJobKey(a.id))) as { tenantId: string; partIds: string[]; ref: string }[];
    assert.equal(payload.length, 2, 'two relay batches, merged into one job');
    assert.deepEqual(payload[0]!.partIds, [ids['P-NOGO']], 'duplicates within a batch collapse');
    assert.equal(payload[1]!.ref, 'outbox:3');
    await q('UPDATE stock_levels SET on_hand = 0, reserved = 1 WHERE part_id = $1', [ids['P-NOGO']]);
    await tasks().supply_risk_items!(payload, {});
    const runs = await q<{ kind: string; items: number; trigger_ref: string }>(`SELECT kind, items, trigger_ref FROM risk_runs WHERE kind = 'stock_changed'`);
    assert.deepEqual(runs, [{ kind: 'stock_changed', items: 2, trigger_ref: 'outbox:2..outbox:3 (2)' }]);
    assert.deepEqual(await q(`SELECT level, status FROM risk_alerts`), [{ level: 'critical', status: 'open' }]);
  });

  it('redelivery of the same events queues the items again but raises no second alert', async () => {
    await dispatcher.dispatch([stockChanged(ids['P-NOGO']!, ids.STORE1!)]);
    await tasks().supply_risk_items!(await take(itemsJobKey(a.id)), {});
    assert.equal((await q(`SELECT 1 FROM risk_alerts`)).length, 1);
    assert.equal((await q<{ n: number }>(`SELECT count(*)::int AS n FROM domain_event_outbox WHERE topic = 'supply.risk_alert'`))[0]!.n, 1);
  });

  it('a new risk event re-scores the suppliers it touches; ending it releases them', async () => {
    const [ev] = await q<{ id: string }>(`INSERT INTO risk_events (tenant_id, type, title, ports, starts_at, severity, source, source_id)
      VALUES (skyguard_private.current_tenant(), 'strike', 'Le Havre dock strike', ARRAY['frleh '], $1, 0.9, 'test', 'E1') RETURNING id`, [new Date(RISK_NOW.getTime() - 86_400_000)]);
    await enqueueSuppliersRescore(jobs, { tenantId: a.id, eventIds: [ev!.id], ref: 'risk_event:E1' });
    await enqueueSuppliersRescore(jobs, { tenantId: a.id, supplierIds: [] }); // nothing to do: no job
    const payload = await take(suppliersJobKey(a.id));
    assert.equal((payload as unknown[]).length, 1);
    await tasks().supply_risk_suppliers!(payload, {});
    const affected = async () => (await q<{ part_number: string }>(`SELECT p.part_number FROM risk_scores s JOIN parts p ON p.id = s.part_id WHERE s.event_affected ORDER BY 1`)).map((r) => r.part_number);
    assert.deepEqual(await affected(), ['P-FR', 'P-NOGO'], 'only the items of the Le Havre supplier (port matched case-insensitively)');
    const run = await q<{ items: number; trigger_ref: string }>(`SELECT items, trigger_ref FROM risk_runs WHERE kind = 'risk_event'`);
    assert.deepEqual(run, [{ items: 2, trigger_ref: 'risk_event:E1' }]);
    await q('UPDATE risk_events SET actual_end_at = $2 WHERE id = $1', [ev!.id, new Date(RISK_NOW.getTime() - 3_600_000)]);
    await tasks().supply_risk_suppliers!([{ tenantId: a.id, eventIds: [ev!.id] }], {});
    assert.deepEqual(await affected(), [], 'the ended event no longer holds any item');
  });

  it('after an import: nothing, the suppliers of changed events, or a full re-score', async () => {
    const none = { risk_events: { inserted: 0, updated: 0, unchanged: 3 } };
    assert.equal(await rescoreAfterImport(jobs, a.id, none, RISK_NOW, 'import:1'), 'none');
    await q(`INSERT INTO risk_events (tenant_id, type, title, countries, starts_at, severity, source, source_id)
      VALUES (skyguard_private.current_tenant(), 'geopolitical', 'US export hold', ARRAY['US'], $1, 0.5, 'test', 'E2')`, [new Date(RISK_NOW.getTime() - 86_400_000)]);
    assert.equal(await rescoreAfterImport(jobs, a.id, { risk_events: { inserted: 1, updated: 0 } }, new Date(), 'import:2'), 'suppliers');
    await tasks().supply_risk_suppliers!(await take(suppliersJobKey(a.id)), {});
    const run = await q<{ items: number; trigger_ref: string }>(`SELECT items, trigger_ref FROM risk_runs WHERE trigger_ref = 'import:2'`);
    assert.ok(run[0]!.items >= 2, 'at least the two items of the US supplier (events changed in the window count too)');
    const affected = await q<{ part_number: string }>(`SELECT p.part_number FROM risk_scores s JOIN parts p ON p.id = s.part_id WHERE s.event_affected ORDER BY 1`);
    assert.deepEqual(affected.map((r) => r.part_number), ['P-US', 'P-US2']);
    assert.equal(await rescoreAfterImport(jobs, a.id, { stock: { inserted: 0, updated: 4 }, risk_events: { inserted: 0, updated: 0 } }, new Date(), 'import:3'), 'full');
    assert.equal((await db.ownerPool.query(`SELECT 1 FROM graphile_worker.jobs WHERE key = $1`, [`supply_risk_full:${a.id}`])).rowCount, 1);
  });

  it('scores urgent items first and hands a backlog beyond one run back to the queue', async () => {
    const pairs = (n: number) => Array.from({ length: n }, () => randomUUID());
    const calm = pairs(ITEMS_PER_RUN);
    const urgent = pairs(5);
    const handedBack: { task: string; payload: { urgent: boolean; partIds: string[] }[]; spec: { jobKey: string } }[] = [];
    const helpers = { addJob: async (task: string, payload: unknown, spec: unknown) => ({ id: String(handedBack.push({ task, payload, spec } as never)) }) };
    await tasks().supply_risk_items!([
      { tenantId: a.id, partIds: calm, locationIds: calm.map(() => ids.STORE1), urgent: false },
      { tenantId: a.id, partIds: urgent, locationIds: urgent.map(() => ids.STORE1), urgent: true },
    ], helpers);
    assert.equal(handedBack.length, 1);
    assert.equal(handedBack[0]!.spec.jobKey, itemsJobKey(a.id));
    assert.deepEqual(handedBack[0]!.payload.map((e) => [e.urgent, e.partIds.length]), [[false, 5]], 'the urgent items ran; the last calm ones wait');
  });

  it('refuses malformed batch payloads', async () => {
    const t = tasks();
    for (const bad of [[null], [1], [{ tenantId: a.id, partIds: [ids['P-FR']], locationIds: ['x'] }], [{ tenantId: 'nope', partIds: [], locationIds: [] }]])
      await assert.rejects(t.supply_risk_items!(bad, {}), /payload/);
    for (const bad of [[{ tenantId: a.id }], [{ tenantId: a.id, eventIds: ['x'] }], [{ tenantId: a.id, supplierIds: 'x' }], [{ tenantId: a.id, eventsChangedSince: 'yesterday' }]])
      await assert.rejects(t.supply_risk_suppliers!(bad, {}), /payload/);
  });
});
