// Flight-log decoder throughput.
//   node --import tsx bench/flight-decode.ts [--runs 5]        real logs in ../shared/flightlogs, with @foxglove/ulog
//     (steady state: decodes repeated for ≥ 0.5 s of warm-up, then the median of --runs samples, wall and CPU
//     time; a sample repeats the decode until it lasts ≥ 50 ms, so sub-millisecond decodes of tiny logs are not
//     timer and scheduler noise. V8 optimises the per-layout readers only after a few hundred decodes of a tiny
//     log, which a single warm-up decode left inside the samples. The first decode of each log, cold for that
//     log, is reported on its own.)
//   node --import tsx bench/flight-decode.ts --synthetic-gib 1  ~1 GiB DataFlash + ~1 GiB ULog, streamed from a temp file
// Prints markdown tables. Each synthetic decode runs in a fresh child process so its peak RSS is its own.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ULog } from '@foxglove/ulog';
import { collectDecodedLog } from '../src/flight/formats/collect.js';
import { generateCsv } from '../src/flight/formats/csv/csv-sample.generator.js';
import type { Completeness, LogFormat, LogSink } from '../src/flight/formats/decoded-log.js';
import { REAL_LOGS } from '../src/flight/formats/fuzz/corpus.js';
import { decoderFor } from '../src/flight/formats/index.js';
import { generateTlog } from '../src/flight/formats/tlog/tlog-generator.js';
import { sharedFile } from '../test/support/shared-data.js';

const MiB = 1024 * 1024;
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'synthetic-gib': { type: 'string' },
    'decode-file': { type: 'string' },
    format: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

