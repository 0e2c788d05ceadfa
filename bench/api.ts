/**
 * Requests/s and latency of an authenticated GET (API key → /v1/me: key lookup, rate limit, audit event)
 * against the real server started as a child process, on a fresh embedded PostgreSQL (default) or a fresh
 * database on a PostgreSQL server you name. Prints a markdown table for bench/RESULTS.md.
 *
 *   node --import tsx bench/api.ts [--seconds 10] [--connections 50,500] [--runs 1]
 *     [--database-url postgres://postgres@127.0.0.1:5432/postgres]   fresh database on that server
 *     [--targets skyguard,peer,peer-db]  what to load; with several, every run loads them one after another
 *                                  (alternated, so a neighbour's load falls on all of them alike):
 *                                  skyguard (default) the real server; peer  a bare fastify app with the
 *                                  same JSON body and nothing else (bench/support/api-peer-server.ts);
 *                                  peer-db  that peer plus one batched audit-shaped INSERT per request
 *                                  (needs --database-url)
 *     [--source] [--root DIR]      run the server from TypeScript sources (of DIR) instead of dist/ (A/B runs)
 *     [--cpu-prof DIR]             write the server's V8 CPU profile into DIR
 *     [--timeline]                 print the worst latency of every second (stalls show as spikes)
 *     [--steady]                   measure after the warm-up on the warm-up's connections, leaving out each
 *                                  connection's first request (steady state without connection set-up; see below)
 *     [--rate N]                   offer N requests/s in all instead of as many as the server takes: CPU per
 *                                  request at a fixed load is the steadiest figure to compare builds by
 *
 * Percentiles come from every 2xx latency recorded here (autocannon reports p90 and p97.5, not p95).
 * CPU per request is read from /proc for the server process, the database backends and this process
 * (the load generator), so runs on a shared, noisy machine can still be compared: wall-clock figures
 * move with the neighbours' load, CPU time per request much less. "slow first" counts requests over 1 s
 * that were the first on their connection (connection set-up, not the server's steady state), and
 * "listen drops" the kernel's listen-queue overflows during the run (TcpExtListenDrops, whole machine).
 *
 * Why first requests can take seconds (with the peer too): Node 20's libuv (≥ 1.45) accepts one connection
 * per event-loop iteration (libuv PR #3696), and with hundreds of busy connections one iteration takes
 * 40–200 ms on these shared cores. 500 connections opened at once then wait in the kernel's accept queue
 * and are accepted a few per second (queue sampled with `ss -ltn`: 215 waiting for seconds, draining one per
 * ~170 ms); past the listen backlog (511) the kernel drops SYNs, which clients retry after 1, 3, 7 s, and
 * autocannon gives up after 10 s ("errors"). --steady keeps that set-up out of the measured window.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, chmod } from 'node:fs/promises';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
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
const steady = process.argv.includes('--steady');
const targetNames = (arg('targets') ?? 'skyguard').split(',');
for (const t of targetNames) {
  if (!['skyguard', 'peer', 'peer-db'].includes(t)) throw new Error(`--targets: unknown target "${t}" (skyguard, peer, peer-db)`);
}
if (targetNames.includes('peer-db') && !externalDb) throw new Error('--targets peer-db needs --database-url');

/** A server under load: its process, what to request, and the database backends that work for it. */
interface Target {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  readonly headers: Record<string, string>;
  databasePids(): Promise<number[]>;
}

const cleanups: (() => Promise<void>)[] = [];
const freePort = () => 18_000 + Math.floor(Math.random() * 1000);

/** Starts a child process and resolves once its stderr shows `ready`. */
async function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: string): Promise<ChildProcessByStdio<null, null, Readable>> {
  const child = spawn(process.execPath, args, { env, cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((r) => child.on('exit', r));
  cleanups.push(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(ready)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${out}`)));
  });
  return child;
}

/** A fresh database on --database-url, dropped at the end; its URL. */
async function scratchDatabase(): Promise<{ name: string; url: string }> {
  const name = `skyguard_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: externalDb });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: externalDb });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(externalDb!);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

async function backendsOf(dbName: string): Promise<number[]> {
  const c = new pg.Client({ connectionString: externalDb });
  await c.connect();
  const { rows } = await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName]);
  await c.end();
  return rows.map((r) => r.pid);
}

