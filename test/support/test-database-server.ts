import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/platform/db/embedded-postgres.js';
import { migrate } from '../../src/platform/db/migrator.js';

export const TEST_APP_PASSWORD = 'skyguard-test-app-password';

/**
 * For one test run: a PostgreSQL server (TEST_DATABASE_URL, or an embedded one in a temp dir) and a
 * template database migrated once. Test files clone the template (fast: a file copy in PostgreSQL)
 * so each file starts from a clean, fully migrated schema. Passes the coordinates to `fn` as env vars.
 */
export async function withTestDatabaseServer(fn: (env: Record<string, string>) => Promise<void>): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stop = async (): Promise<void> => undefined;
  let dir: string | undefined;
  if (!adminUrl) {
    dir = await mkdtemp(join(tmpdir(), 'skyguard-pg-'));
    await chmod(dir, 0o755); // the server may run as the postgres user when we are root
    const server = await startEmbeddedPostgres({ dir: join(dir, 'cluster'), superuserPassword: 'skyguard-test-superuser' });
    adminUrl = server.ownerUrl;
    stop = () => server.stop();
    process.stderr.write(`integration tests: embedded PostgreSQL (set TEST_DATABASE_URL to use another server)\n`);
  }
  const template = `skyguard_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    const templateUrl = new URL(adminUrl);
    templateUrl.pathname = `/${template}`;
    await migrate(templateUrl.toString(), { appRolePassword: TEST_APP_PASSWORD });
    await fn({ TEST_PG_ADMIN_URL: adminUrl, TEST_TEMPLATE_DB: template, TEST_APP_PASSWORD, TEST_RUN_PID: String(process.pid) });
  } finally {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'sgt\\_${process.pid}\\_%' OR datname = $1`, [template]);
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
