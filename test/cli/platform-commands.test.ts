import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** The operator's commands, run as real processes against a real database (DATABASE_URL mode). */
const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', '..', 'src', 'main', 'cli.ts');
let db: TestDatabase;
let env: NodeJS.ProcessEnv;

const skyguard = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
  run(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...env, ...extraEnv } }).then(
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
});
after(() => db.drop());

test('migrate is idempotent', async () => {
  const r = await skyguard(['migrate']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /up to date/);
});

test('tenant, user and API key creation, then a clean audit verify', async () => {
  assert.equal((await skyguard(['tenant', 'create', 'acme', '--name', 'Acme Air'])).code, 0);
  const dup = await skyguard(['tenant', 'create', 'acme']);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /TENANT_EXISTS/);
  const user = await skyguard(['user', 'create', '--tenant', 'acme', '--email', 'ops@acme.test', '--roles', 'operator,auditor']);
  assert.equal(user.code, 0, user.stderr);
  assert.ok((JSON.parse(user.stdout) as { password: string }).password.length >= 12, 'a generated password is printed once');
  const key = await skyguard(['apikey', 'create', '--tenant', 'acme', '--user', 'ops@acme.test', '--name', 'erp', '--scopes', 'flights:read']);
  assert.equal(key.code, 0, key.stderr);
  assert.match((JSON.parse(key.stdout) as { secret: string }).secret, /^sg_/);
  const beyond = await skyguard(['apikey', 'create', '--tenant', 'acme', '--user', 'ops@acme.test', '--name', 'x', '--scopes', 'users:write']);
  assert.equal(beyond.code, 1);
  assert.match(beyond.stderr, /SCOPE_EXCEEDS_CREATOR/);
  const verify = await skyguard(['audit', 'verify', '--tenant', 'acme']);
  assert.equal(verify.code, 0, verify.stderr);
  assert.match(verify.stdout, /ok\s+acme: 2 events/);
});

test('audit verify exits 2 and names the first broken event after tampering', async () => {
  const c = await db.ownerPool.connect();
  try {
    await c.query('BEGIN');
    await c.query("SET LOCAL session_replication_role = 'replica'");
    await c.query(`UPDATE audit_events SET details = '{"forged":true}' WHERE seq = 1 AND tenant_id = (SELECT id FROM tenants WHERE slug = 'acme')`);
    await c.query('COMMIT');
  } finally {
    c.release();
  }
  const r = await skyguard(['audit', 'verify']);
  assert.equal(r.code, 2);
  assert.match(r.stdout, /BROKEN\s+acme: first problem at seq 1 .*content changed/);
});

test('bad input to the commands: clear errors, exit 1, no stack traces', async () => {
  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [['user', 'create', '--tenant', 'nope', '--email', 'a@b.c', '--roles', 'pilot'], {}, /NOT_FOUND: Tenant nope/],
    [['user', 'create', '--tenant', 'acme', '--email', 'not-an-email', '--roles', 'pilot'], {}, /email/],
    [['user', 'create', '--tenant', 'acme', '--email', 'x@acme.test', '--roles', 'root'], {}, /unknown roles: root/],
    [['user', 'create', '--tenant', 'acme', '--email', 'y@acme.test', '--roles', 'pilot', '--password', 'short'], {}, /at least 12/],
    [['tenant', 'create', 'Bad Slug!'], {}, /slug/],
    [['user', 'create'], {}, /required option/],
    [['no-such-command'], {}, /unknown command/],
    [['migrate'], { PORT: 'x', LOG_LEVEL: 'loud' }, /PORT.*\n.*LOG_LEVEL/s],
  ];
  for (const [args, extra, message] of cases) {
    const r = await skyguard(args, extra);
    assert.equal(r.code, 1, `${args.join(' ')} → exit ${r.code}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, `${args.join(' ')}: no stack trace`);
  }
});
