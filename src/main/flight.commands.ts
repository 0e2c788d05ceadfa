import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
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
}
