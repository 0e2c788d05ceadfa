/**
 * Requests/s and latency of an authenticated GET (API key → /v1/me: key lookup, tenant transaction,
 * audit event) at 50 and 500 concurrent connections, against the real server started as a child
 * process on a fresh embedded PostgreSQL. Run: `node --import tsx bench/api.ts [--seconds 15]`.
 * Prints a markdown table for bench/RESULTS.md.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, chmod } from 'node:fs/promises';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 15;
const root = join(import.meta.dirname, '..');
const dataDir = await mkdtemp(join(tmpdir(), 'skyguard-bench-'));
await chmod(dataDir, 0o755);
const port = 18_000 + Math.floor(Math.random() * 1000);
const env = { ...process.env, SKYGUARD_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '10000000' };

const server = spawn(process.execPath, [join(root, 'bin', 'skyguard.js'), 'serve', '--demo'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
await new Promise<void>((resolve, reject) => {
  let out = '';
  server.stderr.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('demo login')) resolve();
  });
  server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
});
const base = `http://127.0.0.1:${port}`;

try {
  const secrets = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as { demoPassword: string };
  const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'demo', email: 'admin@demo.skyguard.local', password: secrets.demoPassword }) });
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  const key = (await (await fetch(`${base}/v1/api-keys`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', scopes: ['users:read'] }) })).json()) as { secret: string };

  const rows: string[] = [];
  for (const connections of [50, 500]) {
    // Warm up (JIT, pool connections), then measure.
    await autocannon({ url: `${base}/v1/me`, connections, duration: 3, headers: { authorization: `Bearer ${key.secret}` } });
    const r = await autocannon({ url: `${base}/v1/me`, connections, duration: seconds, headers: { authorization: `Bearer ${key.secret}` } });
    const errors = r.errors + r.timeouts + r.non2xx;
    rows.push(`| GET /v1/me (API key) | ${connections} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p90} | ${r.latency.p97_5} | ${r.latency.p99} | ${errors} |`);
  }
  console.log(`\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, ${seconds} s per run, server + PostgreSQL + load generator on the same machine\n`);
  console.log('| request | connections | req/s | p50 ms | p90 ms | p97.5 ms | p99 ms | errors |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) console.log(row);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  await rm(dataDir, { recursive: true, force: true });
}
