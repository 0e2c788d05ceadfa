import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { startServer, type RunningServer } from '../../src/main/server.js';
import type { Runtime } from '../../src/main/runtime.js';
import { seedDemo } from '../../src/main/demo-seed.js';
import { loadSigningKey } from '../../src/platform/audit/audit-checkpoint.js';
import { createTenant, createUserAsSystem, type Tenant } from '../../src/platform/accounts/tenant-admin.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** A settable clock: tests move it forward to expire sessions and keys. */
export class TestClock {
  private offsetMs = 0;
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface TestServer {
  readonly baseUrl: string;
  readonly server: RunningServer;
  readonly db: TestDatabase;
  readonly runtime: Runtime;
  readonly clock: TestClock;
  readonly demo: { tenant: string; email: string; password: string };
  createTenant(slug: string): Promise<Tenant>;
  createUser(roles: string[], tenantSlug?: string): Promise<{ email: string; password: string; id: string }>;
  close(): Promise<void>;
}

/**
 * The real server (real PostgreSQL, runtime role, audit writer, rate limits) on a random loopback
 * port, over a fresh database with the demo tenant seeded. `env` overrides configuration.
 */
export async function startTestServer(options: { env?: Record<string, string>; jobs?: boolean } = {}): Promise<TestServer> {
  const db = await createTestDatabase();
  // Blobs and other files go to a fresh directory per server, removed on close.
  const dataDir = mkdtempSync(join(tmpdir(), 'skyguard-test-data-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000', JOBS_IN_PROCESS: options.jobs ? 'true' : 'false', SKYGUARD_DATA_DIR: dataDir, ...options.env });
  const signingPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const runtime: Runtime = {
    config,
    ownerPool: db.ownerPool,
    appPool: db.appPool,
    appUrl: db.appUrl,
    apiKeyPepper: randomBytes(32).toString('base64url'),
    signingKey: loadSigningKey(signingPem),
    demoPassword: 'demo-password-for-tests-1',
    async close() {
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const clock = new TestClock();
  const server = await startServer(runtime, { port: 0, host: '127.0.0.1', loginRateLimitPerMinute: 100_000, now: clock.now });
  const demo = await seedDemo(db.ownerPool, db.appPool, runtime.demoPassword!, clock.now());
  let n = 0;
  return {
    baseUrl: server.url,
    server,
    db,
    runtime,
    clock,
    demo,
    createTenant: (slug) => createTenant(db.ownerPool, slug, `Tenant ${slug}`),
    async createUser(roles, tenantSlug = demo.tenant) {
      const tenant = (await db.ownerPool.query<Tenant>('SELECT id, slug, name FROM tenants WHERE slug = $1', [tenantSlug])).rows[0]!;
      const email = `user${++n}-${roles.join('-')}@${tenantSlug}.test`;
      const password = `pw-${randomBytes(9).toString('base64url')}`;
      const u = await createUserAsSystem(db.appPool, tenant, { email, displayName: email, password, roles }, clock.now());
      return { email, password, id: u.id };
    },
    async close() {
      await server.close();
      await runtime.close();
    },
  };
}

/** Signs in through the API and returns the session cookie header value. */
export async function login(baseUrl: string, tenant: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant, email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return res.headers.getSetCookie().find((c) => c.startsWith('sg_session='))!.split(';')[0]!;
}

/**
 * Polls `check` until it returns a value other than undefined/false, or fails after `ms`. For effects
 * that happen asynchronously by design (batched audit writes, database notifications).
 */
export async function eventually<T>(check: () => Promise<T | undefined | false>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
