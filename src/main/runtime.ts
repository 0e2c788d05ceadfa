import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../config/config.js';
import { createPool, type Pool } from '../platform/db/pool.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../platform/db/embedded-postgres.js';
import { APP_ROLE, migrate } from '../platform/db/migrator.js';
import { loadOrCreateLocalSecrets } from '../platform/crypto/local-secrets.js';
import { loadSigningKey, type SigningKey } from '../platform/audit/audit-checkpoint.js';

/** Everything that talks to the outside world, built once from config; `close()` undoes it. */
export interface Runtime {
  readonly config: Config;
  readonly ownerPool: Pool;
  readonly appPool: Pool;
  /** Runtime-role connection string (for the notification listener's own connection). */
  readonly appUrl: string;
  readonly apiKeyPepper: string;
  readonly signingKey: SigningKey;
  /** Present for the embedded default (its generated demo password lives with the other secrets). */
  readonly demoPassword: string | undefined;
  close(): Promise<void>;
}

const DATABASE = 'skyguard';

function withCredentials(url: string, user: string, password: string | undefined, database?: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = password === undefined ? '' : encodeURIComponent(password);
  if (database) u.pathname = `/${database}`;
  return u.toString();
}

async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} ENCODING 'UTF8'`);
  } finally {
    await client.end();
  }
}

/**
 * Opens the database (starting the embedded server when DATABASE_URL is unset), applies pending
 * migrations as the owner, and opens the runtime-role pool the application uses for everything else.
 */
export async function openRuntime(config: Config, log: (line: string) => void): Promise<Runtime> {
  let embedded: EmbeddedDatabase | undefined;
  let ownerUrl: string;
  let appUrl: string;
  let pepper: string;
  let signingMaterial: string;
  let appPassword: string | undefined;
  let demoPassword: string | undefined;

  if (config.databaseUrl === undefined) {
    const secrets = await loadOrCreateLocalSecrets(config.dataDir);
    embedded = await startEmbeddedPostgres({ dir: join(config.dataDir, 'postgres'), superuserPassword: secrets.postgresPassword, log: () => undefined });
    await ensureDatabase(embedded.ownerUrl, DATABASE);
    ownerUrl = withCredentials(embedded.ownerUrl, 'postgres', secrets.postgresPassword, DATABASE);
    appPassword = secrets.appDbPassword;
    appUrl = withCredentials(ownerUrl, APP_ROLE, appPassword);
    pepper = secrets.apiKeyPepper;
    signingMaterial = secrets.auditSigningKey;
    demoPassword = secrets.demoPassword;
    log(`embedded PostgreSQL started (data in ${join(config.dataDir, 'postgres')})`);
  } else {
    ownerUrl = config.databaseUrl;
    appPassword = config.appDbPassword;
    appUrl = config.databaseAppUrl ?? withCredentials(ownerUrl, APP_ROLE, appPassword);
    pepper = config.apiKeyPepper!;
    signingMaterial = config.auditSigningKey!;
  }

  try {
    const signingKey = loadSigningKey(signingMaterial);
    const { applied } = await migrate(ownerUrl, { ...(appPassword === undefined ? {} : { appRolePassword: appPassword }), log });
    if (applied.length === 0) log('database schema is up to date');
    const ownerPool = createPool(ownerUrl, 4, 'skyguard-owner');
    const appPool = createPool(appUrl, config.databasePoolMax, 'skyguard');
    return {
      config, ownerPool, appPool, appUrl, apiKeyPepper: pepper, signingKey, demoPassword,
      async close() {
        await Promise.allSettled([ownerPool.end(), appPool.end()]);
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
