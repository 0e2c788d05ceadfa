import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';

/** The runtime role every migration grants to. Deployments may log in as a member of it. */
export const APP_ROLE = 'skyguard_app';
const MIGRATION_LOCK_KEY = 7_362_281_901; // arbitrary, fixed: one migrator per database at a time
const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export const defaultMigrationsDir = (): string => join(import.meta.dirname, '..', '..', '..', 'db', 'migrations');

export async function loadMigrations(dir = defaultMigrationsDir()): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const m = FILE_PATTERN.exec(file);
    if (!m) throw new Error(`Migration file ${file} does not match NNNN_verb_object.sql`);
    const sql = await readFile(join(dir, file), 'utf8');
    migrations.push({
      version: Number(m[1]),
      name: m[2]!,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  migrations.forEach((mig, i) => {
    if (mig.version !== i + 1) throw new Error(`Migrations must be numbered 0001.. without gaps; found ${mig.version} at position ${i + 1}`);
  });
  return migrations;
}

/**
 * Applies pending forward-only migrations as the database owner, each in its own transaction, under a
 * session advisory lock so that several instances starting at once migrate exactly once. An applied
 * migration whose file changed is an error: history is never rewritten.
 */
export async function migrate(
  ownerUrl: string,
  options: { appRolePassword?: string; migrationsDir?: string; log?: (line: string) => void } = {},
): Promise<{ applied: number[] }> {
  const log = options.log ?? (() => undefined);
  const migrations = await loadMigrations(options.migrationsDir);
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'skyguard-migrate' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await ensureAppRole(client, options.appRolePassword);
    await client.query(`CREATE TABLE IF NOT EXISTS skyguard_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number; checksum: string }>('SELECT version, checksum FROM skyguard_migrations');
    const done = new Map(rows.map((r) => [r.version, r.checksum]));
    const applied: number[] = [];
    for (const mig of migrations) {
      const existing = done.get(mig.version);
      if (existing !== undefined) {
        if (existing !== mig.checksum) throw new Error(`Migration ${mig.version} (${mig.name}) was changed after it was applied`);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(mig.sql);
        await client.query('INSERT INTO skyguard_migrations (version, name, checksum) VALUES ($1, $2, $3)', [mig.version, mig.name, mig.checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${mig.version} (${mig.name}) failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(mig.version);
      log(`applied migration ${String(mig.version).padStart(4, '0')}_${mig.name}`);
    }
    return { applied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

/** Creates the runtime role if missing (roles are cluster-wide) and sets its password when one is given. */
async function ensureAppRole(client: pg.Client, password: string | undefined): Promise<void> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_ROLE]);
  if (rowCount === 0) {
    // Two migrators on different databases of one cluster may race here; the loser's error is harmless.
    await client.query(`CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS`).catch((e: { code?: string }) => {
      if (e.code !== '42710' && e.code !== '23505') throw e;
    });
  }
  if (password !== undefined) {
    await client.query(`ALTER ROLE ${APP_ROLE} PASSWORD ${client.escapeLiteral(password)}`);
  }
}
