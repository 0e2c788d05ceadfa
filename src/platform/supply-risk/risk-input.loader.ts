import type { Queryable } from '../db/pool.js';
import {
  PortfolioItemsBuilder,
  SUPPLY_RISK_ENGINE_VERSION,
  buildSuppliers,
  type PortfolioInput,
} from '../../supply/portfolio/portfolio-input.js';
import { AOG_COST_PER_DAY_BANDS, type AircraftClass } from '../../supply/risk/exposure.js';
import type { RiskEvent } from '../../supply/risk/risk-events.js';
import type { RiskEventType } from '../../supply/risk/event-duration-priors.js';
import type { DemandScope, DemandSeriesCache } from './demand-series.cache.js';
import { decodeDemandSeries, encodedDemandSeries } from './demand-series.encoding.js';
import { readStoredScores, storedScoreColumns, type StoredScoreRow, type StoredScores } from './stored-scores.js';

const DAY_MS = 86_400_000;
/** Months of demand history a forecast is fitted on (the backtests use 36–72; 36 keeps loads small). */
export const HISTORY_MONTHS = 36;
/** Delivery history that counts for supplier reliability. */
export const DELIVERY_YEARS = 3;
/** work_mem of a full load's transaction: its largest sort (500k items with their series) needs ≈ 140 MB. */
const FULL_LOAD_WORK_MEM = '256MB';

/** Which items to load: everything, given part × location pairs, or the items of given suppliers. */
export type ItemFilter =
  | { readonly kind: 'all' }
  | { readonly kind: 'items'; readonly partIds: readonly string[]; readonly locationIds: readonly string[] }
  | { readonly kind: 'suppliers'; readonly supplierIds: readonly string[] }
  | { readonly kind: 'part'; readonly partId: string };

/** The loaded portfolio and the ids behind its indexes. */
export interface LoadedPortfolio {
  readonly input: PortfolioInput;
  readonly partIds: string[];
  readonly locationIds: string[];
  /** Supplier uuid per supplier index. */
  readonly supplierIds: string[];
  /** Aircraft type uuid per fleet index. */
  readonly fleetIds: string[];
  readonly criticality: string[];
  readonly reorderPoint: (number | null)[];
  /** What risk_scores holds for each item (against the current engine version). */
  readonly stored: StoredScores;
}

interface ItemRow extends StoredScoreRow {
  part_id: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  on_order: number;
  reorder_point: number | null;
  criticality: string;
  part_lead_time: number | null;
  supplier_id: string | null;
  mean_days: number | null;
  sd_days: number | null;
  /** demand-series.encoding.ts; null = no demand row in the window. */
  demand: string | null;
}

const monthIndex = (d: Date): number => d.getUTCFullYear() * 12 + d.getUTCMonth();

/** Where an `items` load may take demand series it already read (stock-changed re-scores). */
export interface DemandCacheOption {
  readonly cache: DemandSeriesCache;
  readonly tenantId: string;
}

/**
 * The tenant's cached series valid for this transaction, and the items it lacks. The change log is
 * read before the demand rows, so a series cached now is at least as new as the stamp it is filed
 * under; a later demand write moves the stamp and empties the scope.
 */
async function demandScope(db: Queryable, o: DemandCacheOption, window: string, partIds: readonly string[], locationIds: readonly string[]) {
  const { rows } = await db.query<{ n: string; last: string }>('SELECT count(*)::text AS n, coalesce(max(id), 0)::text AS last FROM demand_history_changes');
  const scope = o.cache.scope(o.tenantId, `${rows[0]!.n}:${rows[0]!.last}|${window}`);
  const missing: { partIds: string[]; locationIds: string[] } = { partIds: [], locationIds: [] };
  partIds.forEach((p, i) => {
    if (scope.get(`${p}/${locationIds[i]!}`) === undefined) {
      missing.partIds.push(p);
      missing.locationIds.push(locationIds[i]!);
    }
  });
  return { scope, missing };
}

function filterSql(f: ItemFilter, first: number): { sql: string; params: unknown[] } {
  switch (f.kind) {
    case 'all':
      return { sql: 'true', params: [] };
    case 'part':
      return { sql: `s.part_id = $${first}::uuid`, params: [f.partId] };
    case 'items':
      return {
        sql: `(s.part_id, s.location_id) IN (SELECT * FROM unnest($${first}::uuid[], $${first + 1}::uuid[]))`,
        params: [f.partIds, f.locationIds],
      };
    case 'suppliers':
      return {
        sql: `s.part_id IN (SELECT part_id FROM supplier_offers WHERE supplier_id = ANY($${first}::uuid[]))`,
        params: [f.supplierIds],
      };
  }
}

