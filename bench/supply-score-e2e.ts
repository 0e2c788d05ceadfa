/**
 * Full re-score end to end (issue 7), the product's job path against a real database: load every item
 * of a tenant from PostgreSQL (src/platform/supply-risk/risk-input.loader.ts) → score → store changed
 * rows, alerts, run record, audit prediction (risk-scoring.service.ts, the `supply_risk_full` job's
 * body). bench/supply-score.ts measures the scoring kernel alone; this one says what the database adds.
 *
 *   node --import tsx bench/supply-score-e2e.ts [--parts 286000] [--suppliers 15000] [--seed 7] [--runs 2]
 *     [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--keep] [--reuse-db NAME] [--workers N]
 *
 * Seeding (untimed): the demo generator (src/supply/demo: parts at 1–3 locations, 36 months of demand,
 * suppliers with delivery history, offers, fleet, risk events) written through the product's bulk
 * writers (writeDemoToTenant, as `skyguard demo`), then ANALYZE. 286,000 parts ≈ 500,000 items.
 * Seeding 500k items takes several minutes: `--keep` keeps the database and prints its name, and
 * `--reuse-db NAME` measures on it again without seeding (the first timed run then finds the scores of
 * the previous one).
 *
 * Timed, per run: (1) the load alone (loadPortfolio in a tenant transaction), (2) the scoring alone on
 * what was loaded — on this thread, and on a warm pool of `--workers` threads as the job runner does —
 * and (3) the whole job path, runRiskScoring(kind 'all') with the pool, which also stores. For each:
 * wall, CPU of this process (all threads) and CPU of the PostgreSQL backends serving this database
 * (/proc/<pid>/stat), and the load average.
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../src/platform/db/migrator.js';
import { createPool, type Pool } from '../src/platform/db/pool.js';
import { withTenant } from '../src/platform/db/with-tenant.js';
import { createTenant, findTenant } from '../src/platform/accounts/tenant-admin.js';
import { createFieldCipher } from '../src/platform/crypto/field-cipher.js';
import { recordPrediction } from '../src/platform/audit/prediction-recorder.js';
import { loadPortfolio } from '../src/platform/supply-risk/risk-input.loader.js';
import { runRiskScoring } from '../src/platform/supply-risk/risk-scoring.service.js';
import { createPortfolioWorkerPool } from '../src/platform/supply-risk/portfolio-worker-pool.js';
import { scorePortfolio } from '../src/supply/portfolio/portfolio-scorer.js';
import { createDemoDataset } from '../src/supply/demo/index.js';
import { writeDemoToTenant } from '../src/main/demo.commands.js';
import { generatePortfolio } from './supply-score.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : (process.argv[i + 1] ?? fallback);
};
const PARTS = Number(arg('parts', '286000'));
const SUPPLIERS = Number(arg('suppliers', '15000'));
const SEED = Number(arg('seed', '7'));
const RUNS = Number(arg('runs', '2'));
const WORKERS = Number(arg('workers', String(os.availableParallelism())));
const serverUrl = arg('database-url', 'postgres://postgres@127.0.0.1:5432/postgres');
const reuse = process.argv.includes('--reuse-db') ? arg('reuse-db', '') : undefined;
const keep = process.argv.includes('--keep') || reuse !== undefined;
const TARGET_S = 5;
const TENANT = 'bench-e2e';

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const s = (ms: number): string => (ms / 1000).toFixed(2);
const load1 = (): string => os.loadavg()[0]!.toFixed(1);

/** utime + stime of a process in ms (clock ticks of 10 ms on Linux). */
function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0; // the backend exited (pool connection closed)
  }
}

/** CPU of every backend connected to the bench database, sampled around a measured section. */
class BackendCpu {
  private before = new Map<number, number>();
  constructor(
    private readonly admin: pg.Client,
    private readonly db: string,
  ) {}
  private async pids(): Promise<number[]> {
    const r = await this.admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [this.db]);
    return r.rows.map((x) => x.pid);
  }
  async start(): Promise<void> {
    this.before = new Map((await this.pids()).map((p) => [p, procCpuMs(p)]));
  }
  /** Backends that appeared during the section count from zero (the pool opened them for it). */
  async stop(): Promise<number> {
    let total = 0;
    for (const p of await this.pids()) total += procCpuMs(p) - (this.before.get(p) ?? 0);
    return total;
  }
}

interface Measured<T> {
  value: T;
  wallMs: number;
  cpuMs: number;
  pgMs: number;
  load: string;
}

async function measure<T>(backends: BackendCpu, f: () => Promise<T>): Promise<Measured<T>> {
  await backends.start();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000, pgMs: await backends.stop(), load: load1() };
}

