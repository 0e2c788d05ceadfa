import type { TenantClient } from '../db/with-tenant.js';

export type FlightStatus = 'queued' | 'decoding' | 'decoded' | 'failed';
export const FLIGHT_STATUSES: readonly FlightStatus[] = ['queued', 'decoding', 'decoded', 'failed'];

export interface FlightError {
  readonly code: string;
  readonly message: string;
  /** Byte in the file where decoding became impossible, when known. */
  readonly offset: number | null;
}

export interface FlightRow {
  readonly id: string;
  readonly aircraftId: string | null;
  readonly blobSha256: string;
  readonly sizeBytes: number;
  readonly originalName: string;
  readonly format: string | null;
  readonly detection: string;
  readonly status: FlightStatus;
  readonly error: FlightError | null;
  readonly summary: Record<string, unknown>;
  readonly vehicleType: string | null;
  readonly startedAt: Date | null;
  readonly durationS: number | null;
  readonly uploadedBy: string | null;
  readonly uploadedAt: Date;
  readonly decodedAt: Date | null;
  readonly updatedAt: Date;
  readonly decodeAttempts: number;
}

/** Summary keys left out of list pages (long lists the flight page fetches with the flight itself). */
const HEAVY_SUMMARY_KEYS = '{topics,events,modes,missing,armed,flying}';

const columns = (summary: string): string => `id, aircraft_id AS "aircraftId", blob_sha256 AS "blobSha256", size_bytes AS "sizeBytes",
  original_name AS "originalName", format, detection, status,
  CASE WHEN error_code IS NULL THEN NULL ELSE jsonb_build_object('code', error_code, 'message', error_message, 'offset', error_offset) END AS error,
  ${summary} AS summary, vehicle_type AS "vehicleType", started_at AS "startedAt", duration_s AS "durationS",
  uploaded_by AS "uploadedBy", uploaded_at AS "uploadedAt", decoded_at AS "decodedAt", updated_at AS "updatedAt",
  decode_attempts AS "decodeAttempts"`;
const FULL = columns('summary');
const BRIEF = columns(`summary - '${HEAVY_SUMMARY_KEYS}'::text[]`);

export interface NewFlight {
  readonly tenantId: string;
  readonly aircraftId: string | null;
  readonly blobSha256: string;
  readonly sizeBytes: number;
  readonly originalName: string;
  readonly format: string | null;
  readonly detection: string;
  readonly uploadedBy: string;
  /** Set for uploads refused at detection: the flight is kept, already failed. */
  readonly error?: FlightError | undefined;
  readonly now: Date;
}

/**
 * Inserts a flight unless the tenant already has one for the same bytes; returns the existing one
 * then (`duplicate: true`). ON CONFLICT keeps concurrent identical uploads from failing the transaction.
 */
export async function insertFlight(db: TenantClient, f: NewFlight): Promise<{ flight: FlightRow; duplicate: boolean }> {
  const { rows } = await db.query<FlightRow>(
    `INSERT INTO flights (tenant_id, aircraft_id, blob_sha256, size_bytes, original_name, format, detection, status,
       error_code, error_message, error_offset, uploaded_by, uploaded_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
     ON CONFLICT (tenant_id, blob_sha256) DO NOTHING RETURNING ${FULL}`,
    [f.tenantId, f.aircraftId, f.blobSha256, f.sizeBytes, f.originalName, f.format, f.detection, f.error ? 'failed' : 'queued',
      f.error?.code ?? null, f.error?.message ?? null, f.error?.offset ?? null, f.uploadedBy, f.now],
  );
  if (rows[0]) return { flight: rows[0], duplicate: false };
  const existing = await db.query<FlightRow>(`SELECT ${FULL} FROM flights WHERE blob_sha256 = $1`, [f.blobSha256]);
  return { flight: existing.rows[0]!, duplicate: true };
}

