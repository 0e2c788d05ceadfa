/**
 * Reads the numeric fields of one record layout into the columns of a column-major Float64Array
 * block, in two tiers. A layout's reader starts by interpreting a compact field program (one shared
 * loop, so V8 optimises it within the first decode) and, once the layout has read
 * {@link COMPILE_AFTER_ROWS} rows, switches to code compiled for the layout: one straight-line
 * statement per field, no kind switch, loads or loop branch (measured on the real DataFlash logs:
 * reading the fields was about half the decode time). Why not compile at once: each compiled reader
 * is its own function, which V8 runs unoptimised for its first few thousand calls, several times
 * slower than the shared loop; a small log's hundred layouts of a few dozen rows each never got
 * there (roboto ULog: 70 MiB/s CPU at its 10th decode in a process with compiled readers, 145 with
 * the shared loop; 240 against 200 once everything is optimised).
 *
 * Code generation is confined to this file and built only from numbers this module controls: the
 * field kinds select fixed code fragments from {@link READ_EXPRESSIONS}, and offsets, column and scale
 * indices are checked to be non-negative integers before they are written into the source. Nothing
 * read from a log (names, labels, text) is ever part of the generated code; scale factors are passed
 * in as arrays at call time, not spliced in.
 *
 * Readers are cached by layout, so every decode of the same kind of log reuses one reader (and its
 * row count towards compilation), and one decoder's formats with the same layout share it.
 */
import { NumericKind } from './numeric-field.reader.js';

/** One numeric field: its {@link NumericKind} (not TEXT), byte offset, and how its value is scaled. */
export interface NumericFieldRead {
  readonly kind: number;
  /** Byte offset from the record start the reader is called with. */
  readonly offset: number;
  /** value = raw × `multipliers[i]` when set (i: the field's index in the list). */
  readonly multiply?: boolean;
  /** value = … ÷ `divisors[i]` when set. */
  readonly divide?: boolean;
}

/**
 * Reads every field of one record at `start` of `view`/`bytes` (the same bytes; the caller has checked
 * the bounds) into `block`: field i goes to `block[at + i·stride]`, i.e. `at` is the row's index in
 * the first numeric column and `stride` the column length.
 */
export type ReadRow = (
  view: DataView,
  bytes: Uint8Array,
  start: number,
  block: Float64Array,
  at: number,
  stride: number,
  multipliers: Float64Array,
  divisors: Float64Array,
) => void;

/** The reader of one layout. Call `read` through the reader each time: it changes when the layout is compiled. */
export interface ColumnReader {
  readonly read: ReadRow;
  readonly tier: 'interpreted' | 'compiled';
}

/**
 * When a layout gets compiled code (see the file comment): once it has read
 * {@link COMPILE_AFTER_ROWS_IN_ONE_DECODE} rows within one decode (it is hot in this log, so compiling
 * at once pays back within the log), or {@link COMPILE_AFTER_ROWS} rows over all decodes (a layout of
 * a few rows per log that keeps coming back). Callgrind, instructions per decode over the decodes the
 * bench samples in a fresh process, compiling after N rows over all decodes only: roboto ULog
 * (decodes 3..32; 100 layouts, ~50 rows each per decode) 38.0 M compiling at once, 34.9 M at 1024,
 * 30.1 M at 16384; the 181 crash DataFlash log (decodes 3..22; ~1,245 rows per layout per decode)
 * 28.0 M, 31.6 M, 46.8 M; with 1024 rows in one decode or 16384 over all: 26.6 M and 31.2 M. At
 * 1024 rows in one decode the larger ULog logs (lowbatt, esc_status: a few hundred rows per wide
 * layout per decode) stayed interpreted and lost 12-15 % in the bench (quiet A/B); at 256 they are
 * back to par. Never compiling costs a third of the steady-state speed of wide layouts (quad_bench
 * ULog 330 against 500 MiB/s CPU).
 */
export const COMPILE_AFTER_ROWS = 16_384;
export const COMPILE_AFTER_ROWS_IN_ONE_DECODE = 256;

