import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createTenant, type Tenant } from '../../src/platform/accounts/tenant-admin.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import { recordPrediction } from '../../src/platform/audit/prediction-recorder.js';
import { runRiskScoring, type ScoringDeps } from '../../src/platform/supply-risk/risk-scoring.service.js';
import { RISK_NOW, seedRiskDataset } from './risk-support.js';

/** Every stored column that does not name a tenant-specific id, by part number. */
const STORED = `SELECT p.part_number, s.status, s.score, s.level, s.level_state, s.stockout_probability, s.expected_exposure,
       s.conditional_exposure, s.expected_aog_days, s.mean_lead_time_days, s.mean_lead_time_demand, s.demand_per_period,
       s.event_affected, s.fleet_id IS NOT NULL AS has_fleet, s.fleet_cap_usd, s.expedite_cost, s.refusal_code, s.refusal_field,
       s.refusal_rule, s.engine_version, encode(s.input_digest, 'hex') AS digest, s.run_id = $1 AS this_run
  FROM risk_scores s JOIN parts p ON p.id = s.part_id ORDER BY p.part_number`;
const HISTORY = `SELECT p.part_number, h.score, h.level, h.stockout_probability, h.expected_exposure, h.engine_version,
       encode(h.input_digest, 'hex') AS digest FROM risk_score_history h JOIN parts p ON p.id = h.part_id ORDER BY p.part_number, h.scored_at`;

describe('risk score store: COPY path', () => {
  let db: TestDatabase;
  let inline: Tenant;
  let copied: Tenant;
  const q = <T extends object>(tenant: Tenant, sql: string, params: unknown[] = []) =>
    withTenant(db.appPool, { tenantId: tenant.id }, async (c) => (await c.query<T>(sql, params)).rows);
  const deps = (inlineStoreRows?: number): ScoringDeps => ({ pool: db.appPool, recordPrediction, now: () => RISK_NOW, inlineStoreRows });

  before(async () => {
    db = await createTestDatabase();
    inline = await createTenant(db.ownerPool, 'store-inline', 'Store inline');
    copied = await createTenant(db.ownerPool, 'store-copy', 'Store copy');
    await seedRiskDataset(db.appPool, inline.id);
    await seedRiskDataset(db.appPool, copied.id);
  });
  after(async () => db.drop());

  it('stores exactly what the one-statement path stores, on insert and on update, with the same history', async () => {
    const runs = async (): Promise<[string, string]> => [
      (await runRiskScoring(deps(), inline.id, { kind: 'all' }, { kind: 'full' })).runId,
      (await runRiskScoring(deps(0), copied.id, { kind: 'all' }, { kind: 'full' })).runId,
    ];
    let [a, b] = await runs();
    assert.deepEqual(await q(copied, STORED, [b]), await q(inline, STORED, [a]));
    // Two items move: upserts over existing rows, with history rows.
    for (const t of [inline, copied]) {
      await q(t, `UPDATE stock_levels SET on_hand = 1 WHERE part_id = (SELECT id FROM parts WHERE part_number = 'P-US2')`);
      await q(t, `UPDATE stock_levels SET on_hand = 0 WHERE part_id = (SELECT id FROM parts WHERE part_number = 'P-NOGO')`);
    }
    [a, b] = await runs();
    const stored = await q<{ part_number: string; status: string; this_run: boolean }>(copied, STORED, [b]);
    assert.deepEqual(stored, await q(inline, STORED, [a]));
    assert.deepEqual(stored.filter((r) => r.this_run).map((r) => [r.part_number, r.status]), [['P-NOGO', 'scored'], ['P-US2', 'scored']]);
    const history = await q<{ part_number: string }>(copied, HISTORY);
    assert.deepEqual(history, await q(inline, HISTORY));
    assert.equal(history.filter((h) => h.part_number === 'P-NOGO').length, 2);
  });
});

describe('risk score store: planner statistics', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => db.drop());

  it('a bulk (COPY) store refreshes the risk tables’ statistics, an incremental one does not', async () => {
    // reltuples is −1 until the first ANALYZE (or VACUUM) of a table.
    const reltuples = async (table: string) =>
      (await db.ownerPool.query<{ n: number }>(`SELECT reltuples::int AS n FROM pg_class WHERE oid = $1::regclass`, [table])).rows[0]!.n;
    const small = await createTenant(db.ownerPool, 'stats-inline', 'Stats inline');
    const bulk = await createTenant(db.ownerPool, 'stats-copy', 'Stats copy');
    await seedRiskDataset(db.appPool, small.id);
    await seedRiskDataset(db.appPool, bulk.id);
    const deps = (inlineStoreRows?: number): ScoringDeps => ({ pool: db.appPool, recordPrediction, now: () => RISK_NOW, inlineStoreRows });
    await runRiskScoring(deps(), small.id, { kind: 'all' }, { kind: 'full' });
    assert.equal(await reltuples('risk_scores'), -1);
    await runRiskScoring(deps(0), bulk.id, { kind: 'all' }, { kind: 'full' });
    assert.equal(await reltuples('risk_scores'), 8);
    assert.equal(await reltuples('risk_score_history'), 8);
  });
});
