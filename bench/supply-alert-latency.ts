/**
 * Event-to-alert latency (issue 7, bench part 2): inventory events POSTed through the API at a fixed
 * rate (open loop, default 1,000 events/s); some of them empty a No-Go part, which must become a
 * critical risk alert. Latency = the request carrying the emptying event is sent → the alert arrives
 * on NATS (`<events subject>.supply.risk_alert.<tenant>`), i.e. applied, committed, relayed from
 * the outbox, re-scored by the coalesced `supply_risk_items` job, stored, relayed and published.
 * The real server and its in-process job runner run in this process, on a fresh database on a
 * PostgreSQL server and the machine's NATS. Prints a markdown row for bench/RESULTS.md.
 *
 *   node --import tsx bench/supply-alert-latency.ts [--seconds 30] [--rate 1000] [--probes-per-s 5]
 *     [--parts 5000] [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--nats nats://127.0.0.1:4222]
 *
 * Data: `parts` parts × 2 locations, 150 suppliers, 36 months of intermittent demand each; parts
 * P-00001… are No-Go for a fleet of 20 narrow-bodies. Background events are ±1 unit on items with
 * ample stock (re-scored, never alerting); a probe is an issue of all 6 units + a reservation of 1
 * on a probe item (6 on hand, low risk) → critical. The load generator shares the 2 cores.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { connect } from 'nats';
import { loadConfig } from '../src/config/config.js';
import { startServer } from '../src/main/server.js';
import type { Runtime } from '../src/main/runtime.js';
import { migrate } from '../src/platform/db/migrator.js';
import { createPool } from '../src/platform/db/pool.js';
import { withTenant } from '../src/platform/db/with-tenant.js';
import { loadSigningKey } from '../src/platform/audit/audit-checkpoint.js';
import { recordPrediction } from '../src/platform/audit/prediction-recorder.js';
import { createApiKeyAsSystem, createTenant, createUserAsSystem } from '../src/platform/accounts/tenant-admin.js';
import { runRiskScoring } from '../src/platform/supply-risk/risk-scoring.service.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : (process.argv[i + 1] ?? fallback);
};
const seconds = Number(arg('seconds', '30'));
const rate = Number(arg('rate', '1000'));
const probesPerS = Number(arg('probes-per-s', '5'));
const PARTS = Number(arg('parts', '5000'));
const serverUrl = arg('database-url', 'postgres://postgres@127.0.0.1:5432/postgres');
const natsUrl = arg('nats', 'nats://127.0.0.1:4222');
const TICK_MS = 50;
const PROBES = Math.ceil(seconds * probesPerS) + 10;

const run = randomBytes(4).toString('hex');
const dbName = `skyguard_bench_alerts_${run}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const ownerUrl = new URL(serverUrl);
ownerUrl.pathname = `/${dbName}`;
const appPassword = randomBytes(12).toString('hex');
await migrate(ownerUrl.toString(), { appRolePassword: appPassword });
const appUrl = new URL(ownerUrl.toString());
appUrl.username = 'skyguard_app';
appUrl.password = appPassword;
const ownerPool = createPool(ownerUrl.toString(), 6, 'bench-owner');
const appPool = createPool(appUrl.toString(), 20, 'bench');
const eventsSubject = `sgbench.${run}.events`;
const config = loadConfig({
  LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '10000000', JOBS_IN_PROCESS: 'true', BODY_LIMIT_BYTES: String(8 * 1024 * 1024),
  NATS_URL: natsUrl, NATS_EVENTS_SUBJECT: eventsSubject, NATS_INVENTORY_SUBJECT: `sgbench.${run}.inventory`,
  NATS_INVENTORY_STREAM: `SGBENCHA_${run}`, NATS_INVENTORY_DURABLE: `sgbencha-${run}`,
});
const pepper = randomBytes(32).toString('base64url');
const runtime: Runtime = {
  config, ownerPool, appPool, appUrl: appUrl.toString(), apiKeyPepper: pepper, demoPassword: undefined,
  signingKey: loadSigningKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
  close: async () => undefined,
};

const tenant = await createTenant(ownerPool, 'bench', 'Bench');
await createUserAsSystem(appPool, tenant, { email: 'bench@bench.test', displayName: 'Bench', password: 'bench-password-123', roles: ['admin'] }, new Date());
const key = await createApiKeyAsSystem(appPool, tenant, { userEmail: 'bench@bench.test', name: 'bench', scopes: ['supply:write'] }, pepper, new Date());
const seedStart = performance.now();
await withTenant(appPool, { tenantId: tenant.id }, async (db) => {
  const q = (sql: string, params: unknown[] = []) => db.query(sql, [tenant.id, ...params]);
  await q(`INSERT INTO aircraft_types (tenant_id, code, name, aircraft_class) VALUES ($1, 'A320', 'Airbus A320', 'narrowbody')`);
  await q(`INSERT INTO fleet_aircraft (tenant_id, registration, aircraft_type_id) SELECT $1, 'G-B' || lpad(g::text, 3, '0'), t.id FROM aircraft_types t, generate_series(1, 20) g`);
  await q(`INSERT INTO locations (tenant_id, code, name, country) VALUES ($1, 'HAM', 'Hamburg', 'DE'), ($1, 'SIN', 'Singapore', 'SG')`);
  await q(`INSERT INTO suppliers (tenant_id, code, name, country, ports_of_origin)
           SELECT $1, 'S' || g, 'Supplier ' || g, (ARRAY['US','FR','DE','CN','JP'])[1 + g % 5], ARRAY['PORT' || (g % 40)] FROM generate_series(1, 150) g`);
  await q(`INSERT INTO parts (tenant_id, part_number, description, criticality)
           SELECT $1, 'P-' || lpad(g::text, 5, '0'), 'bench part', CASE WHEN g <= $2 THEN 'no_go' ELSE 'go' END FROM generate_series(1, $3) g`, [PROBES, PARTS]);
  await q(`INSERT INTO part_aircraft_types (tenant_id, part_id, aircraft_type_id) SELECT $1, p.id, t.id FROM parts p, aircraft_types t WHERE p.criticality = 'no_go'`);
  await q(`INSERT INTO supplier_offers (tenant_id, supplier_id, part_id, price, lead_time_mean_days, lead_time_sd_days, preferred)
           SELECT $1, s.id, p.id, 100, 20 + (substr(p.part_number, 3)::int % 60), 8, true
             FROM parts p JOIN suppliers s ON s.code = 'S' || (1 + substr(p.part_number, 3)::int % 150)`);
  // Probe items (No-Go parts at HAM) hold 6; every other item holds plenty.
  await q(`INSERT INTO stock_levels (tenant_id, part_id, location_id, on_hand)
           SELECT $1, p.id, l.id, CASE WHEN p.criticality = 'no_go' AND l.code = 'HAM' THEN 6 ELSE 100000 END FROM parts p, locations l`);
  await q(`INSERT INTO demand_history (tenant_id, part_id, location_id, period, quantity)
           SELECT $1, p.id, l.id, (date_trunc('month', now()) - make_interval(months => m))::date,
                  CASE WHEN (m + substr(p.part_number, 3)::int) % 6 = 0 THEN 2 WHEN (m + substr(p.part_number, 3)::int) % 2 = 0 THEN 1 ELSE 0 END
             FROM parts p, locations l, generate_series(1, 36) m`);
});
// Fresh tables have no statistics yet; a live database has them (autovacuum analyses after imports).
await ownerPool.query('ANALYZE');
const seedMs = performance.now() - seedStart;
const baseline = await runRiskScoring({ pool: appPool, recordPrediction, now: () => new Date() }, tenant.id, { kind: 'all' }, { kind: 'full', ref: 'bench' });
const alertsBefore = (await withTenant(appPool, { tenantId: tenant.id }, (db) => db.query<{ n: number }>('SELECT count(*)::int AS n FROM risk_alerts'))).rows[0]!.n;

const server = await startServer(runtime, { port: 0, host: '127.0.0.1' });
const nc = await connect({ servers: natsUrl });
const sentAt = new Map<string, number>();
const latencies: number[] = [];
let unexpected = 0;
const sub = nc.subscribe(`${eventsSubject}.supply.risk_alert.>`);
void (async () => {
  for await (const m of sub) {
    const a = JSON.parse(new TextDecoder().decode(m.data)) as { partId: string; locationId: string };
    const t = sentAt.get(`${a.partId}/${a.locationId}`);
    if (t === undefined) unexpected++;
    else {
      latencies.push(performance.now() - t);
      sentAt.delete(`${a.partId}/${a.locationId}`);
    }
  }
})();
const ids = await withTenant(appPool, { tenantId: tenant.id }, async (db) => (await db.query<{ pn: string; part_id: string; location_id: string }>(
  `SELECT p.part_number AS pn, p.id AS part_id, l.id AS location_id FROM parts p, locations l WHERE l.code = 'HAM' AND p.criticality = 'no_go' ORDER BY 1`)).rows);

let seq = 0;
let probe = 0;
const background = () => {
  const n = seq++;
  const part = PROBES + 1 + (n % (PARTS - PROBES));
  return {
    eventId: `bg-${n}`, partNumber: `P-${String(part).padStart(5, '0')}`, locationCode: n % 3 === 0 ? 'HAM' : 'SIN',
    kind: n % 2 === 0 ? 'receipt' : 'issue', quantity: 1, occurredAt: new Date().toISOString(),
  };
};
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

let sent = 0;
let errors = 0;
const requestMs: number[] = [];
const inflight: Promise<void>[] = [];
const start = performance.now();
while (performance.now() - start < seconds * 1000) {
  const elapsed = (performance.now() - start) / 1000;
  const due = Math.floor(elapsed * rate) - sent;
  const events: Record<string, unknown>[] = [];
  const probesNow: string[] = [];
  for (; probe < Math.min(ids.length, Math.floor(elapsed * probesPerS)); probe++) {
    const it = ids[probe]!;
    events.push({ eventId: `probe-${probe}-i`, partNumber: it.pn, locationCode: 'HAM', kind: 'issue', quantity: 6, occurredAt: new Date().toISOString() });
    events.push({ eventId: `probe-${probe}-r`, partNumber: it.pn, locationCode: 'HAM', kind: 'reservation', quantity: 1, occurredAt: new Date().toISOString() });
    probesNow.push(`${it.part_id}/${it.location_id}`);
  }
  while (events.length < due) events.push(background());
  if (events.length > 0) {
    sent += events.length;
    const t0 = performance.now();
    for (const k of probesNow) sentAt.set(k, t0);
    inflight.push(
      fetch(`${server.url}/v1/events/inventory`, {
        method: 'POST', headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ events }),
      }).then(async (res) => {
        const body = (await res.json()) as { summary?: { applied: number; rejected: number } };
        requestMs.push(performance.now() - t0);
        if (res.status !== 200 || (body.summary?.rejected ?? 1) > 0) errors++;
      }, () => void errors++),
    );
  }
  await new Promise((r) => setTimeout(r, TICK_MS));
}
const sendSeconds = (performance.now() - start) / 1000;
await Promise.all(inflight);
const deadline = performance.now() + 60_000;
while (sentAt.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
const { rows: runs } = await withTenant(appPool, { tenantId: tenant.id }, (db) =>
  db.query<{ n: number; items: number; ms: number }>(`SELECT count(*)::int AS n, avg(items)::float8 AS items, avg(duration_ms)::float8 AS ms FROM risk_runs WHERE kind = 'stock_changed'`));

console.log(`\nseed ${(seedMs / 1000).toFixed(1)} s; baseline full score of ${baseline.items} items ${(baseline.durationMs / 1000).toFixed(1)} s (${alertsBefore} alerts); load average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`offered ${sent.toLocaleString('en-US')} events in ${sendSeconds.toFixed(1)} s (${Math.round(sent / sendSeconds)} /s), ${errors} failed requests, request p50/p99 ${pct(requestMs, 50).toFixed(0)}/${pct(requestMs, 99).toFixed(0)} ms`);
console.log(`incremental runs: ${runs[0]!.n}, mean ${runs[0]!.items?.toFixed(0)} items, mean ${runs[0]!.ms?.toFixed(0)} ms; alerts not matched to a probe: ${unexpected}; probes without an alert after 60 s: ${sentAt.size}\n`);
console.log('| date | offered events/s (achieved) | probes (alerts) | event→alert p50 | p90 | p99 | max | incremental runs (mean items, mean ms) | load avg |');
console.log('|---|---:|---:|---:|---:|---:|---:|---|---:|');
console.log(`| 2026-11-21 | ${rate} (${Math.round(sent / sendSeconds)}) | ${probe} (${latencies.length}) | ${pct(latencies, 50).toFixed(0)} ms | ${pct(latencies, 90).toFixed(0)} ms | **${pct(latencies, 99).toFixed(0)} ms** | ${Math.max(...latencies).toFixed(0)} ms | ${runs[0]!.n} (${runs[0]!.items?.toFixed(0)}, ${runs[0]!.ms?.toFixed(0)}) | ${loadavg()[0]!.toFixed(1)} |`);

await sub.drain();
await nc.drain();
await server.close();
await (await (await connect({ servers: natsUrl })).jetstreamManager()).streams.delete(`SGBENCHA_${run}`).catch(() => undefined);
await ownerPool.end();
await appPool.end();
await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
await admin.end();
process.exit(0);
