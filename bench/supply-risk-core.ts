// Micro-benchmark of the pure supply-risk scoring path (src/supply/risk, leadtime).
//   node --import tsx bench/supply-risk-core.ts [--parts 500000] [--suppliers 15000] [--seed 42] [--full]
// --full scores with detail 'full' (shortage, days short, backorder-days for every part) instead of the
// bulk 'score' detail.
// A seeded generator builds suppliers (offer, delivery history, location), risk events and parts
// (Poisson or negative-binomial demand, stock, on-order, essentiality). It times separately:
//   1. per-supplier lead times (offer ⊕ reliability ⊕ events), computed once and shared;
//   2. the per-part path: stockout/AOG → exposure → score → level.
// Prints parts/s for (2). Demand objects are simple test distributions, not the fitted forecasters.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { DemandDistribution } from '../src/supply/demand-distribution.js';
import { eventDurationModels } from '../src/supply/risk/event-duration-priors.js';
import { assessPartRisk, scoringContext, type PartRiskInput } from '../src/supply/risk/part-risk.js';
import type { RiskEvent, SupplyNode } from '../src/supply/risk/risk-events.js';
import { buildSupplyLeadTime, type SupplyLeadTime } from '../src/supply/risk/supply-lead-time.js';
import { prepareRiskEvents } from '../src/supply/risk/risk-events.js';
import type { LeadTimeDistribution } from '../src/supply/leadtime/lead-time-distribution.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const PARTS = arg('parts', 500_000);
const SUPPLIERS = arg('suppliers', 15_000);
const SEED = arg('seed', 42);

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
const rnd = mulberry32(SEED);
/** CPU time of this process since `c0` (user + system), in ms: less sensitive to a busy machine than wall time. */
const cpuMs = (c0: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(c0);
  return (d.user + d.system) / 1000;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

function poisson(rate: number): DemandDistribution {
  return {
    method: 'poisson',
    meanPerPeriod: rate,
    variancePerPeriod: rate,
    pmf(periods, maxUnits) {
      const l = rate * periods;
      const out = new Float64Array(maxUnits + 1);
      let p = Math.exp(-l);
      for (let k = 0; k <= maxUnits; k++) {
        out[k] = p;
        p *= l / (k + 1);
      }
      return out;
    },
    tailProbability(periods, units) {
      const l = rate * periods;
      let p = Math.exp(-l);
      let c = 0;
      for (let k = 0; k <= units; k++) {
        c += p;
        p *= l / (k + 1);
      }
      return c >= 1 ? 0 : 1 - c;
    },
  };
}

function negativeBinomial(mean: number, variance: number): DemandDistribution {
  const r = (mean * mean) / (variance - mean);
  const q = mean / variance;
  return {
    method: 'nb',
    meanPerPeriod: mean,
    variancePerPeriod: variance,
    pmf(periods, maxUnits) {
      const rt = r * periods;
      const out = new Float64Array(maxUnits + 1);
      let v = Math.pow(q, rt);
      for (let k = 0; k <= maxUnits; k++) {
        out[k] = v;
        v *= ((k + rt) / (k + 1)) * (1 - q);
      }
      return out;
    },
    tailProbability(periods, units) {
      const rt = r * periods;
      let v = Math.pow(q, rt);
      let c = 0;
      for (let k = 0; k <= units; k++) {
        c += v;
        v *= ((k + rt) / (k + 1)) * (1 - q);
      }
      return c >= 1 ? 0 : 1 - c;
    },
  };
}

// ---- generate suppliers, events, parts (untimed) ----
const COUNTRIES = [
  'US',
  'FR',
  'DE',
  'GB',
  'CN',
  'JP',
  'TW',
  'KR',
  'IN',
  'BR',
  'CA',
  'MX',
  'IT',
  'ES',
  'NL',
  'SG',
  'AE',
  'TR',
  'PL',
  'CZ',
];
const REGION: Record<string, string> = {
  US: 'NA',
  CA: 'NA',
  MX: 'NA',
  BR: 'SA',
  CN: 'ASIA',
  JP: 'ASIA',
  TW: 'ASIA',
  KR: 'ASIA',
  IN: 'ASIA',
  SG: 'ASIA',
  AE: 'ME',
  TR: 'ME',
};
const PORTS = Array.from({ length: 60 }, (_, i) => `PORT${i}`);
const now = Date.UTC(2025, 5, 1);
const DAY = 86_400_000;
const types = ['port_disruption', 'strike', 'weather', 'geopolitical', 'supplier_failure', 'cyber'] as const;
const events: RiskEvent[] = Array.from({ length: 40 }, (_, i) => ({
  id: `EV${i}`,
  type: pick(types),
  ...(rnd() < 0.25 ? { countries: [pick(COUNTRIES)] } : { ports: [pick(PORTS)] }),
  ...(rnd() < 0.1 ? { supplierIds: [`S${Math.floor(rnd() * SUPPLIERS)}`] } : {}),
  start: now + Math.round((rnd() * 60 - 30) * DAY),
  ...(rnd() < 0.5 ? { expectedEnd: now + Math.round((rnd() * 30 + 31) * DAY) } : {}),
  severity: 0.2 + 0.8 * rnd(),
  probability: rnd() < 0.3 ? 0.5 : 1,
}));
const suppliers = Array.from({ length: SUPPLIERS }, (_, i) => {
  const country = pick(COUNTRIES);
  const node: SupplyNode = {
    supplierId: `S${i}`,
    country,
    ...(REGION[country] ? { region: REGION[country] } : { region: 'EU' }),
    ports: [pick(PORTS)],
  };
  const n = Math.floor(rnd() * 40);
  const lateP = rnd() * 0.4;
  const history = Array.from({ length: n }, (_, k) => ({
    promised: now - (k + 10) * 7 * DAY,
    actual: now - (k + 10) * 7 * DAY + (rnd() < lateP ? Math.round(1 + rnd() * 25) * DAY : 0),
  }));
  const meanDays = 10 + rnd() * 110;
  return { node, history, offer: { meanDays, sdDays: meanDays * (0.1 + rnd() * 0.3) } };
});
const models = eventDurationModels();

// ---- 1. per-supplier lead times (timed) ----
let t0 = performance.now();
let c0 = process.cpuUsage();
const prepared = prepareRiskEvents(events);
const supplierLt: SupplyLeadTime[] = suppliers.map((s) =>
  buildSupplyLeadTime({ offer: s.offer, node: s.node, history: s.history, events: prepared, now, models }),
);
const supplierMs = performance.now() - t0;
const supplierCpuMs = cpuMs(c0);
const leadTimes: LeadTimeDistribution[] = supplierLt.map((s) => s.leadTime);
const avgGrid = leadTimes.reduce((s, l) => s + l.days.length, 0) / leadTimes.length;
const withEvents = supplierLt.filter((s) => s.matches.length > 0).length;

const parts: PartRiskInput[] = new Array<PartRiskInput>(PARTS);
for (let i = 0; i < PARTS; i++) {
  const mean = rnd() < 0.7 ? 0.05 + rnd() * 2 : 2 + rnd() * 20;
  const demand = rnd() < 0.5 ? poisson(mean) : negativeBinomial(mean, mean * (1.2 + rnd() * 4));
  const essential = rnd() < 0.3;
  const onHand = Math.floor(rnd() * mean * 4);
  parts[i] = {
    partId: `P${i}`,
    demand,
    leadTime: leadTimes[Math.floor(rnd() * SUPPLIERS)]!,
    position: {
      onHand,
      reserved: rnd() < 0.1 ? 1 : 0,
      ...(rnd() < 0.2 ? { onOrder: [{ quantity: Math.ceil(mean), dueInDays: rnd() * 60 }] } : {}),
    },
    ...(essential
      ? { aog: { aircraftPerUnitShort: 1, fleetSize: 20 }, aogCostPerDay: pick([25_000, 60_000, 150_000]) }
      : {}),
    expediteCostPerStockout: 2_000,
  };
}

// ---- 2. per-part scoring (timed; one warm-up pass on a slice) ----
const DETAIL = process.argv.includes('--full') ? 'full' : 'score';
const ctx = scoringContext(undefined, DETAIL);
for (let i = 0; i < Math.min(20_000, PARTS); i++) assessPartRisk(parts[i]!, ctx);
let checksum = 0;
const levels = { low: 0, moderate: 0, high: 0, critical: 0 };
t0 = performance.now();
c0 = process.cpuUsage();
for (let i = 0; i < PARTS; i++) {
  const r = assessPartRisk(parts[i]!, ctx);
  checksum += r.score;
  levels[r.level]++;
}
const partMs = performance.now() - t0;
const partCpuMs = cpuMs(c0);

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
console.log(
  `node ${process.version}, seed ${SEED}, detail ${DETAIL}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)} (figures are only meaningful on an idle machine)`,
);
console.log(
  `suppliers: ${fmt(SUPPLIERS)} lead times in ${supplierMs.toFixed(0)} ms wall / ${supplierCpuMs.toFixed(0)} ms CPU, mean grid ${avgGrid.toFixed(1)} points, ${fmt(withEvents)} touched by events`,
);
console.log(
  `parts:     ${fmt(PARTS)} scored in ${partMs.toFixed(0)} ms wall / ${partCpuMs.toFixed(0)} ms CPU → ${fmt((PARTS / partMs) * 1000)} parts/s wall, ${fmt((PARTS / partCpuMs) * 1000)} parts/s CPU, single thread (${((partCpuMs * 1000) / PARTS).toFixed(2)} µs CPU/part)`,
);
console.log(`levels:    ${JSON.stringify(levels)}, mean score ${(checksum / PARTS).toFixed(2)}`);
console.log(
  `total single-thread: ${((supplierMs + partMs) / 1000).toFixed(2)} s wall, ${((supplierCpuMs + partCpuMs) / 1000).toFixed(2)} s CPU`,
);
