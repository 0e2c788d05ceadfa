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
 *   10 ms, so ±10 ms); the phase ends when every event is acked. Also shown: publish →
 *   `supply.stock_changed` reaching an in-process subscriber (applied, committed, relayed through the
 *   outbox). The server's risk subscriber queues re-scores as in production; a stand-in worker takes
 *   the queued job off every 250 ms (scoring itself is bench/supply-alert-latency.ts's subject).
 * CPU: user+system time of this process (server + load generator), the PostgreSQL backends of the
 *   bench database and nats-server, per 1,000 events — the figure that survives a shared machine.
 * Parts: 5,000 × 5 locations; each event is a receipt or an issue of one unit.
 * The load generator shares the process (and the 2 cores) with the server: figures are conservative.
 */
/**
 * Sustained inventory events per second and apply latency, through the API and through NATS
 * JetStream, against the real server (in this process) on a fresh database on a PostgreSQL server
 * and the machine's NATS. Prints a markdown table for bench/RESULTS.md and a verdict per path.
 *
 *   node --import tsx bench/supply-events.ts [--seconds 15] [--batch 200] [--clients 4] [--api-rate 2000]
 *     [--rate 2000] [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--nats nats://127.0.0.1:4222]
 *
 * Target (issue 6): ≥ 2,000 events/s sustained with p99 apply latency < 200 ms.
 * API capacity: `clients` loops each POST a batch of `batch` events and wait for the answer (closed
 *   loop: the most the server takes; latency is then mostly queueing).
 * API at rate: one request every 50 ms carrying `api-rate`/20 events (open loop, as an ERP would
 *   send); an event's apply latency is its request's round trip (answered after the commit).
 * NATS: events are published at `rate`/s (open loop, core publish into the stream's subject); an
 *   event's apply latency is publish → the consumer's ack after the commit (acks are sampled every
 *   10 ms, so ±10 ms); the phase ends when every event is acked. Also shown: publish →
 *   `supply.stock_changed` reaching an in-process subscriber (applied, committed, relayed through the
 *   outbox). The server's risk subscriber queues re-scores as in production; a stand-in worker takes
 *   the queued job off every 250 ms (scoring itself is bench/supply-alert-latency.ts's subject).
 * CPU: this process (server + load generator), the bench database's PostgreSQL backends and
 *   nats-server, per 1,000 events; "CPU-bound capacity" = 2 cores / CPU per event.
 * Parts: 5,000 × 5 locations; each event is a receipt or an issue of one unit.
 */
import { connect } from 'nats';
import { startServer } from '../src/main/server.js';
import { withTenant } from '../src/platform/db/with-tenant.js';
import { startNatsInventoryConsumer } from '../src/platform/events/nats-inventory.consumer.js';
import { MAX_EVENTS_PER_REQUEST } from '../src/http/routes/supply/inventory-events.routes.js';
import { itemsJobKey } from '../src/platform/supply-risk/risk-rescore.subscriber.js';
import { arg, benchRuntime, cpuMeter, cpuPer1000, createBenchDatabase, createBenchTenant, loadText, pct, type CpuSample } from './support/supply-bench.js';

const seconds = Number(arg('seconds', '15'));
const batch = Number(arg('batch', '200'));
const clients = Number(arg('clients', '4'));
const apiRate = Number(arg('api-rate', '2000'));
const rate = Number(arg('rate', '2000'));
const serverUrl = arg('database-url', 'postgres://postgres@127.0.0.1:5432/postgres');
const natsUrl = arg('nats', 'nats://127.0.0.1:4222');
const PARTS = 5000;
const LOCATIONS = ['HAM', 'FRA', 'SIN', 'DFW', 'DXB'];
const TARGET_RATE = 2000;
const TARGET_P99_MS = 200;
const CORES = 2;

const db = await createBenchDatabase('skyguard_bench_events', serverUrl, { owner: 4, app: 20 });
const run = db.name.slice(-8);
const subject = `sgbench.${run}.inventory`;
const runtime = benchRuntime(db, { JOBS_IN_PROCESS: 'false' });
const cpu = cpuMeter(db);
const tenant = await createBenchTenant(db, runtime);
await withTenant(db.appPool, { tenantId: tenant.id }, async (c) => {
  await c.query(`INSERT INTO parts (tenant_id, part_number, description) SELECT $1, 'B-' || lpad(g::text, 5, '0'), 'bench part' FROM generate_series(1, $2) g`, [tenant.id, PARTS]);
  await c.query(`INSERT INTO locations (tenant_id, code, name) SELECT $1, l, l FROM unnest($2::text[]) l`, [tenant.id, LOCATIONS]);
  await c.query('INSERT INTO stock_levels (tenant_id, part_id, location_id, on_hand) SELECT $1, p.id, l.id, 1000000 FROM parts p CROSS JOIN locations l', [tenant.id]);
});
await db.ownerPool.query('ANALYZE');

const server = await startServer(runtime, { port: 0, host: '127.0.0.1' });
// The server's risk subscriber queues a coalesced re-score job per relay batch. No job worker runs
// here (bench/supply-alert-latency.ts measures scoring), so a stand-in takes the pending job off the
// queue as a worker would: left alone, graphile-worker would merge every batch into one ever-growing
// payload, a cost production does not have while its worker runs.
const standInWorker = setInterval(() => void db.ownerPool.query('SELECT graphile_worker.remove_job($1)', [itemsJobKey(tenant.id)]).catch(() => undefined), 250);
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

const post = async (events: readonly object[]): Promise<{ ok: boolean; ms: number }> => {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/v1/events/inventory`, {
    method: 'POST', headers: { authorization: `Bearer ${tenant.secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ events }),
  });
  const body = (await res.json()) as { summary?: { applied: number } };
  return { ok: res.status === 200 && body.summary?.applied === events.length, ms: performance.now() - t0 };
};

