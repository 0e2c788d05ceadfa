/**
 * Sustained inventory events per second and apply latency, through the API and through NATS
 * JetStream, against the real server (in this process) on a fresh database on a PostgreSQL server
 * and the machine's NATS. Prints a markdown table for bench/RESULTS.md.
 *
 *   node --import tsx bench/supply-events.ts [--seconds 20] [--batch 200] [--clients 4] [--rate 2500]
 *     [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--nats nats://127.0.0.1:4222]
 *
 * API: `clients` loops each POST a batch of `batch` events and wait for the answer (closed loop);
 *   an event's apply latency is its request's round trip (the answer comes after the commit).
 * NATS: events are published at `rate`/s (open loop, core publish into the stream's subject); an
 *   event's apply latency is publish → the consumer's ack after the commit (acks are sampled every
 *   10 ms, so ±10 ms). Also shown: publish → `supply.stock_changed` reaching an in-process subscriber
 *   (applied, committed, relayed through the outbox).
 * CPU: user+system time of this process (server + load generator), the PostgreSQL backends of the
 *   bench database and nats-server, per 1,000 events — the figure that survives a shared machine.
 * Parts: 5,000 × 5 locations; each event is a receipt or an issue of one unit.
 * The load generator shares the process (and the 2 cores) with the server: figures are conservative.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { readFileSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { connect } from 'nats';
import { loadConfig } from '../src/config/config.js';
import { startServer } from '../src/main/server.js';
import type { Runtime } from '../src/main/runtime.js';
import { migrate } from '../src/platform/db/migrator.js';
import { createPool } from '../src/platform/db/pool.js';
import { withTenant } from '../src/platform/db/with-tenant.js';
import { loadSigningKey } from '../src/platform/audit/audit-checkpoint.js';
import { startNatsInventoryConsumer } from '../src/platform/events/nats-inventory.consumer.js';
import { createApiKeyAsSystem, createTenant, createUserAsSystem } from '../src/platform/accounts/tenant-admin.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : (process.argv[i + 1] ?? fallback);
};
const seconds = Number(arg('seconds', '20'));
const batch = Number(arg('batch', '200'));
const clients = Number(arg('clients', '4'));
const rate = Number(arg('rate', '2500'));
const serverUrl = arg('database-url', 'postgres://postgres@127.0.0.1:5432/postgres');
const natsUrl = arg('nats', 'nats://127.0.0.1:4222');
const PARTS = 5000;
const LOCATIONS = ['HAM', 'FRA', 'SIN', 'DFW', 'DXB'];

const run = randomBytes(4).toString('hex');
const dbName = `skyguard_bench_events_${run}`;
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
const ownerPool = createPool(ownerUrl.toString(), 4, 'bench-owner');
const appPool = createPool(appUrl.toString(), 20, 'bench');

const subject = `sgbench.${run}.inventory`;
const config = loadConfig({
  LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '10000000', JOBS_IN_PROCESS: 'false', BODY_LIMIT_BYTES: String(8 * 1024 * 1024),
});
const pepper = randomBytes(32).toString('base64url');
const runtime: Runtime = {
  config, ownerPool, appPool, appUrl: appUrl.toString(), apiKeyPepper: pepper, demoPassword: undefined,
  signingKey: loadSigningKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
  close: async () => undefined,
};

/** CPU ms so far of this process, the bench database's backends and nats-server. */
const ticks = (pid: number): number => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0;
  }
};
async function cpu(): Promise<{ self: number; db: number; nats: number }> {
  const u = process.cpuUsage();
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName]);
  const natsPids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
    try {
      return readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'nats-server';
    } catch {
      return false;
    }
  }).map(Number);
  return { self: (u.user + u.system) / 1000, db: rows.reduce((sum, r) => sum + ticks(r.pid), 0), nats: natsPids.reduce((sum, p) => sum + ticks(p), 0) };
}
const cpuPer1000 = (a: { self: number; db: number; nats: number }, b: { self: number; db: number; nats: number }, events: number): string =>
  `${(((b.self - a.self) * 1000) / events).toFixed(0)} + ${(((b.db - a.db) * 1000) / events).toFixed(0)} + ${(((b.nats - a.nats) * 1000) / events).toFixed(0)}`;

const tenant = await createTenant(ownerPool, 'bench', 'Bench');
await createUserAsSystem(appPool, tenant, { email: 'bench@bench.test', displayName: 'Bench', password: 'bench-password-123', roles: ['admin'] }, new Date());
const key = await createApiKeyAsSystem(appPool, tenant, { userEmail: 'bench@bench.test', name: 'bench', scopes: ['supply:write'] }, pepper, new Date());
await withTenant(appPool, { tenantId: tenant.id }, async (db) => {
  await db.query(`INSERT INTO parts (tenant_id, part_number, description) SELECT $1, 'B-' || lpad(g::text, 5, '0'), 'bench part' FROM generate_series(1, $2) g`, [tenant.id, PARTS]);
  await db.query(`INSERT INTO locations (tenant_id, code, name) SELECT $1, l, l FROM unnest($2::text[]) l`, [tenant.id, LOCATIONS]);
  await db.query('INSERT INTO stock_levels (tenant_id, part_id, location_id, on_hand) SELECT $1, p.id, l.id, 1000000 FROM parts p CROSS JOIN locations l', [tenant.id]);
});