const line = (what: string, m: Measured<unknown>, extra = ''): void =>
  console.log(`${what.padEnd(44)} ${s(m.wallMs).padStart(7)} s wall  ${s(m.cpuMs).padStart(6)} s CPU node  ${s(m.pgMs).padStart(6)} s CPU PostgreSQL  load ${m.load}${extra}`);

const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
const dbName = reuse || `skyguard_h3_e2e_${randomBytes(4).toString('hex')}`;
const ownerUrl = new URL(serverUrl);
ownerUrl.pathname = `/${dbName}`;
const appPassword = 'bench-e2e-app-password';
if (!reuse) await admin.query(`CREATE DATABASE ${dbName}`);
await migrate(ownerUrl.toString(), { appRolePassword: appPassword });
const appUrl = new URL(ownerUrl.toString());
appUrl.username = 'skyguard_app';
appUrl.password = appPassword;
const ownerPool: Pool = createPool(ownerUrl.toString(), 4, 'bench-e2e-owner');
const appPool: Pool = createPool(appUrl.toString(), 8, 'bench-e2e');
const backends = new BackendCpu(admin, dbName);

console.log(`node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, database ${dbName}`);
let tenant = await findTenant(ownerPool, TENANT);
if (!tenant) {
  tenant = await createTenant(ownerPool, TENANT, 'Bench e2e');
  const cipher = createFieldCipher(undefined, 'bench-e2e-pepper-0000000000000000000');
  const ds = createDemoDataset({ parts: PARTS, suppliers: SUPPLIERS, seed: SEED });
  const seeded = await measure(backends, () =>
    writeDemoToTenant(appPool, tenant!.id, ds, cipher, (entity, rows) => {
      if (rows % 100_000 === 0) console.log(`  seeding ${entity}: ${fmt(rows)} rows`);
    }),
  );
  line(`seeded (untimed): ${Object.entries(seeded.value).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`, seeded);
}
const tenantId = tenant.id;
const counts = (
  await withTenant(appPool, { tenantId }, (db) =>
    db.query<{ items: number; demand: number; suppliers: number }>(
      `SELECT (SELECT count(*)::int FROM stock_levels) AS items, (SELECT count(*)::int FROM demand_history) AS demand,
              (SELECT count(*)::int FROM suppliers) AS suppliers`,
    ),
  )
).rows[0]!;
console.log(`tenant: ${fmt(counts.items)} items (part × location), ${fmt(counts.demand)} demand rows, ${fmt(counts.suppliers)} suppliers`);

const poolStart = performance.now();
const workers = createPortfolioWorkerPool(WORKERS);
// A tiny portfolio makes each thread load its modules before the first timed run.
await workers.score(generatePortfolio(200, 20, 1));
console.log(`worker pool of ${workers.size} threads ready in ${fmt(performance.now() - poolStart)} ms (untimed; the job would keep it warm)`);

const deps = { pool: appPool, recordPrediction, now: () => new Date() };
for (let r = 1; r <= RUNS; r++) {
  console.log(`run ${r}:`);
  const loaded = await measure(backends, () => withTenant(appPool, { tenantId }, (db) => loadPortfolio(db, new Date(), { kind: 'all' })));
  const n = loaded.value.input.items.count;
  line('  1. load (loadPortfolio, all items)', loaded, `  ${fmt(n)} items`);
  const single = await measure(backends, async () => scorePortfolio(loaded.value.input));
  line('  2a. score on this thread (the job today)', single, `  ${fmt(single.value.report.leadTimes)} lead times`);
  const pooled = await measure(backends, () => workers.score(loaded.value.input));
  line(`  2b. score on ${workers.size} worker threads`, pooled);
  const full = await measure(backends, () => runRiskScoring({ ...deps, workers }, tenantId, { kind: 'all' }, { kind: 'full', ref: 'bench-e2e' }));
  line('  3. job path: load → score (pool) → store', full, `  ${fmt(full.value.changed)} rows stored, ${fmt(full.value.alertsRaised)} alerts raised`);
  const store = full.wallMs - loaded.wallMs - pooled.wallMs;
  console.log(`     ≈ store and bookkeeping: ${s(store)} s wall (3 − 1 − 2b)`);
  console.log(
    `  verdict: job path ${s(full.wallMs)} s vs target < ${TARGET_S} s → ${full.wallMs < TARGET_S * 1000 ? 'MET' : 'NOT MET'} ` +
      `(kernel on the pool ${s(pooled.wallMs)} s → ${pooled.wallMs < TARGET_S * 1000 ? 'met' : 'not met'})`,
  );
}

await workers.close();
await appPool.end();
await ownerPool.end();
if (keep) console.log(`database kept: ${dbName} (re-run with --reuse-db ${dbName})`);
else {
  await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
}
await admin.end();

