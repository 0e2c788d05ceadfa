import type { Queryable } from '../db/pool.js';
import { RISK_LEVELS, type RiskLevel } from '../../supply/risk/risk-score.js';

/** One stored score with the names a risk table shows. */
export interface RankedRow {
  part_id: string;
  part_number: string;
  description: string;
  category: string | null;
  criticality: string;
  location_id: string;
  location_code: string;
  supplier_id: string | null;
  supplier_code: string | null;
  supplier_name: string | null;
  supplier_country: string | null;
  supplier_region: string | null;
  status: 'scored' | 'refused';
  score: number | null;
  level: string | null;
  level_state: string;
  stockout_probability: number | null;
  expected_exposure: number | null;
  conditional_exposure: number | null;
  expected_aog_days: number | null;
  mean_lead_time_days: number | null;
  mean_lead_time_demand: number | null;
  demand_per_period: number | null;
  event_affected: boolean;
  on_hand: number | null;
  reserved: number | null;
  on_order: number | null;
  refusal_code: string | null;
  refusal_field: string | null;
  refusal_rule: string | null;
  engine_version: string;
  input_digest: string;
  run_id: string;
  scored_at: Date;
}

export interface RankedFilter {
  readonly status: 'scored' | 'refused';
  readonly levels?: readonly RiskLevel[];
  readonly category?: string;
  readonly criticality?: string;
  readonly locationId?: string;
  readonly supplierId?: string;
  readonly country?: string;
  readonly partId?: string;
  readonly minProbability?: number;
  readonly minExposure?: number;
  readonly eventAffected?: boolean;
  /** Case-insensitive substring of part number or description. */
  readonly search?: string;
  readonly limit: number;
  /** Keyset: score (as text; '' for refused rows) and `partId/locationId` of the last row. */
  readonly after?: { readonly score: number | null; readonly partId: string; readonly locationId: string };
}

const SELECT_RANKED = `SELECT s.part_id, p.part_number, p.description, p.category, p.criticality, s.location_id, l.code AS location_code,
  s.supplier_id, su.code AS supplier_code, su.name AS supplier_name, su.country AS supplier_country, su.region AS supplier_region,
  s.status, s.score, s.level, s.level_state, s.stockout_probability, s.expected_exposure, s.conditional_exposure, s.expected_aog_days,
  s.mean_lead_time_days, s.mean_lead_time_demand, s.demand_per_period, s.event_affected, st.on_hand, st.reserved, st.on_order,
  s.refusal_code, s.refusal_field, s.refusal_rule, s.engine_version, encode(s.input_digest, 'hex') AS input_digest, s.run_id, s.scored_at
  FROM risk_scores s JOIN parts p ON p.id = s.part_id JOIN locations l ON l.id = s.location_id
  LEFT JOIN suppliers su ON su.id = s.supplier_id
  LEFT JOIN stock_levels st ON st.part_id = s.part_id AND st.location_id = s.location_id`;

const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The ranked risk list: scored items by score (highest first, then part and location id, so the
 * order is total and keyset pages never skip or repeat), or refused items by part and location.
 */
export async function listRanked(db: Queryable, f: RankedFilter): Promise<RankedRow[]> {
  const params: unknown[] = [];
  const p = (v: unknown): string => `$${params.push(v)}`;
  const where = [`s.status = ${p(f.status)}`];
  if (f.levels?.length) where.push(`s.level = ANY(${p(f.levels)}::text[])`);
  if (f.category !== undefined) where.push(`p.category = ${p(f.category)}`);
  if (f.criticality !== undefined) where.push(`p.criticality = ${p(f.criticality)}`);
  if (f.locationId !== undefined) where.push(`s.location_id = ${p(f.locationId)}::uuid`);
  if (f.supplierId !== undefined) where.push(`s.supplier_id = ${p(f.supplierId)}::uuid`);
  if (f.partId !== undefined) where.push(`s.part_id = ${p(f.partId)}::uuid`);
  if (f.country !== undefined) where.push(`su.country = ${p(f.country)}`);
  if (f.minProbability !== undefined) where.push(`s.stockout_probability >= ${p(f.minProbability)}`);
  if (f.minExposure !== undefined) where.push(`s.expected_exposure >= ${p(f.minExposure)}`);
  if (f.eventAffected !== undefined) where.push(`s.event_affected = ${p(f.eventAffected)}`);
  if (f.search !== undefined) {
    const like = p(`%${likeEscape(f.search)}%`);
    where.push(`(p.part_number ILIKE ${like} OR p.description ILIKE ${like})`);
  }
  let order: string;
  if (f.status === 'scored') {
    order = 's.score DESC, s.part_id, s.location_id';
    if (f.after) {
      const sc = p(f.after.score);
      where.push(`(s.score < ${sc} OR (s.score = ${sc} AND (s.part_id, s.location_id) > (${p(f.after.partId)}::uuid, ${p(f.after.locationId)}::uuid)))`);
    }
  } else {
    order = 's.part_id, s.location_id';
    if (f.after) where.push(`(s.part_id, s.location_id) > (${p(f.after.partId)}::uuid, ${p(f.after.locationId)}::uuid)`);
  }
  const { rows } = await db.query<RankedRow>(`${SELECT_RANKED} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${p(f.limit)}`, params);
  return rows;
}