/** Counts decodes (see {@link startReaderEpoch}); interleaved decodes only delay a compilation. */
let decodeEpoch = 0;

/** Called by a decoder as it starts, so readers can count their rows per decode. */
export function startReaderEpoch(): void {
  decodeEpoch++;
}

/** Source of one field's read expression; `o` is the source of its byte position. */
const READ_EXPRESSIONS: Readonly<Record<number, (o: string) => string>> = {
  [NumericKind.U8]: (o) => `bytes[${o}]`,
  [NumericKind.I8]: (o) => `view.getInt8(${o})`,
  [NumericKind.U16]: (o) => `view.getUint16(${o}, true)`,
  [NumericKind.I16]: (o) => `view.getInt16(${o}, true)`,
  [NumericKind.U32]: (o) => `view.getUint32(${o}, true)`,
  [NumericKind.I32]: (o) => `view.getInt32(${o}, true)`,
  // 64-bit integers as two 32-bit halves (precision lost beyond 2^53, as readNumericField does).
  [NumericKind.U64]: (o) => `(view.getUint32(${o}, true) + view.getUint32(${o} + 4, true) * 4294967296)`,
  [NumericKind.I64]: (o) => `(view.getUint32(${o}, true) + view.getInt32(${o} + 4, true) * 4294967296)`,
  [NumericKind.F32]: (o) => `view.getFloat32(${o}, true)`,
  [NumericKind.F64]: (o) => `view.getFloat64(${o}, true)`,
  [NumericKind.BOOL]: (o) => `(bytes[${o}] === 0 ? 0 : 1)`,
};

/** Cached readers; cleared when full so hostile input with endless distinct layouts stays bounded. */
const MAX_CACHED_READERS = 1024;
const cache = new Map<string, TieredReader>();

/** The reader for `fields`, in column order: cached, or new (interpreting until it is hot). */
export function compileColumnReader(fields: readonly NumericFieldRead[]): ColumnReader {
  const program = fieldProgram(fields);
  const key = programKey(program);
  let reader = cache.get(key);
  if (reader === undefined) {
    if (cache.size >= MAX_CACHED_READERS) cache.clear();
    reader = new TieredReader(fields, program);
    cache.set(key, reader);
  }
  return reader;
}

/** Per field: its kind with the scale flags ({@link MULTIPLY}, {@link DIVIDE}), then its byte offset. */
const MULTIPLY = 0x100;
const DIVIDE = 0x200;

function fieldProgram(fields: readonly NumericFieldRead[]): Int32Array {
  const program = new Int32Array(fields.length * 2);
  fields.forEach((field, i) => {
    if (READ_EXPRESSIONS[field.kind] === undefined) throw new Error(`column reader: kind ${field.kind} is not numeric`);
    program[2 * i] = field.kind | (field.multiply === true ? MULTIPLY : 0) | (field.divide === true ? DIVIDE : 0);
    program[2 * i + 1] = checkedOffset(field.offset);
  });
  return program;
}

/**
 * The program's integers as UTF-16 code units: an exact key, several times cheaper to build than the
 * generated source. Built in slices, since a hostile format may have tens of thousands of fields.
 */
function programKey(program: Int32Array): string {
  const SLICE = 4096;
  let key = '';
  for (let from = 0; from < program.length; from += SLICE) {
    const part = program.subarray(from, from + SLICE);
    const units = new Array<number>(part.length * 2);
    for (let i = 0; i < part.length; i++) {
      units[2 * i] = part[i]! & 0xffff;
      units[2 * i + 1] = part[i]! >>> 16;
    }
    key += String.fromCharCode.apply(null, units);
  }
  return key;
}

class TieredReader implements ColumnReader {
  read: ReadRow;
  tier: 'interpreted' | 'compiled' = 'interpreted';

  constructor(fields: readonly NumericFieldRead[], program: Int32Array) {
    let left = COMPILE_AFTER_ROWS;
    let epoch = -1;
    let leftInDecode = 0;
    this.read = (view, bytes, start, block, at, stride, multipliers, divisors) => {
      interpret(program, view, bytes, start, block, at, stride, multipliers, divisors);
      if (epoch !== decodeEpoch) {
        epoch = decodeEpoch;
        leftInDecode = COMPILE_AFTER_ROWS_IN_ONE_DECODE;
      }
      if (--left === 0 || --leftInDecode === 0) {
        this.read = compile(fields);
        this.tier = 'compiled';
      }
    };
  }
}

