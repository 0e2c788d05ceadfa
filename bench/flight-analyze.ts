// End-to-end flight analysis time: decode + canonical signals + analyze + JSON report, per real log in
// ../shared/flightlogs and for a 50 MiB DataFlash log made by concatenating a real one (DataFlash is a
// record stream, so the copies decode as one longer log; timestamps restart in each copy).
// Run: node --import tsx bench/flight-analyze.ts   (median of 3 runs after one warm-up)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFlightLog } from '../src/flight/formats/index.js';
import { toFlightSignals } from '../src/flight/signals/index.js';
import { analyzeFlight } from '../src/flight/analysis/index.js';

const dir = process.env.SKYGUARD_SHARED_DIR ? join(process.env.SKYGUARD_SHARED_DIR, 'flightlogs') : join(import.meta.dirname, '..', '..', 'shared', 'flightlogs');

function once(bytes: Uint8Array): number[] {
  const t0 = performance.now();
  const log = decodeFlightLog(bytes);
  const t1 = performance.now();
  const signals = toFlightSignals(log);
  const t2 = performance.now();
  const report = analyzeFlight(signals, { log: { completeness: log.completeness } });
  const t3 = performance.now();
  JSON.stringify(report);
  const t4 = performance.now();
  return [t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0];
}

function measure(name: string, bytes: Uint8Array): void {
  once(bytes);
  const runs = [once(bytes), once(bytes), once(bytes)].sort((a, b) => a[4]! - b[4]!);
  const [dec, sig, an, json, total] = runs[1]!.map((x) => x.toFixed(0));
  const mib = bytes.length / 2 ** 20;
  console.log(`| ${name} | ${mib.toFixed(2)} | ${dec} | ${sig} | ${an} | ${json} | **${total}** | ${(mib / (runs[1]![4]! / 1000)).toFixed(1)} |`);
}

console.log('| log | MiB | decode ms | signals ms | analyze ms | JSON ms | total ms | MiB/s |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
const files = readdirSync(dir).filter((f) => !f.endsWith('.md')).sort();
for (const f of files) measure(f, new Uint8Array(readFileSync(join(dir, f))));
const base = new Uint8Array(readFileSync(join(dir, 'ardupilot_copter_4.1.3_good_prop_hover_1.BIN')));
const copies = Math.ceil((50 * 2 ** 20) / base.length);
const big = new Uint8Array(copies * base.length);
for (let i = 0; i < copies; i++) big.set(base, i * base.length);
measure(`good_prop_hover × ${copies} (concatenated)`, big);
