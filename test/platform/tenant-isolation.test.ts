import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import { createTenant, createUserAsSystem, createApiKeyAsSystem, type Tenant } from '../../src/platform/accounts/tenant-admin.js';
import { writeCheckpoints, loadSigningKey } from '../../src/platform/audit/audit-checkpoint.js';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';

let db: TestDatabase;
let a: Tenant;
let b: Tenant;

before(async () => {
  db = await createTestDatabase();
  a = await createTenant(db.ownerPool, 'tenant-a', 'A');
  b = await createTenant(db.ownerPool, 'tenant-b', 'B');
  const now = new Date();
  // Give every tenant table at least one row per tenant, through the real code paths.
  for (const t of [a, b]) {
    await createUserAsSystem(db.appPool, t, { email: `admin@${t.slug}.test`, displayName: 'Admin', password: 'long-enough-password', roles: ['admin'] }, now);
    await createApiKeyAsSystem(db.appPool, t, { userEmail: `admin@${t.slug}.test`, name: 'k', scopes: ['users:read'] }, 'p'.repeat(32), now);
    await withTenant(db.appPool, { tenantId: t.id }, (c) =>
      c.query(`INSERT INTO sessions (tenant_id, user_id, token_hash, expires_at) SELECT $1, id, sha256(random()::text::bytea), now() + interval '1 hour' FROM users LIMIT 1`, [t.id]));
  }
  // Engine tables: one owner-written row per tenant (test/support/tenant-rows.sql).
  const engineRows = readFileSync(new URL('../support/tenant-rows.sql', import.meta.url), 'utf8');
  for (const t of [a, b]) await db.ownerPool.query(engineRows.replaceAll(':tenant', `'${t.id}'::uuid`));
  const key = loadSigningKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  await writeCheckpoints(db.appPool, key, now);
});
after(() => db.drop());

async function tenantTables(): Promise<string[]> {
  const { rows } = await db.ownerPool.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE' ORDER BY 1`,
  );
  return rows.map((r) => r.table_name);
}

test('every table with a tenant_id has RLS enabled, forced, and a policy', async () => {
  const tables = await tenantTables();
  assert.ok(tables.length >= 6, `found ${tables.join(', ')}`);
  const { rows } = await db.ownerPool.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean; policies: number }>(
    `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = ANY($1)`,
    [tables],
  );
  for (const r of rows) {
    assert.ok(r.relrowsecurity, `${r.relname}: RLS not enabled`);
    assert.ok(r.relforcerowsecurity, `${r.relname}: RLS not forced`);
    assert.ok(r.policies > 0, `${r.relname}: no policy`);
  }
  assert.equal(rows.length, tables.length);
});

test('the runtime role owns nothing and cannot bypass RLS', async () => {
  const { rows } = await db.ownerPool.query<{ rolbypassrls: boolean; rolsuper: boolean; owned: number }>(
    `SELECT rolbypassrls, rolsuper, (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS owned FROM pg_roles r WHERE rolname = 'skyguard_app'`,
  );
  assert.deepEqual(rows[0], { rolbypassrls: false, rolsuper: false, owned: 0 });
});

test('for every tenant table, a tenant sees only its own rows', async () => {
  for (const table of await tenantTables()) {
    const total = (await db.ownerPool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id IN ($1, $2)`, [a.id, b.id])).rows[0]!.n;
    assert.ok(total >= 2, `${table} should hold rows of both tenants for this test (has ${total})`);
    for (const t of [a, b]) {
      const seen = await withTenant(db.appPool, { tenantId: t.id }, (c) => c.query<{ tenant_id: string }>(`SELECT tenant_id FROM ${table}`));
      assert.ok(seen.rows.length > 0, `${table}: tenant ${t.slug} sees none of its rows`);
      assert.ok(seen.rows.every((r) => r.tenant_id === t.id), `${table}: tenant ${t.slug} sees another tenant's rows`);
    }
  }
});

test('without a tenant context the runtime role sees no tenant rows at all', async () => {
  for (const table of await tenantTables()) {
    const { rows } = await db.appPool.query(`SELECT 1 FROM ${table} LIMIT 1`);
    assert.equal(rows.length, 0, `${table} leaks rows without a tenant context`);
  }
});

test('writing a row for another tenant is refused by the policy', async () => {
  await assert.rejects(
    withTenant(db.appPool, { tenantId: a.id }, (c) =>
      c.query(`INSERT INTO users (tenant_id, email, display_name, roles) VALUES ($1, 'x@y.z', 'x', '{admin}')`, [b.id])),
    /row-level security/,
  );
  await assert.rejects(
    withTenant(db.appPool, { tenantId: a.id }, (c) => c.query(`UPDATE users SET tenant_id = $1`, [b.id])),
    /row-level security/,
  );
});

test('the tenant setting does not outlive its transaction on a pooled connection', async () => {
  await withTenant(db.appPool, { tenantId: a.id }, async () => undefined);
  const { rows } = await db.appPool.query<{ t: string | null }>("SELECT nullif(current_setting('app.tenant_id', true), '') AS t");
  assert.equal(rows[0]!.t, null);
});

test('withTenant refuses a malformed tenant id before touching the database', async () => {
  await assert.rejects(withTenant(db.appPool, { tenantId: "' OR 1=1 --" }, async () => undefined), /invalid tenant id/);
});
