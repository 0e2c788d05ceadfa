/**
 * Turns FMT records into flat, precompiled record layouts, and layouts plus FMTU/UNIT/MULT metadata
 * into {@link RecordPlan}s: parallel typed arrays (read code, byte offset, scale) that the decoder's
 * hot loop walks without allocating anything per record.
 *
 * Invariants: a layout's `length` is what the log declared and is always ≥ 3, so framing always
 * advances; a layout whose fields cannot be decoded (unknown format char, fields longer than the
 * declared length) is kept as *opaque* so its records are still skipped in sync, but emits no series.
 */
import { compileColumnReader, type ColumnReader, type NumericFieldRead } from '../common/column-reader.compiler.js';
import type { FieldMeta } from '../decoded-log.js';
import {
  FORMAT_CHARS,
  INSTANCE_UNIT_ID,
  ReadCode,
  DEFAULT_MULTIPLIERS,
  DEFAULT_UNITS,
  cleanMultiplier,
} from './format-char.table.js';
import { decodeTextField } from './text-field.codec.js';

export const HEADER_LENGTH = 3;
export const FMT_ID = 128;
/** FMT itself: type, length, name[4], format[16], labels[64] → 89 bytes with the header. */
export const FMT_LENGTH = 89;

/** Records whose only job is to describe other records; they never become series. */
export const STRUCTURAL_MESSAGES: ReadonlySet<string> = new Set(['FMT', 'FMTU', 'UNIT', 'MULT']);

/** Labels older logs (no FMTU) use for an instance/core index in the first data column. */
const LEGACY_INSTANCE_LABELS: ReadonlySet<string> = new Set(['I', 'Instance', 'Inst', 'C', 'Core']);

export interface LayoutField {
  readonly label: string;
  readonly char: string;
  /** Byte offset from the start of the record (header included). */
  readonly offset: number;
}

export interface RecordLayout {
  readonly id: number;
  readonly name: string;
  /** Declared record length including the 3-byte header (≥ 3). */
  readonly length: number;
  readonly format: string;
  readonly labels: string;
  /** Undefined when the record cannot be decoded (opaque: framed by `length`, otherwise skipped). */
  readonly fields: readonly LayoutField[] | undefined;
  unitIds: string | undefined;
  multIds: string | undefined;
  /** Built lazily at the first data record so FMTU that follows FMT is honoured. */
  plan: RecordPlan | undefined;
}

export interface RecordPlan {
  /** Output schema (time column removed, arrays flattened). */
  readonly fields: readonly FieldMeta[];
  /** Per output column: true when it is a string column. */
  readonly isText: readonly boolean[];
  /** Reads every numeric column of a record (its multipliers and divisors are the two arrays below). */
  readonly reader: ColumnReader;
  /** value = raw × numScales[k] ÷ numDivisors[k]; decimal factors become exact integer divisors. */
  readonly numScales: Float64Array;
  readonly numDivisors: Float64Array;
  readonly textOffsets: Int32Array;
  readonly textSizes: Int32Array;
  /** -1 when the record has no time column (the decoder then uses the last time seen). */
  readonly timeCode: number;
  readonly timeOffset: number;
  /** Seconds = raw ÷ timeDivisor (1e6 for TimeUS, 1e3 for TimeMS), correctly rounded. */
  readonly timeDivisor: number;
  /** -1 when the record has no instance column. */
  readonly instanceCode: number;
  readonly instanceOffset: number;
  /** Identifies the schema, so two formats with one name share series only when they agree. */
  readonly signature: string;
}

export interface FmtParseResult {
  readonly layout?: RecordLayout;
  /** The type id the FMT tried to define (for warnings even when rejected). */
  readonly type: number;
  readonly problems: readonly string[];
}

function sanitiseName(raw: string, type: number): string {
  const clean = raw.replace(/[^\x21-\x7e]/g, '?');
  return clean.length > 0 ? clean : `ID${type}`;
}

/**
 * Parsed FMT records by their bytes: a log carries one FMT per message type (often hundreds, before any
 * data), and the logs of one autopilot version carry the same ones, so parsing them again was most of
 * the fixed cost of decoding a small log. Keyed by a hash of the type, length, name and format bytes
 * (masked to a Smi); a hit is confirmed by comparing all 86 body bytes, so a lookup allocates nothing
 * (a string key per FMT record was ~460 bytes of garbage each). A colliding record replaces the entry.
 * Entries are immutable; cleared when full.
 */
const MAX_CACHED_FMTS = 4096;
const fmtCache = new Map<number, { readonly body: Uint8Array; readonly parsed: FmtParseResult }>();
/** Body bytes hashed: type, length, name[4], format[16]. */
const HASHED_FMT_BYTES = 22;

/**
 * Parses an FMT record at `p` (caller guarantees FMT_LENGTH bytes are present). The layout returned is
 * the caller's own (its FMTU fields and plan are filled in later); what it shares is read-only.
 */
