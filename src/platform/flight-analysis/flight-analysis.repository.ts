import type { FlightReport, RiskLevel, VehicleType } from '../../flight/report/report.js';
import type { Pool } from '../db/pool.js';
import type { TenantClient } from '../db/with-tenant.js';

/** The current (or a superseded) stored analysis of one flight. */
export interface AnalysisRow {
  readonly id: string;
  readonly flightId: string;
  readonly aircraftId: string | null;
  readonly flightAt: Date;
  readonly engineVersion: string;
  readonly schemaVersion: string;
  readonly thresholdsVersion: string;
  readonly anomalyModelVersion: string | null;
  readonly riskScore: number;
  readonly riskLevel: RiskLevel;
  readonly vehicleType: VehicleType;
  readonly reportSha256: string;
  readonly createdAt: Date;
  readonly supersededAt: Date | null;
}

export interface AnalysisFailure {
  readonly engineVersion: string;
  readonly code: string;
  readonly message: string;
  readonly failedAt: Date;
}

const COLUMNS = `id, flight_id AS "flightId", aircraft_id AS "aircraftId", flight_at AS "flightAt", engine_version AS "engineVersion",
  schema_version AS "schemaVersion", thresholds_version AS "thresholdsVersion", anomaly_model_version AS "anomalyModelVersion",
  risk_score AS "riskScore", risk_level AS "riskLevel", vehicle_type AS "vehicleType", report_sha256 AS "reportSha256",
  created_at AS "createdAt", superseded_at AS "supersededAt"`;

/** The flight's current analysis, with the report when asked (it can be hundreds of kilobytes). */
export async function currentAnalysis(db: TenantClient, flightId: string, withReport: true): Promise<(AnalysisRow & { report: FlightReport }) | undefined>;
export async function currentAnalysis(db: TenantClient, flightId: string, withReport?: false): Promise<AnalysisRow | undefined>;
export async function currentAnalysis(db: TenantClient, flightId: string, withReport = false): Promise<AnalysisRow | undefined> {
  const { rows } = await db.query<AnalysisRow>(
    `SELECT ${COLUMNS}${withReport ? ', report' : ''} FROM flight_analyses WHERE flight_id = $1 AND superseded_at IS NULL`,
    [flightId],
  );
  return rows[0];
}

export async function analysisFailure(db: TenantClient, flightId: string, engineVersion: string): Promise<AnalysisFailure | undefined> {
  const { rows } = await db.query<AnalysisFailure>(
    `SELECT engine_version AS "engineVersion", code, message, failed_at AS "failedAt" FROM flight_analysis_failures
     WHERE flight_id = $1 AND engine_version = $2`,
    [flightId, engineVersion],
  );
  return rows[0];
}

export interface NewAnalysis {
  readonly tenantId: string;
  readonly flightId: string;
  readonly report: FlightReport;
  readonly reportSha256: string;
  readonly anomalyModelVersion: string | null;
  readonly now: Date;
}

/**
 * Makes `a` the flight's current analysis: older-version rows are marked superseded (kept as history), and a
 * row for the same engine version is replaced in place (unique per flight and engine version). The aircraft
 * and flight time are copied from the flight in the same statement. Caller holds the flight's row lock.
 */
export async function storeAnalysis(db: TenantClient, a: NewAnalysis): Promise<string> {
  const r = a.report;
  await db.query(
    `UPDATE flight_analyses SET superseded_at = $3 WHERE flight_id = $1 AND superseded_at IS NULL AND engine_version <> $2`,
    [a.flightId, r.engineVersion, a.now],
  );
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO flight_analyses (tenant_id, flight_id, aircraft_id, flight_at, engine_version, schema_version, thresholds_version,
       anomaly_model_version, report, risk_score, risk_level, vehicle_type, report_sha256, created_at)
     SELECT $1, f.id, f.aircraft_id, f.start_sort_at, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 FROM flights f WHERE f.id = $2
     ON CONFLICT (flight_id, engine_version) DO UPDATE SET schema_version = EXCLUDED.schema_version,
       thresholds_version = EXCLUDED.thresholds_version, anomaly_model_version = EXCLUDED.anomaly_model_version,
       report = EXCLUDED.report, risk_score = EXCLUDED.risk_score, risk_level = EXCLUDED.risk_level,
       vehicle_type = EXCLUDED.vehicle_type, report_sha256 = EXCLUDED.report_sha256, created_at = EXCLUDED.created_at,
       aircraft_id = EXCLUDED.aircraft_id, flight_at = EXCLUDED.flight_at, superseded_at = NULL
     RETURNING id`,
    [a.tenantId, a.flightId, r.engineVersion, r.schemaVersion, r.thresholdsVersion, a.anomalyModelVersion, JSON.stringify(r),
      r.risk.score, r.risk.level, r.vehicle.type, a.reportSha256, a.now],
  );
  await db.query('DELETE FROM flight_analysis_failures WHERE flight_id = $1', [a.flightId]);
  return rows[0]!.id;
}

export async function recordAnalysisFailure(
  db: TenantClient,
  f: { tenantId: string; flightId: string; engineVersion: string; code: string; message: string; now: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO flight_analysis_failures (tenant_id, flight_id, engine_version, code, message, failed_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (flight_id, engine_version) DO UPDATE SET code = EXCLUDED.code, message = EXCLUDED.message, failed_at = EXCLUDED.failed_at`,
    [f.tenantId, f.flightId, f.engineVersion, f.code, f.message.slice(0, 2000), f.now],
  );
}

/** A manual re-analysis retries a failed one. */
export async function clearAnalysisFailures(db: TenantClient, flightId: string): Promise<number> {
  return (await db.query('DELETE FROM flight_analysis_failures WHERE flight_id = $1', [flightId])).rowCount ?? 0;
}

/**
 * The flight list shows the analysed vehicle type (metadata or behaviour) instead of the type the log declares,
 * except that an undecided `unknown` never replaces a declared type.
 */
export async function setFlightVehicleType(db: TenantClient, flightId: string, type: VehicleType, now: Date): Promise<void> {
  await db.query(
    `UPDATE flights SET vehicle_type = $2, updated_at = $3 WHERE id = $1 AND vehicle_type IS DISTINCT FROM $2 AND ($2 <> 'unknown' OR vehicle_type IS NULL)`,
    [flightId, type, now],
  );
}

export interface AwaitingAnalysis {
  readonly tenantId: string;
  readonly flightId: string;
  /** The current analysis' versions, null when the flight has none. */
  readonly engineVersion: string | null;
  readonly anomalyModelVersion: string | null;
}

/**
 * Decoded flights (any tenant) without a current analysis by these versions and no recorded failure with this
 * engine. Flights with no analysis at all are returned only after `decodedForS`, so the sweep does not race the
 * analysis the decode job has just enqueued. Runs without a tenant through a SECURITY DEFINER function.
 */
export async function flightsAwaitingAnalysis(
  pool: Pool,
  o: { engineVersion: string; anomalyModelVersion: string | null; decodedForS: number; limit: number },
): Promise<AwaitingAnalysis[]> {
  const { rows } = await pool.query<AwaitingAnalysis>(
    `SELECT tenant_id AS "tenantId", flight_id AS "flightId", engine_version AS "engineVersion", anomaly_model_version AS "anomalyModelVersion"
     FROM skyguard_private.flights_awaiting_analysis($1, $2, make_interval(secs => $3), $4)`,
    [o.engineVersion, o.anomalyModelVersion, o.decodedForS, o.limit],
  );
  return rows;
}
