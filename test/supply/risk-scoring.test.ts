import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createTenant, type Tenant } from '../../src/platform/accounts/tenant-admin.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import { recordPrediction } from '../../src/platform/audit/prediction-recorder.js';
import { runRiskScoring, type ScoringDeps } from '../../src/platform/supply-risk/risk-scoring.service.js';
import { idOf, RISK_NOW, seedRiskDataset } from './risk-support.js';
import { supplyRiskJobs } from '../../src/platform/supply-risk/risk-jobs.js';
import { SUPPLY_RISK_ENGINE_VERSION } from '../../src/supply/portfolio/portfolio-input.js';

describe('supply risk scoring against PostgreSQL', () => {
  let db: TestDatabase;
  let a: Tenant;
  let b: Tenant;
  let deps: ScoringDeps;
  const q = <T extends object>(tenant: Tenant, sql: string, params: unknown[] = []) =>
    withTenant(db.appPool, { tenantId: tenant.id }, async (c) => (await c.query<T>(sql, params)).rows);

  before(async () => {
    db = await createTestDatabase();
    a = await createTenant(db.ownerPool, 'risk-a', 'Risk A');
    b = await createTenant(db.ownerPool, 'risk-b', 'Risk B');
    await seedRiskDataset(db.appPool, a.id);
    deps = { pool: db.appPool, recordPrediction, now: () => RISK_NOW };
  });
  after(async () => db.drop());

  it('scores every item, stores engine version and digest, and records the run in the audit trail', async () => {
    const r = await runRiskScoring(deps, a.id, { kind: 'all' }, { kind: 'full' });
    assert.equal(r.items, 4);
    assert.equal(r.scored, 4);
    assert.equal(r.changed, 4);
    const rows = await q<{ status: string; engine_version: string; n: number }>(a, `SELECT status, engine_version, octet_length(input_digest) AS n FROM risk_scores`);
    assert.equal(rows.length, 4);
    for (const row of rows) assert.deepEqual(row, { status: 'scored', engine_version: SUPPLY_RISK_ENGINE_VERSION, n: 32 });
    const audit = await q<{ details: { inputDigest: string; output: { runId: string } } }>(a, `SELECT details FROM audit_events WHERE action = 'model.prediction'`);
    assert.equal(audit.length, 1);
    const run = await q<{ input_digest: string }>(a, 'SELECT input_digest FROM risk_runs WHERE id = $1', [r.runId]);
    assert.equal(audit[0]!.details.inputDigest, run[0]!.input_digest);
    const nogo = await q<{ expected_aog_days: number; fleet_cap_usd: number }>(a, `SELECT expected_aog_days, fleet_cap_usd FROM risk_scores s JOIN parts p ON p.id = s.part_id WHERE p.part_number = 'P-NOGO'`);
    assert.ok(nogo[0]!.fleet_cap_usd > 0, 'the No-Go part is tied to its fleet');
  });

  it('a second run over unchanged inputs rewrites nothing', async () => {
    const r = await runRiskScoring(deps, a.id, { kind: 'all' }, { kind: 'full' });
    assert.equal(r.changed, 0);
    assert.equal(r.alertsRaised, 0);
    const hist = await q<{ n: number }>(a, 'SELECT count(*)::int AS n FROM risk_score_history');
    assert.equal(hist[0]!.n, 4);
  });

  it('a stock drop re-scores only that item and raises exactly one alert, emitted on the outbox', async () => {
    const part = await idOf(db.appPool, a.id, 'parts', 'P-NOGO');
    const loc = await idOf(db.appPool, a.id, 'locations', 'STORE1');
    await q(a, 'UPDATE stock_levels SET on_hand = 0, reserved = 1 WHERE part_id = $1', [part]);
    const filter = { kind: 'items' as const, partIds: [part], locationIds: [loc] };
    const r1 = await runRiskScoring(deps, a.id, filter, { kind: 'stock_changed', ref: 'outbox:1' });
    assert.equal(r1.items, 1);
    assert.equal(r1.alertsRaised, 1);
    const r2 = await runRiskScoring(deps, a.id, filter, { kind: 'stock_changed', ref: 'outbox:1' });
    assert.equal(r2.alertsRaised, 0, 'a redelivered event raises nothing new');
    await runRiskScoring(deps, a.id, { kind: 'all' }, { kind: 'full' });
    const alerts = await q<{ level: string; status: string; trigger: string }>(a, 'SELECT level, status, trigger FROM risk_alerts');
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.status, 'open');
    assert.equal(alerts[0]!.level, 'critical');
    const outbox = await q<{ payload: { level: string; partId: string } }>(a, `SELECT payload FROM domain_event_outbox WHERE topic = 'supply.risk_alert'`);
    assert.equal(outbox.length, 1);
    assert.equal(outbox[0]!.payload.partId, part);
  });

  it('stays in its level while the score wobbles and clears the alert once stock is back', async () => {
    const part = await idOf(db.appPool, a.id, 'parts', 'P-NOGO');
    await q(a, 'UPDATE stock_levels SET on_hand = 12, reserved = 0 WHERE part_id = $1', [part]);
    const r = await runRiskScoring(deps, a.id, { kind: 'part', partId: part }, { kind: 'part' });
    assert.equal(r.alertsCleared, 1);
    const alerts = await q<{ status: string; resolution: string }>(a, 'SELECT status, resolution FROM risk_alerts');
    assert.deepEqual(alerts, [{ status: 'resolved', resolution: 'cleared' }]);
  });

  it('a risk event re-scores and raises exposure only for items of the suppliers it touches', async () => {
    const before = await q<{ part_number: string; expected_exposure: number; score: number }>(a, `SELECT p.part_number, s.expected_exposure, s.score FROM risk_scores s JOIN parts p ON p.id = s.part_id ORDER BY 1`);
    await q(a, `INSERT INTO risk_events (tenant_id, type, title, ports, starts_at, severity, source, source_id)
                VALUES (skyguard_private.current_tenant(), 'strike', 'Le Havre dock strike', ARRAY['FRLEH'], $1, 0.9, 'test', 'E1')`, [new Date(RISK_NOW.getTime() - 86_400_000)]);
    const fr = await idOf(db.appPool, a.id, 'suppliers', 'SUP-FR');
    const r = await runRiskScoring(deps, a.id, { kind: 'suppliers', supplierIds: [fr] }, { kind: 'risk_event', ref: 'E1' });
    assert.equal(r.items, 2);
    const afterRows = await q<{ part_number: string; expected_exposure: number; score: number; event_affected: boolean }>(a, `SELECT p.part_number, s.expected_exposure, s.score, s.event_affected FROM risk_scores s JOIN parts p ON p.id = s.part_id ORDER BY 1`);
    for (const [i, row] of afterRows.entries()) {
      const prev = before[i]!;
      if (row.part_number === 'P-NOGO' || row.part_number === 'P-FR') {
        assert.ok(row.score > prev.score, `${row.part_number} score rises`);
        assert.equal(row.event_affected, true);
      } else assert.deepEqual([row.score, row.expected_exposure], [prev.score, prev.expected_exposure]);
    }
    const full = await runRiskScoring(deps, a.id, { kind: 'all' }, { kind: 'full' });
    assert.equal(full.changed, 0, 'the incremental result equals what a full run computes');
  });

  it('keeps each tenant’s scores and alerts to itself', async () => {
    const r = await runRiskScoring(deps, b.id, { kind: 'all' }, { kind: 'full' });
    assert.equal(r.items, 0);
    assert.equal((await q(b, 'SELECT 1 FROM risk_scores')).length, 0);
    assert.equal((await q(b, 'SELECT 1 FROM risk_alerts')).length, 0);
    assert.equal((await q(b, 'SELECT 1 FROM risk_runs')).length, 1);
  });

  it('job tasks refuse malformed payloads and score valid ones', async () => {
    const jobs = supplyRiskJobs({ appPool: db.appPool, now: () => RISK_NOW, log: () => undefined });
    const task = (name: string) => jobs.tasks[name] as (payload: unknown, helpers: unknown) => Promise<void>;
    for (const bad of [null, { tenantId: 'x' }, { tenantId: a.id, partIds: ['1'], locationIds: [] }, { tenantId: a.id, partIds: Array(10_001).fill(a.id), locationIds: [] }, { tenantId: a.id, partIds: [a.id], locationIds: [] }])
      await assert.rejects(task('supply_risk_items')(bad, {}), /payload/);
    await assert.rejects(task('supply_risk_suppliers')({ tenantId: a.id, supplierIds: "'; DROP TABLE parts; --" }, {}), /payload/);
    const runs = async () => (await q<{ n: number }>(a, 'SELECT count(*)::int AS n FROM risk_runs'))[0]!.n;
    const before = await runs();
    await task('supply_risk_full')({ tenantId: a.id }, {});
    await task('supply_risk_full')({}, {});
    assert.equal(await runs(), before + 2);
  });
});