export function parseFmtRecord(bytes: Uint8Array, p: number): FmtParseResult {
  const body = p + HEADER_LENGTH;
  let hash = 0x811c9dc5;
  for (let i = body; i < body + HASHED_FMT_BYTES; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  hash &= 0x3fffffff;
  const cached = fmtCache.get(hash);
  let parsed: FmtParseResult;
  if (cached !== undefined && sameBody(cached.body, bytes, body)) {
    parsed = cached.parsed;
  } else {
    if (fmtCache.size >= MAX_CACHED_FMTS) fmtCache.clear();
    parsed = parseFmtBody(bytes, p);
    fmtCache.set(hash, { body: bytes.slice(body, p + FMT_LENGTH), parsed });
  }
  const layout = parsed.layout;
  return layout === undefined ? parsed : { ...parsed, layout: { ...layout } };
}

function sameBody(known: Uint8Array, bytes: Uint8Array, body: number): boolean {
  for (let i = 0; i < known.length; i++) if (known[i] !== bytes[body + i]) return false;
  return true;
}

function parseFmtBody(bytes: Uint8Array, p: number): FmtParseResult {
  const type = bytes[p + 3]!;
  const length = bytes[p + 4]!;
  const name = sanitiseName(decodeTextField(bytes, p + 5, 4), type);
  const format = decodeTextField(bytes, p + 9, 16);
  const labels = decodeTextField(bytes, p + 25, 64);
  const problems: string[] = [];
  if (length < HEADER_LENGTH) {
    problems.push(`FMT for type ${type} (${name}) declares length ${length} < 3; ignored`);
    return { type, problems };
  }
  const labelList = labels.split(',');
  const fields: LayoutField[] = [];
  const used = new Set<string>();
  let offset = HEADER_LENGTH;
  let decodable = true;
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    const spec = FORMAT_CHARS.get(ch);
    if (!spec) {
      problems.push(`FMT ${name} (type ${type}) has unknown format char '${ch}'; records skipped`);
      decodable = false;
      break;
    }
    let label = labelList[i]?.trim() ?? '';
    if (label === '') label = `f${i}`;
    for (let k = 2; used.has(label); k++) label = `${labelList[i]?.trim() || `f${i}`}_${k}`;
    used.add(label);
    fields.push({ label, char: ch, offset });
    offset += spec.size;
  }
  if (decodable && offset > length) {
    problems.push(
      `FMT ${name} (type ${type}) format '${format}' needs ${offset} bytes but declares ${length}; records skipped`,
    );
    decodable = false;
  } else if (decodable && offset < length) {
    problems.push(`FMT ${name} (type ${type}) declares ${length} bytes, format uses ${offset}; rest ignored`);
  }
  if (decodable && labelList.length !== format.length && labels !== '') {
    problems.push(`FMT ${name} (type ${type}) has ${format.length} fields but ${labelList.length} labels`);
  }
  return {
    type,
    problems,
    layout: {
      id: type,
      name,
      length,
      format,
      labels,
      fields: decodable ? fields : undefined,
      unitIds: undefined,
      multIds: undefined,
      plan: undefined,
    },
  };
}

/** True when two FMT definitions describe the same record (a harmless repeat). */
export function sameDefinition(a: RecordLayout, b: RecordLayout): boolean {
  return a.name === b.name && a.length === b.length && a.format === b.format && a.labels === b.labels;
}

function isScalarNumber(f: LayoutField): boolean {
  const spec = FORMAT_CHARS.get(f.char)!;
  return spec.elements === 1 && spec.code !== ReadCode.Text;
}

function findTimeField(fields: readonly LayoutField[]): { index: number; divisor: number } {
  const us = fields.findIndex((f) => f.label === 'TimeUS' && isScalarNumber(f));
  if (us >= 0) return { index: us, divisor: 1e6 };
  const first = fields[0];
  if (first?.label === 'TimeMS' && isScalarNumber(first)) return { index: 0, divisor: 1e3 };
  // 2014-era GPS: TimeMS is GPS time-of-week; `T` carries milliseconds since boot.
  const t = fields.findIndex((f) => f.label === 'T' && (f.char === 'I' || f.char === 'i'));
  if (t >= 0) return { index: t, divisor: 1e3 };
  return { index: -1, divisor: 1 };
}

function isIntegerCode(code: ReadCode): boolean {
  return code !== ReadCode.Text && code !== ReadCode.Float32 && code !== ReadCode.Float64;
}

function findInstanceField(layout: RecordLayout, fields: readonly LayoutField[], timeIndex: number): number {
  const isInstanceCapable = (i: number): boolean => {
    const f = fields[i];
    if (!f || i === timeIndex) return false;
    const spec = FORMAT_CHARS.get(f.char)!;
    return spec.elements === 1 && isIntegerCode(spec.code);
  };
  if (layout.unitIds !== undefined) {
    const i = layout.unitIds.indexOf(INSTANCE_UNIT_ID);
    return i >= 0 && isInstanceCapable(i) ? i : -1;
  }
  // No FMTU: the first non-time column named like an instance index.
  const first = timeIndex === 0 ? 1 : 0;
  const f = fields[first];
  return f && LEGACY_INSTANCE_LABELS.has(f.label) && isInstanceCapable(first) ? first : -1;
}

