import type { FieldCipher } from '../crypto/field-cipher.js';
import type { TenantClient } from '../db/with-tenant.js';
import { camelize, SUPPLY_LISTS } from './supply-read.specs.js';
import { supplierContactAad } from './supply.writers.js';

/** What a part page shows beyond the part row: the aircraft types it grounds and stock by location. */
export async function getPartDetail(db: TenantClient, partId: string): Promise<{ aircraftTypes: unknown[]; stock: unknown[] }> {
  const types = await db.query(
    `SELECT t.id, t.code, t.name, t.aircraft_class, l.essentiality, l.quantity_per_aircraft, l.aircraft_per_unit_short,
            (SELECT count(*)::int FROM fleet_aircraft f WHERE f.aircraft_type_id = t.id AND f.status <> 'retired') AS fleet_size
     FROM part_aircraft_types l JOIN aircraft_types t ON t.id = l.aircraft_type_id WHERE l.part_id = $1 ORDER BY t.code`,
    [partId],
  );
  const stock = await db.query(
    `SELECT l.id AS location_id, l.code AS location_code, s.on_hand, s.reserved, s.on_order, s.safety_stock, s.reorder_point, s.min_qty, s.max_qty, s.updated_at
     FROM stock_levels s JOIN locations l ON l.id = s.location_id WHERE s.part_id = $1 ORDER BY l.code`,
    [partId],
  );
  return { aircraftTypes: types.rows.map(camelize), stock: stock.rows.map(camelize) };
}

/**
 * One supplier with its contact decrypted. A contact that does not decrypt (another key, tampered
 * ciphertext) is reported as unavailable with the reason, never as garbage.
 */
export async function getSupplierDetail(db: TenantClient, tenantId: string, id: string, cipher: FieldCipher): Promise<Record<string, unknown> | undefined> {
  const spec = SUPPLY_LISTS.suppliers;
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT ${spec.select}, s.contact_ciphertext AS sg_ct, s.contact_key_id AS sg_key FROM ${spec.from} WHERE s.id = $1`, [id]);
  const row = rows[0];
  if (!row) return undefined;
  let contact: unknown = null;
  let contactError: string | null = null;
  if (row.sg_ct) {
    try {
      contact = JSON.parse(cipher.decrypt(row.sg_ct as Buffer, row.sg_key as string, supplierContactAad(tenantId, row.code as string)));
    } catch (e) {
      contactError = `contact cannot be decrypted: ${(e as Error).message}`;
    }
  }
  return { ...spec.view(row), contact, ...(contactError ? { contactError } : {}) };
}

export async function getStockEntry(db: TenantClient, partId: string, locationId: string): Promise<Record<string, unknown> | undefined> {
  const spec = SUPPLY_LISTS.stock;
  const { rows } = await db.query<Record<string, unknown>>(`SELECT ${spec.select} FROM ${spec.from} WHERE s.part_id = $1 AND s.location_id = $2`, [partId, locationId]);
  return rows[0] ? spec.view(rows[0]) : undefined;
}