interface Phase {
  readonly events: number;
  readonly seconds: number;
  readonly latencies: number[];
  readonly cpu: { text: string; msPerUnit: number };
  readonly errors: number;
}

/** Closed loop: `clients` POST `batch` events each and wait for the answer. */
async function apiCapacity(): Promise<Phase> {
  const c0 = await cpu();
  const latencies: number[] = [];
  let events = 0;
  let errors = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() - start < seconds * 1000) {
      const r = await post(Array.from({ length: batch }, () => event('api')));
      if (!r.ok) errors++;
      else {
        events += batch;
        for (let i = 0; i < batch; i++) latencies.push(r.ms);
      }
    }
  }));
  const secs = (performance.now() - start) / 1000;
  await server.outbox.drainAll();
  return { events, seconds: secs, latencies, cpu: cpuPer1000(c0, await cpu(), events), errors };
}

/** Open loop: a request every 50 ms with the events due at `apiRate`/s, whatever the answers do. */
async function apiAtRate(): Promise<Phase> {
  const c0 = await cpu();
  const latencies: number[] = [];
  let events = 0;
  let errors = 0;
  let sent = 0;
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    // A late tick (busy machine) sends what fell due meanwhile, within the API's batch limit.
    for (let due = Math.floor(((performance.now() - start) / 1000) * apiRate) - sent; due > 0; due -= MAX_EVENTS_PER_REQUEST) {
      const n = Math.min(due, MAX_EVENTS_PER_REQUEST);
      sent += n;
      inflight.push(post(Array.from({ length: n }, () => event('rate'))).then((r) => {
        if (!r.ok) errors++;
        else {
          events += n;
          for (let i = 0; i < n; i++) latencies.push(r.ms);
        }
      }, () => void errors++));
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.all(inflight);
  const secs = (performance.now() - start) / 1000;
  await server.outbox.drainAll();
  return { events, seconds: secs, latencies, cpu: cpuPer1000(c0, await cpu(), events), errors };
}

/** Open loop into the stream at `rate`/s; latency = publish → ack after commit. */
async function natsAtRate(): Promise<Phase & { notApplied: number }> {
  const nc = await connect({ servers: natsUrl });
  // The consumer the server starts with NATS_URL set, started here to read its ack count.
  const consumerConn = await connect({ servers: natsUrl, name: 'skyguard' });
  const consumer = await startNatsInventoryConsumer({
    nc: consumerConn, pool: db.appPool, subject, stream: `SGBENCH_${run}`, durable: `sgbench-${run}`, now: () => new Date(), log: () => undefined,
  });
  const c0: CpuSample = await cpu();
  const start = performance.now();
  let sent = 0;
  const publishTimes: number[] = [];
  const latencies: number[] = [];
  const ackedBase = consumer.acked();
  // The k-th ack is matched to the k-th publish (acks of concurrent batches may swap: ± one batch).
  const sampler = setInterval(() => {
    const now = performance.now();
    const acked = consumer.acked() - ackedBase;
    while (latencies.length < acked && latencies.length < publishTimes.length) latencies.push(now - publishTimes[latencies.length]!);
  }, 10);
  while (performance.now() - start < seconds * 1000) {
    const due = Math.floor(((performance.now() - start) / 1000) * rate);
    for (; sent < due; sent++) {
      const e = event('nats');
      published.set(e.eventId, performance.now());
      publishTimes.push(performance.now());
      nc.publish(`${subject}.bench`, JSON.stringify(e));
    }
    await nc.flush();
    await new Promise((r) => setTimeout(r, 5));
  }
  const deadline = performance.now() + 120_000;
  while (latencies.length < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  clearInterval(sampler);
  const c1 = await cpu();
  const secs = (performance.now() - start) / 1000;
  // The relay's delivery to subscribers is reported apart (it is not part of "applied").
  while (published.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await consumer.close();
  await consumerConn.drain();
  await nc.drain();
  const jsm = await (await connect({ servers: natsUrl })).jetstreamManager();
  await jsm.streams.delete(`SGBENCH_${run}`).catch(() => undefined);
  return { events: latencies.length, seconds: secs, latencies, cpu: cpuPer1000(c0, c1, latencies.length), errors: 0, notApplied: sent - latencies.length };
}

const capacity = await apiCapacity();
const atRate = await apiAtRate();
const nats = await natsAtRate();

const perSecond = (p: Phase): number => p.events / p.seconds;
const row = (path: string, p: Phase, note: string): string =>
  `| ${new Date().toISOString().slice(0, 10)} | ${path} | ${p.events.toLocaleString('en-US')} | ${p.seconds.toFixed(1)} | **${Math.round(perSecond(p)).toLocaleString('en-US')}** | ${pct(p.latencies, 50).toFixed(0)} | ${pct(p.latencies, 99).toFixed(0)} | ${p.cpu.text} | ${note}${p.errors ? `, ${p.errors} failed requests` : ''} |`;
console.log(`\nload average at end: ${loadText()}; ${seconds} s per phase\n`);
console.log('| date | path | events | s | events/s | p50 ms | p99 ms | CPU ms / 1k events (node + PG + NATS) | setting |');
console.log('|---|---|---:|---:|---:|---:|---:|---|---|');
console.log(row('API `POST /v1/events/inventory`', capacity, `${clients} clients × batches of ${batch}, closed loop (capacity)`));
console.log(row('API `POST /v1/events/inventory`', atRate, `offered ${apiRate}/s open loop, a request every 50 ms`));
console.log(row('NATS JetStream consumer (publish → ack after commit)', nats, `offered ${rate}/s open loop; ${nats.notApplied} not applied within 120 s after`));
console.log(`\npublish → stock_changed at an in-process subscriber (outbox relay): p50 ${pct(natsLatencies, 50).toFixed(0)} ms, p99 ${pct(natsLatencies, 99).toFixed(0)} ms over ${natsLatencies.length} events`);
for (const [name, p] of [['API', atRate], ['NATS', nats]] as const) {
  const met = perSecond(p) >= TARGET_RATE * 0.98 && pct(p.latencies, 99) < TARGET_P99_MS;
  console.log(`verdict ${name}: ${met ? 'MET' : 'NOT MET'} — target ≥ ${TARGET_RATE} events/s with p99 < ${TARGET_P99_MS} ms; `
    + `measured ${Math.round(perSecond(p))} events/s, p99 ${pct(p.latencies, 99).toFixed(0)} ms at ${name === 'API' ? apiRate : rate}/s offered; `
    + `CPU ${(p.cpu.msPerUnit * 1000).toFixed(0)} µs/event → CPU-bound capacity on ${CORES} cores ≈ ${Math.round((CORES * 1000) / p.cpu.msPerUnit)} events/s`);
}

clearInterval(standInWorker);
await server.close();
await db.drop();
process.exit(0);
