import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { withTenant, type TenantClient } from '../../src/platform/db/with-tenant.js';
import { createTenant, type Tenant } from '../../src/platform/accounts/tenant-admin.js';

/** Every table of migration 0004; the isolation checks below run over all of them. */
const SUPPLY_TABLES = [
  'aircraft_types', 'locations', 'fleet_aircraft', 'parts', 'part_aircraft_types', 'stock_levels', 'suppliers',
  'supplier_offers', 'demand_history', 'supplier_deliveries', 'risk_events', 'imports', 'import_rejects',
];

let db: TestDatabase;
let a: Tenant;
let b: Tenant;
const ids = new Map<string, Record<string, string>>();

/** One row in every supply table for the tenant, through the runtime role and its RLS policies. */
async function seed(c: TenantClient, t: Tenant): Promise<Record<string, string>> {
  const one = async (sql: string, params: unknown[]): Promise<string> => (await c.query<{ id: string }>(sql, params)).rows[0]!.id;
  const type = await one(`INSERT INTO aircraft_types (tenant_id, code, name, aircraft_class) VALUES ($1, 'A320', 'Airbus A320', 'narrowbody') RETURNING id`, [t.id]);
  const loc = await one(`INSERT INTO locations (tenant_id, code, name, kind, country) VALUES ($1, 'HAM', 'Hamburg hub', 'mro_hub', 'DE') RETURNING id`, [t.id]);
  await one(`INSERT INTO fleet_aircraft (tenant_id, registration, aircraft_type_id, base_location_id) VALUES ($1, 'D-AIAB', $2, $3) RETURNING id`, [t.id, type, loc]);
  const part = await one(
    `INSERT INTO parts (tenant_id, part_number, description, criticality, unit_cost, aog_cost, aog_cost_unit, aog_cost_source)
     VALUES ($1, 'PN-1', 'Bleed valve', 'no_go', 1200, 60000, 'day', 'risk-model narrowbody band') RETURNING id`, [t.id]);
  await c.query(`INSERT INTO part_aircraft_types (tenant_id, part_id, aircraft_type_id) VALUES ($1, $2, $3)`, [t.id, part, type]);
  await c.query(`INSERT INTO stock_levels (tenant_id, part_id, location_id, on_hand, reorder_point) VALUES ($1, $2, $3, 4, 2)`, [t.id, part, loc]);
  const sup = await one(`INSERT INTO suppliers (tenant_id, code, name, country, ports_of_origin) VALUES ($1, 'S1', 'Valves Ltd', 'GB', '{GBFXT}') RETURNING id`, [t.id]);
  await one(`INSERT INTO supplier_offers (tenant_id, supplier_id, part_id, price, lead_time_mean_days, lead_time_sd_days) VALUES ($1, $2, $3, 1100, 30, 8) RETURNING id`, [t.id, sup, part]);
  await c.query(`INSERT INTO demand_history (tenant_id, part_id, location_id, period, quantity) VALUES ($1, $2, $3, '2026-01-01', 3)`, [t.id, part, loc]);
  await one(`INSERT INTO supplier_deliveries (tenant_id, supplier_id, part_id, reference, quantity, promised_date, actual_date) VALUES ($1, $2, $3, 'PO-1/1', 2, '2026-02-01', '2026-02-04') RETURNING id`, [t.id, sup, part]);
  await one(`INSERT INTO risk_events (tenant_id, type, title, countries, starts_at, severity, source, source_id) VALUES ($1, 'strike', 'Port strike', '{GB}', now(), 0.5, 'manual', 'x1') RETURNING id`, [t.id]);
  const imp = await one(`INSERT INTO imports (tenant_id, entity, format, file_key, byte_size, content_sha256) VALUES ($1, 'parts', 'csv', 'k', 10, repeat('a', 64)) RETURNING id`, [t.id]);
  await c.query(`INSERT INTO import_rejects (tenant_id, import_id, row_number, column_name, reason) VALUES ($1, $2, 2, 'unit_cost', 'must be ≥ 0')`, [t.id, imp]);
  return { type, loc, part, sup, imp };
}

before(async () => {
  db = await createTestDatabase();
  a = await createTenant(db.ownerPool, 'supply-a', 'A');
  b = await createTenant(db.ownerPool, 'supply-b', 'B');
  for (const t of [a, b]) ids.set(t.id, await withTenant(db.appPool, { tenantId: t.id }, (c) => seed(c, t)));
});
after(() => db.drop());

