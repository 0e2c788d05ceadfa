import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool, type Pool } from '../../src/platform/db/pool.js';
import { APP_ROLE } from '../../src/platform/db/migrator.js';

export interface TestDatabase {
  readonly name: string;
  /** Owner/superuser connection: for arranging data and for tampering tests. */
  readonly ownerUrl: string;
  /** Runtime-role connection: what the application (and so the tests' queries) use. */
  readonly appUrl: string;
  readonly ownerPool: Pool;
  readonly appPool: Pool;
  drop(): Promise<void>;
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run integration tests with \`npm test\` or \`npm run test:integration\``);
  return v;
}

/** A fresh database cloned from the migrated template; drop it in an `after` hook. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = env('TEST_PG_ADMIN_URL');
  const template = env('TEST_TEMPLATE_DB');
  const name = `sgt_${env('TEST_RUN_PID')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const owner = new URL(adminUrl);
  owner.pathname = `/${name}`;
  const app = new URL(owner.toString());
  app.username = APP_ROLE;
  app.password = env('TEST_APP_PASSWORD');
  const ownerPool = createPool(owner.toString(), 4, 'skyguard-test-owner');
  const appPool = createPool(app.toString(), 20, 'skyguard-test');
  return {
    name, ownerUrl: owner.toString(), appUrl: app.toString(), ownerPool, appPool,
    async drop() {
      await Promise.allSettled([ownerPool.end(), appPool.end()]);
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