/**
 * The shared loop: reads as the compiled code does, field by field. Cases are the {@link NumericKind}
 * values as literals, so the switch is a jump table.
 */
function interpret(
  program: Int32Array,
  view: DataView,
  bytes: Uint8Array,
  start: number,
  block: Float64Array,
  at: number,
  stride: number,
  multipliers: Float64Array,
  divisors: Float64Array,
): void {
  for (let k = 0, i = 0; k < program.length; k += 2, i++, at += stride) {
    const op = program[k]!;
    const o = start + program[k + 1]!;
    let value: number;
    switch (op & 0xff) {
      case 0: // U8
        value = bytes[o]!;
        break;
      case 1: // I8
        value = view.getInt8(o);
        break;
      case 2: // U16
        value = view.getUint16(o, true);
        break;
      case 3: // I16
        value = view.getInt16(o, true);
        break;
      case 4: // U32
        value = view.getUint32(o, true);
        break;
      case 5: // I32
        value = view.getInt32(o, true);
        break;
      case 6: // U64
        value = view.getUint32(o, true) + view.getUint32(o + 4, true) * 4294967296;
        break;
      case 7: // I64
        value = view.getUint32(o, true) + view.getInt32(o + 4, true) * 4294967296;
        break;
      case 8: // F32
        value = view.getFloat32(o, true);
        break;
      case 9: // F64
        value = view.getFloat64(o, true);
        break;
      default: // BOOL (the program holds numeric kinds only)
        value = bytes[o] === 0 ? 0 : 1;
    }
    if ((op & MULTIPLY) !== 0) value *= multipliers[i]!;
    if ((op & DIVIDE) !== 0) value /= divisors[i]!;
    block[at] = value;
  }
}

/**
 * Fields per generated function: V8 stops optimising very large functions, and a hostile ULog format
 * can declare tens of thousands of fields, so wide layouts are read by a chain of pieces.
 */
const FIELDS_PER_PIECE = 256;

/** The compiled code for `fields` (a chain of pieces when wide). */
function compile(fields: readonly NumericFieldRead[]): ReadRow {
  if (fields.length <= FIELDS_PER_PIECE) return generate(fields, 0);
  const pieces: ReadRow[] = [];
  for (let first = 0; first < fields.length; first += FIELDS_PER_PIECE) {
    pieces.push(generate(fields.slice(first, first + FIELDS_PER_PIECE), first));
  }
  const jump = FIELDS_PER_PIECE;
  return (view, bytes, start, block, at, stride, multipliers, divisors) => {
    for (let i = 0; i < pieces.length; i++) {
      pieces[i]!(view, bytes, start, block, at + i * jump * stride, stride, multipliers, divisors);
    }
  };
}

function generate(fields: readonly NumericFieldRead[], first: number): ReadRow {
  const lines = ['"use strict";'];
  fields.forEach((field, i) => {
    let value = READ_EXPRESSIONS[field.kind]!(`start + ${checkedOffset(field.offset)}`);
    if (field.multiply === true) value += ` * multipliers[${first + i}]`;
    if (field.divide === true) value += ` / divisors[${first + i}]`;
    if (i > 0) lines.push('at += stride;');
    lines.push(`block[at] = ${value};`);
  });
  // The source is assembled from fixed fragments and checked integers only (see the file comment).
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(
    'view',
    'bytes',
    'start',
    'block',
    'at',
    'stride',
    'multipliers',
    'divisors',
    lines.join('\n'),
  ) as ReadRow;
}

/** Offsets are written into the generated source, so only plain non-negative int32 values pass. */
function checkedOffset(offset: number): number {
  if (!Number.isInteger(offset) || offset < 0 || offset > 0x7fffffff) {
    throw new Error(`column reader: ${offset} is not a valid offset`);
  }
  return offset;
}