/** Stored scores of one part (every location). */
export async function scoresOfPart(db: Queryable, partId: string): Promise<RankedRow[]> {
  const { rows } = await db.query<RankedRow>(`${SELECT_RANKED} WHERE s.part_id = $1 ORDER BY l.code`, [partId]);
  return rows;
}

export interface HistoryRow {
  location_id: string;
  scored_at: Date;
  score: number;
  level: string;
  stockout_probability: number;
  expected_exposure: number;
  engine_version: string;
}

/** Score history of one part, newest first, at most `limit` rows per location. */
export async function historyOfPart(db: Queryable, partId: string, limit: number): Promise<HistoryRow[]> {
  const { rows } = await db.query<HistoryRow>(
    `SELECT location_id, scored_at, score, level, stockout_probability, expected_exposure, engine_version FROM (
       SELECT h.*, row_number() OVER (PARTITION BY location_id ORDER BY scored_at DESC) AS rn FROM risk_score_history h WHERE part_id = $1
     ) x WHERE rn <= $2 ORDER BY location_id, scored_at DESC`,
    [partId, limit],
  );
  return rows;
}

export interface PartRow {
  id: string;
  part_number: string;
  description: string;
  category: string | null;
  criticality: string;
}

/** A part by id (uuid) or by part number (exact). */
export async function findPart(db: Queryable, ref: string): Promise<PartRow | undefined> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  const { rows } = await db.query<PartRow>(
    `SELECT id, part_number, description, category, criticality FROM parts WHERE ${isUuid ? 'id = $1::uuid' : 'part_number = $1'}`,
    [ref],
  );
  return rows[0];
}

// --- Portfolio summary ------------------------------------------------------------------------

export const SUMMARY_DIMENSIONS = ['level', 'criticality', 'category', 'region', 'country', 'supplier', 'location'] as const;
export type SummaryDimension = (typeof SUMMARY_DIMENSIONS)[number];

export interface GroupFigures {
  readonly key: string | null;
  readonly items: number;
  readonly byLevel: Record<RiskLevel, number>;
  readonly expectedExposure: number;
  readonly concurrentUpperBound: number;
  readonly cappedFleets: number;
}

/**
 * Totals and breakdowns over the stored scores in one scan (GROUPING SETS). Per group the expected
 * exposure is a plain sum (exact by linearity); the concurrent upper bound sums exposures given a
 * stockout but caps the AOG share of each fleet at what that fleet can lose (`fleet_cap_usd`, the
 * largest stored for the fleet) — the same rule as `summarizePortfolio` in the engine.
 */