export async function getFlight(db: TenantClient, id: string, lock = false): Promise<FlightRow | undefined> {
  const { rows } = await db.query<FlightRow>(`SELECT ${FULL} FROM flights WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

/** Status, error and the signals' time span only: what the signals endpoint needs, without the summary. */
export async function getFlightState(db: TenantClient, id: string): Promise<{ status: FlightStatus; errorCode: string | null; timeRange: unknown } | undefined> {
  const { rows } = await db.query<{ status: FlightStatus; errorCode: string | null; timeRange: unknown }>(
    `SELECT status, error_code AS "errorCode", coalesce(summary->'signalTimeRange', summary->'timeRange') AS "timeRange" FROM flights WHERE id = $1`,
    [id],
  );
  return rows[0];
}

export async function deleteFlight(db: TenantClient, id: string): Promise<FlightRow | undefined> {
  const { rows } = await db.query<FlightRow>(`DELETE FROM flights WHERE id = $1 RETURNING ${BRIEF}`, [id]);
  return rows[0];
}

export async function markDecoding(db: TenantClient, id: string): Promise<void> {
  await db.query(`UPDATE flights SET status = 'decoding', decode_attempts = decode_attempts + 1, error_code = NULL,
    error_message = NULL, error_offset = NULL, updated_at = now() WHERE id = $1`, [id]);
}

export async function markDecoded(
  db: TenantClient,
  id: string,
  d: { summary: unknown; vehicleType: string; startedAt: Date | null; durationS: number | null },
): Promise<void> {
  await db.query(
    `UPDATE flights SET status = 'decoded', summary = $2, vehicle_type = $3, started_at = $4, duration_s = $5,
       error_code = NULL, error_message = NULL, error_offset = NULL, decoded_at = now(), updated_at = now() WHERE id = $1`,
    [id, JSON.stringify(d.summary), d.vehicleType, d.startedAt, d.durationS],
  );
}

export async function markFailed(db: TenantClient, id: string, e: FlightError, summary?: unknown): Promise<void> {
  await db.query(
    `UPDATE flights SET status = 'failed', error_code = $2, error_message = $3, error_offset = $4,
       summary = coalesce($5::jsonb, summary), updated_at = now() WHERE id = $1`,
    [id, e.code, e.message.slice(0, 2000), e.offset, summary === undefined ? null : JSON.stringify(summary)],
  );
}

export type FlightSort = 'uploadedAt' | '-uploadedAt' | 'startedAt' | '-startedAt';

export interface FlightFilter {
  readonly aircraftId?: string | undefined;
  readonly status?: FlightStatus | undefined;
  readonly vehicleType?: string | undefined;
  readonly uploadedAfter?: Date | undefined;
  readonly uploadedBefore?: Date | undefined;
  readonly startedAfter?: Date | undefined;
  readonly startedBefore?: Date | undefined;
}

/** Keyset page: `(sort column, id)` after the cursor, one index range scan at any depth. */
export async function listFlights(
  db: TenantClient,
  o: FlightFilter & { limit: number; sort: FlightSort; cursor: { v: string; id: string } | undefined },
): Promise<(FlightRow & { sortValue: Date })[]> {
  const column = o.sort.endsWith('startedAt') ? 'start_sort_at' : 'uploaded_at';
  const desc = o.sort.startsWith('-');
  const params: unknown[] = [];
  const where: string[] = [];
  const add = (sql: string, value: unknown): void => {
    if (value === undefined) return;
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  add('aircraft_id = ?', o.aircraftId);
  add('status = ?', o.status);
  add('vehicle_type = ?', o.vehicleType);
  add('uploaded_at >= ?', o.uploadedAfter);
  add('uploaded_at < ?', o.uploadedBefore);
  add('started_at >= ?', o.startedAfter);
  add('started_at < ?', o.startedBefore);
  if (o.cursor) {
    params.push(new Date(o.cursor.v), o.cursor.id);
    where.push(`(${column}, id) ${desc ? '<' : '>'} ($${params.length - 1}, $${params.length})`);
  }
  params.push(o.limit);
  const dir = desc ? 'DESC' : 'ASC';
  const { rows } = await db.query<FlightRow & { sortValue: Date }>(
    `SELECT ${BRIEF}, ${column} AS "sortValue" FROM flights ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY ${column} ${dir}, id ${dir} LIMIT $${params.length}`,
    params,
  );
  return rows;
}

/** Flights waiting for a decode that may have been lost (enqueue failed after commit, worker died). */
export async function flightsAwaitingDecode(
  db: { query: TenantClient['query'] },
  queuedForSeconds: number,
  decodingForSeconds: number,
): Promise<{ tenantId: string; flightId: string }[]> {
  const { rows } = await db.query<{ tenantId: string; flightId: string }>(
    `SELECT tenant_id AS "tenantId", flight_id AS "flightId"
     FROM skyguard_private.flights_awaiting_decode(make_interval(secs => $1), make_interval(secs => $2))`,
    [queuedForSeconds, decodingForSeconds],
  );
  return rows;
}

/** Whether any flight of any tenant still points at the blob (blobs are shared by content). */
/**
 * Serialises, per blob, the collector's "unused and old → delete" with an upload's "reuse → refer":
 * both take this transaction-scoped lock, so the collector can never delete a blob between an upload
 * finding it and the upload's flight row committing (see collectBlob and the upload route).
 */
export async function lockBlob(db: { query: TenantClient['query'] }, sha256: string): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(hashtextextended('flight_blob:' || $1, 0))", [sha256]);
}

export async function blobInUse(db: { query: TenantClient['query'] }, sha256: string): Promise<boolean> {
  const { rows } = await db.query<{ used: boolean }>('SELECT skyguard_private.flight_blob_in_use($1) AS used', [sha256]);
  return rows[0]!.used;
}
