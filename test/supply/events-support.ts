import type { Pool } from '../../src/platform/db/pool.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';

/** Parts and locations for inventory-event tests, written through the runtime role (under RLS). */
export async function seedStockFixtures(appPool: Pool, tenantId: string, partNumbers: readonly string[], locationCodes: readonly string[], onHand = 0): Promise<void> {
  await withTenant(appPool, { tenantId }, async (db) => {
    await db.query(`INSERT INTO parts (tenant_id, part_number, description) SELECT $1, p, 'test part' FROM unnest($2::text[]) AS p ON CONFLICT DO NOTHING`, [tenantId, partNumbers]);
    await db.query(`INSERT INTO locations (tenant_id, code, name) SELECT $1, l, 'test location' FROM unnest($2::text[]) AS l ON CONFLICT DO NOTHING`, [tenantId, locationCodes]);
    await db.query(
      `INSERT INTO stock_levels (tenant_id, part_id, location_id, on_hand)
       SELECT $1, p.id, l.id, $4 FROM parts p CROSS JOIN locations l WHERE p.part_number = ANY($2::text[]) AND l.code = ANY($3::text[])
       ON CONFLICT DO NOTHING`, [tenantId, partNumbers, locationCodes, onHand]);
  });
}

export interface Position {
  onHand: number;
  reserved: number;
  onOrder: number;
}

export async function stockOf(appPool: Pool, tenantId: string, partNumber: string, locationCode: string): Promise<Position | undefined> {
  return withTenant(appPool, { tenantId }, async (db) => {
    const { rows } = await db.query<Position>(
      `SELECT s.on_hand AS "onHand", s.reserved, s.on_order AS "onOrder" FROM stock_levels s
       JOIN parts p ON p.id = s.part_id JOIN locations l ON l.id = s.location_id WHERE p.part_number = $1 AND l.code = $2`, [partNumber, locationCode]);
    return rows[0];
  });
}

export async function countRows(appPool: Pool, tenantId: string, table: 'inventory_events' | 'inventory_event_dead_letters' | 'domain_event_outbox'): Promise<number> {
  return withTenant(appPool, { tenantId }, async (db) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n);
}

export const at = (minute: number): string => new Date(Date.UTC(2026, 10, 21, 8, minute)).toISOString();
