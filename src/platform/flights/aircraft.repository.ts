import type { TenantClient } from '../db/with-tenant.js';
import { conflict } from '../../shared/app-error.js';

export const AIRCRAFT_TYPES = ['multirotor', 'fixed_wing', 'vtol', 'helicopter', 'rover', 'boat', 'submarine', 'other'] as const;
export type AircraftType = (typeof AIRCRAFT_TYPES)[number];

export interface AircraftRow {
  readonly id: string;
  readonly name: string;
  readonly serialNumber: string | null;
  readonly type: AircraftType;
  readonly notes: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly flightCount: number;
}

export interface AircraftInput {
  readonly name?: string | undefined;
  readonly serialNumber?: string | null | undefined;
  readonly type?: AircraftType | undefined;
  readonly notes?: string | undefined;
}

const COLUMNS = `a.id, a.name, a.serial_number AS "serialNumber", a.type, a.notes, a.created_at AS "createdAt",
  a.updated_at AS "updatedAt", (SELECT count(*)::int FROM flights f WHERE f.aircraft_id = a.id) AS "flightCount"`;

const nameTaken = (e: unknown): boolean =>
  (e as { code?: string; constraint?: string }).code === '23505' && (e as { constraint?: string }).constraint === 'aircraft_tenant_name_key';

function duplicateName(e: unknown): never {
  if (nameTaken(e)) throw conflict('AIRCRAFT_NAME_TAKEN', 'An aircraft with this name already exists in the tenant');
  throw e;
}

export async function insertAircraft(db: TenantClient, tenantId: string, createdBy: string, a: AircraftInput & { name: string }): Promise<AircraftRow> {
  const { rows } = await db
    .query<{ id: string }>(
      `INSERT INTO aircraft (tenant_id, name, serial_number, type, notes, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [tenantId, a.name.trim(), a.serialNumber ?? null, a.type ?? 'other', a.notes ?? '', createdBy],
    )
    .catch(duplicateName);
  return (await getAircraft(db, rows[0]!.id))!;
}

export async function getAircraft(db: TenantClient, id: string): Promise<AircraftRow | undefined> {
  const { rows } = await db.query<AircraftRow>(`SELECT ${COLUMNS} FROM aircraft a WHERE a.id = $1`, [id]);
  return rows[0];
}

export async function updateAircraft(db: TenantClient, id: string, patch: AircraftInput): Promise<AircraftRow | undefined> {
  const { rowCount } = await db
    .query(
      `UPDATE aircraft SET name = coalesce($2, name),
         serial_number = CASE WHEN $3::boolean THEN $4 ELSE serial_number END,
         type = coalesce($5, type), notes = coalesce($6, notes), updated_at = now() WHERE id = $1`,
      [id, patch.name?.trim() ?? null, patch.serialNumber !== undefined, patch.serialNumber ?? null, patch.type ?? null, patch.notes ?? null],
    )
    .catch(duplicateName);
  return rowCount ? getAircraft(db, id) : undefined;
}

/** Refuses while flights point at the aircraft: unlinking them silently would lose their history. */
export async function deleteAircraft(db: TenantClient, id: string): Promise<AircraftRow | undefined> {
  const row = await getAircraft(db, id);
  if (!row) return undefined;
  if (row.flightCount > 0) {
    throw conflict('AIRCRAFT_HAS_FLIGHTS', `The aircraft has ${row.flightCount} flight(s); delete or move them first`);
  }
  await db.query('DELETE FROM aircraft WHERE id = $1', [id]);
  return row;
}

/** Keyset page ordered by name (case-insensitive), then id. */
export async function listAircraft(db: TenantClient, o: { limit: number; cursor: { v: string; id: string } | undefined; type?: AircraftType | undefined }): Promise<AircraftRow[]> {
  const { rows } = await db.query<AircraftRow>(
    `SELECT ${COLUMNS} FROM aircraft a
     WHERE ($2::text IS NULL OR (lower(a.name), a.id) > ($2, $3::uuid)) AND ($4::text IS NULL OR a.type = $4)
     ORDER BY lower(a.name), a.id LIMIT $1`,
    [o.limit, o.cursor?.v ?? null, o.cursor?.id ?? null, o.type ?? null],
  );
  return rows;
}
