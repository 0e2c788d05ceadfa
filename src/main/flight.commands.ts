import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { analyzeFlightLog } from '../flight/analysis/index.js';
import type { Command } from 'commander';
import { decoderFor, detectFormat, DETECT_HEAD_BYTES, FlightDecodeError } from '../flight/formats/index.js';
import { InspectionSink, type LogInspection } from '../flight/inspect/log-inspection.sink.js';
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

async function analyzeFile(path: string): Promise<ReturnType<typeof analyzeFlightLog>> {
  const info = await stat(path).catch(() => undefined);
  if (!info || !info.isFile()) throw new AppError('FILE_NOT_FOUND', 400, `file: no readable file at ${path}`);
  if (info.size > ANALYZE_MAX_BYTES) throw new AppError('FILE_TOO_LARGE', 413, `file: ${info.size} bytes exceeds the ${ANALYZE_MAX_BYTES}-byte analysis limit`);
  try {
    return analyzeFlightLog(new Uint8Array(await readFile(path)));
  } catch (e) {
    if (e instanceof FlightDecodeError) throw new AppError(e.code, 422, e.message, { cause: e });
    throw e;
  }
}

function renderAnalysis(r: ReturnType<typeof analyzeFlightLog>): string {
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

/** H3's renderer lives in src/flight/report/html; until it lands these flags fail clearly. */
function rendererMissing(flag: string): AppError {
  return new AppError('NOT_YET_AVAILABLE', 501, `${flag}: the HTML/PDF report renderer is not yet available in this build; use --json or the text output`);
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
    .description('Vehicle type, phases, safety checks with evidence and the risk score for one log file (no server or database)')
    .option('--json', 'print the versioned report JSON')
    .option('--html', 'print the self-contained HTML report')
    .option('--pdf', 'write the PDF report to stdout')
    .action(async (file: string, opts: { json?: boolean; html?: boolean; pdf?: boolean }) => {
      if (opts.html || opts.pdf) {
        throw rendererMissing(opts.html ? '--html' : '--pdf');
      }
      const report = await analyzeFile(file);
      console.log(opts.json ? JSON.stringify(report, null, 2) : renderAnalysis(report));
    });
}
