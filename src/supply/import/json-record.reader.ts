import type { SourceRecord } from './import-types.js';
import { ImportFileError, type ReaderLimits, clip } from './reader-limits.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function recordFromJson(row: number, text: string, limits: ReaderLimits): SourceRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { row, raw: clip(text), values: null, error: { column: null, reason: `not valid JSON: ${(e as Error).message}` } };
  }
  if (!isObject(value)) return { row, raw: clip(text), values: null, error: { column: null, reason: 'each record must be a JSON object' } };
  if (Object.keys(value).length > limits.maxColumns) {
    return { row, raw: clip(text), values: null, error: { column: null, reason: `object has more than ${limits.maxColumns} keys` } };
  }
  return { row, raw: clip(text), values: value, error: null };
}

/**
 * Streaming reader for a JSON array of objects (`[ {...}, {...} ]`): it finds element boundaries
 * with a small scanner (strings, escapes, nesting depth) and parses one element at a time, so the
 * array is never held whole. Elements are numbered from 1. An element longer than
 * `maxRecordChars` is rejected without being buffered; a truncated file rejects its last, partial
 * element; anything but whitespace around the array is a file error.
 */
export class JsonArrayReader {
  private state: 'before' | 'between' | 'element' | 'after' = 'before';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private buf = '';
  private oversized = false;
  private index = 0;
  private expectElement = true;
  private started = false;

  constructor(
    private readonly limits: ReaderLimits,
    private readonly emit: (record: SourceRecord) => void,
  ) {}

  push(chunk: string): void {
    let s = chunk;
    if (!this.started && s.length > 0) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    let elementStart = this.state === 'element' ? 0 : -1;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (this.state === 'element') {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (c === 92 /* \ */) this.escaped = true;
          else if (c === 34) this.inString = false;
          continue;
        }
        if (c === 34) this.inString = true;
        else if (c === 123 || c === 91) this.depth++;
        else if (c === 125 || c === 93) {
          if (this.depth === 0) {
            // `]` closing the array right after a scalar element.
            this.finishElement(s, elementStart, i);
            elementStart = -1;
            this.state = 'after';
            continue;
          }
          this.depth--;
        } else if (c === 44 && this.depth === 0) {
          this.finishElement(s, elementStart, i);
          elementStart = -1;
          this.state = 'between';
          this.expectElement = true;
        }
        continue;
      }
      if (c === 32 || c === 9 || c === 10 || c === 13) continue;
      if (this.state === 'before') {
        if (c !== 91) throw new ImportFileError('a JSON import must be an array of objects: the file does not start with [');
        this.state = 'between';
        this.expectElement = true;
      } else if (this.state === 'between') {
        if (c === 93 /* ] */) {
          if (this.index > 0 && this.expectElement) throw new ImportFileError(`a comma after element ${this.index} is followed by ]`);
          this.state = 'after';
        } else if (c === 44) {
          throw new ImportFileError(`unexpected comma after element ${this.index}`);
        } else {
          this.state = 'element';
          this.depth = 0;
          this.inString = false;
          this.escaped = false;
          this.buf = '';
          this.oversized = false;
          this.expectElement = false;
          elementStart = i;
          i--; // rescan this character as part of the element
        }
      } else {
        throw new ImportFileError('unexpected content after the closing ] of the array');
      }
    }
    if (this.state === 'element' && elementStart >= 0) this.append(s.slice(elementStart));
  }

  end(): void {
    if (this.state === 'before') throw new ImportFileError('the file is empty: a JSON import needs an array');
    if (this.state === 'element') {
      this.index++;
      this.emit({ row: this.index, raw: clip(this.buf), values: null, error: { column: null, reason: 'the file ends inside this element (truncated file)' } });
    } else if (this.state === 'between') {
      this.emit({ row: this.index + 1, raw: '', values: null, error: { column: null, reason: 'the file ends before the closing ] of the array (truncated file)' } });
    }
  }

  private append(piece: string): void {
    if (this.oversized) return;
    if (this.buf.length + piece.length > this.limits.maxRecordChars) {
      this.oversized = true;
      this.buf = this.buf.slice(0, 256) + piece.slice(0, 256);
      return;
    }
    this.buf += piece;
  }

  private finishElement(s: string, start: number, end: number): void {
    if (start >= 0) this.append(s.slice(start, end));
    this.index++;
    const text = this.buf.trim();
    this.buf = '';
    if (this.oversized) {
      this.emit({ row: this.index, raw: clip(text), values: null, error: { column: null, reason: `element is longer than ${this.limits.maxRecordChars} characters` } });
      return;
    }
    this.emit(recordFromJson(this.index, text, this.limits));
  }
}

/** Newline-delimited JSON: one object per line, numbered by line; blank lines are skipped. */
export class NdjsonReader {
  private carry = '';
  private line = 0;
  private skipping = false;
  private started = false;

  constructor(
    private readonly limits: ReaderLimits,
    private readonly emit: (record: SourceRecord) => void,
  ) {}

  push(chunk: string): void {
    let s = this.carry + chunk;
    if (!this.started && s.length > 0) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    let pos = 0;
    for (let nl = s.indexOf('\n'); nl !== -1; nl = s.indexOf('\n', pos)) {
      this.line++;
      if (this.skipping) this.skipping = false;
      else this.handle(s.slice(pos, nl));
      pos = nl + 1;
    }
    this.carry = s.slice(pos);
    if (this.carry.length > this.limits.maxRecordChars) {
      if (!this.skipping) {
        this.emit({ row: this.line + 1, raw: clip(this.carry), values: null, error: { column: null, reason: `line is longer than ${this.limits.maxRecordChars} characters` } });
      }
      this.skipping = true;
      this.carry = '';
    }
  }

  end(): void {
    if (this.carry.length > 0 && !this.skipping) {
      this.line++;
      this.handle(this.carry);
    }
    this.carry = '';
  }

  private handle(text: string): void {
    const t = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (t.trim() === '') return;
    this.emit(recordFromJson(this.line, t, this.limits));
  }
}
