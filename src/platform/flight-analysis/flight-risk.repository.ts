/**
 * Risk over time per aircraft and the fleet ranking, read from current analyses. Both are served by the
 * `flight_analyses_aircraft_idx` index. Keyset cursors carry the flight time as integer microseconds since
 * the epoch: a JavaScript Date has milliseconds only, and a cursor rounded to them would skip rows.
 */
import type { RiskLevel, VehicleType } from '../../flight/report/report.js';
import type { TenantClient } from '../db/with-tenant.js';

export interface RiskDriver {
  readonly findingId: string;
  readonly check: string;
  readonly title: string;
  readonly severity: string;
  readonly points: number;
}

export interface RiskHistoryRow {
  readonly flightId: string;
  readonly flightAt: Date;
  /** Microseconds since the epoch, as text (the cursor value). */
  readonly flightAtUs: string;
  readonly startedAt: Date | null;
  readonly originalName: string;
  readonly riskScore: number;
  readonly riskLevel: RiskLevel;
  readonly vehicleType: VehicleType;
  readonly engineVersion: string;
  readonly analyzedAt: Date;
  readonly drivers: readonly RiskDriver[];
}

const US = (col: string): string => `(extract(epoch FROM ${col}) * 1000000)::bigint::text`;
const FROM_US = (param: string): string => `(timestamptz 'epoch' + ${param}::bigint * interval '1 microsecond')`;
// The three findings that drive the score most (contributions are stored largest first).
const DRIVERS = `coalesce((SELECT jsonb_agg(jsonb_build_object('findingId', c->'findingId', 'check', c->'check', 'title', c->'title',
    'severity', c->'severity', 'points', c->'points') ORDER BY i)
  FROM jsonb_array_elements(a.report->'risk'->'contributions') WITH ORDINALITY AS x(c, i) WHERE i <= 3), '[]'::jsonb)`;

export interface RiskHistoryQuery {
  readonly aircraftId: string;
  readonly limit: number;
  readonly order: 'asc' | 'desc';
  readonly cursor: { readonly v: string; readonly id: string } | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
}

export async function riskHistory(db: TenantClient, q: RiskHistoryQuery): Promise<RiskHistoryRow[]> {
  const params: unknown[] = [q.aircraftId, q.limit];
  const where = ['a.aircraft_id = $1', 'a.superseded_at IS NULL'];
  if (q.from) where.push(`a.flight_at >= $${params.push(q.from)}`);
  if (q.to) where.push(`a.flight_at < $${params.push(q.to)}`);
  if (q.cursor) {
    const v = params.push(q.cursor.v);
    const id = params.push(q.cursor.id);
    where.push(`(a.flight_at, a.flight_id) ${q.order === 'desc' ? '<' : '>'} (${FROM_US(`$${v}`)}, $${id}::uuid)`);
  }
  const dir = q.order === 'desc' ? 'DESC' : 'ASC';
  const { rows } = await db.query<RiskHistoryRow>(
    `SELECT a.flight_id AS "flightId", a.flight_at AS "flightAt", ${US('a.flight_at')} AS "flightAtUs", f.started_at AS "startedAt",
       f.original_name AS "originalName", a.risk_score AS "riskScore", a.risk_level AS "riskLevel", a.vehicle_type AS "vehicleType",
       a.engine_version AS "engineVersion", a.created_at AS "analyzedAt", ${DRIVERS} AS drivers
     FROM flight_analyses a JOIN flights f ON f.id = a.flight_id
     WHERE ${where.join(' AND ')}
     ORDER BY a.flight_at ${dir}, a.flight_id ${dir} LIMIT $2`,
    params,
  );
  return rows;
}

export interface FleetRiskRow {
  readonly aircraftId: string;
  readonly aircraftName: string;
  readonly aircraftType: string;
  readonly analyzedFlights: number;
  readonly flightId: string;
  readonly flightAt: Date;
  readonly originalName: string;
  readonly riskScore: number;
  readonly riskLevel: RiskLevel;
  readonly vehicleType: VehicleType;
  readonly engineVersion: string;
  readonly analyzedAt: Date;
  readonly drivers: readonly RiskDriver[];
}

export interface FleetRiskQuery {
  readonly limit: number;
  /** `v` = risk score, `id` = aircraft id of the last row of the previous page. */
  readonly cursor: { readonly v: string; readonly id: string } | undefined;
  readonly level?: RiskLevel | undefined;
}

/**
 * Aircraft ranked by the risk of their latest analysed flight (by flight time), highest first, ties by aircraft
 * id. Aircraft without an analysed flight are not listed.
 */
export async function fleetRisk(db: TenantClient, q: FleetRiskQuery): Promise<FleetRiskRow[]> {
  const params: unknown[] = [q.limit];
  const where: string[] = [];
  if (q.level) where.push(`l.risk_level = $${params.push(q.level)}`);
  if (q.cursor) {
    const v = params.push(Number(q.cursor.v));
    const id = params.push(q.cursor.id);
    where.push(`(l.risk_score < $${v} OR (l.risk_score = $${v} AND l.aircraft_id > $${id}::uuid))`);
  }
  const { rows } = await db.query<FleetRiskRow>(
    `WITH latest AS (
       SELECT DISTINCT ON (a.aircraft_id) a.aircraft_id, a.flight_id, a.flight_at, a.risk_score, a.risk_level, a.vehicle_type,
         a.engine_version, a.created_at, ${DRIVERS} AS drivers
       FROM flight_analyses a WHERE a.superseded_at IS NULL AND a.aircraft_id IS NOT NULL
       ORDER BY a.aircraft_id, a.flight_at DESC, a.flight_id DESC)
     SELECT l.aircraft_id AS "aircraftId", ac.name AS "aircraftName", ac.type AS "aircraftType",
       (SELECT count(*)::int FROM flight_analyses c WHERE c.aircraft_id = l.aircraft_id AND c.superseded_at IS NULL) AS "analyzedFlights",
       l.flight_id AS "flightId", l.flight_at AS "flightAt", f.original_name AS "originalName", l.risk_score AS "riskScore",
       l.risk_level AS "riskLevel", l.vehicle_type AS "vehicleType", l.engine_version AS "engineVersion", l.created_at AS "analyzedAt", l.drivers
     FROM latest l JOIN aircraft ac ON ac.id = l.aircraft_id JOIN flights f ON f.id = l.flight_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY l.risk_score DESC, l.aircraft_id LIMIT $1`,
    params,
  );
  return rows;
}
