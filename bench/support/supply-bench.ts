/**
 * Set-up shared by the real-time supply benches (bench/supply-events.ts, bench/supply-alert-latency.ts):
 * arguments, a fresh migrated database on a PostgreSQL server, the runtime the real server runs on,
 * a tenant with an API key, percentiles and the CPU meter (this process, the bench database's
 * PostgreSQL backends and nats-server) — CPU is the figure that survives a shared machine.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.js';
import type { Runtime } from '../../src/main/runtime.js';
import { migrate } from '../../src/platform/db/migrator.js';
import { createPool, type Pool } from '../../src/platform/db/pool.js';
import { loadSigningKey } from '../../src/platform/audit/audit-checkpoint.js';
import { createApiKeyAsSystem, createTenant, createUserAsSystem } from '../../src/platform/accounts/tenant-admin.js';

/** `--name value` from the command line, else the fallback. */
export const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : (process.argv[i + 1] ?? fallback);
};

export const pct = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

export const loadText = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

export interface BenchDatabase {
  readonly name: string;
  readonly ownerPool: Pool;
  readonly appPool: Pool;
  readonly appUrl: string;
  /** pids of this database's server processes (backends) right now. */
  backendPids(): Promise<number[]>;
  drop(): Promise<void>;
}

/** Creates and migrates `<prefix>_<random>` on the server at `serverUrl`, with owner and runtime-role pools. */
export async function createBenchDatabase(prefix: string, serverUrl: string, pools: { owner: number; app: number }): Promise<BenchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const ownerUrl = new URL(serverUrl);
  ownerUrl.pathname = `/${name}`;
  const appPassword = randomBytes(12).toString('hex');
  await migrate(ownerUrl.toString(), { appRolePassword: appPassword });
  const appUrl = new URL(ownerUrl.toString());
  appUrl.username = 'skyguard_app';
  appUrl.password = appPassword;
  const ownerPool = createPool(ownerUrl.toString(), pools.owner, 'bench-owner');
  const appPool = createPool(appUrl.toString(), pools.app, 'bench');
  return {
    name, ownerPool, appPool, appUrl: appUrl.toString(),
    backendPids: async () => (await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name])).rows.map((r) => r.pid),
    async drop() {
      await Promise.allSettled([ownerPool.end(), appPool.end()]);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** The runtime the server runs on, with a fresh signing key and API-key pepper. */
export function benchRuntime(db: BenchDatabase, env: Record<string, string>): Runtime {
  const config = loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '10000000', BODY_LIMIT_BYTES: String(8 * 1024 * 1024), ...env });
  return {
    config, ownerPool: db.ownerPool, appPool: db.appPool, appUrl: db.appUrl, apiKeyPepper: randomBytes(32).toString('base64url'), demoPassword: undefined,
    signingKey: loadSigningKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    close: async () => undefined,
  };
}

/** Tenant `bench` with an admin user and a `supply:write` API key (its bearer secret). */
export async function createBenchTenant(db: BenchDatabase, runtime: Runtime): Promise<{ id: string; slug: string; secret: string }> {
  const tenant = await createTenant(db.ownerPool, 'bench', 'Bench');
  await createUserAsSystem(db.appPool, tenant, { email: 'bench@bench.test', displayName: 'Bench', password: 'bench-password-123', roles: ['admin'] }, new Date());
  const key = await createApiKeyAsSystem(db.appPool, tenant, { userEmail: 'bench@bench.test', name: 'bench', scopes: ['supply:write'] }, runtime.apiKeyPepper, new Date());
  return { id: tenant.id, slug: 'bench', secret: key.secret };
}

/** CPU milliseconds consumed so far by this process, the bench database's backends and nats-server. */
export interface CpuSample {
  readonly node: number;
  readonly pg: number;
  readonly nats: number;
}

const cpuMs = (pid: number): number => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0;
  }
};

const natsPids = (): number[] => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
  try {
    return readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'nats-server';
  } catch {
    return false;
  }
}).map(Number);

/**
 * Backends that ended between two samples take their CPU with them, so the meter remembers the
 * highest reading of every pid it has seen and sums those (pools keep their connections in a run).
 */
export function cpuMeter(db: BenchDatabase): () => Promise<CpuSample> {
  const seen = new Map<number, number>();
  return async () => {
    for (const pid of await db.backendPids()) seen.set(pid, Math.max(seen.get(pid) ?? 0, cpuMs(pid)));
    for (const pid of seen.keys()) seen.set(pid, Math.max(seen.get(pid)!, cpuMs(pid)));
    const u = process.cpuUsage();
    return { node: (u.user + u.system) / 1000, pg: [...seen.values()].reduce((a, b) => a + b, 0), nats: natsPids().reduce((a, p) => a + cpuMs(p), 0) };
  };
}

/** CPU ms per 1,000 units between two samples, as `node + PG + NATS`, and the total per unit. */
export function cpuPer1000(a: CpuSample, b: CpuSample, units: number): { text: string; msPerUnit: number } {
  const per = (x: number, y: number): number => ((y - x) * 1000) / Math.max(1, units);
  const node = per(a.node, b.node);
  const db = per(a.pg, b.pg);
  const nats = per(a.nats, b.nats);
  return { text: `${node.toFixed(0)} + ${db.toFixed(0)} + ${nats.toFixed(0)}`, msPerUnit: (node + db + nats) / 1000 };
}
