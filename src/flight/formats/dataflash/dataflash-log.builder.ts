/**
 * Builds small synthetic DataFlash logs for tests: FMT/FMTU/UNIT/MULT records and data records
 * encoded from plain values. Scaled characters (`c C e E L`) take the raw stored integer, so tests
 * can check the decoder's scaling. Not used by production code.
 */
import { FORMAT_CHARS } from './format-char.table.js';

export type FieldValue = number | bigint | string | readonly number[];

export const UNIT_TYPE = 178;
export const FMTU_TYPE = 177;
export const MULT_TYPE = 179;

const FMT_LABELS = 'Type,Length,Name,Format,Columns';

function writeText(out: Uint8Array, at: number, size: number, text: string | Uint8Array): void {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  out.set(bytes.subarray(0, size), at);
}

/** Body size for a format string (throws on unknown chars: the builder is for valid input). */
export function formatSize(format: string): number {
  let size = 0;
  for (const ch of format) {
    const spec = FORMAT_CHARS.get(ch);
    if (!spec) throw new Error(`builder: unknown format char ${ch}`);
    size += spec.size;
  }
  return size;
}

/** Encodes one record body (without header) for `format` from `values`. */
export function encodeBody(format: string, values: readonly FieldValue[]): Uint8Array {
  const out = new Uint8Array(formatSize(format));
  const dv = new DataView(out.buffer);
  let at = 0;
  [...format].forEach((ch, i) => {
    const v = values[i] ?? 0;
    const num = typeof v === 'number' ? v : 0;
    switch (ch) {
      case 'b':
        dv.setInt8(at, num);
        break;
      case 'B':
      case 'M':
        dv.setUint8(at, num);
        break;
      case 'h':
      case 'c':
        dv.setInt16(at, num, true);
        break;
      case 'H':
      case 'C':
        dv.setUint16(at, num, true);
        break;
      case 'i':
      case 'e':
      case 'L':
        dv.setInt32(at, num, true);
        break;
      case 'I':
      case 'E':
        dv.setUint32(at, num, true);
        break;
      case 'f':
        dv.setFloat32(at, num, true);
        break;
      case 'd':
        dv.setFloat64(at, num, true);
        break;
      case 'q':
        dv.setBigInt64(at, typeof v === 'bigint' ? v : BigInt(num), true);
        break;
      case 'Q':
        dv.setBigUint64(at, typeof v === 'bigint' ? v : BigInt(num), true);
        break;
      case 'a': {
        const arr = Array.isArray(v) ? (v as readonly number[]) : [];
        for (let k = 0; k < 32; k++) dv.setInt16(at + 2 * k, arr[k] ?? 0, true);
        break;
      }
      default:
        writeText(out, at, FORMAT_CHARS.get(ch)!.size, typeof v === 'string' ? v : '');
    }
    at += FORMAT_CHARS.get(ch)!.size;
  });
  return out;
}

export class DataflashLogBuilder {
  private readonly parts: Uint8Array[] = [];
  private readonly formats = new Map<number, string>();
  /** Byte offset where each appended record starts (for tests that cut or corrupt at boundaries). */
  readonly recordStarts: number[] = [];
  private size = 0;

  constructor(withFmtOfFmt = true) {
    if (withFmtOfFmt) this.fmt(128, 'FMT', 'BBnNZ', FMT_LABELS, 89);
  }

  /** Appends raw bytes (garbage, padding, hand-made records). */
  raw(bytes: Uint8Array | readonly number[]): this {
    const b = bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes);
    this.parts.push(b);
    this.size += b.length;
    return this;
  }

  private record(id: number, body: Uint8Array): this {
    this.recordStarts.push(this.size);
    const rec = new Uint8Array(3 + body.length);
    rec[0] = 0xa3;
    rec[1] = 0x95;
    rec[2] = id;
    rec.set(body, 3);
    return this.raw(rec);
  }

  /** An FMT record; `length` defaults to the size the format needs. */
  fmt(type: number, name: string, format: string, labels: string, length?: number): this {
    const body = new Uint8Array(86);
    body[0] = type;
    body[1] = length ?? 3 + formatSize(format);
    writeText(body, 2, 4, name);
    writeText(body, 6, 16, format);
    writeText(body, 22, 64, labels);
    if (length === undefined || length === 3 + safeSize(format)) this.formats.set(type, format);
    return this.record(128, body);
  }

  /** A data record of a type defined earlier with {@link fmt}. */
  data(type: number, values: readonly FieldValue[]): this {
    const format = this.formats.get(type);
    if (format === undefined) throw new Error(`builder: type ${type} has no FMT`);
    return this.record(type, encodeBody(format, values));
  }

  /** Defines UNIT, FMTU and MULT the way ArduPilot 4.x does. */
  unitFormats(): this {
    return this.fmt(UNIT_TYPE, 'UNIT', 'QbZ', 'TimeUS,Id,Label')
      .fmt(FMTU_TYPE, 'FMTU', 'QBNN', 'TimeUS,FmtType,UnitIds,MultIds')
      .fmt(MULT_TYPE, 'MULT', 'Qbd', 'TimeUS,Id,Mult');
  }

  unit(id: string, label: string): this {
    return this.data(UNIT_TYPE, [0, id.charCodeAt(0), label]);
  }

  mult(id: string, value: number): this {
    return this.data(MULT_TYPE, [0, id.charCodeAt(0), value]);
  }

  fmtu(type: number, unitIds: string, multIds: string): this {
    return this.data(FMTU_TYPE, [0, type, unitIds, multIds]);
  }

  build(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

function safeSize(format: string): number {
  try {
    return formatSize(format);
  } catch {
    return -1;
  }
}