export async function summaryFigures(db: Queryable): Promise<{ total: GroupFigures; groups: Record<SummaryDimension, GroupFigures[]>; refused: number }> {
  const dims: Record<SummaryDimension, string> = {
    level: 'level', criticality: 'criticality', category: 'category', region: 'region', country: 'country', supplier: 'supplier_id', location: 'location_id',
  };
  const cols = Object.values(dims);
  const dimCase = `CASE ${SUMMARY_DIMENSIONS.map((d) => `WHEN GROUPING(${dims[d]}) = 0 THEN '${d}'`).join(' ')} ELSE 'total' END`;
  const keyCase = `CASE ${SUMMARY_DIMENSIONS.map((d) => `WHEN GROUPING(${dims[d]}) = 0 THEN ${dims[d]}::text`).join(' ')} END`;
  const { rows } = await db.query<{ dim: SummaryDimension | 'total'; key: string | null; items: number; low: number; moderate: number; high: number; critical: number; expected: number; bound: number; capped: number }>(
    `WITH b AS (
       SELECT s.level, p.criticality, p.category, su.region, su.country, s.supplier_id, s.location_id, s.fleet_id, s.fleet_cap_usd AS cap,
              s.expected_exposure AS e,
              CASE WHEN s.fleet_id IS NULL OR s.stockout_probability <= 0 THEN s.conditional_exposure ELSE least(s.expedite_cost, s.conditional_exposure) END AS free,
              CASE WHEN s.fleet_id IS NULL OR s.stockout_probability <= 0 THEN 0 ELSE greatest(0, s.conditional_exposure - s.expedite_cost) END AS aog
         FROM risk_scores s JOIN parts p ON p.id = s.part_id LEFT JOIN suppliers su ON su.id = s.supplier_id
        WHERE s.status = 'scored'),
     f AS (
       SELECT ${dimCase} AS dim, ${keyCase} AS key, fleet_id, count(*) AS n,
              ${RISK_LEVELS.map((l) => `count(*) FILTER (WHERE level = '${l}') AS ${l}`).join(', ')},
              sum(e) AS e, sum(free) AS free, sum(aog) AS aog, max(cap) AS cap
         FROM b GROUP BY GROUPING SETS (${cols.map((c) => `(${c}, fleet_id)`).join(', ')}, (fleet_id)))
     SELECT dim, key, sum(n)::int AS items, ${RISK_LEVELS.map((l) => `sum(${l})::int AS ${l}`).join(', ')}, coalesce(sum(e), 0)::float8 AS expected,
            coalesce(sum(free) + sum(CASE WHEN fleet_id IS NULL OR cap IS NULL THEN aog ELSE least(aog, cap) END), 0)::float8 AS bound,
            count(*) FILTER (WHERE fleet_id IS NOT NULL AND aog > cap)::int AS capped
       FROM f GROUP BY dim, key`,
  );
  const toFigures = (r: (typeof rows)[number]): GroupFigures => ({
    key: r.key,
    items: r.items,
    byLevel: { low: r.low, moderate: r.moderate, high: r.high, critical: r.critical },
    expectedExposure: r.expected,
    // The bound can never be below the expectation (a cap applies to a fleet's conditional losses only).
    concurrentUpperBound: Math.max(r.bound, r.expected),
    cappedFleets: r.capped,
  });
  const groups = Object.fromEntries(SUMMARY_DIMENSIONS.map((d) => [d, [] as GroupFigures[]])) as Record<SummaryDimension, GroupFigures[]>;
  let total: GroupFigures = toFigures({ dim: 'total', key: null, items: 0, low: 0, moderate: 0, high: 0, critical: 0, expected: 0, bound: 0, capped: 0 });
  for (const r of rows) {
    if (r.dim === 'total') total = toFigures(r);
    else groups[r.dim].push(toFigures(r));
  }
  for (const d of SUMMARY_DIMENSIONS) groups[d].sort((a, b) => b.expectedExposure - a.expectedExposure || String(a.key).localeCompare(String(b.key)));
  const refused = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM risk_scores WHERE status = 'refused'`)).rows[0]!.n;
  return { total, groups, refused };
}

/** Labels for supplier and location group keys (ids). */
export async function groupLabels(db: Queryable, supplierIds: readonly string[], locationIds: readonly string[]): Promise<Map<string, { code: string; name: string; country: string | null }>> {
  const { rows } = await db.query<{ id: string; code: string; name: string; country: string | null }>(
    `SELECT id, code, name, country FROM suppliers WHERE id = ANY($1::uuid[])
     UNION ALL SELECT id, code, name, country FROM locations WHERE id = ANY($2::uuid[])`,
    [supplierIds, locationIds],
  );
  return new Map(rows.map((r) => [r.id, { code: r.code, name: r.name, country: r.country }]));
}

export interface RunRow {
  id: string;
  kind: string;
  engine_version: string;
  items: number;
  scored: number;
  refused: number;
  changed: number;
  alerts_raised: number;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
  summary: { total?: { expectedExposure?: number; concurrentUpperBound?: number; byLevel?: Record<string, number> } };
}

/** The latest runs of a kind (newest first). */
export async function latestRuns(db: Queryable, kind: string | null, limit: number): Promise<RunRow[]> {
  const { rows } = await db.query<RunRow>(
    `SELECT id, kind, engine_version, items, scored, refused, changed, alerts_raised, started_at, finished_at, duration_ms, summary
       FROM risk_runs WHERE $1::text IS NULL OR kind = $1 ORDER BY started_at DESC, id DESC LIMIT $2`,
    [kind, limit],
  );
  return rows;
}
