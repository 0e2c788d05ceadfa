/**
 * Streaming decoder for CSV flight data (exports of ULog/DataFlash tools, spreadsheets, test rigs).
 * The mapping from columns to series is described in csv-column.mapping.ts and docs/flight/csv-format.md.
 *
 * Column types are decided on the first {@link TYPING_ROWS} rows: a column whose non-empty cells all
 * parse as numbers is numeric (Float64Array, empty → NaN), any other is a string column. Later cells
 * that contradict the decision become NaN (numeric) or are kept as text (string), with a warning.
 */
import {
  FlightDecodeError,
  type Completeness,
  type FieldMeta,
  type LogSink,
  type StreamDecoder,
} from '../decoded-log.js';
import {
  detectDelimiter,
  findTimeColumn,
  parseHeaderCell,
  splitRecord,
  UNIT_DIVISOR,
  type CsvMapping,
  type HeaderCell,
  type TimeColumn,
} from './csv-column.mapping.js';
import { RecordSplitter } from './csv-record.splitter.js';

const TYPING_ROWS = 1024;
const BATCH_ROWS = 1024;
/** Flush everything once this many characters of rows are buffered, however few rows that is. */
const MAX_BUFFERED_CHARS = 16 << 20;
const MAX_COLUMNS = 4096;

interface TopicPlan {
  readonly name: string;
  readonly fields: FieldMeta[];
  readonly cells: number[];
  readonly numeric: boolean[];
  times: number[];
  values: (number | string)[][];
}

interface PendingRow {
  readonly cells: string[];
  readonly offset: number;
}

/** Parses a numeric cell: NaN for empty/`nan`, ±Infinity for `inf`; undefined when it is not a number. */
export function parseNumericCell(cell: string): number | undefined {
  const t = cell.trim();
  if (t === '') return NaN;
  const n = Number(t);
  if (!Number.isNaN(n)) return n;
  switch (t.toLowerCase()) {
    case 'nan':
    case '-nan':
      return NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    default:
      return undefined;
  }
}

const EPOCH_RANGES: ReadonlyArray<[number, number, number]> = [
  [1e9, 3e10, 1],
  [1e12, 3e13, 1e3],
  [1e15, 3e16, 1e6],
];

