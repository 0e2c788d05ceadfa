/**
 * How long the server's event loop stalls while a 50 MiB flight is decoded for storage and analysed, and
 * while its HTML report is rendered: the same computations (decode job, analysis job, report.html) run
 * inline, as they did before the flight compute thread, and on the compute thread
 * (src/platform/flight-compute), with the event loop's delay sampled every 10 ms throughout. Prints a
 * markdown table for bench/RESULTS.md.
 *
 *   node --import tsx bench/flight-event-loop.ts [--runs 3]
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { decodeFlightLog } from '../src/flight/formats/index.js';
import { toFlightSignals } from '../src/flight/signals/index.js';
import { inlineFlightCompute, type FlightCompute } from '../src/platform/flight-compute/flight-compute.js';
import { threadFlightCompute } from '../src/platform/flight-compute/flight-compute.thread.js';
import { buildLongFlight } from './flight-long-log.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;
const file = join(import.meta.dirname, '..', '..', 'shared', 'flightlogs', 'ardupilot_copter_4.1.3_good_prop_hover_1.BIN');

const original = new Uint8Array(readFileSync(file));
const flying = toFlightSignals(decodeFlightLog(original)).flying?.[0];
if (!flying) throw new Error(`${file}: no flight to repeat`);
const quarter = (flying.end - flying.start) / 4;
const log = buildLongFlight('dataflash', original, { start: flying.start + quarter, end: flying.end - quarter }, 50 * MiB).bytes;

/** Reads like the blob store does: one chunk per turn of the event loop. */
async function* chunks(): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < log.length; at += CHUNK) {
    await new Promise((r) => setImmediate(r));
    yield log.subarray(at, at + CHUNK);
  }
}

type Stage = 'decode + analyse' | 'report HTML';

async function measure(compute: FlightCompute, stage: Stage): Promise<{ wallMs: number; p99: number; max: number }> {
  const { report } = stage === 'report HTML' ? await compute.run('analyze', 'dataflash', log.length, chunks()) : { report: undefined };
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  if (report) {
    await compute.run('reportHtml', 'dataflash', log.length, chunks(), { report });
  } else {
    await compute.run('decode', 'dataflash', log.length, chunks());
    await compute.run('analyze', 'dataflash', log.length, chunks());
  }
  const wallMs = performance.now() - started;
  delay.disable();
  return { wallMs, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
}

console.log(`Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at start; ${(log.length / MiB).toFixed(1)} MiB DataFlash`);
console.log('\n| where | work | wall | event-loop delay p99 | event-loop delay max |\n|---|---|---|---|---|');
const thread = threadFlightCompute();
for (const [name, compute] of [['inline (event loop)', inlineFlightCompute()], ['compute thread', thread]] as const) {
  for (const stage of ['decode + analyse', 'report HTML'] as const) {
    await measure(compute, stage); // warm-up (JIT, thread start)
    for (let i = 0; i < runs; i++) {
      const r = await measure(compute, stage);
      console.log(`| ${name} | ${stage} | ${r.wallMs.toFixed(0)} ms | ${r.p99.toFixed(1)} ms | ${r.max.toFixed(1)} ms |`);
    }
  }
}
await thread.close();
