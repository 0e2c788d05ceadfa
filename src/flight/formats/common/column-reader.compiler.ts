/**
 * Compiles the numeric fields of one record layout into a straight-line reader: one statement per
 * field that reads its bytes (little-endian) and stores the value in its column of a column-major
 * Float64Array block. A generic loop pays a kind switch, three typed-array loads and a loop branch
 * per field; the compiled reader pays none of them (measured on the real DataFlash logs: reading
 * the fields was about half the decode time).
 *
 * Code generation is confined to this file and built only from numbers this module controls: the
 * field kinds select fixed code fragments from {@link READ_EXPRESSIONS}, and offsets, column and scale
 * indices are checked to be non-negative integers before they are written into the source. Nothing
 * read from a log (names, labels, text) is ever part of the generated code; scale factors are passed
 * in as arrays at call time, not spliced in.
 *
 * Readers are cached by their source text, so every decode of the same kind of log reuses functions
 * V8 has already optimised, and one decoder's formats with the same layout share one function.
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
export type ColumnReader = (
  view: DataView,
  bytes: Uint8Array,
  start: number,
  block: Float64Array,
  at: number,
  stride: number,
  multipliers: Float64Array,
  divisors: Float64Array,
) => void;

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

/**
 * Fields per generated function: V8 stops optimising very large functions, and a hostile ULog format
 * can declare tens of thousands of fields, so wide layouts are read by a chain of pieces.
 */
const FIELDS_PER_PIECE = 256;

/** Cached readers; cleared when full so hostile input with endless distinct layouts stays bounded. */
const MAX_CACHED_READERS = 1024;
const cache = new Map<string, ColumnReader>();

/** Compiles (or fetches from the cache) the reader for `fields`, in column order. */
export function compileColumnReader(fields: readonly NumericFieldRead[]): ColumnReader {
  if (fields.length <= FIELDS_PER_PIECE) return piece(fields, 0);
  const pieces: ColumnReader[] = [];
  for (let first = 0; first < fields.length; first += FIELDS_PER_PIECE) {
    pieces.push(piece(fields.slice(first, first + FIELDS_PER_PIECE), first));
  }
  const jump = FIELDS_PER_PIECE;
  return (view, bytes, start, block, at, stride, multipliers, divisors) => {
    for (let i = 0; i < pieces.length; i++) {
      pieces[i]!(view, bytes, start, block, at + i * jump * stride, stride, multipliers, divisors);
    }
  };
}

/** The reader for `fields`, whose first element is field `first` of the whole layout (for scale indices). */
function piece(fields: readonly NumericFieldRead[], first: number): ColumnReader {
  // The cache key packs what the source depends on into UTF-16 code units, which is several times
  // cheaper than building the source itself on every decode of an already-seen layout.
  const units = [first & 0xffff, first >>> 16];
  for (const field of fields) {
    if (READ_EXPRESSIONS[field.kind] === undefined)
      throw new Error(`column reader: kind ${field.kind} is not numeric`);
    const offset = checkedOffset(field.offset);
    units.push(
      field.kind | (field.multiply === true ? 0x100 : 0) | (field.divide === true ? 0x200 : 0),
      offset & 0xffff,
      offset >>> 16,
    );
  }
  const key = String.fromCharCode(...units);
  let reader = cache.get(key);
  if (reader === undefined) {
    if (cache.size >= MAX_CACHED_READERS) cache.clear();
    reader = generate(fields, first);
    cache.set(key, reader);
  }
  return reader;
}

function generate(fields: readonly NumericFieldRead[], first: number): ColumnReader {
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
  ) as ColumnReader;
}

/** Offsets are written into the generated source, so only plain integers within 32 bits pass. */
function checkedOffset(offset: number): number {
  if (!Number.isInteger(offset) || offset < 0 || offset > 0xffffffff) {
    throw new Error(`column reader: ${offset} is not a valid offset`);
  }
  return offset;
}
