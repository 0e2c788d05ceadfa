import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createTenant } from '../../src/platform/accounts/tenant-admin.js';
import { eventually } from '../support/test-server.js';

/** `skyguard import` as a real process against a real database, including a kill -9 mid-import. */
const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', '..', 'src', 'main', 'cli.ts');
let db: TestDatabase;
let env: NodeJS.ProcessEnv;
let dir: string;

const skyguard = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', cli, ...args], { env, maxBuffer: 1 << 24 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

before(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'skyguard-import-cli-'));
  env = {
    ...process.env, DATABASE_URL: db.ownerUrl, DATABASE_APP_URL: db.appUrl, SKYGUARD_DATA_DIR: join(dir, 'data'),
    API_KEY_PEPPER: randomBytes(32).toString('base64url'),
    AUDIT_SIGNING_KEY: Buffer.from(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()).toString('base64'),
  };
  await createTenant(db.ownerPool, 'cli-imports', 'CLI imports');
});
after(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

test('imports a file with progress and a report; the same file again does nothing; rejects go to a CSV', async () => {
  const file = join(dir, 'locations.csv');
  await writeFile(file, 'code,name,country\nHAM,Hamburg,DE\nBAD,Nowhere,XX\n');
  const r = await skyguard(['import', 'locations', file, '--tenant', 'cli-imports', '--rejects', join(dir, 'rejects.csv')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /100%/);
  assert.match(r.stderr, /accepted 1, rejected 1/);
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').at(-1)!), { id: JSON.parse(r.stdout.trim().split('\n').at(-1)!).id, status: 'succeeded', rowsAccepted: 1, rowsRejected: 1 });
  assert.equal(await readFile(join(dir, 'rejects.csv'), 'utf8'), 'row,column,reason,raw\n3,country,"must be an ISO 3166-1 alpha-2 country code (got ""XX"")","BAD,Nowhere,XX"\n');
  const again = await skyguard(['import', 'locations', file, '--tenant', 'cli-imports']);
  assert.equal(again.code, 0);
  assert.match(again.stderr, /already imported/);
  const audit = await db.ownerPool.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'supply.import.created'`);
  assert.equal(audit.rows[0].n, 1);
});

test('kill -9 in the middle of an import leaves whole batches only; running it again resumes', async () => {
  const n = 20_000;
  const file = join(dir, 'parts.csv');
  await writeFile(file, `part_number,description,unit_cost\n${Array.from({ length: n }, (_, i) => `K-${i},Kill test ${i},${i % 997}`).join('\n')}\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'import', 'parts', file, '--tenant', 'cli-imports', '--batch', '500'], { env, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await eventually(async () => {
    const { rows } = await db.ownerPool.query(`SELECT batches_committed FROM imports WHERE entity = 'parts'`);
    return rows[0] && rows[0].batches_committed >= 2;
  }, 120_000);
  child.kill('SIGKILL');
  await exited;
  const mid = (await db.ownerPool.query(`SELECT status, committed_rows, rows_inserted FROM imports WHERE entity = 'parts'`)).rows[0];
  const partsMid = (await db.ownerPool.query(`SELECT count(*)::int AS n FROM parts WHERE part_number LIKE 'K-%'`)).rows[0].n;
  assert.equal(mid.status, 'running');
  assert.ok(mid.committed_rows < n + 1, 'killed before the end');
  assert.equal(partsMid, mid.rows_inserted, 'exactly the committed batches are in the table');
  assert.equal(partsMid % 500, 0, 'whole batches only');

  const r = await skyguard(['import', 'parts', file, '--tenant', 'cli-imports', '--batch', '500']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /resuming import/);
  const done = (await db.ownerPool.query(`SELECT status, rows_read, rows_inserted, rows_rejected FROM imports WHERE entity = 'parts'`)).rows[0];
  assert.deepEqual(done, { status: 'succeeded', rows_read: n, rows_inserted: n, rows_rejected: 0 });
  assert.equal((await db.ownerPool.query(`SELECT count(*)::int AS n FROM parts WHERE part_number LIKE 'K-%'`)).rows[0].n, n);
});

test('bad arguments fail with a coded message and exit 1', async () => {
  const file = join(dir, 'x.csv');
  await writeFile(file, 'code,name\nA,B\n');
  const cases: [string[], RegExp][] = [
    [['import', 'widgets', file, '--tenant', 'cli-imports'], /VALIDATION_FAILED: TYPE must be one of/],
    [['import', 'locations', join(dir, 'missing.csv'), '--tenant', 'cli-imports'], /NOT_FOUND/],
    [['import', 'locations', file, '--tenant', 'no-such-tenant'], /NOT_FOUND: Tenant no-such-tenant/],
    [['import', 'locations', file, '--tenant', 'cli-imports', '--format', 'xml'], /--format must be/],
    [['import', 'locations', join(dir, 'x.txt'), '--tenant', 'cli-imports'], /--format must be/],
    [['import', 'locations', file, '--tenant', 'cli-imports', '--batch', '0'], /--batch must be/],
    [['import', 'locations', file], /required option '--tenant/],
  ];
  for (const [args, re] of cases) {
    const r = await skyguard(args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, re, args.join(' '));
  }
});
