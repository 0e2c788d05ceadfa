import type { Pool, PoolClient, Queryable } from '../db/pool.js';
import { copyLines, copyValue } from '../supply/copy-text.js';
import type { ItemFilter } from './risk-input.loader.js';

const itemsSql = (f: ItemFilter, first: number): { sql: string; params: unknown[] } => {
  switch (f.kind) {
    case 'all':
      return { sql: 'true', params: [] };
    case 'part':
      return { sql: `part_id = $${first}::uuid`, params: [f.partId] };
    case 'items':
      return { sql: `(part_id, location_id) IN (SELECT * FROM unnest($${first}::uuid[], $${first + 1}::uuid[]))`, params: [f.partIds, f.locationIds] };
    case 'suppliers':
      return { sql: `part_id IN (SELECT part_id FROM supplier_offers WHERE supplier_id = ANY($${first}::uuid[]))`, params: [f.supplierIds] };
  }
};

export async function loadOpenAlertKeys(db: Queryable, filter: ItemFilter): Promise<Set<string>> {
  const f = itemsSql(filter, 1);
  const { rows } = await db.query<{ dedupe_key: string }>(
    `SELECT dedupe_key FROM risk_alerts WHERE status <> 'resolved' AND ${f.sql}`,
    f.params,
  );
  return new Set(rows.map((r) => r.dedupe_key));
}

/** Column arrays of score rows to upsert (one entry per changed item). */
export interface ScoreRows {
  partId: string[];
  locationId: string[];
  status: string[];
  supplierId: (string | null)[];
  score: (number | null)[];
  level: (string | null)[];
  levelState: string[];
  p: (number | null)[];
  expected: (number | null)[];
  conditional: (number | null)[];
  aogDays: (number | null)[];
  leadTime: (number | null)[];
  leadTimeDemand: (number | null)[];
  demand: (number | null)[];
  eventAffected: boolean[];
  fleetId: (string | null)[];
  fleetCap: (number | null)[];
  expedite: number[];
  refusalCode: (string | null)[];
  refusalField: (string | null)[];
  refusalRule: (string | null)[];
  digest: string[];
  /** Whether the row gets a history entry (what a planner sees moved, see stored-scores.ts materiallyChanged). */
  history: boolean[];
}

export const emptyScoreRows = (): ScoreRows => ({
  partId: [], locationId: [], status: [], supplierId: [], score: [], level: [], levelState: [], p: [], expected: [],
  conditional: [], aogDays: [], leadTime: [], leadTimeDemand: [], demand: [], eventAffected: [], fleetId: [], fleetCap: [],
  expedite: [], refusalCode: [], refusalField: [], refusalRule: [], digest: [], history: [],
});

/** Up to this many changed rows (an incremental run) the store is one array-parameter statement; beyond it, COPY. */
export const INLINE_STORE_ROWS = 5_000;

const UPSERT_SET = `status = EXCLUDED.status, supplier_id = EXCLUDED.supplier_id, score = EXCLUDED.score, level = EXCLUDED.level,
         level_state = EXCLUDED.level_state, stockout_probability = EXCLUDED.stockout_probability,
         expected_exposure = EXCLUDED.expected_exposure, conditional_exposure = EXCLUDED.conditional_exposure,
         expected_aog_days = EXCLUDED.expected_aog_days, mean_lead_time_days = EXCLUDED.mean_lead_time_days,
         mean_lead_time_demand = EXCLUDED.mean_lead_time_demand, demand_per_period = EXCLUDED.demand_per_period,
         event_affected = EXCLUDED.event_affected, fleet_id = EXCLUDED.fleet_id, fleet_cap_usd = EXCLUDED.fleet_cap_usd,
         expedite_cost = EXCLUDED.expedite_cost, refusal_code = EXCLUDED.refusal_code, refusal_field = EXCLUDED.refusal_field,
         refusal_rule = EXCLUDED.refusal_rule, engine_version = EXCLUDED.engine_version, input_digest = EXCLUDED.input_digest,
         run_id = EXCLUDED.run_id, scored_at = EXCLUDED.scored_at`;

const SCORE_COLUMNS = `tenant_id, part_id, location_id, status, supplier_id, score, level, level_state, stockout_probability,
         expected_exposure, conditional_exposure, expected_aog_days, mean_lead_time_days, mean_lead_time_demand, demand_per_period,
         event_affected, fleet_id, fleet_cap_usd, expedite_cost, refusal_code, refusal_field, refusal_rule, engine_version, input_digest, run_id, scored_at`;

