/**
 * Turns ULog 'F' format definitions into flat, pre-computed field accessors.
 *
 * Why: a data message is decoded millions of times but its format only once, so every name lookup,
 * nested-type expansion and array flattening happens here. The result is a reader compiled for the
 * layout (one straight-line read per numeric column, see `column-reader.compiler.ts`) plus the text
 * accessors, so the series writer does no per-field dispatch. Invariants: arrays flatten to `name[i]`, nested types to `parent.child` (`parent[i].child`
 * for arrays of them), fields named `_padding*` are skipped, and the top-level uint64 `timestamp` becomes
 * the row time rather than a column. Hostile definitions (recursion, absurd nesting, huge arrays, sizes
 * beyond one message) are rejected with a {@link FormatError}, never a stack overflow.
 */
import { compileColumnReader, type ColumnReader } from '../common/column-reader.compiler.js';
import { NumericKind } from '../common/numeric-field.reader.js';
import type { FieldMeta } from '../decoded-log.js';
import { MAX_FORMAT_SIZE, MAX_NESTING_DEPTH } from './ulog-spec.constants.js';

interface Primitive {
  readonly kind: number;
  readonly size: number;
}

export const PRIMITIVES: ReadonlyMap<string, Primitive> = new Map<string, Primitive>([
  ['int8_t', { kind: NumericKind.I8, size: 1 }],
  ['uint8_t', { kind: NumericKind.U8, size: 1 }],
  ['bool', { kind: NumericKind.BOOL, size: 1 }],
  ['char', { kind: NumericKind.TEXT, size: 1 }],
  ['int16_t', { kind: NumericKind.I16, size: 2 }],
  ['uint16_t', { kind: NumericKind.U16, size: 2 }],
  ['int32_t', { kind: NumericKind.I32, size: 4 }],
  ['uint32_t', { kind: NumericKind.U32, size: 4 }],
  ['int64_t', { kind: NumericKind.I64, size: 8 }],
  ['uint64_t', { kind: NumericKind.U64, size: 8 }],
  ['float', { kind: NumericKind.F32, size: 4 }],
  ['double', { kind: NumericKind.F64, size: 8 }],
]);

/** One declared field of a format, before flattening. `count` is -1 for a scalar. */
export interface FieldDecl {
  readonly type: string;
  readonly count: number;
  readonly name: string;
}

export interface FormatDef {
  readonly name: string;
  readonly fields: readonly FieldDecl[];
}

/** A format ready for decoding. Columns are in declaration order. */
export interface CompiledFormat {
  readonly name: string;
  /** Bytes the format declares. */
  readonly size: number;
  /** Bytes a payload must have: up to the end of the last non-padding field (trailing padding may be cut). */
  readonly minSize: number;
  readonly fields: readonly FieldMeta[];
  /** Byte offset of the top-level uint64 `timestamp`, or -1. */
  readonly timestampOffset: number;
  /** Reads every numeric column of a payload, in column order (no scaling: pass empty factor arrays). */
  readonly reader: ColumnReader;
  /** Text accessors: offset, byte length and index into the string columns. */
  readonly strOffsets: Int32Array;
  readonly strLengths: Int32Array;
  /** For schema field i: whether it is a text column (else the next numeric one). */
  readonly isText: readonly boolean[];
}

export class FormatError extends Error {}

/**
 * Definitions by their text, and compiled formats by their top-level definition: the logs of one
 * firmware carry the same 'F' messages, and parsing and compiling them again was a large part of
 * decoding a small log. Both hold immutable values only. The text cache is bounded by characters
 * (a definition may be up to 64 KiB) and cleared when full; compiled formats live as long as their
 * definition does.
 */
const MAX_CACHED_DEFINITION_CHARS = 4 * 1024 * 1024;
const definitionCache = new Map<string, FormatDef | undefined>();
let definitionCacheChars = 0;
const compiledCache = new WeakMap<FormatDef, { readonly uses: ReadonlyMap<string, FormatDef>; readonly format: CompiledFormat }>();

/** Parses the text of an 'F' message: `name:type field;type[n] field;…`. Returns undefined if malformed. */
export function parseFormatDefinition(text: string): FormatDef | undefined {
  if (definitionCache.has(text)) return definitionCache.get(text);
  if (definitionCacheChars + text.length > MAX_CACHED_DEFINITION_CHARS) {
    definitionCache.clear();
    definitionCacheChars = 0;
  }
  const def = parseDefinitionText(text);
  definitionCache.set(text, def);
  definitionCacheChars += text.length;
  return def;
}

function parseDefinitionText(text: string): FormatDef | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  const name = text.slice(0, colon).trim();
  const fields: FieldDecl[] = [];
  for (const part of text.slice(colon + 1).split(';')) {
    const decl = part.trim();
    if (decl === '') continue;
    const space = decl.lastIndexOf(' ');
    if (space <= 0) return undefined;
    let type = decl.slice(0, space).trim();
    const fieldName = decl.slice(space + 1);
    let count = -1;
    const bracket = type.indexOf('[');
    if (bracket >= 0) {
      const close = type.indexOf(']', bracket);
      const n = Number(type.slice(bracket + 1, close));
      if (close < 0 || !Number.isInteger(n) || n < 0) return undefined;
      count = n;
      type = type.slice(0, bracket).trim();
    }
    fields.push({ type, count, name: fieldName });
  }
  return { name, fields };
}

