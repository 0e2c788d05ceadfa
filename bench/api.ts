/**
 * Requests/s and latency of an authenticated GET (API key → /v1/me: key lookup, rate limit, audit event)
 * against the real server started as a child process, on a fresh embedded PostgreSQL (default) or a fresh
 * database on a PostgreSQL server you name. Prints a markdown table for bench/RESULTS.md.
 *
 *   node --import tsx bench/api.ts [--seconds 10] [--connections 50,500] [--runs 1]
 *     [--database-url postgres://postgres@127.0.0.1:5432/postgres]   fresh database on that server
 *     [--source] [--root DIR]      run the server from TypeScript sources (of DIR) instead of dist/ (A/B runs)
 *     [--cpu-prof DIR]             write the server's V8 CPU profile into DIR
 *     [--timeline]                 print the worst latency of every second (stalls show as spikes)
 *     [--rate N]                   offer N requests/s in all instead of as many as the server takes: CPU per
 *                                  request at a fixed load is the steadiest figure to compare builds by
 *
 * Percentiles come from every 2xx latency recorded here (autocannon reports p90 and p97.5, not p95).
 * CPU per request is read from /proc for the server process, the database backends and this process
 * (the load generator), so runs on a shared, noisy machine can still be compared: wall-clock figures
 * move with the neighbours' load, CPU time per request much less.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, chmod } from 'node:fs/promises';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { waitForDemoSupply } from './support/demo-supply.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : (process.argv[i + 1] ?? '');
};
const seconds = Number(arg('seconds')) || 15;
const connectionLevels = (arg('connections') ?? '50,500').split(',').map(Number);
const runs = Number(arg('runs')) || 1;
const root = arg('root') ?? join(import.meta.dirname, '..');
const fromSource = process.argv.includes('--source') || arg('root') !== undefined;
const cpuProf = arg('cpu-prof');
const externalDb = arg('database-url');
const timeline = process.argv.includes('--timeline');
const rate = Number(arg('rate')) || undefined;

const dataDir = await mkdtemp(join(tmpdir(), 'skyguard-bench-'));
await chmod(dataDir, 0o755);
const port = 18_000 + Math.floor(Math.random() * 1000);
const env: NodeJS.ProcessEnv = { ...process.env, SKYGUARD_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '10000000' };

let dbName: string | undefined;
if (externalDb) {
  dbName = `skyguard_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: externalDb });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = new URL(externalDb);
  url.pathname = `/${dbName}`;
  Object.assign(env, {
    DATABASE_URL: url.toString(),
    API_KEY_PEPPER: randomBytes(32).toString('hex'),
    AUDIT_SIGNING_KEY: Buffer.from(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()).toString('base64'),
    SKYGUARD_DEMO_PASSWORD: randomBytes(12).toString('base64url'),
  });
}

const nodeArgs = [
  ...(cpuProf ? ['--cpu-prof', '--cpu-prof-dir', cpuProf] : []),
  ...(fromSource ? ['--import', 'tsx', join(root, 'src', 'main', 'cli.ts')] : [join(root, 'bin', 'skyguard.js')]),
  'serve', '--demo',
];
const server = spawn(process.execPath, nodeArgs, { env, cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
const exited = new Promise((r) => server.on('exit', r));
await new Promise<void>((resolve, reject) => {
  let out = '';
  server.stderr.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('demo login')) resolve();
  });
  server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
});
const base = `http://127.0.0.1:${port}`;

/** CPU seconds (user + system) a process has used so far, all threads; 0 when it is gone. */
async function cpuSeconds(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
  } catch {
    return 0;
  }
}

/** Database processes to charge: the embedded cluster's whole process tree, or our database's backends. */
async function databasePids(): Promise<number[]> {
  if (dbName) {
    const c = new pg.Client({ connectionString: externalDb });
    await c.connect();
    const { rows } = await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName]);
    await c.end();
    return rows.map((r) => r.pid);
  }
  const postmaster = Number((await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (stat) parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
  }
  return [postmaster, ...[...parents].filter(([, ppid]) => ppid === postmaster).map(([pid]) => pid)];
}