/** The embedded cluster's whole process tree. */
async function clusterPids(dataDir: string): Promise<number[]> {
  const postmaster = Number((await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (stat) parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
  }
  return [postmaster, ...[...parents].filter(([, ppid]) => ppid === postmaster).map(([pid]) => pid)];
}

async function startSkyguard(): Promise<Target> {
  const dataDir = await mkdtemp(join(tmpdir(), 'skyguard-bench-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  await chmod(dataDir, 0o755);
  const port = freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, SKYGUARD_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '10000000' };
  const db = externalDb ? await scratchDatabase() : undefined;
  if (db) {
    Object.assign(env, {
      DATABASE_URL: db.url,
      API_KEY_PEPPER: randomBytes(32).toString('hex'),
      AUDIT_SIGNING_KEY: Buffer.from(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()).toString('base64'),
      SKYGUARD_DEMO_PASSWORD: randomBytes(12).toString('base64url'),
    });
  }
  const server = await startProcess([
    ...(cpuProf ? ['--cpu-prof', '--cpu-prof-dir', cpuProf] : []),
    ...(fromSource ? ['--import', 'tsx', join(root, 'src', 'main', 'cli.ts')] : [join(root, 'bin', 'skyguard.js')]),
    'serve', '--demo',
  ], env, 'demo login');
  const base = `http://127.0.0.1:${port}`;
  const secrets = db ? { demoPassword: env.SKYGUARD_DEMO_PASSWORD! } : (JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as { demoPassword: string });
  const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'demo', email: 'admin@demo.skyguard.local', password: secrets.demoPassword }) });
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  await waitForDemoSupply(base, cookie);
  const key = (await (await fetch(`${base}/v1/api-keys`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', scopes: ['users:read'] }) })).json()) as { secret: string };
  return {
    name: 'skyguard', pid: server.pid!, url: `${base}/v1/me`, headers: { authorization: `Bearer ${key.secret}` },
    databasePids: () => (db ? backendsOf(db.name) : clusterPids(dataDir)),
  };
}

async function startPeer(withDatabase: boolean): Promise<Target> {
  const port = freePort();
  const db = withDatabase ? await scratchDatabase() : undefined;
  const peer = await startProcess([
    ...(cpuProf ? ['--cpu-prof', '--cpu-prof-dir', cpuProf] : []),
    '--import', 'tsx', join(import.meta.dirname, 'support', 'api-peer-server.ts'), String(port), ...(db ? [db.url] : []),
  ], process.env, 'listening');
  return {
    name: withDatabase ? 'peer-db' : 'peer', pid: peer.pid!, url: `http://127.0.0.1:${port}/v1/me`,
    // The same header as Skyguard's requests, so both parse the same bytes; the peer ignores it.
    headers: { authorization: `Bearer sg_${randomBytes(8).toString('hex')}_${randomBytes(24).toString('base64url')}` },
    databasePids: async () => (db ? backendsOf(db.name) : []),
  };
}

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

/** The kernel's count of connections dropped because a listen queue was full (all sockets of the machine). */
async function listenDrops(): Promise<number> {
  const lines = (await readFile('/proc/net/netstat', 'utf8')).split('\n');
  const names = lines.find((l) => l.startsWith('TcpExt:'))!.split(' ');
  const values = lines.filter((l) => l.startsWith('TcpExt:'))[1]!.split(' ');
  return Number(values[names.indexOf('ListenDrops')]);
}

const sum = async (pids: number[]): Promise<number> => (await Promise.all(pids.map(cpuSeconds))).reduce((a, b) => a + b, 0);
const percentile = (sorted: Float64Array, p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

interface Row {
  target: string; connections: number; rps: number; p50: number; p90: number; p95: number; p975: number; p99: number; max: number;
  errors: number; slowFirst: number; listenDrops: number; serverUs: number; dbUs: number; loadgenUs: number; load: string;
}

const WARM_UP_MS = 3_000;

/**
 * CPU counters and the kernel's listen drops at one instant, to charge a measured window by difference. The
 * database backends are those open at the window's start (pools open theirs lazily, during the warm-up).
 */
async function snapshot(target: Target, dbPids?: number[]) {
  const pids = dbPids ?? (await target.databasePids());
  return { dbPids: pids, server: await cpuSeconds(target.pid), db: await sum(pids), self: process.cpuUsage(), drops: await listenDrops(), load: loadavg()[0]!, at: performance.now() };
}

/**
 * One row. The warm-up (JIT, pool connections) runs on connections of its own, so the measured run opens
 * all its connections at once and includes their set-up; with --steady the measured window instead
 * continues the warm-up's run on the same connections, so it holds the steady state only (connections
 * still waiting to be accepted after the warm-up show as "slow first").
 */
async function measure(target: Target, connections: number): Promise<Row> {
  const options = { url: target.url, connections, headers: target.headers, ...(rate ? { overallRate: rate } : {}) };
  if (!steady) await autocannon({ ...options, duration: WARM_UP_MS / 1000 });
  const latencies: number[] = [];
  const worstPerSecond: number[] = [];
  const answered = new Set<unknown>();
  let [slowFirst, responses, errors] = [0, 0, 0];
  let start = steady ? undefined : snapshot(target);
  let began = performance.now();
  // Without a callback autocannon returns its instance, an event emitter that is also a promise.
  const run = autocannon({ ...options, duration: seconds + (steady ? WARM_UP_MS / 1000 : 0) }) as unknown as Promise<autocannon.Result> & autocannon.Instance;
  const timer = steady ? setTimeout(() => {
    began = performance.now();
    start = snapshot(target);
  }, WARM_UP_MS) : undefined;
  run.on('response', (client, status, _bytes, ms) => {
    const first = !answered.has(client);
    if (first) {
      answered.add(client);
      if (ms > 1000) slowFirst++;
    }
    // In --steady mode a connection's first request is its set-up (counted above), not the steady state.
    if (!start || (steady && first)) return;
    responses++;
    if (status >= 200 && status < 300) latencies.push(ms);
    else errors++;
    const second = Math.floor((performance.now() - began) / 1000);
    worstPerSecond[second] = Math.max(worstPerSecond[second] ?? 0, ms);
  });
  run.on('reqError', () => {
    if (start) errors++;
  });
  await run;
  clearTimeout(timer);
  if (!start) throw new Error('the run ended before its warm-up did');
  const s0 = await start;
  const s1 = await snapshot(target, s0.dbPids);
  if (timeline) console.error(`${target.name}: worst latency per second (ms): ${worstPerSecond.map((v) => Math.round(v)).join(' ')}`);
  if (errors > 0) console.error(`${target.name}: ${errors} errors (timeouts, connection errors or non-2xx)`);
  const sorted = Float64Array.from(latencies).sort();
  const n = responses || 1;
  const self = (s1.self.user + s1.self.system) - (s0.self.user + s0.self.system);
  return {
    target: target.name, connections, rps: (responses * 1000) / (s1.at - s0.at), p50: percentile(sorted, 50), p90: percentile(sorted, 90),
    p95: percentile(sorted, 95), p975: percentile(sorted, 97.5), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN,
    errors, slowFirst, listenDrops: s1.drops - s0.drops,
    serverUs: ((s1.server - s0.server) * 1e6) / n, dbUs: ((s1.db - s0.db) * 1e6) / n, loadgenUs: self / n,
    load: `${s0.load.toFixed(1)}–${s1.load.toFixed(1)}`,
  };
}

try {
  const targets: Target[] = [];
  for (const name of targetNames) targets.push(name === 'skyguard' ? await startSkyguard() : await startPeer(name === 'peer-db'));

  const rows: Row[] = [];
  for (const connections of connectionLevels) {
    for (let i = 0; i < runs; i++) {
      for (const target of targets) {
        const row = await measure(target, connections);
        rows.push(row);
        console.error(JSON.stringify(row));
      }
    }
  }
  const f = (v: number) => (v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString('en'));
  console.log(`\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, ${seconds} s per run, ` +
    `${steady ? 'steady state (measured on the warm-up\'s connections), ' : ''}${externalDb ? 'PostgreSQL at --database-url' : 'embedded PostgreSQL'}, server from ${fromSource ? `sources (${root})` : 'dist/'}, ` +
    'server + PostgreSQL + load generator on the same machine\n');
  console.log('| target | connections | req/s | p50 ms | p90 ms | p95 ms | p97.5 ms | p99 ms | max ms | errors | slow first | listen drops | server CPU µs/req | DB CPU µs/req | load gen CPU µs/req | load avg |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    console.log(`| ${r.target} | ${r.connections} | ${Math.round(r.rps).toLocaleString('en')} | ${f(r.p50)} | ${f(r.p90)} | ${f(r.p95)} | ${f(r.p975)} | ${f(r.p99)} | ${f(r.max)} | ${r.errors} | ${r.slowFirst} | ${r.listenDrops} | ${Math.round(r.serverUs)} | ${Math.round(r.dbUs)} | ${Math.round(r.loadgenUs)} | ${r.load} |`);
  }
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
