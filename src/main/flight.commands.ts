import { createReadStream } from 'node:fs';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { analyzeFlight } from '../flight/analysis/index.js';
import type { Command } from 'commander';
import { BUNDLED_ANOMALY_MODEL, createAnomalyDetector } from '../flight/anomaly/index.js';
import { decodeFlightLog, decoderFor, detectFormat, DETECT_HEAD_BYTES, FlightDecodeError } from '../flight/formats/index.js';
import { InspectionSink, type LogInspection } from '../flight/inspect/log-inspection.sink.js';
import { renderReportHtml } from '../flight/report/html/index.js';
import type { FlightReport } from '../flight/report/report.js';
import type { FlightSignals } from '../flight/signals/flight-signals.js';
import { toFlightSignals } from '../flight/signals/index.js';
import { createChromiumPdfRenderer } from '../platform/pdf/index.js';
import { AppError } from '../shared/app-error.js';

/** Streams a file through detection and the decoder into the inspection sink: bounded memory for any size. */
async function inspectFile(path: string): Promise<LogInspection> {
  const handle = await open(path, 'r');
  const head = Buffer.alloc(DETECT_HEAD_BYTES);
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  const size = (await handle.stat()).size;
  await handle.close();
  const detected = detectFormat(head.subarray(0, bytesRead));
  if (detected instanceof FlightDecodeError) throw detected;
  const sink = new InspectionSink();
  const decoder = decoderFor(detected.format)(sink);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) decoder.push(chunk as Buffer);
  return sink.result(decoder.end(), size);
}

const seconds = (s: number | null): string => (s === null ? '—' : s >= 120 ? `${(s / 60).toFixed(1)} min (${s.toFixed(1)} s)` : `${s.toFixed(1)} s`);

function render(r: LogInspection): string {
  const hints = Object.entries(r.vehicleHints).map(([k, v]) => `${k}=${v}`).join('  ') || '—';
  const lines = [
    `format        ${r.format} ${r.formatVersion}`,
    `completeness  ${r.completeness}`,
    `size          ${r.bytes} bytes`,
    `vehicle       ${hints}`,
    `duration      ${seconds(r.durationS)}${r.startS !== null ? `  (${r.startS.toFixed(3)} → ${r.endS!.toFixed(3)} s)` : ''}`,
    `parameters    ${r.parameters}     messages ${r.messages}     dropouts ${r.dropouts.count} (${r.dropouts.totalS.toFixed(2)} s)`,
    '',
    `topics (${r.topics.length})`,
    ...r.topics.map((t) => `  ${`${t.topic}${t.instance ? `[${t.instance}]` : ''}`.padEnd(36)} ${String(t.records).padStart(9)} records  ${String(t.fields).padStart(3)} fields`),
  ];
  if (r.notableMessages.length) lines.push('', 'warnings and errors logged by the vehicle', ...r.notableMessages.map((m) => `  ${m.timeS === null ? '     —' : m.timeS.toFixed(1).padStart(8)} s  [${m.severity}] ${m.text}`));
  if (r.warnings.count) lines.push('', `decode warnings (${r.warnings.count})`, ...r.warnings.first.map((w) => `  byte ${w.offset}: ${w.message}`));
  return lines.join('\n');
}

/** Analysis holds the whole log in memory; beyond this a file is refused rather than exhausting RAM. */
const ANALYZE_MAX_BYTES = 1 << 30;

interface Analysed {
  readonly report: FlightReport;
  readonly signals: FlightSignals;
}

/**
 * Decode, signals, analysis with the bundled anomaly model — the same pipeline for --json, --html and
 * --pdf so the three outputs agree (the HTML needs the signals for its plots, hence not analyzeFlightLog).
 */
async function analyzeFile(path: string): Promise<Analysed> {
  const info = await stat(path).catch(() => undefined);
  if (!info || !info.isFile()) throw new AppError('FILE_NOT_FOUND', 400, `file: no readable file at ${path}`);
  if (info.size > ANALYZE_MAX_BYTES) throw new AppError('FILE_TOO_LARGE', 413, `file: ${info.size} bytes exceeds the ${ANALYZE_MAX_BYTES}-byte analysis limit`);
  try {
    const log = decodeFlightLog(new Uint8Array(await readFile(path)));
    const signals = toFlightSignals(log);
    const report = analyzeFlight(signals, {
      anomalyDetector: createAnomalyDetector(BUNDLED_ANOMALY_MODEL),
      log: {
        completeness: log.completeness,
        formatVersion: log.formatVersion,
        dropouts: { count: log.dropouts.length, totalS: log.dropouts.reduce((a, d) => a + d.durationS, 0) },
        warnings: log.warnings.slice(0, 10).map((w) => `byte ${w.offset}: ${w.message}`),
      },
    });
    return { report, signals };
  } catch (e) {
    if (e instanceof FlightDecodeError) throw new AppError(e.code, 422, e.message, { cause: e });
    throw e;
  }
}