test('every supply table has RLS enabled, forced and a tenant policy', async () => {
  const { rows } = await db.ownerPool.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean; policies: number }>(
    `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = ANY($1)`, [SUPPLY_TABLES]);
  assert.equal(rows.length, SUPPLY_TABLES.length);
  for (const r of rows) assert.ok(r.relrowsecurity && r.relforcerowsecurity && r.policies > 0, `${r.relname}: RLS incomplete`);
});

test('each tenant sees only its own rows in every supply table, and none without a tenant', async () => {
  for (const table of SUPPLY_TABLES) {
    for (const t of [a, b]) {
      const seen = await withTenant(db.appPool, { tenantId: t.id }, (c) => c.query<{ tenant_id: string }>(`SELECT tenant_id FROM ${table}`));
      assert.ok(seen.rows.length > 0, `${table}: ${t.slug} sees none of its rows`);
      assert.ok(seen.rows.every((r) => r.tenant_id === t.id), `${table}: ${t.slug} sees another tenant's rows`);
    }
    const bare = await db.appPool.query(`SELECT 1 FROM ${table} LIMIT 1`);
    assert.equal(bare.rows.length, 0, `${table} leaks rows without a tenant context`);
  }
});

test("a row cannot reference another tenant's part, location, supplier or aircraft type (stock, demand and part links: see the writers)", async () => {
  const other = ids.get(b.id)!;
  const mine = ids.get(a.id)!;
  const cases: [string, unknown[]][] = [
    [`INSERT INTO fleet_aircraft (tenant_id, registration, aircraft_type_id) VALUES ($1, 'X-1', $2)`, [a.id, other.type]],
    [`INSERT INTO supplier_deliveries (tenant_id, supplier_id, part_id, reference, quantity, promised_date) VALUES ($1, $2, $3, 'r', 1, '2026-01-01')`, [a.id, mine.sup, other.part]],
    [`INSERT INTO supplier_offers (tenant_id, supplier_id, part_id, price, lead_time_mean_days) VALUES ($1, $2, $3, 1, 1)`, [a.id, other.sup, mine.part]],
  ];
  for (const [sql, params] of cases) {
    await assert.rejects(withTenant(db.appPool, { tenantId: a.id }, (c) => c.query(sql, params)), /foreign key/, sql);
  }
  await assert.rejects(
    withTenant(db.appPool, { tenantId: a.id }, (c) => c.query(`INSERT INTO parts (tenant_id, part_number) VALUES ($1, 'X')`, [b.id])),
    /row-level security/,
  );
});

test('the schema refuses impossible values', async () => {
  const mine = ids.get(a.id)!;
  const bad: [string, unknown[], RegExp][] = [
    [`UPDATE stock_levels SET on_hand = -1`, [], /check/],
    [`UPDATE stock_levels SET min_qty = 5, max_qty = 2`, [], /check/],
    [`INSERT INTO parts (tenant_id, part_number) VALUES ($1, 'PN-1')`, [a.id], /unique/],
    [`INSERT INTO parts (tenant_id, part_number, criticality) VALUES ($1, 'PN-2', 'critical')`, [a.id], /check/],
    [`INSERT INTO parts (tenant_id, part_number, aog_cost, aog_cost_unit) VALUES ($1, 'PN-3', 10, 'day')`, [a.id], /check/],
    [`INSERT INTO demand_history (tenant_id, part_id, location_id, period, quantity) VALUES ($1, $2, $3, '2026-03-15', 1)`, [a.id, mine.part, mine.loc], /check/],
    [`INSERT INTO risk_events (tenant_id, type, title, starts_at, expected_end_at, severity, source, source_id) VALUES ($1, 'weather', 't', now(), now() - interval '1 day', 0.5, 's', 'y')`, [a.id], /check/],
    [`INSERT INTO risk_events (tenant_id, type, title, starts_at, severity, source, source_id) VALUES ($1, 'weather', 't', now(), 1.5, 's', 'z')`, [a.id], /check/],
    [`INSERT INTO risk_events (tenant_id, type, title, starts_at, severity, source, source_id) VALUES ($1, 'meteor', 't', now(), 0.5, 's', 'w')`, [a.id], /check/],
    [`INSERT INTO suppliers (tenant_id, code, name, country) VALUES ($1, 'S2', 'n', 'gbr')`, [a.id], /check/],
    [`INSERT INTO supplier_offers (tenant_id, supplier_id, part_id, price) VALUES ($1, $2, $3, 1)`, [a.id, mine.sup, mine.part], /check|unique/],
  ];
  for (const [sql, params, re] of bad) {
    await assert.rejects(withTenant(db.appPool, { tenantId: a.id }, (c) => c.query(sql, params)), re, sql);
  }
});
