// Full portfolio re-score (issue 7): 500,000 part × location items, 15,000 suppliers, seeded.
//   node --import tsx bench/supply-score.ts [--items 500000] [--suppliers 15000] [--seed 7]
//                                           [--workers N] [--single] [--runs 3]
// Part 1 (this script's default): generated typed inputs → the pure portfolio kernel
// (src/supply/portfolio) on a worker pool (src/platform/supply-risk/portfolio-worker-pool.ts):
// demand fit (auto) → shared per-supplier event-adjusted lead times → stockout/AOG → exposure →
// score → level → SHA-256 input digest, for every item. Prints wall and CPU time per run.
// Part 2: event-to-alert latency through the API under 1,000 inventory events/s is bench/supply-alert-latency.ts.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { PortfolioItemsBuilder, buildSuppliers, type PortfolioInput } from '../src/supply/portfolio/portfolio-input.js';
import { scorePortfolio } from '../src/supply/portfolio/portfolio-scorer.js';
import { createPortfolioWorkerPool } from '../src/platform/supply-risk/portfolio-worker-pool.js';
import { RISK_LEVELS } from '../src/supply/risk/risk-score.js';
import type { RiskEvent } from '../src/supply/risk/risk-events.js';
import { AOG_COST_PER_DAY_BANDS } from '../src/supply/risk/exposure.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const ITEMS = arg('items', 500_000);
const SUPPLIERS = arg('suppliers', 15_000);
const SEED = arg('seed', 7);
const WORKERS = arg('workers', os.availableParallelism());
const RUNS = arg('runs', 3);
const TARGET_S = 5;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded portfolio: suppliers with a few standard quotes and a delivery history, events, items. */
export function generatePortfolio(items: number, suppliers: number, seed: number, now = Date.UTC(2026, 10, 21)): PortfolioInput {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const COUNTRIES = ['US', 'FR', 'DE', 'GB', 'CN', 'JP', 'TW', 'KR', 'IN', 'BR', 'CA', 'MX', 'IT', 'ES', 'NL', 'SG', 'AE', 'TR', 'PL', 'CZ'];
  const REGION: Record<string, string> = { US: 'NA', CA: 'NA', MX: 'NA', BR: 'SA', CN: 'ASIA', JP: 'ASIA', TW: 'ASIA', KR: 'ASIA', IN: 'ASIA', SG: 'ASIA', AE: 'ME', TR: 'ME' };
  const PORTS = Array.from({ length: 60 }, (_, i) => `PORT${i}`);
  const DAY = 86_400_000;
  const nowDay = now / DAY;
  const types = ['port_disruption', 'strike', 'weather', 'geopolitical', 'supplier_failure', 'cyber'] as const;
  const events: RiskEvent[] = Array.from({ length: 40 }, (_, i) => ({
    id: `EV${i}`,
    type: pick(types),
    ...(rnd() < 0.25 ? { countries: [pick(COUNTRIES)] } : { ports: [pick(PORTS)] }),
    ...(rnd() < 0.1 ? { supplierIds: [`S${Math.floor(rnd() * suppliers)}`] } : {}),
    start: now + Math.round((rnd() * 60 - 30) * DAY),
    ...(rnd() < 0.5 ? { expectedEnd: now + Math.round((rnd() * 30 + 31) * DAY) } : {}),
    severity: 0.2 + 0.8 * rnd(),
    probability: rnd() < 0.3 ? 0.5 : 1,
  }));
  const quotes: { mean: number; sd?: number }[][] = [];
  const sup = Array.from({ length: suppliers }, (_, i) => {
    const country = pick(COUNTRIES);
    const n = Math.floor(rnd() * 40);
    const lateP = rnd() * 0.4;
    const deliveries = Array.from({ length: n }, (_, k) => {
      const promisedDay = nowDay - (k + 10) * 7;
      return { promisedDay, actualDay: promisedDay + (rnd() < lateP ? Math.round(1 + rnd() * 25) : 0) };
    });
    // Suppliers quote a few standard lead times (by product family).
    quotes.push(
      Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => {
        const mean = 10 + rnd() * 110;
        return rnd() < 0.7 ? { mean, sd: mean * (0.1 + rnd() * 0.3) } : { mean };
      }),
    );
    return { node: { supplierId: `S${i}`, country, region: REGION[country] ?? 'EU', ports: [pick(PORTS)] }, deliveries };
  });
  const fleets = Array.from({ length: 12 }, (_, f) => ({
    size: 5 + Math.floor(rnd() * 55),
    cost: AOG_COST_PER_DAY_BANDS[pick(['widebody', 'narrowbody', 'regional'] as const)].typical,
    f,
  }));
  const b = new PortfolioItemsBuilder(items, true, items * 36);
  const hist = new Float64Array(36);
  for (let i = 0; i < items; i++) {
    // Skewed supplier choice: a few large suppliers serve many parts.
    const s = Math.floor(Math.pow(rnd(), 1.6) * suppliers);
    const q = quotes[s]!;
    const quote = q[Math.floor(rnd() * q.length)]!;
    const p = 0.05 + rnd() * 0.6;
    const size = 1 + rnd() * 4;
    let total = 0;
    for (let t = 0; t < 36; t++) {
      hist[t] = rnd() < p ? Math.ceil(rnd() * size * 2) : 0;
      total += hist[t]!;
    }
    const monthly = total / 36;
    const fleet = rnd() < 0.25 ? pick(fleets) : undefined;
    b.add({
      supplier: s,
      offerMeanDays: quote.mean,
      ...(quote.sd !== undefined ? { offerSdDays: quote.sd } : {}),
      // Stock around the lead-time demand: most positions healthy, a tail short.
      onHand: Math.floor(monthly * (quote.mean / 30.4) * (0.3 + rnd() * 2.2) + rnd() * 3),
      reserved: rnd() < 0.1 ? 1 : 0,
      ...(rnd() < 0.2 ? { onOrder: [{ quantity: Math.ceil(monthly + 1), dueInDays: rnd() * 60 }] } : {}),
      demand: hist,
      ...(fleet ? { grounds: { fleetSize: fleet.size, fleet: fleet.f, aogCostPerDay: fleet.cost } } : {}),
      expediteCost: 500 + Math.round(rnd() * 4500),
    });
  }
  return { now, items: b.build(), suppliers: buildSuppliers(sup), events };
}