/**
 * Loads the scoring inputs of a tenant's items in bulk (a handful of set-based queries, not one per
 * part) inside the caller's tenant transaction. Modelling choices made here, stated in
 * docs/supply/risk-api.md: the offer is the preferred valid offer of an active supplier, else the
 * shortest; sample-only offers are summarised by their mean and sd; on-order quantity not covered by
 * open deliveries (promised dates) is assumed due at half the mean lead time; a part grounds aircraft
 * through its No-Go aircraft types, scored against the type with the highest daily fleet cost.
 */
export async function loadPortfolio(db: Queryable, now: Date, filter: ItemFilter, demandCache?: DemandCacheOption): Promise<LoadedPortfolio> {
  const nowMonth = monthIndex(now);
  const today = now.toISOString().slice(0, 10);
  const f = filterSql(filter, 5);
  // The history window as date literals (not expressions): the planner then estimates the demand rows
  // it reads and hashes them instead of looping over them.
  const historyFrom = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - HISTORY_MONTHS, now.getUTCDate())).toISOString().slice(0, 10);
  const historyTo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 10);
  // Demand rows are most of an incremental load's cost (≈ 36 scattered heap rows per item) and do not
  // move between stock events: with a cache, only the items it lacks are read.
  const cached = demandCache && filter.kind === 'items' ? await demandScope(db, demandCache, `${historyFrom}|${historyTo}`, filter.partIds, filter.locationIds) : undefined;
  const demandParams = cached ? [cached.missing.partIds, cached.missing.locationIds] : [];
  // A full load takes every series in the window: the final join drops those of items without stock,
  // so the 1.2 M demand rows need no join against the items first.
  const demandItems = cached
    ? `JOIN unnest($${5 + f.params.length}::uuid[], $${6 + f.params.length}::uuid[]) AS want(part_id, location_id) ON want.part_id = dh.part_id AND want.location_id = dh.location_id`
    : filter.kind === 'all' ? '' : 'JOIN sel want ON want.part_id = dh.part_id AND want.location_id = dh.location_id';
  // Likewise every offer: restricted to the items' parts (a CTE without statistics), the planner probed
  // the offers index once per part — 286k probes, 4 s of a full load.
  const offerItems = filter.kind === 'all' ? 'true' : 'so.part_id IN (SELECT part_id FROM sel)';
  // A full load sorts and hashes every item; with the default 4 MB each sort spilled to disk (three
  // external merges of 28–57 MB). Local to this transaction.
  if (filter.kind === 'all') await db.query(`SET LOCAL work_mem = '${FULL_LOAD_WORK_MEM}'`);
  // Set-based (hash joins and one grouped pass over the demand rows) rather than two LATERAL
  // subqueries per item: measured 3–4× faster for an incremental batch of 2,000 items.
  const { rows } = await db.query<ItemRow>(
    `WITH sel AS MATERIALIZED (
       SELECT s.part_id, s.location_id, s.on_hand, s.reserved, s.on_order, s.reorder_point FROM stock_levels s WHERE ${f.sql}),
     off AS (
       SELECT DISTINCT ON (so.part_id) so.part_id, so.supplier_id, x.mean_days,
              CASE WHEN so.lead_time_mean_days IS NULL THEN (SELECT stddev_samp(v) FROM unnest(so.lead_time_samples_days) v)
                   ELSE so.lead_time_sd_days END AS sd_days
         FROM supplier_offers so JOIN suppliers su ON su.id = so.supplier_id AND su.active
        CROSS JOIN LATERAL (SELECT coalesce(so.lead_time_mean_days, (SELECT avg(v) FROM unnest(so.lead_time_samples_days) v)) AS mean_days) x
        WHERE ${offerItems}
          AND (so.valid_to IS NULL OR so.valid_to >= $1::date) AND (so.valid_from IS NULL OR so.valid_from <= $1::date)
        ORDER BY so.part_id, so.preferred DESC, x.mean_days ASC NULLS LAST, so.supplier_id),
     dem AS (
       SELECT dh.part_id, dh.location_id, ${encodedDemandSeries('$2')} AS demand
         FROM demand_history dh ${demandItems}
        WHERE dh.period >= $3::date AND dh.period < $4::date
        GROUP BY dh.part_id, dh.location_id)
     SELECT s.part_id, s.location_id, s.on_hand, s.reserved, s.on_order, s.reorder_point,
            p.criticality, p.lead_time_days AS part_lead_time,
            o.supplier_id, o.mean_days, o.sd_days, d.demand, ${storedScoreColumns(`$${5 + f.params.length + demandParams.length}`)}
       FROM sel s
       JOIN parts p ON p.id = s.part_id
       LEFT JOIN off o ON o.part_id = s.part_id
       LEFT JOIN dem d ON d.part_id = s.part_id AND d.location_id = s.location_id
       LEFT JOIN risk_scores rs ON rs.part_id = s.part_id AND rs.location_id = s.location_id
      ORDER BY s.part_id, s.location_id`,
    [today, nowMonth, historyFrom, historyTo, ...f.params, ...demandParams, SUPPLY_RISK_ENGINE_VERSION],
  );
  if (cached) fillDemand(rows, cached.scope);
  // null = every part (a full run): no 500k-element array parameters.
  const partSet = filter.kind === 'all' ? null : [...new Set(rows.map((r) => r.part_id))];

  const suppliers = await db.query<{ id: string; country: string; region: string | null; ports: string[]; promised: number[] | null; actual: number[] | null }>(
    `SELECT su.id, su.country, su.region, su.ports_of_origin AS ports,
            array_agg(extract(epoch FROM d.promised_date)::float8 / 86400 ORDER BY d.promised_date) FILTER (WHERE d.id IS NOT NULL) AS promised,
            array_agg(extract(epoch FROM d.actual_date)::float8 / 86400 ORDER BY d.promised_date) FILTER (WHERE d.id IS NOT NULL) AS actual
       FROM suppliers su
       LEFT JOIN supplier_deliveries d ON d.supplier_id = su.id AND d.actual_date IS NOT NULL
                                      AND d.promised_date >= $1::date - make_interval(years => ${DELIVERY_YEARS})
      WHERE su.active AND ($2::uuid[] IS NULL OR su.id IN (SELECT DISTINCT supplier_id FROM supplier_offers WHERE part_id = ANY($2::uuid[])))
      GROUP BY su.id ORDER BY su.id`,
    [today, partSet],
  );
  const supplierIndex = new Map(suppliers.rows.map((s, i) => [s.id, i]));

  const aog = await db.query<{
    part_id: string; aircraft_type_id: string; aircraft_per_unit_short: number; aircraft_class: AircraftClass; type_cost: string | null;
    part_cost: string | null; part_cost_unit: 'day' | 'hour' | null; fleet_size: number;
  }>(
    // Fleet sizes counted once per type and joined (as a correlated subquery they were counted again
    // for every No-Go part row: 234k counts over the fleet in a full load of the demo tenant).
    `WITH fleet AS (SELECT aircraft_type_id, count(*)::int AS n FROM fleet_aircraft WHERE status IN ('active', 'maintenance') GROUP BY aircraft_type_id)
     SELECT pat.part_id, pat.aircraft_type_id, pat.aircraft_per_unit_short, t.aircraft_class, t.aog_cost_per_day AS type_cost,
            p.aog_cost AS part_cost, p.aog_cost_unit AS part_cost_unit, coalesce(f.n, 0) AS fleet_size
       FROM part_aircraft_types pat JOIN parts p ON p.id = pat.part_id JOIN aircraft_types t ON t.id = pat.aircraft_type_id
       LEFT JOIN fleet f ON f.aircraft_type_id = t.id
      WHERE pat.essentiality = 'no_go' AND ($1::uuid[] IS NULL OR pat.part_id = ANY($1::uuid[]))`,
    [partSet],
  );
  const fleetIds: string[] = [];
  const fleetIndex = new Map<string, number>();
  const aogByPart = new Map<string, { fleet: number; size: number; perUnit: number; cost: number }>();
  // The part's own cost read with its No-Go rows (a Map over every item's part cost 0.8 s of a full load).
  for (const a of aog.rows) {
    const cost = a.part_cost !== null ? Number(a.part_cost) * (a.part_cost_unit === 'hour' ? 24 : 1)
      : a.type_cost !== null ? Number(a.type_cost) : AOG_COST_PER_DAY_BANDS[a.aircraft_class].typical;
    const prev = aogByPart.get(a.part_id);
    if (prev && prev.cost * prev.size >= cost * a.fleet_size) continue;
    let fi = fleetIndex.get(a.aircraft_type_id);
    if (fi === undefined) {
      fi = fleetIds.push(a.aircraft_type_id) - 1;
      fleetIndex.set(a.aircraft_type_id, fi);
    }
    aogByPart.set(a.part_id, { fleet: fi, size: a.fleet_size, perUnit: a.aircraft_per_unit_short, cost });
  }

  const open = await db.query<{ part_id: string; location_id: string; quantity: number; due_days: number }>(
    `SELECT part_id, location_id, quantity, greatest(0, promised_date - $1::date)::float8 AS due_days
       FROM supplier_deliveries WHERE actual_date IS NULL AND location_id IS NOT NULL AND ($2::uuid[] IS NULL OR part_id = ANY($2::uuid[]))`,
    [today, partSet],
  );
  const openLines = new Map<string, { quantity: number; dueInDays: number }[]>();
  for (const o of open.rows) {
    const k = `${o.part_id}/${o.location_id}`;
    const list = openLines.get(k) ?? [];
    list.push({ quantity: o.quantity, dueInDays: o.due_days });
    openLines.set(k, list);
  }

  const b = new PortfolioItemsBuilder(rows.length, rows.length > 20_000, rows.length * 12);
  const series: number[] = [];
  for (const r of rows) {
    decodeDemandSeries(r.demand ?? '', series);
    const s = r.supplier_id === null ? -1 : (supplierIndex.get(r.supplier_id) ?? -1);
    const mean = r.mean_days ?? r.part_lead_time ?? Number.NaN;
    const lines = openLines.get(`${r.part_id}/${r.location_id}`) ?? [];
    const covered = lines.reduce((a, l) => a + l.quantity, 0);
    const rest = r.on_order - covered;
    if (rest > 0) lines.push({ quantity: rest, dueInDays: Number.isFinite(mean) ? mean / 2 : 45 });
    const g = aogByPart.get(r.part_id);
    b.add({
      supplier: s,
      offerMeanDays: mean,
      offerSdDays: r.mean_days !== null ? (r.sd_days ?? Number.NaN) : Number.NaN,
      onHand: r.on_hand,
      reserved: r.reserved,
      onOrder: lines,
      demand: series,
      ...(g ? { grounds: { fleet: g.fleet, fleetSize: g.size, aircraftPerUnitShort: g.perUnit, aogCostPerDay: g.cost } } : {}),
    });
  }

  const ev = await db.query<{ id: string; type: RiskEventType; title: string; countries: string[]; regions: string[]; ports: string[]; supplier_ids: string[]; starts_at: Date; expected_end_at: Date | null; actual_end_at: Date | null; severity: number; probability: number }>(
    `SELECT id, type, title, countries, regions, ports, supplier_ids::text[] AS supplier_ids, starts_at, expected_end_at, actual_end_at, severity, probability
       FROM risk_events WHERE actual_end_at IS NULL OR actual_end_at > $1`,
    [now],
  );
  const events: RiskEvent[] = ev.rows.map((e) => ({
    id: e.id,
    name: e.title,
    type: e.type,
    countries: e.countries,
    regions: e.regions,
    ports: e.ports,
    supplierIds: e.supplier_ids,
    start: e.starts_at.getTime(),
    ...(e.expected_end_at ? { expectedEnd: e.expected_end_at.getTime() } : {}),
    ...(e.actual_end_at ? { actualEnd: e.actual_end_at.getTime() } : {}),
    severity: e.severity,
    probability: e.probability,
  }));

  return {
    input: {
      now: now.getTime(),
      items: b.build(),
      suppliers: buildSuppliers(
        suppliers.rows.map((s) => ({
          node: { supplierId: s.id, country: s.country, ...(s.region ? { region: s.region } : {}), ports: s.ports },
          deliveries: (s.promised ?? []).map((p, k) => ({ promisedDay: p, actualDay: s.actual![k]! })),
        })),
      ),
      events,
    },
    partIds: rows.map((r) => r.part_id),
    locationIds: rows.map((r) => r.location_id),
    supplierIds: suppliers.rows.map((s) => s.id),
    fleetIds,
    criticality: rows.map((r) => r.criticality),
    reorderPoint: rows.map((r) => r.reorder_point),
    stored: readStoredScores(rows),
  };
}

/** Completes rows from the cache and files what was read (items without demand are filed too). */
function fillDemand(rows: ItemRow[], scope: DemandScope): void {
  for (const r of rows) {
    const key = `${r.part_id}/${r.location_id}`;
    const hit = scope.get(key);
    if (hit === undefined) scope.set(key, r.demand);
    else r.demand = hit;
  }
}

export const epochDay = (d: Date): number => d.getTime() / DAY_MS;
