/**
 * Supply ingest, import part: generate N parts with stock and M months of demand (H5's seeded demo
 * generator, src/supply/demo, written as the CSV files `skyguard import` reads), import them through
 * the real import runner (stream → validate → COPY → staging → upsert, one transaction per batch)
 * into a fresh database, then time a filtered, sorted list page over those parts through the real
 * HTTP server (login, RBAC, RLS, audit), for several list queries.
 *
 *   node --import tsx bench/supply-ingest.ts [--parts 500000] [--months 12] [--samples 200]
 *     [--database-url postgres://postgres@127.0.0.1:5432/postgres]   server to create the bench database on
 *     [--dense]       also import a dense demand file (every part × month: 6M rows at 500k parts; not in the target)
 *     [--samples 0]   import only, no list latency
 *     [--files DIR]   reuse the CSV files a run with --keep left (same --parts/--months), skip generation
 *     [--reuse-db DB] skip generation and import: measure the lists on a database a run with --keep left
 *     [--keep]        keep the database and files afterwards
 *
 * Prints, per file, wall time, rows/s and CPU time of this process (the importer) and of the
 * PostgreSQL backend that served it; the import total against the target (parts + stock + demand in
 * < 60 s) with a verdict line; then p50/p95/max per list query against p95 < 100 ms, with a verdict.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../src/config/config.js';
import { migrate } from '../src/platform/db/migrator.js';
import { TEST_APP_PASSWORD } from '../test/support/test-database-server.js';
import { createPool } from '../src/platform/db/pool.js';
import { withTenant } from '../src/platform/db/with-tenant.js';
import { createTenant, createUserAsSystem } from '../src/platform/accounts/tenant-admin.js';
import { loadSigningKey } from '../src/platform/audit/audit-checkpoint.js';
import { createImport } from '../src/platform/supply/import.repository.js';
import { runImport } from '../src/platform/supply/import.runner.js';
import { startServer } from '../src/main/server.js';
import { supplyImportServices } from '../src/main/import.commands.js';
import type { Runtime } from '../src/main/runtime.js';
import { createDemoDataset } from '../src/supply/demo/index.js';
import { demoImportFiles } from '../src/supply/demo/demo-import-format.js';
import { csvDataLine } from '../src/shared/csv.js';
import type { ImportEntity } from '../src/supply/import/index.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};
const parts = Number(arg('parts') ?? 500_000);
const months = Number(arg('months') ?? 12);
const samples = Number(arg('samples') ?? 200);
const serverUrl = arg('database-url') ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const keep = process.argv.includes('--keep');
const dense = process.argv.includes('--dense');
const filesDir = arg('files');
const reuse = arg('reuse-db');
const ENTITIES: ImportEntity[] = ['aircraft_types', 'locations', 'parts', 'stock', 'demand'];
const IMPORT_TARGET_S = 60;
const LIST_TARGET_P95_MS = 100;

interface BenchFile {
  readonly entity: ImportEntity;
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
  /** Set on the optional dense demand file, which is reported but not part of the target. */
  readonly label?: string;
}

async function writeCsv(path: string, lines: Iterable<string>): Promise<number> {
  const out = createWriteStream(path);
  let n = 0;
  for (const line of lines) {
    if (!out.write(line)) await once(out, 'drain');
    n++;
  }
  out.end();
  await once(out, 'finish');
  return n;
}

/** The demo generator's files, plus (with --dense) every part × month at one location, zeros included. */
async function generateFiles(dir: string): Promise<BenchFile[]> {
  const ds = createDemoDataset({ parts, suppliers: Math.min(15_000, Math.max(10, Math.round(parts / 33))), months, seed: 7 });
  const files: BenchFile[] = [];
  for (const f of demoImportFiles(ds)) {
    if (!ENTITIES.includes(f.entity)) continue;
    const path = join(dir, `${f.entity}.csv`);
    const lines = function* (): Generator<string> {
      let header: string[] | undefined;
      for (const r of f.records()) {
        if (!header) yield `${(header = Object.keys(r)).join(',')}\n`;
        yield `${csvDataLine(header.map((h) => r[h]!))}\n`;
      }
    };
    const rows = (await writeCsv(path, lines())) - 1;
    files.push({ entity: f.entity, path, rows, bytes: (await stat(path)).size });
  }
  if (dense) {
    // Quantities: a seeded intermittent pattern (P(demand) 0.2, size 1–4), as the RAF import stores them.
    const path = join(dir, 'demand-dense.csv');
    const loc = [...ds.locations()][0]!.code;
    const periods = Array.from({ length: months }, (_, k) => new Date(Date.UTC(2025, 11 - months + 1 + k, 1)).toISOString().slice(0, 7));
    let seed = 12345;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const lines = function* (): Generator<string> {
      yield 'part_number,location_code,period,quantity\n';
      for (const p of ds.partRows()) for (const period of periods) yield `${p.partNumber},${loc},${period},${rnd() < 0.2 ? 1 + Math.floor(rnd() * 4) : 0}\n`;
    };
    const rows = (await writeCsv(path, lines())) - 1;
    files.push({ entity: 'demand', path, rows, bytes: (await stat(path)).size, label: 'demand, dense (every part × month)' });
  }
  await writeFile(join(dir, 'files.json'), JSON.stringify(files));
  return files;
}