const HISTORY_COLUMNS = 'tenant_id, part_id, location_id, scored_at, run_id, score, level, stockout_probability, expected_exposure, engine_version, input_digest';

/**
 * Upserts changed rows and appends history for the rows flagged in `history`. An incremental run's
 * few rows go as one statement with array parameters; a large run (every row, after an engine
 * release) is streamed with COPY into a staging table and upserted from it in one statement.
 */
export async function storeScores(
  db: PoolClient, tenantId: string, runId: string, engineVersion: string, at: Date, r: ScoreRows, inlineRows = INLINE_STORE_ROWS,
): Promise<void> {
  if (r.partId.length === 0) return;
  if (r.partId.length <= inlineRows) await storeInline(db, tenantId, runId, engineVersion, at, r);
  else await storeByCopy(db, tenantId, runId, engineVersion, at, r);
}

async function storeInline(db: Queryable, tenantId: string, runId: string, engineVersion: string, at: Date, r: ScoreRows): Promise<void> {
  await db.query(
    `INSERT INTO risk_scores (${SCORE_COLUMNS})
       SELECT $1, x.part_id, x.location_id, x.status, x.supplier_id, x.score, x.level, x.level_state, x.p, x.expected, x.conditional,
              x.aog, x.lt, x.ltd, x.demand, x.ev, x.fleet, x.cap, x.expedite, x.rc, x.rf, x.rr, $24, decode(x.dg, 'hex'), $25, $26
         FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::float8[], $7::text[], $8::text[],
         $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::float8[], $14::float8[], $15::float8[], $16::bool[], $17::uuid[],
         $18::float8[], $19::float8[], $20::text[], $21::text[], $22::text[], $23::text[])
         AS x(part_id, location_id, status, supplier_id, score, level, level_state, p, expected, conditional, aog, lt, ltd, demand, ev, fleet, cap, expedite, rc, rf, rr, dg)
       ON CONFLICT (tenant_id, part_id, location_id) DO UPDATE SET ${UPSERT_SET}`,
    [tenantId, r.partId, r.locationId, r.status, r.supplierId, r.score, r.level, r.levelState, r.p, r.expected, r.conditional, r.aogDays,
      r.leadTime, r.leadTimeDemand, r.demand, r.eventAffected, r.fleetId, r.fleetCap, r.expedite, r.refusalCode, r.refusalField, r.refusalRule,
      r.digest, engineVersion, runId, at],
  );
  const hist: number[] = [];
  for (let k = 0; k < r.partId.length; k++) if (r.history[k] && r.status[k] === 'scored') hist.push(k);
  if (hist.length === 0) return;
  const pick = <T>(a: readonly T[]): T[] => hist.map((k) => a[k]!);
  await db.query(
    `INSERT INTO risk_score_history (${HISTORY_COLUMNS})
     SELECT $1, x.part_id, x.location_id, $2, $3, x.score, x.level, x.p, x.expected, $4, decode(x.dg, 'hex')
       FROM unnest($5::uuid[], $6::uuid[], $7::float8[], $8::text[], $9::float8[], $10::float8[], $11::text[]) AS x(part_id, location_id, score, level, p, expected, dg)`,
    [tenantId, at, runId, engineVersion, pick(r.partId), pick(r.locationId), pick(r.score), pick(r.level), pick(r.p), pick(r.expected), pick(r.digest)],
  );
}