function unitFor(id: string | undefined, units: ReadonlyMap<string, string>): string | undefined {
  if (id === undefined || id === '-' || id === '?' || id === INSTANCE_UNIT_ID) return undefined;
  const u = units.get(id) ?? DEFAULT_UNITS.get(id);
  return u === undefined || u === '' || u === 'UNKNOWN' ? undefined : u;
}

function multiplierFor(id: string | undefined, mults: ReadonlyMap<string, number>): number {
  if (id === undefined || id === '-' || id === '?') return 1;
  const m = mults.get(id) ?? DEFAULT_MULTIPLIERS.get(id);
  return m === undefined || m === 0 || !Number.isFinite(m) ? 1 : cleanMultiplier(m);
}

/**
 * Builds the hot-loop plan for a decodable layout. Scaling rule: `c C e E L` always use their
 * implicit factor (ArduPilot documents the FMTU multiplier as equivalent for them); other numeric
 * fields use the FMTU multiplier when it is a real factor, so values come out in `unit`.
 */
export function buildPlan(
  layout: RecordLayout,
  units: ReadonlyMap<string, string>,
  mults: ReadonlyMap<string, number>,
): RecordPlan {
  const fields = layout.fields ?? [];
  const time = findTimeField(fields);
  const instanceIndex = findInstanceField(layout, fields, time.index);
  const out: FieldMeta[] = [];
  const isText: boolean[] = [];
  const numReads: NumericFieldRead[] = [];
  const numScales: number[] = [];
  const numDivisors: number[] = [];
  const textOffsets: number[] = [];
  const textSizes: number[] = [];
  fields.forEach((f, i) => {
    if (i === time.index) return;
    const spec = FORMAT_CHARS.get(f.char)!;
    const unitId = layout.unitIds?.[i];
    const unit = unitFor(unitId, units);
    if (spec.code === ReadCode.Text) {
      out.push(unit === undefined ? { name: f.label, sourceType: f.char } : { name: f.label, sourceType: f.char, unit });
      isText.push(true);
      textOffsets.push(f.offset);
      textSizes.push(spec.size);
      return;
    }
    const scale = spec.implicitScale !== 1 ? spec.implicitScale : multiplierFor(layout.multIds?.[i], mults);
    const elementSize = spec.size / spec.elements;
    for (let e = 0; e < spec.elements; e++) {
      const name = spec.elements > 1 ? `${f.label}[${e}]` : f.label;
      out.push(unit === undefined ? { name, sourceType: f.char } : { name, sourceType: f.char, unit });
      isText.push(false);
      const [mul, div] = asRatio(scale);
      numReads.push({ kind: spec.code, offset: f.offset + e * elementSize, multiply: mul !== 1, divide: div !== 1 });
      numScales.push(mul);
      numDivisors.push(div);
    }
  });
  const timeField = fields[time.index];
  const instField = fields[instanceIndex];
  const signature = out
    .map((m, i) => `${m.name}:${m.sourceType}:${m.unit ?? ''}:${isText[i] ? 'T' : 'N'}`)
    .join(',');
  return {
    // Plans are shared between decodes (record-plan.cache.ts): the schema every sink gets is frozen.
    fields: Object.freeze(out.map((m) => Object.freeze(m))),
    isText,
    reader: compileColumnReader(numReads),
    numScales: Float64Array.from(numScales),
    numDivisors: Float64Array.from(numDivisors),
    textOffsets: Int32Array.from(textOffsets),
    textSizes: Int32Array.from(textSizes),
    timeCode: timeField ? FORMAT_CHARS.get(timeField.char)!.code : -1,
    timeOffset: timeField?.offset ?? 0,
    timeDivisor: time.divisor,
    instanceCode: instField ? FORMAT_CHARS.get(instField.char)!.code : -1,
    instanceOffset: instField?.offset ?? 0,
    signature: `${instanceIndex}|${signatureScales(numScales)}|${signature}`,
  };
}

/**
 * Dividing by 100 is correctly rounded where multiplying by 0.01 is not (-12345 × 0.01 ≠ -123.45),
 * so factors whose reciprocal is an integer (1e-2, 1e-7, …) are applied as divisors.
 */
function asRatio(scale: number): [number, number] {
  if (scale >= 1) return [scale, 1];
  const inv = Math.round(1 / scale);
  return Math.abs(inv * scale - 1) < 1e-12 ? [1, inv] : [scale, 1];
}

function signatureScales(scales: readonly number[]): string {
  return scales.join(';');
}

/** Offset of a labelled field, or -1; used by the PARM/MSG/FMTU/UNIT/MULT handlers. */
export function fieldOffset(layout: RecordLayout, label: string, chars?: string): number {
  const f = layout.fields?.find((x) => x.label === label && (chars === undefined || chars.includes(x.char)));
  return f ? f.offset : -1;
}
