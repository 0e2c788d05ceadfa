// The full loader against PostgreSQL: demand series decoded from their compact encoding, and the
// stored state of every item read in item order (what a run compares its new digests with).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createTenant, type Tenant } from '../../src/platform/accounts/tenant-admin.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import { recordPrediction } from '../../src/platform/audit/prediction-recorder.js';
import { loadPortfolio, type LoadedPortfolio } from '../../src/platform/supply-risk/risk-input.loader.js';
import { runRiskScoring, type ScoringDeps } from '../../src/platform/supply-risk/risk-scoring.service.js';
import { NO_LEVEL } from '../../src/platform/supply-risk/stored-scores.js';
import { RISK_LEVELS } from '../../src/supply/risk/risk-score.js';
import { idOf, RISK_NOW, seedRiskDataset } from './risk-support.js';

describe('risk input loader', () => {
  let db: TestDatabase;
  let a: Tenant;
  let deps: ScoringDeps;
  const q = <T extends object>(sql: string, params: unknown[] = []) =>
    withTenant(db.appPool, { tenantId: a.id }, async (c) => (await c.query<T>(sql, params)).rows);
  const load = (): Promise<LoadedPortfolio> => withTenant(db.appPool, { tenantId: a.id }, (c) => loadPortfolio(c, RISK_NOW, { kind: 'all' }));
  const seriesOf = (l: LoadedPortfolio, partId: string): number[] => {
    const i = l.partIds.indexOf(partId);
    const it = l.input.items;
    return Array.from(it.demand.subarray(it.demandOffsets[i], it.demandOffsets[i + 1]));
  };

  before(async () => {
    db = await createTestDatabase();
    a = await createTenant(db.ownerPool, 'loader-a', 'Loader A');
    await seedRiskDataset(db.appPool, a.id);
    deps = { pool: db.appPool, recordPrediction, now: () => RISK_NOW };
  });
  after(async () => db.drop());

  it('reads a series from its first month with demand to last month, gaps as zero, nothing outside the 36-month window', async () => {
    const part = await idOf(db.appPool, a.id, 'parts', 'P-US2');
    // As the owner: the runtime role never deletes demand history.
    await db.ownerPool.query('DELETE FROM demand_history WHERE part_id = $1', [part]);
    // Months before RISK_NOW (2026-11): 2026-06 (5 back), 2026-08 (3 back), 2026-10 (last month), and one 40 months back.
    await q(`INSERT INTO demand_history (tenant_id, part_id, location_id, period, quantity)
             SELECT skyguard_private.current_tenant(), $1, l.id, p.period::date, p.quantity
               FROM locations l, (VALUES ('2026-06-01', 4), ('2026-08-01', 70000), ('2026-10-01', 1), ('2023-07-01', 9)) AS p(period, quantity)`, [part]);
    assert.deepEqual(seriesOf(await load(), part), [4, 0, 70000, 0, 1]);
    await db.ownerPool.query('DELETE FROM demand_history WHERE part_id = $1', [part]);
    assert.deepEqual(seriesOf(await load(), part), [], 'no demand in the window');
  });

  it('prices a No-Go part’s grounding at its own AOG cost (per hour × 24) over its fleet type’s', async () => {
    const part = await idOf(db.appPool, a.id, 'parts', 'P-NOGO');
    const costOf = async () => {
      const l = await load();
      return l.input.items.aogCostPerDay[l.partIds.indexOf(part)];
    };
    await q(`UPDATE aircraft_types SET aog_cost_per_day = 50000`);
    assert.equal(await costOf(), 50_000);
    await q(`UPDATE parts SET aog_cost = 1250.50, aog_cost_unit = 'hour', aog_cost_source = 'contract' WHERE id = $1`, [part]);
    assert.equal(await costOf(), 1250.5 * 24);
    await q(`UPDATE parts SET aog_cost = NULL, aog_cost_unit = NULL, aog_cost_source = NULL WHERE id = $1`, [part]);
    await q(`UPDATE aircraft_types SET aog_cost_per_day = NULL`);
  });

  it('holds each item’s stored level state and digest in item order, none before the first run', async () => {
    const first = await load();
    assert.deepEqual([...first.stored.levelState], Array(first.partIds.length).fill(NO_LEVEL));
    await runRiskScoring(deps, a.id, { kind: 'all' }, { kind: 'full' });
    const loaded = await load();
    const rows = await q<{ part_id: string; location_id: string; level_state: string; digest: string }>(
      `SELECT part_id, location_id, level_state, encode(input_digest, 'hex') AS digest FROM risk_scores`);
    assert.equal(rows.length, loaded.partIds.length);
    for (const r of rows) {
      const i = loaded.partIds.findIndex((p, k) => p === r.part_id && loaded.locationIds[k] === r.location_id);
      assert.equal(Buffer.from(loaded.stored.digest.subarray(i * 32, i * 32 + 32)).toString('hex'), r.digest);
      assert.equal(RISK_LEVELS[loaded.stored.levelState[i]!], r.level_state);
      assert.equal(loaded.stored.sameEngine[i], 1);
    }
  });

  it('a row stored by another engine version is rewritten, with a history row; the others are left alone', async () => {
    const part = await idOf(db.appPool, a.id, 'parts', 'P-US');
    await db.ownerPool.query(`UPDATE risk_scores SET engine_version = 'supply-risk/0.9.0' WHERE part_id = $1`, [part]);
    const history = async () => (await q<{ n: number }>('SELECT count(*)::int AS n FROM risk_score_history WHERE part_id = $1', [part]))[0]!.n;
    const before = await history();
    const r = await runRiskScoring(deps, a.id, { kind: 'all' }, { kind: 'full' });
    assert.equal(r.changed, 1);
    assert.equal(await history(), before + 1);
    assert.equal((await runRiskScoring(deps, a.id, { kind: 'all' }, { kind: 'full' })).changed, 0);
  });
});