const server = await startServer(runtime, { port: 0, host: '127.0.0.1' });
const published = new Map<string, number>();
const natsLatencies: number[] = [];
server.domainEvents.subscribe('supply.stock_changed', 'bench', async (events) => {
  const now = performance.now();
  for (const e of events) {
    const t = published.get(e.eventId);
    if (t !== undefined) {
      natsLatencies.push(now - t);
      published.delete(e.eventId);
    }
  }
});

let seq = 0;
const event = (prefix: string) => {
  const n = seq++;
  return {
    eventId: `${prefix}-${run}-${n}`, partNumber: `B-${String((n % PARTS) + 1).padStart(5, '0')}`, locationCode: LOCATIONS[n % LOCATIONS.length]!,
    kind: n % 2 === 0 ? 'receipt' : 'issue', quantity: 1, occurredAt: new Date().toISOString(),
  };
};
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

// API: closed loop.
const cpuApi0 = await cpu();
const apiLatencies: number[] = [];
let apiEvents = 0;
let apiErrors = 0;
const apiStart = performance.now();
const apiEnd = apiStart + seconds * 1000;
await Promise.all(Array.from({ length: clients }, async () => {
  while (performance.now() < apiEnd) {
    const events = Array.from({ length: batch }, () => event('api'));
    const t0 = performance.now();
    const res = await fetch(`${server.url}/v1/events/inventory`, {
      method: 'POST', headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ events }),
    });
    const body = (await res.json()) as { summary?: { applied: number } };
    const dt = performance.now() - t0;
    if (res.status !== 200 || body.summary?.applied !== batch) apiErrors++;
    else {
      apiEvents += batch;
      for (let i = 0; i < batch; i++) apiLatencies.push(dt);
    }
  }
}));
const apiSeconds = (performance.now() - apiStart) / 1000;
const cpuApi1 = await cpu();
await server.outbox.drainAll();

// NATS: open loop at `rate`/s.
const nc = await connect({ servers: natsUrl });
// The consumer the server starts with NATS_URL set, started here to read its ack count.
const consumerConn = await connect({ servers: natsUrl, name: 'skyguard' });
const consumer = await startNatsInventoryConsumer({
  nc: consumerConn, pool: appPool, subject, stream: `SGBENCH_${run}`, durable: `sgbench-${run}`, now: () => new Date(), log: () => undefined,
});
const cpuNats0 = await cpu();
const natsStart = performance.now();
let sent = 0;
const publishTimes: number[] = [];
const ackLatencies: number[] = [];
const ackedBase = consumer.acked();
const sampler = setInterval(() => {
  const now = performance.now();
  const acked = consumer.acked() - ackedBase;
  while (ackLatencies.length < acked && ackLatencies.length < publishTimes.length) ackLatencies.push(now - publishTimes[ackLatencies.length]!);
}, 10);
while (performance.now() - natsStart < seconds * 1000) {
  const due = Math.floor(((performance.now() - natsStart) / 1000) * rate);
  for (; sent < due; sent++) {
    const e = event('nats');
    published.set(e.eventId, performance.now());
    publishTimes.push(performance.now());
    nc.publish(`${subject}.bench`, JSON.stringify(e));
  }
  await nc.flush();
  await new Promise((r) => setTimeout(r, 5));
}
const publishEnd = performance.now();
const deadline = publishEnd + 120_000;
while ((published.size > 0 || ackLatencies.length < sent) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
clearInterval(sampler);
const cpuNats1 = await cpu();
const natsSeconds = (performance.now() - natsStart) / 1000;
const applied = ackLatencies.length;

const row = (path: string, events: number, secs: number, lat: number[], cpuText: string, note: string): string =>
  `| 2026-11-21 | ${path} | ${events.toLocaleString('en-US')} | ${secs.toFixed(1)} | **${Math.round(events / secs).toLocaleString('en-US')}** | ${pct(lat, 50).toFixed(0)} | ${pct(lat, 99).toFixed(0)} | ${cpuText} | ${note} |`;
console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${seconds} s per phase\n`);
console.log('| date | path | events | s | events/s | p50 ms | p99 ms | CPU ms / 1k events (node + PG + NATS) | setting |');
console.log('|---|---|---:|---:|---:|---:|---:|---|---|');
console.log(row('API `POST /v1/events/inventory`', apiEvents, apiSeconds, apiLatencies, cpuPer1000(cpuApi0, cpuApi1, apiEvents), `${clients} clients × batches of ${batch}, closed loop${apiErrors ? `, ${apiErrors} failed requests` : ''}`));
console.log(row('NATS JetStream consumer (publish → ack after commit)', applied, natsSeconds, ackLatencies, cpuPer1000(cpuNats0, cpuNats1, applied), `offered ${rate}/s open loop for ${seconds} s; ${sent - applied} not applied within 120 s after`));
console.log(`\npublish → stock_changed at an in-process subscriber (outbox relay): p50 ${pct(natsLatencies, 50).toFixed(0)} ms, p99 ${pct(natsLatencies, 99).toFixed(0)} ms over ${natsLatencies.length} events`);

await consumer.close();
await consumerConn.drain();
await server.close();
await nc.drain();
const jsm = await (await connect({ servers: natsUrl })).jetstreamManager();
await jsm.streams.delete(`SGBENCH_${run}`).catch(() => undefined);
await Promise.allSettled([ownerPool.end(), appPool.end()]);
await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
await admin.end();
process.exit(0);
