import type { SourceRecord } from './import-types.js';
import { ImportFileError, type ReaderLimits, clip } from './reader-limits.js';

/**
 * Streaming RFC 4180 CSV reader: text chunks in, one {@link SourceRecord} per data record out.
 * Quoted cells may hold commas, doubled quotes and newlines, and a record may span any number of
 * chunks. `\r\n`, a leading BOM and a missing final newline are accepted. Records without quotes
 * take a fast path (indexOf + split), which is what keeps 6M-row demand files inside the ingest
 * budget. A record is numbered by the line it starts on, the header being line 1.
 *
 * Hostile input is bounded: a record longer than `maxRecordChars` (an unterminated quote looks
 * like one) becomes an error record and reading resumes at the next line; more than `maxColumns`
 * cells is an error record too. Nothing a file contains can make the reader buffer more than
 * about one record plus one chunk.
 */
export class CsvRecordReader {
  private carry = '';
  private line = 1;
  private header: string[] | null = null;
  private started = false;

  constructor(
    private readonly limits: ReaderLimits,
    private readonly emit: (record: SourceRecord) => void,
  ) {}

  /** The header's column names once it has been read. */
  get columns(): readonly string[] | null {
    return this.header;
  }

  push(chunk: string): void {
    let s = this.carry + chunk;
    if (!this.started && s.length > 0) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    let pos = 0;
    let nextQuote = s.indexOf('"');
    for (;;) {
      const nl = s.indexOf('\n', pos);
      if (nl < 0) break;
      if (nextQuote !== -1 && nextQuote < pos) nextQuote = s.indexOf('"', pos);
      if (nextQuote === -1 || nextQuote > nl) {
        const end = nl > pos && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        this.record(s.slice(pos, end), null, 1);
        pos = nl + 1;
        continue;
      }
      const parsed = parseQuotedRecord(s, pos);
      if (parsed === null) break; // the record continues in a later chunk
      this.record(s.slice(pos, parsed.textEnd), parsed.fields, parsed.lines);
      pos = parsed.next;
    }
    this.carry = pos === 0 ? s : s.slice(pos);
    if (this.carry.length > this.limits.maxRecordChars) this.oversized();
  }

  /** Flushes a final record that has no trailing newline. */
  end(): void {
    if (this.carry.length > 0) {
      const s = this.carry;
      this.carry = '';
      if (s.includes('"')) {
        const parsed = parseQuotedRecord(`${s}\n`, 0);
        if (parsed === null) this.error(s, 'the file ends inside a quoted cell (unterminated quote or truncated file)', 1);
        else this.record(s, parsed.fields, parsed.lines);
      } else this.record(s.endsWith('\r') ? s.slice(0, -1) : s, null, 1);
    }
    if (this.header === null) throw new ImportFileError('the file is empty: a CSV import needs a header row');
  }

  private oversized(): void {
    const start = this.carry;
    const nl = start.indexOf('\n', this.limits.maxRecordChars);
    this.error(start, `record is longer than ${this.limits.maxRecordChars} characters (or has an unterminated quote)`, 1);
    // Resynchronise at the first newline past the limit; everything before it is dropped.
    this.carry = nl < 0 ? '' : start.slice(nl + 1);
    this.skipToNewline = nl < 0;
  }

  private skipToNewline = false;

  private record(text: string, quotedFields: string[] | null, lines: number): void {
    const row = this.line;
    this.line += lines;
    if (this.skipToNewline) {
      this.skipToNewline = false;
      return;
    }
    if (this.header === null) {
      this.setHeader(quotedFields ?? text.split(','));
      return;
    }
    if (text.length === 0 || (quotedFields === null && text.trim() === '')) return; // blank line
    const fields = quotedFields ?? text.split(',');
    if (fields.length > this.limits.maxColumns) {
      this.emit({ row, raw: clip(text), values: null, error: { column: null, reason: `record has ${fields.length} cells; at most ${this.limits.maxColumns} are read` } });
      return;
    }
    if (fields.length !== this.header.length) {
      this.emit({ row, raw: clip(text), values: null, error: { column: null, reason: `record has ${fields.length} cells but the header has ${this.header.length}` } });
      return;
    }
    const values: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i++) values[this.header[i]!] = fields[i];
    this.emit({ row, raw: clip(text), values, error: null });
  }

  private error(text: string, reason: string, lines: number): void {
    const row = this.line;
    this.line += lines + countNewlines(text);
    this.emit({ row, raw: clip(text), values: null, error: { column: null, reason } });
  }

  private setHeader(fields: string[]): void {
    const names = fields.map((f) => f.trim());
    if (names.length > this.limits.maxColumns) throw new ImportFileError(`the header has ${names.length} columns; at most ${this.limits.maxColumns} are allowed`);
    const seen = new Set<string>();
    names.forEach((n, i) => {
      if (n === '') throw new ImportFileError(`header column ${i + 1} has no name`);
      if (seen.has(n)) throw new ImportFileError(`header column "${clip(n, 80)}" appears twice`);
      seen.add(n);
    });
    this.header = names;
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Parses one record that contains a quote, starting at `start`. Returns null if the record is not
 * complete in `s` (its closing quote or final newline is in a later chunk).
 */
function parseQuotedRecord(s: string, start: number): { fields: string[]; textEnd: number; next: number; lines: number } | null {
  const fields: string[] = [];
  let field = '';
  let i = start;
  let lines = 1;
  let atCellStart = true;
  for (;;) {
    if (i >= s.length) return null;
    const ch = s.charCodeAt(i);
    if (ch === 34 /* " */ && atCellStart) {
      // Quoted cell: runs to the next lone quote.
      i++;
      for (;;) {
        const q = s.indexOf('"', i);
        if (q < 0) return null;
        const piece = s.slice(i, q);
        lines += countNewlines(piece);
        field += piece;
        if (s.charCodeAt(q + 1) === 34) {
          field += '"';
          i = q + 2;
          continue;
        }
        if (q + 1 >= s.length) return null; // cannot tell yet whether the quote is doubled
        i = q + 1;
        break;
      }
      atCellStart = false;
      continue;
    }
    if (ch === 44 /* , */) {
      fields.push(field);
      field = '';
      atCellStart = true;
      i++;
      continue;
    }
    if (ch === 10 /* \n */) {
      const textEnd = i > start && s.charCodeAt(i - 1) === 13 ? i - 1 : i;
      if (field.endsWith('\r')) field = field.slice(0, -1);
      fields.push(field);
      return { fields, textEnd, next: i + 1, lines };
    }
    // Text outside quotes (also after a closing quote: `"a"b` reads as `ab`, as spreadsheets do).
    field += s[i];
    atCellStart = false;
    i++;
  }
}