/** Fails before the (slow) analysis when --out cannot be written. */
async function checkOut(out: string): Promise<string> {
  const path = resolve(out);
  const dir = await stat(dirname(path)).catch(() => undefined);
  if (!dir?.isDirectory()) throw new AppError('OUTPUT_NOT_WRITABLE', 400, `--out: directory ${dirname(path)} does not exist`);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new AppError('OUTPUT_NOT_WRITABLE', 400, `--out: ${path} is a directory, not a file`);
  return path;
}

function ignoreEpipe(e: NodeJS.ErrnoException): void {
  if (e.code !== 'EPIPE') throw e;
}

async function emit(data: string | Uint8Array, out: string | undefined): Promise<void> {
  if (out) {
    await writeFile(out, data).catch((e: NodeJS.ErrnoException) => {
      throw new AppError('OUTPUT_NOT_WRITABLE', 400, `--out: cannot write ${out} (${e.code ?? e.message})`, { cause: e });
    });
    return;
  }
  // Wait for the write: the CLI exits explicitly right after the command resolves. A reader that
  // stops early (`| head`) closes the pipe: that is not an error worth a stack trace.
  process.stdout.on('error', ignoreEpipe);
  await new Promise<void>((done, fail) => process.stdout.write(data, (e) => (e && (e as NodeJS.ErrnoException).code !== 'EPIPE' ? fail(e) : done())));
}

function renderAnalysis(r: FlightReport): string {
  const v = r.vehicle;
  const lines = [
    `vehicle   ${v.type}${v.subtype ? ` (${v.subtype})` : ''}${v.rotorCount ? `, ${v.rotorCount} rotors` : ''}  confidence ${v.confidence} by ${v.method}`,
    `risk      ${r.risk.score}/100 ${r.risk.level}`,
    `flight    armed ${r.stats.armedS} s, flying ${r.stats.flyingS} s, log ${r.log.durationS ?? '—'} s (${r.log.completeness})`,
    '',
    ...r.findings.map((f) => `${f.status.padEnd(17)} ${f.severity.padEnd(8)} ${f.id.padEnd(26)} ${f.reason}`),
  ];
  return lines.join('\n');
}

export function registerFlightCommands(program: Command): void {
  const flight = program.command('flight').description('Flight-log tools (work on files; no server or database needed)');
  flight
    .command('inspect <file>')
    .description('Detect the format and print firmware, vehicle hints, duration, topics with record counts, completeness and decode warnings')
    .option('--json', 'machine-readable output')
    .action(async (file: string, opts: { json?: boolean }) => {
      try {
        const r = await inspectFile(file);
        console.log(opts.json ? JSON.stringify(r, null, 2) : render(r));
      } catch (e) {
        if (e instanceof FlightDecodeError) throw new AppError(e.code, 422, e.message, { cause: e });
        throw e;
      }
    });
  flight
    .command('analyze <file>')
    .description('Vehicle type, phases, safety checks with evidence, anomalies and the risk score for one log file (no server or database)')
    .option('--json', 'print the versioned report JSON')
    .option('--html', 'the self-contained HTML report (plots, findings with evidence)')
    .option('--pdf', 'the PDF of the HTML report (needs Chromium; CHROMIUM_PATH overrides /usr/bin/chromium); binary, so --out is required on a terminal')
    .option('--out <file>', 'write the output to this file instead of stdout')
    .action(async (file: string, opts: { json?: boolean; html?: boolean; pdf?: boolean; out?: string }) => {
      const formats = (['json', 'html', 'pdf'] as const).filter((f) => opts[f]);
      if (formats.length > 1) throw new AppError('BAD_OPTIONS', 400, `--${formats.join(', --')}: choose one output format`);
      if (opts.pdf && !opts.out && process.stdout.isTTY) throw new AppError('OUTPUT_REQUIRED', 400, '--out: a PDF is binary; give --out FILE (or redirect stdout to a file)');
      const out = opts.out === undefined ? undefined : await checkOut(opts.out);
      const { report, signals } = await analyzeFile(file);
      if (opts.json) return emit(`${JSON.stringify(report, null, 2)}\n`, out);
      if (!opts.html && !opts.pdf) return emit(`${renderAnalysis(report)}\n`, out);
      const html = renderReportHtml(report, signals, { sourceName: basename(file) });
      if (opts.html) return emit(html, out);
      const pdf = await createChromiumPdfRenderer({ chromiumPath: process.env.CHROMIUM_PATH }).renderPdf(html);
      return emit(pdf, out);
    });
}
