// Fits the demo generator's parametric demand model to the RAF consumable-spares series and writes
// the constants to src/supply/demo/raf-demand.fit.ts (the RAF file itself cannot be shipped).
//
//   node --import tsx scripts/fit-demo-demand.ts [path/to/raf_spares_monthly_demand.csv] [--check]
//
// Model (see src/supply/demo/demand-profile.model.ts): per series five traits — monthly demand
// probability p = k/n, mean non-zero size m, size CV² (sample variance / m²), lead time (months) and
// unit price (GBP). Each trait keeps its empirical marginal as a quantile table; their dependence is a
// Gaussian copula whose correlation is that of the rank-based normal scores. The script then draws
// 5,000 series of 84 months from the fitted model and prints the SBC class mix beside RAF's.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSeriesCsv } from '../src/supply/backtest/series-csv.js';
import { classifyDemand } from '../src/supply/forecast/classify.js';
import { normalQuantile } from '../src/supply/risk/numeric.js';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--')) ?? join(root, '..', 'shared', 'mrodata', 'raf_spares_monthly_demand.csv');
const set = parseSeriesCsv(readFileSync(file, 'utf8'));

const TRAITS = ['occurrence', 'meanSize', 'sizeCv2', 'leadTimeMonths', 'unitPriceGbp'] as const;
const columns: Record<(typeof TRAITS)[number], number[]> = { occurrence: [], meanSize: [], sizeCv2: [], leadTimeMonths: [], unitPriceGbp: [] };
const classes: Record<string, number> = {};
for (const s of set.series) {
  const c = classifyDemand(s.values);
  classes[c.class] = (classes[c.class] ?? 0) + 1;
  let k = 0;
  let sum = 0;
  for (const v of s.values) {
    if (v > 0) {
      k++;
      sum += v;
    }
  }
  columns.occurrence.push(k / c.periods);
  columns.meanSize.push(k > 0 ? sum / k : 1);
  columns.sizeCv2.push(c.cv2);
  columns.leadTimeMonths.push(Number(s.attributes.lead_time_months));
  columns.unitPriceGbp.push(Number(s.attributes.unit_price_gbp));
}

const grid = [0, 0.005, 0.01, 0.025, 0.05, 0.075, ...Array.from({ length: 17 }, (_, i) => 0.1 + i * 0.05), 0.925, 0.95, 0.975, 0.99, 0.995, 1];
const round = (x: number, d = 6): number => Number(x.toPrecision(d));
function quantileTable(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return grid.map((g) => {
    const h = g * (sorted.length - 1);
    const lo = Math.floor(h);
    const hi = Math.min(sorted.length - 1, lo + 1);
    return round(sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!));
  });
}

/** Rank-based normal scores with ties averaged. */
function normalScores(values: number[]): number[] {
  const idx = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1]![0] === idx[i]![0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) out[idx[t]![1]] = normalQuantile((rank - 0.5) / values.length);
    i = j + 1;
  }
  return out;
}

const scores = TRAITS.map((t) => normalScores(columns[t]));
const corr = scores.map((a) => scores.map((b) => {
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += a[i]! * b[i]!;
    saa += a[i]! ** 2;
    sbb += b[i]! ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}));
const chol = corr.map(() => corr.map(() => 0));
for (let i = 0; i < corr.length; i++) {
  for (let j = 0; j <= i; j++) {
    let s = corr[i]![j]!;
    for (let k = 0; k < j; k++) s -= chol[i]![k]! * chol[j]![k]!;
    chol[i]![j] = i === j ? Math.sqrt(s) : s / chol[j]![j]!;
  }
}

const fitted = {
  source: 'RAF consumable spares, 5,000 items × 84 months (danieldehaan96/spdf; see ../shared/mrodata/SOURCES.md)',
  items: set.series.length,
  months: set.periods.length,
  rafClassMix: classes,
  grid: grid.map((g) => round(g)),
  quantiles: Object.fromEntries(TRAITS.map((t) => [t, quantileTable(columns[t])])) as Record<(typeof TRAITS)[number], number[]>,
  correlation: corr.map((r) => r.map((x) => round(x, 4))),
  cholesky: chol.map((r) => r.map((x) => round(x, 8))),
};

// Calibrate the size-variance scale: the smallest scale (step 0.05) at which series drawn from the
// model at RAF's length are at least as often lumpy as RAF's.
const { DemoRandom } = await import('../src/supply/demo/demo-random.js');
const { drawFittedProfile, drawFittedSeries } = await import('../src/supply/demo/demand-profile.model.js');
function classMix(scale: number): Record<string, number> {
  const candidate = { ...fitted, sizeVarianceScale: scale };
  const mix: Record<string, number> = {};
  for (let i = 0; i < 5000; i++) {
    const rng = DemoRandom.stream(1, 'fit-check', i);
    const c = classifyDemand(drawFittedSeries(rng, drawFittedProfile(rng, candidate), set.periods.length, candidate));
    mix[c.class] = (mix[c.class] ?? 0) + 1;
  }
  return mix;
}
let scale = 1;
while (scale < 5 && (classMix(scale).lumpy ?? 0) < (classes.lumpy ?? 0)) scale = round(scale + 0.05, 4);
const fit = { ...fitted, sizeVarianceScale: scale };

/** JSON with arrays of numbers kept on one line, so the constants read as a table. */
function compact(value: unknown, indent = ''): string {
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return `[${value.join(', ')}]`;
  const next = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => next + compact(v, next)).join(',\n')},\n${indent}]`;
  if (value !== null && typeof value === 'object') {
    return `{\n${Object.entries(value).map(([k, v]) => `${next}${k}: ${compact(v, next)}`).join(',\n')},\n${indent}}`;
  }
  return JSON.stringify(value);
}

const out = join(root, 'src', 'supply', 'demo', 'raf-demand.fit.ts');
if (!args.includes('--check')) {
  writeFileSync(out, `// Generated by scripts/fit-demo-demand.ts from the RAF series; do not edit by hand.
// Aggregate statistics only (quantiles and a correlation matrix): no RAF row can be recovered from them.
// Traits: ${TRAITS.join(', ')}. Copula correlation of normal scores in that order.
export const RAF_FIT = ${compact(fit)} as const;
`);
  console.log(`wrote ${out}`);
}

console.log('size variance scale', scale);
console.log('RAF class mix   ', classes);
console.log('fitted class mix', classMix(scale));