const sum = async (pids: number[]): Promise<number> => (await Promise.all(pids.map(cpuSeconds))).reduce((a, b) => a + b, 0);
const percentile = (sorted: Float64Array, p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

interface Row {
  connections: number; rps: number; p50: number; p90: number; p95: number; p975: number; p99: number; max: number;
  errors: number; serverUs: number; dbUs: number; loadgenUs: number; load: string;
}

async function measure(url: string, connections: number, secret: string): Promise<Row> {
  const headers = { authorization: `Bearer ${secret}` };
  await autocannon({ url, connections, duration: 3, headers, ...(rate ? { overallRate: rate } : {}) }); // warm-up: JIT, pool connections
  const latencies: number[] = [];
  const worstPerSecond: number[] = [];
  const started = performance.now();
  const dbPids = await databasePids();
  const [server0, db0, self0] = [await cpuSeconds(server.pid!), await sum(dbPids), process.cpuUsage()];
  const load0 = loadavg()[0]!;
  // Without a callback autocannon returns its instance, an event emitter that is also a promise.
  const run = autocannon({ url, connections, duration: seconds, headers, ...(rate ? { overallRate: rate } : {}) }) as unknown as Promise<autocannon.Result> & autocannon.Instance;
  run.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
    const second = Math.floor((performance.now() - started) / 1000);
    worstPerSecond[second] = Math.max(worstPerSecond[second] ?? 0, ms);
  });
  const r = await run;
  if (timeline) console.error(`worst latency per second (ms): ${worstPerSecond.map((v) => Math.round(v)).join(' ')}`);
  if (r.errors + r.non2xx > 0) console.error(`errors ${r.errors} (of which ${r.timeouts} timeouts), non-2xx ${r.non2xx}`);
  const self = process.cpuUsage(self0);
  const [serverCpu, dbCpu] = [(await cpuSeconds(server.pid!)) - server0, (await sum(dbPids)) - db0];
  const sorted = Float64Array.from(latencies).sort();
  const n = r.requests.total || 1;
  return {
    connections, rps: r.requests.average, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p95: percentile(sorted, 95),
    p975: percentile(sorted, 97.5), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, errors: r.errors + r.non2xx,
    serverUs: (serverCpu * 1e6) / n, dbUs: (dbCpu * 1e6) / n, loadgenUs: (self.user + self.system) / n,
    load: `${load0.toFixed(1)}–${loadavg()[0]!.toFixed(1)}`,
  };
}

try {
  const secrets = externalDb ? { demoPassword: env.SKYGUARD_DEMO_PASSWORD! } : (JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as { demoPassword: string });
  const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'demo', email: 'admin@demo.skyguard.local', password: secrets.demoPassword }) });
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  await waitForDemoSupply(base, cookie);
  const key = (await (await fetch(`${base}/v1/api-keys`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', scopes: ['users:read'] }) })).json()) as { secret: string };

  const rows: Row[] = [];
  for (const connections of connectionLevels) {
    for (let i = 0; i < runs; i++) {
      const row = await measure(`${base}/v1/me`, connections, key.secret);
      rows.push(row);
      console.error(JSON.stringify(row));
    }
  }
  const f = (v: number) => (v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString('en'));
  console.log(`\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, ${seconds} s per run, ` +
    `${externalDb ? 'PostgreSQL at --database-url' : 'embedded PostgreSQL'}, server from ${fromSource ? `sources (${root})` : 'dist/'}, ` +
    'server + PostgreSQL + load generator on the same machine\n');
  console.log('| connections | req/s | p50 ms | p90 ms | p95 ms | p97.5 ms | p99 ms | max ms | errors | server CPU µs/req | DB CPU µs/req | load gen CPU µs/req | load avg |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    console.log(`| ${r.connections} | ${Math.round(r.rps).toLocaleString('en')} | ${f(r.p50)} | ${f(r.p90)} | ${f(r.p95)} | ${f(r.p975)} | ${f(r.p99)} | ${f(r.max)} | ${r.errors} | ${Math.round(r.serverUs)} | ${Math.round(r.dbUs)} | ${Math.round(r.loadgenUs)} | ${r.load} |`);
  }
} finally {
  server.kill('SIGTERM');
  await exited;
  await rm(dataDir, { recursive: true, force: true });
  if (dbName) {
    const admin = new pg.Client({ connectionString: externalDb });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}
