import type { Pool } from '../../src/platform/db/pool.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';

export const RISK_NOW = new Date(Date.UTC(2026, 10, 21, 12));

/**
 * A small supply dataset written through the runtime role (under RLS): one narrow-body fleet of 4,
 * one store, two suppliers (FR via Le Havre, US via Los Angeles) and four parts — P-NOGO grounds the
 * fleet, the others ground nothing — with 24 months of demand, offers and delivery history.
 */
export async function seedRiskDataset(appPool: Pool, tenantId: string): Promise<void> {
  await withTenant(appPool, { tenantId }, async (db) => {
    const q = (sql: string, params: unknown[] = []) => db.query(sql, [tenantId, ...params]);
    await q(`INSERT INTO aircraft_types (tenant_id, code, name, aircraft_class) VALUES ($1, 'A320', 'Airbus A320', 'narrowbody')`);
    await q(`INSERT INTO locations (tenant_id, code, name, country) VALUES ($1, 'STORE1', 'Main store', 'GB')`);
    await q(`INSERT INTO fleet_aircraft (tenant_id, registration, aircraft_type_id)
             SELECT $1, r, t.id FROM aircraft_types t, unnest(ARRAY['G-AAA1','G-AAA2','G-AAA3','G-AAA4']) r`);
    await q(`INSERT INTO suppliers (tenant_id, code, name, country, region, ports_of_origin) VALUES
             ($1, 'SUP-FR', 'Avions Pieces', 'FR', 'EU', ARRAY['FRLEH']), ($1, 'SUP-US', 'Aero Parts', 'US', 'NA', ARRAY['USLAX'])`);
    await q(`INSERT INTO parts (tenant_id, part_number, description, category, criticality) VALUES
             ($1, 'P-NOGO', 'Fuel pump', 'fuel', 'no_go'), ($1, 'P-FR', 'Seat cover', 'cabin', 'non_essential'),
             ($1, 'P-US', 'Filter', 'hydraulics', 'go'), ($1, 'P-US2', 'Lamp', 'lighting', 'non_essential')`);
    await q(`INSERT INTO part_aircraft_types (tenant_id, part_id, aircraft_type_id) SELECT $1, p.id, t.id FROM parts p, aircraft_types t WHERE p.part_number = 'P-NOGO'`);
    await q(`INSERT INTO supplier_offers (tenant_id, supplier_id, part_id, price, lead_time_mean_days, lead_time_sd_days, preferred)
             SELECT $1, s.id, p.id, 100, 40, 10, true FROM parts p JOIN suppliers s ON s.code = CASE WHEN p.part_number IN ('P-NOGO', 'P-FR') THEN 'SUP-FR' ELSE 'SUP-US' END`);
    await q(`INSERT INTO stock_levels (tenant_id, part_id, location_id, on_hand, reserved, on_order)
             SELECT $1, p.id, l.id, 6, 0, 0 FROM parts p, locations l`);
    // 24 complete months before RISK_NOW; one unit in every other month, two every sixth.
    await q(`INSERT INTO demand_history (tenant_id, part_id, location_id, period, quantity)
             SELECT $1, p.id, l.id, (date '2026-11-01' - make_interval(months => m))::date, CASE WHEN m % 6 = 0 THEN 2 WHEN m % 2 = 0 THEN 1 ELSE 0 END
               FROM parts p, locations l, generate_series(1, 24) m`);
    await q(`INSERT INTO supplier_deliveries (tenant_id, supplier_id, part_id, reference, quantity, promised_date, actual_date)
             SELECT $1, s.id, p.id, 'PO-' || s.code || '-' || k, 1, date '2026-06-01' + k * 7, date '2026-06-01' + k * 7 + (k % 4)
               FROM suppliers s JOIN parts p ON p.part_number = 'P-FR', generate_series(1, 12) k`);
  });
}

export async function idOf(appPool: Pool, tenantId: string, table: 'parts' | 'locations' | 'suppliers', key: string): Promise<string> {
  const col = table === 'parts' ? 'part_number' : 'code';
  return withTenant(appPool, { tenantId }, async (db) => (await db.query<{ id: string }>(`SELECT id FROM ${table} WHERE ${col} = $1`, [key])).rows[0]!.id);
}
