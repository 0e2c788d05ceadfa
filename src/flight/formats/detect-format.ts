/**
 * Decides a flight log's format from its first bytes, never from its file name (uploads arrive named
 * `log.bin`, `download`, `flight.ulg.txt`). Only the head of the file is needed (64 KiB is plenty), so
 * a streaming caller can detect before reading the rest.
 */
import { FlightDecodeError, type LogFormat } from './decoded-log.js';
import { detectDelimiter, findTimeColumn, parseHeaderCell, splitRecord } from './csv/csv-column.mapping.js';
import {
  FrameStatus,
  MAGIC_V1,
  MAGIC_V2,
  newRecordView,
  readRecord,
  TIMESTAMP_BYTES,
} from './tlog/tlog-frame.parser.js';

export interface FormatDetection {
  readonly format: LogFormat;
  /** 0…1: how sure the evidence makes us. */
  readonly confidence: number;
  /** Human-readable evidence, e.g. "3 consecutive MAVLink frames with valid CRC". */
  readonly reason: string;
}

/** Bytes of the head worth examining; callers may pass more, the rest is ignored. */
export const DETECT_HEAD_BYTES = 64 * 1024;

const ULOG_MAGIC = [0x55, 0x4c, 0x6f, 0x67, 0x01, 0x12, 0x35];
const DATAFLASH_MAGIC = [0xa3, 0x95, 0x80];
const DATAFLASH_FMT_OF_FMT = 0x80;
const TLOG_FRAMES_WANTED = 3;

const startsWith = (bytes: Uint8Array, magic: readonly number[], at = 0): boolean =>
  magic.every((b, i) => bytes[at + i] === b);

/**
 * Detects the format of a log from its head. Returns (does not throw) a {@link FlightDecodeError}
 * with code `UNSUPPORTED_FORMAT` describing what the first bytes look like when nothing matches.
 */
export function detectFormat(bytes: Uint8Array): FormatDetection | FlightDecodeError {
  const head = bytes.subarray(0, DETECT_HEAD_BYTES);
  if (startsWith(head, ULOG_MAGIC)) {
    const version = head[7];
    return { format: 'ulog', confidence: 1, reason: `ULog magic, file version ${version ?? 'missing'}` };
  }
  if (startsWith(head, DATAFLASH_MAGIC)) {
    const fmtOfFmt = head[3] === DATAFLASH_FMT_OF_FMT;
    return {
      format: 'dataflash',
      confidence: fmtOfFmt ? 1 : 0.9,
      reason: fmtOfFmt
        ? 'DataFlash sync a3 95 and the FMT record describing FMT'
        : 'DataFlash sync a3 95 followed by an FMT record',
    };
  }
  const tlog = detectTlog(head, bytes.length <= DETECT_HEAD_BYTES);
  if (tlog) return tlog;
  const csv = detectCsv(head);
  if (csv.detection) return csv.detection;
  return new FlightDecodeError(
    'UNSUPPORTED_FORMAT',
    `unrecognised flight log: ${describeHead(head, csv.textHeader)}`,
    0,
    'unknown',
  );
}

/** Counts consecutive CRC-valid records from `p`, stepping over in-sync frames of unknown messages. */
function validRun(head: Uint8Array, start: number, wanted: number): { frames: number; end: number } {
  const rec = newRecordView();
  let p = start;
  let frames = 0;
  while (frames < wanted) {
    const status = readRecord(head, p, head.length, rec);
    if (status === FrameStatus.Ok) frames++;
    else if (status !== FrameStatus.Unknown) break;
    p += rec.recordLength;
  }
  return { frames, end: p };
}

function detectTlog(head: Uint8Array, wholeFile: boolean): FormatDetection | undefined {
  const first = validRun(head, 0, TLOG_FRAMES_WANTED);
  if (first.frames >= 2) {
    return {
      format: 'tlog',
      confidence: first.frames >= 3 ? 0.99 : 0.95,
      reason: `${first.frames} consecutive MAVLink frames with valid CRC after 8-byte timestamps`,
    };
  }
  if (first.frames === 1 && wholeFile && first.end === head.length) {
    return {
      format: 'tlog',
      confidence: 0.9,
      reason: 'the whole file is one MAVLink frame with valid CRC after an 8-byte timestamp',
    };
  }
  // A tlog whose first record is damaged: look for a run of valid records a little further in.
  for (let p = 1; p + TIMESTAMP_BYTES < head.length; p++) {
    const magic = head[p + TIMESTAMP_BYTES];
    if (magic !== MAGIC_V1 && magic !== MAGIC_V2) continue;
    if (validRun(head, p, TLOG_FRAMES_WANTED).frames >= TLOG_FRAMES_WANTED) {
      return {
        format: 'tlog',
        confidence: 0.7,
        reason: `${TLOG_FRAMES_WANTED} consecutive valid MAVLink records from byte ${p} (the first ${p} bytes are not)`,
      };
    }
  }
  return undefined;
}

function detectCsv(head: Uint8Array): { detection?: FormatDetection; textHeader?: string } {
  if (head.length === 0 || head.includes(0)) return {};
  let text = new TextDecoder('utf-8').decode(head);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let unprintable = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd || c === 0x7f) unprintable++;
  }
  if (unprintable > text.length / 100) return {};
  const headerLine = text
    .split('\n')
    .find((line) => line.trim() !== '')
    ?.replace(/\r$/, '');
  if (headerLine === undefined) return {};
  const delimiter = detectDelimiter(headerLine);
  const cells = splitRecord(headerLine, delimiter).map(parseHeaderCell);
  const time = findTimeColumn(cells);
  if (time === undefined || cells.length < 2) return { textHeader: headerLine };
  return {
    detection: {
      format: 'csv',
      confidence: 0.9,
      reason: `text with a header line of ${cells.length} columns; time column ${JSON.stringify(cells[time.index]!.name)}`,
    },
  };
}

const SIGNATURES: ReadonlyArray<[readonly number[], string]> = [
  [[0x1f, 0x8b], 'a gzip archive (decompress it first)'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (extract the log first)'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a], 'an xz archive (decompress it first)'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'a zstd archive (decompress it first)'],
  [[0x42, 0x5a, 0x68], 'a bzip2 archive (decompress it first)'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x55, 0x4c, 0x6f, 0x67], 'a ULog header with an unknown magic continuation'],
  [[0xa3, 0x95], 'a DataFlash sync marker not followed by the FMT record'],
];

function describeHead(head: Uint8Array, textHeader: string | undefined): string {
  if (head.length === 0) return 'the file is empty';
  const first = head.subarray(0, 16);
  const hex = [...first].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const ascii = [...first].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  const known = SIGNATURES.find(([magic]) => startsWith(head, magic))?.[1];
  let looks: string;
  if (known) looks = `looks like ${known}`;
  else if (textHeader !== undefined && /^FMT\s*,/.test(textHeader))
    looks = 'looks like an ArduPilot text log (.log), which is not supported; use the binary .BIN';
  else if (textHeader !== undefined)
    looks = `looks like text without a recognised time column (first line ${JSON.stringify(textHeader.slice(0, 80))})`;
  else
    looks =
      'not ULog (55 4c 6f 67 01 12 35), DataFlash (a3 95 80), a tlog (timestamp + MAVLink frame with valid CRC) or CSV';
  return `first bytes ${hex} "${ascii}" — ${looks}`;
}