const STAGE = 'risk_scores_stage';
/** A staging column: name, type, and its COPY-text value for row k. */
type StageColumn = readonly [name: string, type: string, text: (r: ScoreRows, k: number) => string];
const col = (name: string, type: string, get: (r: ScoreRows, k: number) => unknown): StageColumn => [name, type, (r, k) => copyValue(get(r, k))];
const STAGE_COLUMNS: readonly StageColumn[] = [
  col('part_id', 'uuid', (r, k) => r.partId[k]), col('location_id', 'uuid', (r, k) => r.locationId[k]), col('status', 'text', (r, k) => r.status[k]),
  col('supplier_id', 'uuid', (r, k) => r.supplierId[k]), col('score', 'float8', (r, k) => r.score[k]), col('level', 'text', (r, k) => r.level[k]),
  col('level_state', 'text', (r, k) => r.levelState[k]), col('p', 'float8', (r, k) => r.p[k]), col('expected', 'float8', (r, k) => r.expected[k]),
  col('conditional', 'float8', (r, k) => r.conditional[k]), col('aog', 'float8', (r, k) => r.aogDays[k]), col('lt', 'float8', (r, k) => r.leadTime[k]),
  col('ltd', 'float8', (r, k) => r.leadTimeDemand[k]), col('demand', 'float8', (r, k) => r.demand[k]), col('ev', 'bool', (r, k) => r.eventAffected[k]),
  col('fleet', 'uuid', (r, k) => r.fleetId[k]), col('cap', 'float8', (r, k) => r.fleetCap[k]), col('expedite', 'float8', (r, k) => r.expedite[k]),
  col('rc', 'text', (r, k) => r.refusalCode[k]), col('rf', 'text', (r, k) => r.refusalField[k]), col('rr', 'text', (r, k) => r.refusalRule[k]),
  // bytea hex input, its backslash escaped for COPY text (the digest is already hex).
  ['dg', 'bytea', (r, k) => `\\\\x${r.digest[k]!}`],
  col('history', 'bool', (r, k) => r.history[k] && r.status[k] === 'scored'),
];

async function storeByCopy(db: PoolClient, tenantId: string, runId: string, engineVersion: string, at: Date, r: ScoreRows): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${STAGE}`);
  await db.query(`CREATE TEMP TABLE ${STAGE} (${STAGE_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ')}) ON COMMIT DROP`);
  const lines = new Array<string>(r.partId.length);
  for (let k = 0; k < lines.length; k++) {
    let line = STAGE_COLUMNS[0]![2](r, k);
    for (let c = 1; c < STAGE_COLUMNS.length; c++) line += `\t${STAGE_COLUMNS[c]![2](r, k)}`;
    lines[k] = line;
  }
  await copyLines(db, STAGE, STAGE_COLUMNS.map(([c]) => c), lines);
  await db.query(
    `INSERT INTO risk_scores (${SCORE_COLUMNS})
     SELECT $1, part_id, location_id, status, supplier_id, score, level, level_state, p, expected, conditional, aog, lt, ltd, demand, ev,
            fleet, cap, expedite, rc, rf, rr, $2, dg, $3, $4
       FROM ${STAGE}
     ON CONFLICT (tenant_id, part_id, location_id) DO UPDATE SET ${UPSERT_SET}`,
    [tenantId, engineVersion, runId, at],
  );
  await db.query(
    `INSERT INTO risk_score_history (${HISTORY_COLUMNS})
     SELECT $1, part_id, location_id, $2, $3, score, level, p, expected, $4, dg FROM ${STAGE} WHERE history`,
    [tenantId, at, runId, engineVersion],
  );
}

export interface RunRecord {
  readonly id: string;
  readonly kind: 'full' | 'stock_changed' | 'risk_event' | 'part';
  readonly triggerRef: string | null;
  readonly engineVersion: string;
  readonly inputDigest: string;
  readonly items: number;
  readonly scored: number;
  readonly refused: number;
  readonly changed: number;
  readonly alertsRaised: number;
  readonly alertsCleared: number;
  readonly durationMs: number;
  readonly summary: Record<string, unknown>;
  readonly startedAt: Date;
  readonly finishedAt: Date;
}

export async function insertRun(db: Queryable, tenantId: string, r: RunRecord): Promise<void> {
  await db.query(
    `INSERT INTO risk_runs (id, tenant_id, kind, trigger_ref, engine_version, input_digest, items, scored, refused, changed, alerts_raised,
       alerts_cleared, duration_ms, summary, started_at, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [r.id, tenantId, r.kind, r.triggerRef, r.engineVersion, r.inputDigest, r.items, r.scored, r.refused, r.changed, r.alertsRaised,
      r.alertsCleared, r.durationMs, JSON.stringify(r.summary), r.startedAt, r.finishedAt],
  );
}

/** ANALYZE of risk_scores and risk_score_history through the owner's function (migration 0014). */
export async function refreshRiskStatistics(pool: Pool): Promise<void> {
  await pool.query('SELECT skyguard_private.refresh_risk_statistics()');
}