const cpuMs = (c0: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(c0);
  return (d.user + d.system) / 1000;
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
  let t = performance.now();
  const input = generatePortfolio(ITEMS, SUPPLIERS, SEED);
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`generated ${fmt(ITEMS)} items / ${fmt(SUPPLIERS)} suppliers / ${input.events.length} events in ${(performance.now() - t).toFixed(0)} ms (untimed)`);

  if (process.argv.includes('--single')) {
    t = performance.now();
    const c0 = process.cpuUsage();
    const { report } = scorePortfolio(input);
    console.log(`single thread: ${((performance.now() - t) / 1000).toFixed(2)} s wall, ${(cpuMs(c0) / 1000).toFixed(2)} s CPU, ${fmt(report.scored)} scored, ${report.errors.length} refused, ${fmt(report.leadTimes)} lead times`);
  }

  t = performance.now();
  const pool = createPortfolioWorkerPool(WORKERS);
  // Worker start-up (module loading; tsx transpiling when run from source) is paid once per process.
  await pool.score(generatePortfolio(200, 20, 1));
  console.log(`pool of ${pool.size} threads ready in ${(performance.now() - t).toFixed(0)} ms (once per process)`);
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 1; r <= RUNS; r++) {
    t = performance.now();
    const c0 = process.cpuUsage();
    const res = await pool.score(input);
    const wall = performance.now() - t;
    walls.push(wall);
    cpus.push(cpuMs(c0));
    const levels = [0, 0, 0, 0];
    let exposure = 0;
    for (let i = 0; i < res.scores.count; i++) {
      if (res.scores.status[i] === 0) {
        levels[res.scores.level[i]!]!++;
        exposure += res.scores.expectedExposure[i]!;
      }
    }
    console.log(
      `run ${r}: ${(wall / 1000).toFixed(2)} s wall, ${(cpuMs(c0) / 1000).toFixed(2)} s CPU (process: all threads), load ${os.loadavg()[0]!.toFixed(1)}, ` +
        `${fmt((ITEMS / wall) * 1000)} items/s, ${fmt(res.leadTimes)} lead times, ${res.errors.length} refused; ` +
        `levels ${RISK_LEVELS.map((l, k) => `${l} ${fmt(levels[k]!)}`).join(', ')}; expected exposure $${fmt(exposure)}`,
    );
  }
  const best = Math.min(...walls);
  console.log(
    `target: full re-score < ${TARGET_S} s wall on this machine; best run ${(best / 1000).toFixed(2)} s wall, ` +
      `CPU ${(Math.min(...cpus) / 1000).toFixed(2)}–${(Math.max(...cpus) / 1000).toFixed(2)} s → ${best < TARGET_S * 1000 ? 'MET' : 'NOT MET'}` +
      ` (wall is meaningful on an idle machine only; on a busy one judge by CPU, which must stay well under ${TARGET_S} s × ${pool.size} threads)`,
  );
  await pool.close();
}
