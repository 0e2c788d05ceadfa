// The incremental (stock-changed) re-score path's shortcuts, against PostgreSQL: demand series are
// taken from the in-memory cache only while the demand change log (migration 0010) has not moved,
// and a history row is written only when what a planner sees moved.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createTenant, type Tenant } from '../../src/platform/accounts/tenant-admin.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import { recordPrediction } from '../../src/platform/audit/prediction-recorder.js';
import { runRiskScoring, type ScoringDeps } from '../../src/platform/supply-risk/risk-scoring.service.js';
import { DemandSeriesCache } from '../../src/platform/supply-risk/demand-series.cache.js';
import { idOf, RISK_NOW, seedRiskDataset } from './risk-support.js';

describe('incremental re-scores: demand cache and history', () => {
  let db: TestDatabase;
  let a: Tenant;
  let deps: ScoringDeps;
  const cache = new DemandSeriesCache();
  const q = <T extends object>(sql: string, params: unknown[] = []) =>
    withTenant(db.appPool, { tenantId: a.id }, async (c) => (await c.query<T>(sql, params)).rows);
  let item: { kind: 'items'; partIds: string[]; locationIds: string[] };
  const stored = async () => (await q<{ demand: number; digest: string }>(
    `SELECT demand_per_period AS demand, encode(input_digest, 'hex') AS digest FROM risk_scores WHERE part_id = $1`, [item.partIds[0]]))[0]!;
  const historyRows = async () => (await q<{ n: number }>('SELECT count(*)::int AS n FROM risk_score_history WHERE part_id = $1', [item.partIds[0]]))[0]!.n;

  before(async () => {
    db = await createTestDatabase();
    a = await createTenant(db.ownerPool, 'inc-a', 'Inc A');
    await seedRiskDataset(db.appPool, a.id);
    deps = { pool: db.appPool, recordPrediction, now: () => RISK_NOW, demandCache: cache };
    item = { kind: 'items', partIds: [await idOf(db.appPool, a.id, 'parts', 'P-FR')], locationIds: [await idOf(db.appPool, a.id, 'locations', 'STORE1')] };
    await runRiskScoring(deps, a.id, { kind: 'all' }, { kind: 'full' });
  });
  after(async () => db.drop());

  it('every demand write is logged, per statement and tenant', async () => {
    const [log] = await q<{ n: number }>('SELECT count(*)::int AS n FROM demand_history_changes');
    assert.equal(log!.n, 1, 'the seed wrote demand in one statement');
  });

  it('a stock-changed run fills the cache and a later one reads demand from it', async () => {
    await runRiskScoring(deps, a.id, item, { kind: 'stock_changed' });
    assert.equal(cache.entries, 1);
    const before = await stored();
    // Written behind the log's back (as the owner, bypassing the trigger): a cached run cannot see it…
    await db.ownerPool.query('ALTER TABLE demand_history DISABLE TRIGGER demand_history_log_change');
    await db.ownerPool.query(`UPDATE demand_history SET quantity = quantity + 40 WHERE part_id = $1`, [item.partIds[0]]);
    await db.ownerPool.query('ALTER TABLE demand_history ENABLE TRIGGER demand_history_log_change');
    await q('UPDATE stock_levels SET on_hand = on_hand + 1 WHERE part_id = $1', [item.partIds[0]]);
    await runRiskScoring(deps, a.id, item, { kind: 'stock_changed' });
    assert.equal((await stored()).demand, before.demand, 'the series came from the cache');
    // …and an uncached run (the full re-score) does.
    await runRiskScoring({ ...deps, demandCache: undefined }, a.id, item, { kind: 'stock_changed' });
    assert.ok((await stored()).demand > before.demand + 10);
  });

  it('a logged demand write invalidates the cache: the next run reads the new series', async () => {
    await runRiskScoring(deps, a.id, item, { kind: 'stock_changed' });
    const before = await stored();
    await q(`UPDATE demand_history SET quantity = 0 WHERE part_id = $1`, [item.partIds[0]]);
    await runRiskScoring(deps, a.id, item, { kind: 'stock_changed' });
    assert.ok((await stored()).demand < before.demand, 'the cleared demand is scored');
  });

  it('a movement that changes the inputs but not what a planner sees writes no history row', async () => {
    // P-FR now has no demand: its score stays at its floor whatever the stock.
    const rows = await historyRows();
    const digest = (await stored()).digest;
    await q('UPDATE stock_levels SET on_hand = on_hand + 1 WHERE part_id = $1', [item.partIds[0]]);
    const r = await runRiskScoring(deps, a.id, item, { kind: 'stock_changed' });
    assert.equal(r.changed, 1, 'the stored row follows the new inputs');
    assert.notEqual((await stored()).digest, digest);
    assert.equal(await historyRows(), rows, 'no history row for an unchanged score');
  });

  it('a movement that changes the score writes one', async () => {
    const rows = await historyRows();
    await q(`UPDATE demand_history SET quantity = 5 WHERE part_id = $1`, [item.partIds[0]]);
    await q('UPDATE stock_levels SET on_hand = 0 WHERE part_id = $1', [item.partIds[0]]);
    await runRiskScoring(deps, a.id, item, { kind: 'stock_changed' });
    assert.equal(await historyRows(), rows + 1);
  });

  it('a TRUNCATE of demand history is logged for every tenant: the next run reads no demand', async () => {
    await runRiskScoring(deps, a.id, item, { kind: 'stock_changed' });
    assert.ok((await stored()).demand > 0);
    const [log] = await q<{ n: number }>('SELECT count(*)::int AS n FROM demand_history_changes');
    await db.ownerPool.query('TRUNCATE demand_history');
    assert.equal((await q<{ n: number }>('SELECT count(*)::int AS n FROM demand_history_changes'))[0]!.n, log!.n + 1);
    await q('UPDATE stock_levels SET on_hand = on_hand + 1 WHERE part_id = $1', [item.partIds[0]]);
    await runRiskScoring(deps, a.id, item, { kind: 'stock_changed' });
    assert.equal((await stored()).demand, 0, 'the truncated series is not taken from the cache');
  });
});
