// The demo generator's two outlets: import files (`skyguard demo generate --out`) and a tenant
// written with the importers' bulk writers (what `npm start` seeds), plus hostile CLI arguments.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createTenant, type Tenant } from '../../src/platform/accounts/tenant-admin.js';
import { createFieldCipher } from '../../src/platform/crypto/field-cipher.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import { createDemoDataset } from '../../src/supply/demo/index.js';
import { writeDemoFiles, writeDemoToTenant } from '../../src/main/demo.commands.js';
import { DEMO_SUPPLY, seedDemo, seedDemoSupply } from '../../src/main/demo-seed.js';

let db: TestDatabase;
let tenant: Tenant;
const dir = mkdtempSync(join(tmpdir(), 'skyguard-demo-'));
before(async () => {
  db = await createTestDatabase();
  tenant = await createTenant(db.ownerPool, 'demo-data', 'Demo data');
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db.drop();
});

const ds = createDemoDataset({ parts: 300, suppliers: 40, seed: 21, months: 12 });
const cipher = createFieldCipher(undefined, 'pepper-for-demo-data-tests-0000000');

test('writes one import file per entity and a manifest with the import order', async () => {
  const counts = await writeDemoFiles(ds, dir, 'csv');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { importOrder: string[]; rows: Record<string, number> };
  assert.deepEqual(manifest.importOrder.slice(0, 4), ['aircraft_types', 'locations', 'fleet', 'parts']);
  assert.equal(counts.parts, 300);
  const lines = readFileSync(join(dir, 'stock.csv'), 'utf8').trimEnd().split('\n');
  assert.equal(lines[0], 'part_number,location_code,on_hand,reserved,on_order,safety_stock,reorder_point,min_qty,max_qty');
  assert.equal(lines.length - 1, manifest.rows.stock);
});

test('writes into a tenant with references resolved; a second run changes nothing', async () => {
  const first = await writeDemoToTenant(db.appPool, tenant.id, ds, cipher);
  const q = (sql: string) => withTenant(db.appPool, { tenantId: tenant.id }, async (c) => (await c.query<{ n: number }>(sql)).rows[0]!.n);
  assert.equal(await q('SELECT count(*)::int AS n FROM parts'), 300);
  assert.equal(await q('SELECT count(*)::int AS n FROM stock_levels'), first.stock);
  assert.equal(await q('SELECT count(*)::int AS n FROM stock_levels WHERE on_hand < 0 OR reserved > on_hand'), 0);
  assert.ok((await q('SELECT count(*)::int AS n FROM part_aircraft_types')) > 0);
  assert.equal(await q('SELECT count(*)::int AS n FROM suppliers WHERE contact_ciphertext IS NULL'), 0, 'contacts are stored encrypted');
  const latest = "SELECT (SELECT max(updated_at) FROM parts)::text || (SELECT max(updated_at) FROM stock_levels)::text || (SELECT max(updated_at) FROM suppliers)::text AS n";
  const stamp = await q(latest);
  await writeDemoToTenant(db.appPool, tenant.id, ds, cipher);
  assert.equal(await q('SELECT count(*)::int AS n FROM parts'), 300);
  assert.equal(await q(latest), stamp, 'no row was rewritten');
});

test('the CLI refuses bad arguments with a coded message and exit 1', () => {
  const cli = join(import.meta.dirname, '..', '..', 'src', 'main', 'cli.ts');
  for (const [args, expected] of [
    [['--parts', '-5', '--out', dir], /VALIDATION_FAILED: --parts must be a whole number/],
    [['--suppliers', "1; rm -rf /", '--out', dir], /VALIDATION_FAILED: --suppliers must be a whole number/],
    [['--out', dir, '--tenant', 'demo'], /VALIDATION_FAILED: give exactly one of --out DIR or --tenant SLUG/],
    [['--parts', '600000', '--raf', join(dir, 'missing.csv'), '--out', dir], /NOT_FOUND/],
  ] as const) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', cli, 'demo', 'generate', ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, expected);
    assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
  }
});

test('npm start seeds the demo tenant with generated supply data once', async () => {
  await seedDemo(db.ownerPool, db.appPool, 'demo-password-for-tests-1', new Date());
  const first = await seedDemoSupply(db.ownerPool, db.appPool, cipher, new Date());
  assert.equal(first?.parts, DEMO_SUPPLY.parts);
  assert.equal(first?.suppliers, DEMO_SUPPLY.suppliers);
  assert.equal(await seedDemoSupply(db.ownerPool, db.appPool, cipher, new Date()), undefined, 'second start: already seeded');
});