/** Counts what a decoder emits and keeps nothing: measures the decoder, not the collection. */
class CountingSink implements LogSink {
  rows = 0;
  batches = 0;
  series = 0;
  warnings = 0;
  texts = 0;
  header(): void {}
  info(): void {}
  parameter(): void {}
  schema(): void {
    this.series++;
  }
  batch(batch: { timestamps: Float64Array }): void {
    this.batches++;
    this.rows += batch.timestamps.length;
  }
  text(): void {
    this.texts++;
  }
  dropout(): void {}
  warning(): void {
    this.warnings++;
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};

function decodeCounting(
  format: LogFormat,
  bytes: Uint8Array,
): { completeness: Completeness; sink: CountingSink } {
  const sink = new CountingSink();
  const decoder = decoderFor(format)(sink);
  for (let at = 0; at < bytes.length; at += MiB) decoder.push(bytes.subarray(at, at + MiB));
  return { completeness: decoder.end().completeness, sink };
}

/** Seconds per call, median over samples: wall clock and CPU time (process.cpuUsage, all threads). */
interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

const SAMPLE_MS = 50;
/** Decoding repeated for this long before sampling: the JIT's work is not the decoder's steady cost. */
const WARMUP_MS = 500;

/** Runs `fn` (at least once) until `WARMUP_MS` have passed. */
async function warmUp(fn: () => unknown): Promise<void> {
  const until = performance.now() + WARMUP_MS;
  do await fn();
  while (performance.now() < until);
}

async function timeRuns(runs: number, fn: () => void): Promise<Timing> {
  await warmUp(fn);
  const probe = performance.now();
  fn();
  const reps = Math.max(1, Math.ceil(SAMPLE_MS / Math.max(performance.now() - probe, 0.01)));
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    for (let r = 0; r < reps; r++) fn();
    const used = process.cpuUsage(c);
    wall.push((performance.now() - t) / 1000 / reps);
    cpu.push((used.user + used.system) / 1e6 / reps);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** Targets of issue 4 (MiB/s per real log). */
const TARGET_MIBS: Partial<Record<LogFormat, number>> = { ulog: 150, dataflash: 100 };

async function foxglove(bytes: Uint8Array): Promise<number> {
  const file = {
    open: () => Promise.resolve(bytes.length),
    read: (o: number, l: number) => Promise.resolve(bytes.slice(o, o + l)),
    size: () => bytes.length,
  };
  const ulog = new ULog(file);
  await ulog.open();
  let n = 0;
  for await (const _ of ulog.readMessages()) n++;
  return n;
}

async function timeFoxglove(runs: number, bytes: Uint8Array): Promise<number | string> {
  try {
    await warmUp(() => foxglove(bytes));
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await foxglove(bytes);
      times.push((performance.now() - t) / 1000);
    }
    return median(times);
  } catch (error) {
    return `throws: ${error instanceof Error ? error.message.slice(0, 80) : String(error)}`;
  }
}

const rate = (bytes: number, seconds: number): string => (bytes / MiB / seconds).toFixed(1);
const rates = (bytes: number, t: Timing): string => `${rate(bytes, t.wall)} / ${rate(bytes, t.cpu)}`;

function verdict(format: LogFormat, bytes: number, t: Timing): string {
  const target = TARGET_MIBS[format];
  if (target === undefined) return '—';
  const mibs = (seconds: number): number => bytes / MiB / seconds;
  if (mibs(t.wall) >= target) return `≥ ${target}: met`;
  return mibs(t.cpu) >= target ? `≥ ${target}: met on CPU time only` : `≥ ${target}: not met`;
}

async function benchReal(runs: number): Promise<void> {
  const inputs: { name: string; format: LogFormat; bytes: Uint8Array }[] = [];
  for (const [name, format] of REAL_LOGS) {
    const path = sharedFile(`flightlogs/${name}`);
    if (path) inputs.push({ name, format, bytes: new Uint8Array(readFileSync(path)) });
    else console.log(`(skipped ${name}: ../shared not present)`);
  }
  inputs.push({
    name: 'generated tlog (seed 1, 2000 s)',
    format: 'tlog',
    bytes: generateTlog({ seed: 1, seconds: 2000 }).bytes,
  });
  inputs.push({
    name: 'generated CSV (seed 1, 100k rows)',
    format: 'csv',
    bytes: generateCsv({ seed: 1, rows: 100_000 }).bytes,
  });
  console.log(
    `\nNode ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; one thread, 1 MiB chunks;` +
      ` median of ${runs} samples after ${WARMUP_MS} ms of warm-up. MiB/s as wall / CPU time; the target verdict reads the counting sink.` +
      ' "first decode" is the first decode of that log in this process (cold for its layouts; other logs ran before it).\n',
  );
  console.log(
    '| log | format | MiB | first decode ms | ours, counting sink MiB/s | ours, collected MiB/s | @foxglove/ulog MiB/s (wall) | target (counting sink) | completeness | rows |',
  );
  console.log('|---|---|--:|--:|--:|--:|--:|---|---|--:|');
  for (const input of inputs) {
    const size = input.bytes.length;
    let counting = 'n/a';
    let collected = 'n/a';
    let target = '—';
    let completeness = '';
    let rows = 0;
    let first = '';
    try {
      const t0 = performance.now();
      const once = decodeCounting(input.format, input.bytes);
      first = (performance.now() - t0).toFixed(1);
      completeness = once.completeness;
      rows = once.sink.rows;
      const countingTime = await timeRuns(runs, () => decodeCounting(input.format, input.bytes));
      counting = rates(size, countingTime);
      target = verdict(input.format, size, countingTime);
      collected = rates(
        size,
        await timeRuns(runs, () => collectDecodedLog(decoderFor(input.format), input.bytes)),
      );
    } catch (error) {
      completeness = `throws: ${error instanceof Error ? error.message.slice(0, 80) : String(error)}`;
    }
    let peer = '—';
    if (input.format === 'ulog') {
      const t = await timeFoxglove(runs, input.bytes);
      peer = typeof t === 'number' ? rate(size, t) : t;
    }
    console.log(
      `| ${input.name} | ${input.format} | ${(size / MiB).toFixed(2)} | ${first} | ${counting} | ${collected} | ${peer} | ${target} | ${completeness} | ${rows} |`,
    );
  }
}

// ---- synthetic large logs ----------------------------------------------------------------------

/**
 * ULog: the head is [0, first D message) (header, definitions, parameters) plus every subscription
 * (A) of the file, so each msg_id is subscribed once; the body is every later message except
 * subscription changes (A/R), and is what gets repeated. Timestamps are not re-stamped.
 */
function ulogParts(file: Uint8Array): { head: Uint8Array; body: Uint8Array } {
  let p = 16;
  let firstData = -1;
  const subscriptions: Uint8Array[] = [];
  const keep: Uint8Array[] = [];
  while (p + 3 <= file.length) {
    const size = file[p]! | (file[p + 1]! << 8);
    const type = String.fromCharCode(file[p + 2]!);
    const end = p + 3 + size;
    if (end > file.length) break;
    if (type === 'D' && firstData < 0) firstData = p;
    if (firstData >= 0 && type === 'A') subscriptions.push(file.subarray(p, end));
    if (firstData >= 0 && type !== 'A' && type !== 'R') keep.push(file.subarray(p, end));
    p = end;
  }
  if (firstData < 0) throw new Error('no data section found');
  return { head: join2([file.subarray(0, firstData), ...subscriptions]), body: join2(keep) };
}

/** DataFlash: the head runs to the end of the last FMT record; the body is every complete record after it. */
function dataflashParts(file: Uint8Array): { head: Uint8Array; body: Uint8Array } {
  const lengths = new Map<number, number>([[0x80, 89]]);
  let p = 0;
  let lastFmtEnd = -1;
  let lastEnd = 0;
  while (p + 3 <= file.length && file[p] === 0xa3 && file[p + 1] === 0x95) {
    const id = file[p + 2]!;
    const len = lengths.get(id);
    if (len === undefined || p + len > file.length) break;
    if (id === 0x80) {
      lengths.set(file[p + 3]!, file[p + 4]!);
      lastFmtEnd = p + len;
    }
    p += len;
    lastEnd = p;
  }
  return { head: file.subarray(0, lastFmtEnd), body: file.subarray(lastFmtEnd, lastEnd) };
}

function join2(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of parts) {
    out.set(x, at);
    at += x.length;
  }
  return out;
}