interface Leaf {
  name: string;
  type: string;
  kind: number;
  offset: number;
  size: number;
}

/**
 * Compiles `name` against the known definitions (nested types resolved by name). A format compiled
 * before from the same definition objects (see the caches above) is returned as it was.
 */
export function compileFormat(name: string, defs: ReadonlyMap<string, FormatDef>): CompiledFormat {
  const top = defs.get(name);
  const cached = top === undefined ? undefined : compiledCache.get(top);
  if (cached !== undefined && [...cached.uses].every(([type, def]) => defs.get(type) === def)) return cached.format;
  const uses = new Map<string, FormatDef>();
  const format = compileUncached(name, defs, uses);
  if (top !== undefined) compiledCache.set(top, { uses, format });
  return format;
}

/** Compiles `name`, recording in `uses` every definition it resolved. */
function compileUncached(name: string, defs: ReadonlyMap<string, FormatDef>, uses: Map<string, FormatDef>): CompiledFormat {
  const sizes = new Map<string, number>();
  const sizeOf = (typeName: string, depth: number): number => {
    const prim = PRIMITIVES.get(typeName);
    if (prim) return prim.size;
    const known = sizes.get(typeName);
    if (known !== undefined) return known;
    if (depth > MAX_NESTING_DEPTH) throw new FormatError(`format nesting deeper than ${MAX_NESTING_DEPTH} (recursive?)`);
    const def = defs.get(typeName);
    if (!def) throw new FormatError(`unknown type '${typeName}'`);
    uses.set(typeName, def);
    let total = 0;
    for (const f of def.fields) {
      total += sizeOf(f.type, depth + 1) * (f.count < 0 ? 1 : f.count);
      if (total > MAX_FORMAT_SIZE) throw new FormatError(`format '${typeName}' is larger than one message`);
    }
    sizes.set(typeName, total);
    return total;
  };
  const size = sizeOf(name, 0);

  const leaves: Leaf[] = [];
  let minSize = 0;
  const flatten = (typeName: string, prefix: string, base: number, depth: number): void => {
    const def = defs.get(typeName)!;
    let offset = base;
    for (const f of def.fields) {
      const prim = PRIMITIVES.get(f.type);
      const n = f.count < 0 ? 1 : f.count;
      const elem = prim ? prim.size : sizes.get(f.type)!;
      const padding = f.name.startsWith('_padding');
      if (!padding && elem * n > 0) minSize = Math.max(minSize, offset + elem * n);
      if (padding || elem === 0) {
        offset += elem * n;
        continue;
      }
      if (prim && prim.kind === NumericKind.TEXT) {
        leaves.push({ name: prefix + f.name, type: f.count < 0 ? 'char' : `char[${n}]`, kind: NumericKind.TEXT, offset, size: n });
      } else if (prim) {
        if (f.count < 0) leaves.push({ name: prefix + f.name, type: f.type, kind: prim.kind, offset, size: elem });
        else for (let i = 0; i < n; i++) leaves.push({ name: `${prefix}${f.name}[${i}]`, type: f.type, kind: prim.kind, offset: offset + i * elem, size: elem });
      } else if (f.count < 0) {
        flatten(f.type, `${prefix}${f.name}.`, offset, depth + 1);
      } else {
        for (let i = 0; i < n; i++) flatten(f.type, `${prefix}${f.name}[${i}].`, offset + i * elem, depth + 1);
      }
      offset += elem * n;
    }
  };
  flatten(name, '', 0, 0);
  return buildAccessors(name, size, minSize, leaves);
}

function buildAccessors(name: string, size: number, minSize: number, leaves: Leaf[]): CompiledFormat {
  let timestampOffset = -1;
  const columns = leaves.filter((leaf) => {
    if (timestampOffset < 0 && leaf.name === 'timestamp' && leaf.kind === NumericKind.U64) {
      timestampOffset = leaf.offset;
      return false;
    }
    return true;
  });
  // Compiled formats are shared between decodes: the schema every sink gets is frozen.
  const fields: readonly FieldMeta[] = Object.freeze(columns.map((c) => Object.freeze({ name: c.name, sourceType: c.type })));
  const numeric: Leaf[] = [];
  const text: Leaf[] = [];
  for (const leaf of columns) (leaf.kind === NumericKind.TEXT ? text : numeric).push(leaf);
  return {
    name,
    size,
    minSize,
    fields,
    timestampOffset,
    reader: compileColumnReader(numeric),
    strOffsets: Int32Array.from(text, (t) => t.offset),
    strLengths: Int32Array.from(text, (t) => t.size),
    isText: columns.map((leaf) => leaf.kind === NumericKind.TEXT),
  };
}