class CsvDecoder implements StreamDecoder {
  private readonly text = new TextDecoder('utf-8');
  private readonly splitter: RecordSplitter;
  private total = 0;
  private header: HeaderCell[] | undefined;
  private delimiter = ',';
  private time: TimeColumn | undefined;
  private timeDivisor = 1;
  private timeExplicit = false;
  private pending: PendingRow[] | undefined = [];
  private pendingChars = 0;
  private topics: TopicPlan[] = [];
  private bufferedChars = 0;
  private finalRecord = false;
  private corrupt = false;
  private truncated = false;
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly sink: LogSink,
    private readonly mapping: CsvMapping,
  ) {
    sink.header({ format: 'csv', formatVersion: '1' });
    this.splitter = new RecordSplitter({
      record: (text, offset) => this.onRecord(text, offset),
      oversized: (offset) => {
        this.corrupt = true;
        this.note(offset, 'a record longer than 1 MiB was skipped');
      },
    });
  }

  push(chunk: Uint8Array): void {
    this.total += chunk.length;
    this.splitter.push(this.text.decode(chunk, { stream: true }));
  }

  end(): { completeness: Completeness; bytesRead: number } {
    this.splitter.push(this.text.decode());
    this.finalRecord = true;
    const { openQuote } = this.splitter.end();
    if (openQuote) {
      this.truncated = true;
      this.note(this.total, 'the file ends inside a quoted cell; the last record is dropped');
    }
    if (this.header === undefined) {
      throw this.total === 0
        ? new FlightDecodeError('EMPTY_LOG', 'the CSV file is empty', 0, 'csv')
        : new FlightDecodeError('CSV_NO_HEADER', 'no header line found', 0, 'csv');
    }
    this.finishTyping();
    this.flush();
    for (const [key, count] of this.counts) {
      if (count > 1) this.sink.warning({ offset: -1, message: `${count - 1} more of: ${key}` });
    }
    const completeness: Completeness = this.corrupt
      ? 'corrupt_recovered'
      : this.truncated
        ? 'truncated'
        : 'complete';
    return { completeness, bytesRead: this.total };
  }

  /** Emits the first warning of a kind with its offset, and counts the rest for one summary at the end. */
  private note(offset: number, message: string): void {
    const seen = this.counts.get(message) ?? 0;
    this.counts.set(message, seen + 1);
    if (seen === 0) this.sink.warning({ offset, message });
  }

  private onRecord(text: string, offset: number): void {
    if (this.header === undefined) {
      if (text.trim() === '') return;
      this.readHeader(text, offset);
      return;
    }
    if (text.trim() === '') return;
    const cells = splitRecord(text, this.delimiter);
    if (cells.length < this.header.length && this.finalRecord) {
      this.truncated = true;
      this.note(
        offset,
        'the last line is incomplete (fewer cells than the header, no final newline); dropped',
      );
      return;
    }
    if (cells.length > this.header.length)
      this.note(offset, 'rows with more cells than the header; extra cells ignored');
    if (this.pending !== undefined) {
      this.pending.push({ cells, offset });
      this.pendingChars += text.length;
      if (this.pending.length >= TYPING_ROWS || this.pendingChars > MAX_BUFFERED_CHARS) this.finishTyping();
      return;
    }
    this.addRow(cells, offset, text.length);
  }

  private readHeader(text: string, offset: number): void {
    this.delimiter = this.mapping.delimiter ?? detectDelimiter(text);
    const raw = splitRecord(text, this.delimiter);
    if (raw.length > MAX_COLUMNS) {
      this.note(offset, `header has ${raw.length} columns; only the first ${MAX_COLUMNS} are read`);
    }
    const header = raw.slice(0, MAX_COLUMNS).map(parseHeaderCell);
    const time = findTimeColumn(header, this.mapping);
    if (time === undefined) {
      const shown = header
        .slice(0, 8)
        .map((c) => JSON.stringify(c.name.slice(0, 40)))
        .join(', ');
      throw this.mapping.timeColumn !== undefined
        ? new FlightDecodeError(
            'CSV_TIME_COLUMN_MISSING',
            `time column ${JSON.stringify(this.mapping.timeColumn)} not in header (${shown})`,
            offset,
            'csv',
          )
        : new FlightDecodeError(
            'CSV_NO_TIME_COLUMN',
            `no recognised time column in header (${shown})`,
            offset,
            'csv',
          );
    }
    this.header = header;
    this.time = time;
    this.timeExplicit =
      this.mapping.timeUnit !== undefined || (header[time.index]?.unit !== undefined && time.unit !== 'auto');
  }

  /** Decides column types and the time unit from the buffered rows, declares the series, replays the rows. */
  private finishTyping(): void {
    const rows = this.pending;
    if (rows === undefined) return;
    this.pending = undefined;
    const header = this.header!;
    const time = this.time!;
    this.timeDivisor = this.chooseTimeDivisor(rows, time);
    const separator = this.mapping.topicSeparator ?? '.';
    const defaultTopic = this.mapping.defaultTopic ?? 'csv';
    const byName = new Map<string, TopicPlan>();
    header.forEach((cell, index) => {
      if (index === time.index) return;
      const numeric = rows.every((r) => parseNumericCell(r.cells[index] ?? '') !== undefined);
      const cut = separator === '' ? -1 : cell.name.indexOf(separator);
      const hasTopic = cut > 0 && cut < cell.name.length - separator.length;
      const topic = hasTopic ? cell.name.slice(0, cut) : defaultTopic;
      let field = hasTopic ? cell.name.slice(cut + separator.length) : cell.name;
      let plan = byName.get(topic);
      if (plan === undefined) {
        plan = { name: topic, fields: [], cells: [], numeric: [], times: [], values: [] };
        byName.set(topic, plan);
      }
      if (field === '') field = `column${index + 1}`;
      const base = field;
      for (let n = 2; plan.fields.some((f) => f.name === field); n++) field = `${base}#${n}`;
      plan.fields.push({
        name: field,
        sourceType: numeric ? 'number' : 'string',
        ...(cell.unit ? { unit: cell.unit } : {}),
      });
      plan.cells.push(index);
      plan.numeric.push(numeric);
      plan.values.push([]);
    });
    this.topics = [...byName.values()];
    for (const plan of this.topics) this.sink.schema({ topic: plan.name, instance: 0, fields: plan.fields });
    for (const row of rows) this.addRow(row.cells, row.offset, 0);
  }

  private chooseTimeDivisor(rows: readonly PendingRow[], time: TimeColumn): number {
    const values = rows.map((r) => Number((r.cells[time.index] ?? '').trim())).filter(Number.isFinite);
    const named =
      time.unit === 'auto' ? (values.length > 0 && values.every(Number.isInteger) ? 'us' : 's') : time.unit;
    if (this.timeExplicit || (time.unit !== 'auto' && time.unit !== 's')) return UNIT_DIVISOR[named];
    const sorted = values.map(Math.abs).sort((a, b) => a - b);
    const median = sorted[sorted.length >> 1];
    if (median !== undefined) {
      for (const [lo, hi, scale] of EPOCH_RANGES) if (median >= lo && median < hi) return scale;
    }
    return UNIT_DIVISOR[named];
  }

  private parseTime(cell: string): number {
    const t = cell.trim();
    if (t === '') return NaN;
    const n = Number(t);
    if (!Number.isNaN(n)) return n / this.timeDivisor;
    // ISO 8601 date-times (spreadsheets, ground-station exports) become UNIX seconds.
    if (/^\d{4}-\d{2}-\d{2}[T ]\d/.test(t)) return Date.parse(t) / 1000;
    return NaN;
  }

  private addRow(cells: string[], offset: number, chars: number): void {
    const time = this.parseTime(cells[this.time!.index] ?? '');
    if (!Number.isFinite(time)) {
      this.corrupt = true;
      this.note(offset, 'rows without a readable time were skipped');
      return;
    }
    for (const plan of this.topics) {
      let any = false;
      for (const index of plan.cells) if ((cells[index] ?? '').trim() !== '') any = true;
      if (!any) continue;
      plan.times.push(time);
      plan.cells.forEach((index, k) => {
        const cell = cells[index] ?? '';
        if (plan.numeric[k]) {
          let value = parseNumericCell(cell);
          if (value === undefined) {
            this.note(
              offset,
              `non-numeric cells in numeric column ${plan.name}.${plan.fields[k]!.name} read as NaN`,
            );
            value = NaN;
          }
          plan.values[k]!.push(value);
        } else plan.values[k]!.push(cell);
      });
      if (plan.times.length >= BATCH_ROWS) this.flushTopic(plan);
    }
    this.bufferedChars += chars;
    if (this.bufferedChars > MAX_BUFFERED_CHARS) this.flush();
  }

  private flush(): void {
    for (const plan of this.topics) this.flushTopic(plan);
    this.bufferedChars = 0;
  }

  private flushTopic(plan: TopicPlan): void {
    if (plan.times.length === 0) return;
    const columns = plan.values.map((v, k) =>
      plan.numeric[k] ? Float64Array.from(v as number[]) : (v as string[]),
    );
    this.sink.batch({ topic: plan.name, instance: 0, timestamps: Float64Array.from(plan.times), columns });
    plan.times = [];
    plan.values = plan.values.map(() => []);
  }
}

/** A streaming CSV decoder. `mapping` overrides the automatic time-column, unit and delimiter choices. */
export function createCsvDecoder(sink: LogSink, mapping: CsvMapping = {}): StreamDecoder {
  return new CsvDecoder(sink, mapping);
}
