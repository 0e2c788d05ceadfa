/**
 * CPU time the server spends per authenticated GET /v1/me (API key → credential cache, rate limit, handler,
 * audit event, its share of the batched audit insert), measured in one process without sockets or a load
 * generator: the real server is started here on a fresh database and driven with fastify's `inject`.
 * Wall-clock benchmarks on a shared 2-core machine swing with the neighbours' load; process CPU time per
 * request moves much less, so this is the figure to compare two builds by (run them alternately).
 *
 *   node --import tsx bench/api-cpu.ts --database-url postgres://postgres@127.0.0.1:5432/postgres
 *     [--requests 100000] [--concurrency 100] [--rounds 3] [--root DIR]   (DIR: sources of another build)
 *
 * Socket writes and HTTP parsing are not included (see bench/api.ts for the end-to-end figure).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import type * as ConfigModule from '../src/config/config.js';
import type * as RuntimeModule from '../src/main/runtime.js';
import type * as ServerModule from '../src/main/server.js';
import type * as DemoModule from '../src/main/demo-seed.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};
const adminUrl = arg('database-url') ?? process.env.TEST_DATABASE_URL;
if (!adminUrl) throw new Error('--database-url (a PostgreSQL server where a scratch database may be created) is required');
const requests = Number(arg('requests')) || 100_000;
const concurrency = Number(arg('concurrency')) || 100;
const rounds = Number(arg('rounds')) || 3;
const root = arg('root') ?? join(import.meta.dirname, '..');

const { loadConfig } = (await import(join(root, 'src/config/config.ts'))) as typeof ConfigModule;
const { openRuntime } = (await import(join(root, 'src/main/runtime.ts'))) as typeof RuntimeModule;
const { startServer } = (await import(join(root, 'src/main/server.ts'))) as typeof ServerModule;
const { seedDemo } = (await import(join(root, 'src/main/demo-seed.ts'))) as typeof DemoModule;

const dbName = `skyguard_bench_${randomBytes(4).toString('hex')}`;
async function admin(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
}
const cpuSeconds = async (pid: number): Promise<number> => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  if (!stat) return 0;
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};

await admin(`CREATE DATABASE ${dbName}`);
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;
const config = loadConfig({
  ...process.env, DATABASE_URL: url.toString(), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '10000000', JOBS_IN_PROCESS: 'false',
  API_KEY_PEPPER: randomBytes(32).toString('hex'),
  AUDIT_SIGNING_KEY: Buffer.from(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()).toString('base64'),
});
const rt = await openRuntime(config, () => undefined);
const server = await startServer(rt, { port: 0, host: '127.0.0.1' });
try {
  const demo = await seedDemo(rt.ownerPool, rt.appPool, randomBytes(12).toString('base64url'), new Date());
  const app = server.app;
  const login = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { tenant: demo.tenant, email: demo.email, password: demo.password } });
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const key = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { cookie }, payload: { name: 'bench', scopes: ['users:read'] } })).json<{ secret: string }>();
  const headers = { authorization: `Bearer ${key.secret}` };

  async function drive(n: number): Promise<number> {
    let next = 0;
    let failed = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next++ < n) {
        if ((await app.inject({ method: 'GET', url: '/v1/me', headers })).statusCode !== 200) failed++;
        // Back to the event loop between requests, as socket I/O would: timers (the audit flush) run on time.
        await new Promise(setImmediate);
      }
    }));
    return failed;
  }
  const settle = () => new Promise((r) => setTimeout(r, 300)); // lets the last audit batch flush (50 ms interval)

  await drive(Math.min(20_000, requests));
  await settle();
  const results: string[] = [];
  for (let round = 0; round < rounds; round++) {
    const pids = (await admin('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName])).rows.map((r: { pid: number }) => r.pid);
    const db0 = (await Promise.all(pids.map(cpuSeconds))).reduce((a, b) => a + b, 0);
    const eld = monitorEventLoopDelay({ resolution: 1 });
    eld.enable();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const failed = await drive(requests);
    await settle();
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - t0 - 300;
    eld.disable();
    const db = (await Promise.all(pids.map(cpuSeconds))).reduce((a, b) => a + b, 0) - db0;
    const row = {
      round, requests, concurrency, failed, serverCpuUsPerReq: +((cpu.user + cpu.system) / requests).toFixed(1),
      dbCpuUsPerReq: +((db * 1e6) / requests).toFixed(1), wallUsPerReq: +((wall * 1000) / requests).toFixed(1),
      eventLoopDelayMs: { p99: +(eld.percentile(99) / 1e6).toFixed(1), max: +(eld.max / 1e6).toFixed(1) },
    };
    console.error(JSON.stringify(row));
    results.push(`| ${requests.toLocaleString('en')} | ${concurrency} | ${row.serverCpuUsPerReq} | ${row.dbCpuUsPerReq} | ${row.eventLoopDelayMs.p99} | ${row.eventLoopDelayMs.max} | ${failed} |`);
  }
  console.log(`\nNode ${process.version}, server from ${root}, PostgreSQL at --database-url (database ${dbName}, dropped after)\n`);
  console.log('| requests | in flight | server CPU µs/req | DB CPU µs/req | event-loop delay p99 ms | max ms | failed |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) console.log(r);
} finally {
  await server.close();
  await rt.close();
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
