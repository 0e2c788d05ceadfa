// End-to-end flight analysis time: decode + canonical signals + analysis (checks, with the bundled anomaly
// model as the CLI and the analysis job run it) + JSON report, per real log in ../shared/flightlogs and for
// ~50 MiB long flights built from real logs (bench/flight-long-log.ts: the middle of the flight repeated
// with shifted timestamps, so time keeps increasing — one DataFlash, one ULog). A secondary row keeps the
// earlier pessimistic input: a DataFlash log concatenated whole, its clock restarting in every copy.
// Wall and CPU time (process.cpuUsage, all threads incl. GC) per stage; median run by total wall time.
// Run: node --import tsx bench/flight-analyze.ts [--runs 5] [--only long]
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeFlightLog } from '../src/flight/formats/index.js';
import { toFlightSignals } from '../src/flight/signals/index.js';
import { analyzeFlight } from '../src/flight/analysis/index.js';
import { BUNDLED_ANOMALY_MODEL, createAnomalyDetector } from '../src/flight/anomaly/index.js';
import type { AnomalyDetector } from '../src/flight/report/report.js';
import { buildLongFlight } from './flight-long-log.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, only: { type: 'string' } } });
const RUNS = Number(values.runs);
const TARGET_MS = 1000;
const MiB = 2 ** 20;
const dir = process.env.SKYGUARD_SHARED_DIR
  ? join(process.env.SKYGUARD_SHARED_DIR, 'flightlogs')
  : join(import.meta.dirname, '..', '..', 'shared', 'flightlogs');
const detector = createAnomalyDetector(BUNDLED_ANOMALY_MODEL);

const STAGES = ['decode', 'signals', 'checks', 'anomaly', 'json', 'total'] as const;
type Times = Record<(typeof STAGES)[number], { wall: number; cpu: number }>;

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function once(bytes: Uint8Array): Times {
  const marks: { wall: number; cpu: number }[] = [];
  const mark = (): void => void marks.push({ wall: performance.now(), cpu: cpuMs() });
  let anomaly = { wall: 0, cpu: 0 };
  const timedDetector: AnomalyDetector = (input) => {
    const w = performance.now();
    const c = cpuMs();
    const out = detector(input);
    anomaly = { wall: performance.now() - w, cpu: cpuMs() - c };
    return out;
  };
  mark();
  const log = decodeFlightLog(bytes);
  mark();
  const signals = toFlightSignals(log);
  mark();
  const report = analyzeFlight(signals, {
    anomalyDetector: timedDetector,
    log: {
      completeness: log.completeness,
      formatVersion: log.formatVersion,
      dropouts: { count: log.dropouts.length, totalS: log.dropouts.reduce((a, d) => a + d.durationS, 0) },
    },
  });
  mark();
  JSON.stringify(report);
  mark();
  const span = (a: number, b: number): { wall: number; cpu: number } => ({
    wall: marks[b]!.wall - marks[a]!.wall,
    cpu: marks[b]!.cpu - marks[a]!.cpu,
  });
  const analyze = span(2, 3);
  return {
    decode: span(0, 1),
    signals: span(1, 2),
    checks: { wall: analyze.wall - anomaly.wall, cpu: analyze.cpu - anomaly.cpu },
    anomaly,
    json: span(3, 4),
    total: span(0, 4),
  };
}

function measure(name: string, bytes: Uint8Array, runs = RUNS): Times {
  once(bytes); // warm-up (JIT, first-call set-up)
  const all = Array.from({ length: runs }, () => once(bytes)).sort((a, b) => a.total.wall - b.total.wall);
  const median = all[all.length >> 1]!;
  const cell = (s: (typeof STAGES)[number]): string => `${median[s].wall.toFixed(0)} / ${median[s].cpu.toFixed(0)}`;
  const mib = bytes.length / MiB;
  console.log(
    `| ${name} | ${mib.toFixed(2)} | ${STAGES.slice(0, -1).map(cell).join(' | ')} | **${cell('total')}** | ${(mib / (median.total.wall / 1000)).toFixed(1)} |`,
  );
  return median;
}

function longFlight(format: 'dataflash' | 'ulog', file: string): { name: string; bytes: Uint8Array } {
  const bytes = new Uint8Array(readFileSync(join(dir, file)));
  const flying = toFlightSignals(decodeFlightLog(bytes)).flying?.[0];
  if (!flying) throw new Error(`${file}: no flight to repeat`);
  const quarter = (flying.end - flying.start) / 4;
  const long = buildLongFlight(format, bytes, { start: flying.start + quarter, end: flying.end - quarter }, 50 * MiB);
  const minutes = (long.seconds / 60).toFixed(0);
  return { name: `${file}: long flight, ${minutes} min (middle of flight ×${long.copies}, monotonic time)`, bytes: long.bytes };
}

console.log(`Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at start`);
console.log(`Each cell: wall ms / CPU ms; median of ${RUNS} runs (by total wall) after one warm-up.\n`);
console.log('| log | MiB | decode | signals | checks | anomaly | JSON | total | MiB/s (wall) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
if (values.only !== 'long') {
  for (const f of readdirSync(dir).filter((f) => /\.(ulg|bin)$/i.test(f)).sort()) {
    measure(f, new Uint8Array(readFileSync(join(dir, f))));
  }
}
const verdicts: string[] = [];
for (const [format, file] of [
  ['dataflash', 'ardupilot_copter_4.1.3_good_prop_hover_1.BIN'],
  ['ulog', 'px4_quadrotor_local_lowbatt_failsafe.ulg'],
] as const) {
  const { name, bytes } = longFlight(format, file);
  const t = measure(name, bytes);
  const met = t.total.wall < TARGET_MS ? 'met' : t.total.cpu < TARGET_MS ? 'met on CPU time, not on wall time' : 'not met';
  verdicts.push(`${format} long flight ${(bytes.length / MiB).toFixed(1)} MiB: ${t.total.wall.toFixed(0)} ms wall, ${t.total.cpu.toFixed(0)} ms CPU → ${met}`);
}
const base = new Uint8Array(readFileSync(join(dir, 'ardupilot_copter_4.1.3_good_prop_hover_1.BIN')));
const copies = Math.ceil((50 * MiB) / base.length);
const concatenated = new Uint8Array(copies * base.length);
for (let i = 0; i < copies; i++) concatenated.set(base, i * base.length);
measure(`good_prop_hover × ${copies} concatenated (clock restarts per copy; pessimistic)`, concatenated, 3);
console.log(`\nTarget: decode + analysis + JSON < ${TARGET_MS} ms for a 50 MiB log.`);
for (const v of verdicts) console.log(`Verdict: ${v}`);
console.log(`Load average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