function writeSynthetic(path: string, head: Uint8Array, body: Uint8Array, targetBytes: number): number {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    let written = head.length;
    const reps = Math.max(1, Math.floor((16 * MiB) / body.length));
    const block = join2(Array.from({ length: reps }, () => body));
    while (written < targetBytes) {
      writeSync(fd, block);
      written += block.length;
    }
    return written;
  } finally {
    closeSync(fd);
  }
}

function decodeFileChild(path: string, format: LogFormat): void {
  const sink = new CountingSink();
  const decoder = decoderFor(format)(sink);
  const fd = openSync(path, 'r');
  const chunk = new Uint8Array(MiB);
  const start = performance.now();
  let total = 0;
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    total += n;
    decoder.push(chunk.slice(0, n));
  }
  const end = decoder.end();
  const seconds = (performance.now() - start) / 1000;
  closeSync(fd);
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      total,
      seconds,
      rows: sink.rows,
      warnings: sink.warnings,
      completeness: end.completeness,
      maxRssMiB,
    }),
  );
}

function benchSynthetic(gib: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'skyguard-bench-'));
  const sources: [LogFormat, string][] = [
    ['dataflash', 'ardupilot_copter_4.1.3_good_prop_hover_1.BIN'],
    ['ulog', 'px4_quadrotor_local_lowbatt_failsafe.ulg'],
  ];
  console.log(
    `\nSynthetic ~${gib} GiB logs, streamed from a temp file in 1 MiB chunks into a counting sink (fresh process each)\n`,
  );
  console.log('| synthetic log | built from | GiB | MiB/s | peak RSS MiB | rows | completeness | warnings |');
  console.log('|---|---|--:|--:|--:|--:|---|--:|');
  try {
    for (const [format, name] of sources) {
      const source = sharedFile(`flightlogs/${name}`);
      if (!source) {
        console.log(`| ${format} | ${name} missing | | | | | | |`);
        continue;
      }
      const file = new Uint8Array(readFileSync(source));
      const { head, body } = format === 'ulog' ? ulogParts(file) : dataflashParts(file);
      const path = join(dir, `synthetic.${format}`);
      writeSynthetic(path, head, body, gib * 1024 * MiB);
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', new URL(import.meta.url).pathname, '--decode-file', path, '--format', format],
        {
          encoding: 'utf8',
          maxBuffer: 16 * MiB,
        },
      );
      if (!values.keep) rmSync(path, { force: true });
      const line = child.stdout.trim().split('\n').pop() ?? '';
      if (child.status !== 0 || !line.startsWith('{')) {
        console.log(
          `| ${format} | ${name} | | failed: ${(child.stderr || line).slice(0, 200).replace(/\n/g, ' ')} | | | | |`,
        );
        continue;
      }
      const r = JSON.parse(line) as {
        total: number;
        seconds: number;
        rows: number;
        warnings: number;
        completeness: string;
        maxRssMiB: number;
      };
      console.log(
        `| ${format} | ${name} (body ${(body.length / MiB).toFixed(2)} MiB repeated) | ${(r.total / 1024 / MiB).toFixed(2)} | ${rate(r.total, r.seconds)} | ${r.maxRssMiB.toFixed(0)} | ${r.rows} | ${r.completeness} | ${r.warnings} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values['decode-file'] !== undefined) {
  decodeFileChild(values['decode-file'], (values.format ?? 'ulog') as LogFormat);
} else if (values['synthetic-gib'] !== undefined) {
  benchSynthetic(Number(values['synthetic-gib']));
} else {
  await benchReal(Number(values.runs));
}
