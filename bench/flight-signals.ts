/**
 * Latency of `GET /v1/flights/:id/signals` on a long flight: a 1-hour log at 250 Hz (900,000 samples
 * per signal, generated as CSV and decoded by the real upload → job path), queried for 4,000-point
 * windows: 16 s windows (4,000 raw samples, served as logged), 10-minute windows and the whole
 * flight (min/max downsampled, from the precomputed envelope level). Sequential requests from one
 * client against the server as a child process on embedded PostgreSQL. Target: p95 < 100 ms.
 * Run: `node --import tsx bench/flight-signals.ts [--requests 200] [--hours 1] [--hz 250]`.
 */
import { cpus } from 'node:os';
import { startBenchServer, waitDecoded } from './flight-upload.js';

const arg = (name: string, fallback: number): number => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const requests = arg('requests', 200);
const hours = arg('hours', 1);
const hz = arg('hz', 250);

function longFlightCsv(): Buffer {
  const n = Math.round(hours * 3600 * hz);
  const lines = ['timestamp_us,roll_deg,pitch_deg,yaw_deg,voltage,current,altitude'];
  for (let i = 0; i < n; i++) {
    const t = i / hz;
    const spike = i % 100_003 === 0 ? 40 : 0;
    lines.push(`${Math.round(t * 1e6)},${(Math.sin(t / 3) * 12 + Math.sin(t * 37) + spike).toFixed(3)},${(Math.cos(t / 5) * 6).toFixed(3)},${((t * 3) % 360).toFixed(2)},${(16.8 - t / 1200).toFixed(3)},${(12 + Math.sin(t)).toFixed(2)},${(30 + Math.sin(t / 60) * 10).toFixed(2)}`);
  }
  return Buffer.from(lines.join('\n'));
}

/** Deterministic pseudo-random numbers (mulberry32) so runs query the same windows. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

const server = await startBenchServer();
try {
  const csv = longFlightCsv();
  const t0 = performance.now();
  const up = await fetch(`${server.base}/v1/flights?name=long.csv`, { method: 'POST', headers: { cookie: server.cookie, 'content-type': 'application/octet-stream' }, body: new Uint8Array(csv) });
  const { flight } = (await up.json()) as { flight: { id: string } };
  const done = await waitDecoded(server, flight.id);
  if (done.status !== 'decoded') throw new Error(`decode ${done.status}`);
  const decodeS = (performance.now() - t0) / 1000;
  const cat = (await (await fetch(`${server.base}/v1/flights/${flight.id}/signals`, { headers: { cookie: server.cookie } })).json()) as { signals: { name: string; sampleCount: number; start: number; end: number }[] };
  const roll = cat.signals.find((s) => s.name === 'attitude.roll')!;
  const span = roll.end - roll.start;
  const random = rng(42);
  const scenarios: { name: string; window: () => [number, number]; names: string }[] = [
    { name: '16 s window (4,000 raw samples), 1 signal', window: () => { const a = roll.start + random() * (span - 16); return [a, a + 15.996]; }, names: 'attitude.roll' },
    { name: '10 min window → 4,000 points, 1 signal', window: () => { const a = roll.start + random() * (span - 600); return [a, a + 600]; }, names: 'attitude.roll' },
    { name: 'whole flight → 4,000 points, 1 signal', window: () => [roll.start, roll.end], names: 'attitude.roll' },
    { name: 'whole flight → 4,000 points, 3 signals', window: () => [roll.start, roll.end], names: 'attitude.roll,attitude.pitch,batteries.0.voltage' },
  ];
  const rows: string[] = [];
  for (const s of scenarios) {
    const times: number[] = [];
    let points = 0;
    for (let i = 0; i < requests + 10; i++) {
      const [from, to] = s.window();
      const t = performance.now();
      const res = await fetch(`${server.base}/v1/flights/${flight.id}/signals?names=${s.names}&from=${from}&to=${to}&maxPoints=4000`, { headers: { cookie: server.cookie } });
      const body = (await res.json()) as { signals: { t: number[]; level: number }[] };
      if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(body)}`);
      if (i >= 10) {
        times.push(performance.now() - t); // the first 10 warm up
        points = body.signals[0]!.t.length;
      }
    }
    rows.push(`| ${s.name} | ${points} | ${pct(times, 0.5).toFixed(1)} | ${pct(times, 0.95).toFixed(1)} | ${pct(times, 0.99).toFixed(1)} |`);
  }
  console.log(`\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}; ${hours} h at ${hz} Hz = ${roll.sampleCount.toLocaleString('en')} samples per signal, ${(csv.length / 2 ** 20).toFixed(0)} MiB CSV, upload → decoded in ${decodeS.toFixed(1)} s; ${requests} sequential requests per row (after 10 warm-up), client, server and PostgreSQL on the same machine\n`);
  console.log('| query (maxPoints=4000) | points returned | p50 ms | p95 ms | p99 ms |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) console.log(r);
} finally {
  await server.stop();
}