/** utime + stime of a process in seconds (Linux /proc), 0 when it is gone. */
async function processCpuSeconds(pid: number): Promise<number> {
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** CPU seconds of the bench database's client backends, per pid (the server is on this machine). */
async function backendCpu(admin: pg.Client, db: string): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'`, [db]);
  return new Map(await Promise.all(rows.map(async (r) => [r.pid, await processCpuSeconds(r.pid)] as [number, number])));
}
const cpuSince = (before: Map<number, number>, after: Map<number, number>): number =>
  [...after].reduce((s, [pid, cpu]) => s + cpu - (before.get(pid) ?? 0), 0);

const dataDir = await mkdtemp(join(tmpdir(), 'skyguard-ingest-'));
const dir = filesDir ?? dataDir;
const dbName = reuse ?? `skyguard_ingest_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
if (!reuse) await admin.query(`CREATE DATABASE ${dbName}`);
const ownerUrl = new URL(serverUrl);
ownerUrl.pathname = `/${dbName}`;
// The app role is cluster-wide: use the test suites' password so a bench never locks out concurrent test runs.
await migrate(ownerUrl.toString(), { appRolePassword: TEST_APP_PASSWORD });
const appUrl = new URL(ownerUrl.toString());
appUrl.username = 'skyguard_app';
appUrl.password = TEST_APP_PASSWORD;
const ownerPool = createPool(ownerUrl.toString(), 4, 'bench-owner');
const appPool = createPool(appUrl.toString(), 10, 'bench');
const tenant = reuse
  ? (await ownerPool.query<{ id: string; slug: string; name: string }>(`SELECT id, slug, name FROM tenants WHERE slug = 'ingest'`)).rows[0]!
  : await createTenant(ownerPool, 'ingest', 'Ingest bench');

const config = loadConfig({ SKYGUARD_DATA_DIR: dataDir, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '10000000', JOBS_IN_PROCESS: 'false' });
const runtime: Runtime = {
  config, ownerPool, appPool, appUrl: appUrl.toString(), apiKeyPepper: randomBytes(32).toString('base64url'),
  signingKey: loadSigningKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
  demoPassword: undefined, close: async () => undefined,
};
const services = supplyImportServices(runtime);
const load0 = loadavg()[0]!;

if (!reuse) {
  // 1. Files (generation is not part of the import figure).
  const t0 = performance.now();
  const files = filesDir
    ? (JSON.parse(await readFile(join(filesDir, 'files.json'), 'utf8')) as BenchFile[]).filter((f) => dense || f.label === undefined)
    : await generateFiles(dir);
  console.log(`files ${files.map((f) => `${f.entity} ${f.rows.toLocaleString('en')}`).join(', ')} ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // 2. Import, in dependency order, through the import runner.
  const table: string[] = [];
  let targetWall = 0;
  let targetCpu = 0;
  let targetDbCpu = 0;
  for (const f of files) {
    const stored = await services.files.saveFile(tenant.id, f.path, 2 ** 40);
    const imp = await withTenant(appPool, { tenantId: tenant.id }, (db) =>
      createImport(db, tenant.id, { type: f.entity, format: 'csv', fileName: f.entity, fileKey: stored.key, byteSize: stored.byteSize, contentSha256: stored.sha256, createdBy: 'bench' }));
    const db0 = await backendCpu(admin, dbName);
    const cpu0 = process.cpuUsage();
    const t = performance.now();
    const done = await runImport({ pool: appPool, files: services.files, cipher: services.cipher, now: () => new Date() }, tenant.id, imp.id);
    const s = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const nodeCpu = (cpu.user + cpu.system) / 1e6;
    const dbCpu = cpuSince(db0, await backendCpu(admin, dbName));
    if (done.status !== 'succeeded' || done.rowsRejected > 0) throw new Error(`${f.entity}: ${done.status} ${done.error} rejected ${done.rowsRejected}`);
    if (f.label === undefined) {
      targetWall += s;
      targetCpu += nodeCpu;
      targetDbCpu += dbCpu;
    }
    table.push(`| ${f.label ?? f.entity} | ${f.rows.toLocaleString('en')} | ${(f.bytes / 1e6).toFixed(0)} MB | ${s.toFixed(1)} s | ${Math.round(f.rows / s).toLocaleString('en')} | ${nodeCpu.toFixed(1)} s | ${dbCpu.toFixed(1)} s |`);
  }
  console.log(`\n| file | rows | size | import wall | rows/s | importer CPU | PostgreSQL backend CPU |\n|---|---:|---:|---:|---:|---:|---:|\n${table.join('\n')}`);
  console.log(`| **parts + stock + demand** | | | **${targetWall.toFixed(1)} s** | | **${targetCpu.toFixed(1)} s** | **${targetDbCpu.toFixed(1)} s** |`);
  const atTarget = parts === 500_000 && months === 12;
  const verdict = !atTarget ? `NO VERDICT (--parts ${parts} --months ${months}; the target is 500,000 × 12)` : targetWall < IMPORT_TARGET_S ? 'MET' : 'NOT MET';
  console.log(`IMPORT ${verdict}: ${targetWall.toFixed(1)} s for parts + stock + demand, target < ${IMPORT_TARGET_S} s`);
  console.log(`load average at start ${load0.toFixed(1)}, now ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await ownerPool.query(`VACUUM ANALYZE`);
}

// 3. List latency through the real HTTP server.
if (samples > 0) {
  const server = await startServer(runtime, { port: 0, host: '127.0.0.1', loginRateLimitPerMinute: 1_000_000 });
  const password = `bench-${randomBytes(9).toString('base64url')}`;
  const email = `analyst-${randomBytes(3).toString('hex')}@ingest.bench`;
  await createUserAsSystem(appPool, tenant, { email, displayName: 'Bench', password, roles: ['analyst'] }, new Date());
  const login = await fetch(`${server.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'ingest', email, password }) });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('sg_session='))!.split(';')[0]!;
  const get = async (path: string): Promise<{ ms: number; body: { items: unknown[]; nextCursor: string | null } }> => {
    const t0 = performance.now();
    const r = await fetch(`${server.url}/v1${path}`, { headers: { cookie } });
    const body = (await r.json()) as { items: unknown[]; nextCursor: string | null };
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - t0, body };
  };
  const category = ((await get('/parts?limit=1')).body.items[0] as { category: string }).category;
  const cursor = (await get('/parts?criticality=no_go&sort=-unitCost&limit=50')).body.nextCursor!;
  const queries = [
    `/parts?criticality=no_go&sort=partNumber&limit=50`,
    `/parts?criticality=no_go&sort=-unitCost&limit=50`,
    `/parts?criticality=no_go&sort=-unitCost&limit=50&cursor=${cursor}`,
    `/parts?category=${encodeURIComponent(category)}&sort=-updatedAt&limit=50`,
    `/parts?q=${encodeURIComponent('valve')}&sort=partNumber&limit=50`,
    `/stock?belowReorderPoint=true&sort=onHand&limit=50`,
  ];
  const pct = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
  console.log(`\n| list query (limit 50) | p50 ms | p95 ms | max ms | rows on page |\n|---|---|---|---|---|`);
  let worstP95 = 0;
  for (const q of queries) {
    for (let i = 0; i < 10; i++) await get(q); // warm-up
    const ms: number[] = [];
    let n = 0;
    for (let i = 0; i < samples; i++) {
      const r = await get(q);
      ms.push(r.ms);
      n = r.body.items.length;
    }
    ms.sort((a, b) => a - b);
    worstP95 = Math.max(worstP95, pct(ms, 95));
    console.log(`| \`${q.replace(/cursor=[^&]+/, 'cursor=…')}\` | ${pct(ms, 50).toFixed(1)} | ${pct(ms, 95).toFixed(1)} | ${ms.at(-1)!.toFixed(1)} | ${n} |`);
  }
  console.log(`LISTS ${worstP95 < LIST_TARGET_P95_MS ? 'MET' : 'NOT MET'}: worst p95 ${worstP95.toFixed(1)} ms, target < ${LIST_TARGET_P95_MS} ms`);
  await server.close();
}
console.log(`\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, Node ${process.version}`);

await Promise.allSettled([appPool.end(), ownerPool.end()]);
if (!keep && !reuse) {
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await rm(dataDir, { recursive: true, force: true });
} else console.log(`kept database ${dbName} and files in ${dir} (--files ${dir})`);
await admin.end();
