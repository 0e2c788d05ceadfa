// `skyguard supply score` as a real process against a real database (DATABASE_URL mode).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createTenant, type Tenant } from '../../src/platform/accounts/tenant-admin.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import { seedRiskDataset } from './risk-support.js';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', '..', 'src', 'main', 'cli.ts');
let db: TestDatabase;
let env: NodeJS.ProcessEnv;
let a: Tenant;

const skyguard = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', cli, ...args], { env, maxBuffer: 16 << 20 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

before(async () => {
  db = await createTestDatabase();
  env = {
    ...process.env,
    DATABASE_URL: db.ownerUrl,
    DATABASE_APP_URL: db.appUrl,
    API_KEY_PEPPER: randomBytes(32).toString('base64url'),
    AUDIT_SIGNING_KEY: Buffer.from(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()).toString('base64'),
  };
  a = await createTenant(db.ownerPool, 'cli-a', 'CLI A');
  await seedRiskDataset(db.appPool, a.id);
});
after(() => db.drop());

test('supply score --json scores every tenant with supply data, stores the run and prints totals and the top items', async () => {
  const r = await skyguard('supply', 'score', '--json');
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { tenants: { tenant: string; run: { items: number; scored: number }; total: { items: number; expectedExposure: number; concurrentUpperBound: number }; top: { partNumber: string }[] }[] };
  assert.equal(j.tenants.length, 1);
  assert.equal(j.tenants[0]!.tenant, 'cli-a');
  assert.equal(j.tenants[0]!.run.items, 4);
  assert.equal(j.tenants[0]!.total.items, 4);
  assert.ok(j.tenants[0]!.total.concurrentUpperBound >= j.tenants[0]!.total.expectedExposure);
  assert.equal(j.tenants[0]!.top.length, 4);
  const runs = await withTenant(db.appPool, { tenantId: a.id }, async (c) => (await c.query<{ kind: string; trigger_ref: string }>('SELECT kind, trigger_ref FROM risk_runs')).rows);
  assert.deepEqual(runs, [{ kind: 'full', trigger_ref: 'cli' }]);
});

test('supply score text output states the bound is not a forecast', async () => {
  const r = await skyguard('supply', 'score', '--tenant', 'cli-a');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^cli-a: 4 items scored/m);
  assert.match(r.stdout, /not a forecast/);
});

test('supply score --part explains one part (text and JSON)', async () => {
  const t = await skyguard('supply', 'score', '--part', 'P-NOGO');
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /^P-NOGO — Fuel pump \(no_go, fuel\)/);
  assert.match(t.stdout, /stock_position/);
  assert.match(t.stdout, /policy \(cycle_service 99\.0 %\): reorder point 0 → \d+/);
  const j = await skyguard('supply', 'score', '--part', 'P-NOGO', '--tenant', 'cli-a', '--json');
  assert.equal(j.code, 0, j.stderr);
  const d = JSON.parse(j.stdout) as { run: { items: number }; locations: { live: { status: string; risk: { score: number }; explanation: { baselineScore: number; contributions: { points: number }[] } } }[] };
  assert.equal(d.run.items, 1);
  const e = d.locations[0]!.live.explanation;
  assert.ok(Math.abs(e.baselineScore + e.contributions.reduce((s, c) => s + c.points, 0) - d.locations[0]!.live.risk.score) < 1e-9);
});

test('supply score: bad and unknown input fail with a coded message and no stack', async () => {
  const cases: [string[], RegExp][] = [
    [['supply', 'score', '--part', 'NOPE', '--tenant', 'cli-a'], /^NOT_FOUND: Part NOPE/m],
    [['supply', 'score', '--tenant', 'no-such-tenant'], /^NOT_FOUND: Tenant no-such-tenant/m],
    [['supply', 'score', '--part', 'x'.repeat(65)], /^VALIDATION_FAILED: --part/m],
    [['supply', 'score', '--part', ''], /^VALIDATION_FAILED: --part/m],
  ];
  for (const [args, re] of cases) {
    const r = await skyguard(...args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, re, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
  await createTenant(db.ownerPool, 'cli-b', 'CLI B');
  await seedRiskDataset(db.appPool, (await db.ownerPool.query<{ id: string }>("SELECT id FROM tenants WHERE slug = 'cli-b'")).rows[0]!.id);
  const ambiguous = await skyguard('supply', 'score', '--part', 'P-NOGO');
  assert.equal(ambiguous.code, 1);
  assert.match(ambiguous.stderr, /--tenant is required/);
});
