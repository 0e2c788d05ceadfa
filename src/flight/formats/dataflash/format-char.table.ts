/**
 * The DataFlash format characters as ArduPilot's `AP_Logger/LogStructure.h` defines them, and the
 * built-in unit and multiplier tables a log normally repeats in its UNIT and MULT messages.
 *
 * Every field is little-endian and packed (no alignment). Scaled characters (`c C e E L`) store an
 * integer that is multiplied on decode (centi-units, 1e-7 degrees), so their columns carry the real
 * value. `a` is `int16_t[32]` and is flattened to 32 columns by the layout compiler.
 */
import { NumericKind } from '../common/numeric-field.reader.js';

/** How a field's bytes are read: the shared {@link NumericKind} values, under DataFlash's names. */
export const ReadCode = {
  Int8: NumericKind.I8,
  Uint8: NumericKind.U8,
  Int16: NumericKind.I16,
  Uint16: NumericKind.U16,
  Int32: NumericKind.I32,
  Uint32: NumericKind.U32,
  Float32: NumericKind.F32,
  Float64: NumericKind.F64,
  Int64: NumericKind.I64,
  Uint64: NumericKind.U64,
  Text: NumericKind.TEXT,
} as const;
export type ReadCode = (typeof ReadCode)[keyof typeof ReadCode];

export interface FormatChar {
  /** Bytes the field occupies in the record. */
  readonly size: number;
  /** Reader for one element (for `a`, each of its 32 int16 elements). */
  readonly code: ReadCode;
  /** Multiplier implied by the character itself (1 when none). */
  readonly implicitScale: number;
  /** Number of flattened elements (32 for `a`, otherwise 1). */
  readonly elements: number;
  /** C type for {@link FieldMeta.sourceType}-style documentation. */
  readonly cType: string;
}

const fc = (size: number, code: ReadCode, cType: string, implicitScale = 1, elements = 1): FormatChar => ({
  size,
  code,
  implicitScale,
  elements,
  cType,
});

/** All format characters ArduPilot documents (LogStructure.h, identical from 3.x to 4.x). */
export const FORMAT_CHARS: ReadonlyMap<string, FormatChar> = new Map([
  ['a', fc(64, ReadCode.Int16, 'int16_t[32]', 1, 32)],
  ['b', fc(1, ReadCode.Int8, 'int8_t')],
  ['B', fc(1, ReadCode.Uint8, 'uint8_t')],
  ['h', fc(2, ReadCode.Int16, 'int16_t')],
  ['H', fc(2, ReadCode.Uint16, 'uint16_t')],
  ['i', fc(4, ReadCode.Int32, 'int32_t')],
  ['I', fc(4, ReadCode.Uint32, 'uint32_t')],
  ['f', fc(4, ReadCode.Float32, 'float')],
  ['d', fc(8, ReadCode.Float64, 'double')],
  ['n', fc(4, ReadCode.Text, 'char[4]')],
  ['N', fc(16, ReadCode.Text, 'char[16]')],
  ['Z', fc(64, ReadCode.Text, 'char[64]')],
  ['c', fc(2, ReadCode.Int16, 'int16_t*100', 0.01)],
  ['C', fc(2, ReadCode.Uint16, 'uint16_t*100', 0.01)],
  ['e', fc(4, ReadCode.Int32, 'int32_t*100', 0.01)],
  ['E', fc(4, ReadCode.Uint32, 'uint32_t*100', 0.01)],
  ['L', fc(4, ReadCode.Int32, 'int32_t latitude/longitude*1e7', 1e-7)],
  ['M', fc(1, ReadCode.Uint8, 'uint8_t flight mode')],
  ['q', fc(8, ReadCode.Int64, 'int64_t')],
  ['Q', fc(8, ReadCode.Uint64, 'uint64_t')],
]);

/**
 * ArduPilot's unit table (`log_Units`), used only when a log's FMTU names a unit id its own UNIT
 * messages did not define. `-` (none), `?` (unknown) and `#` (instance marker) deliberately map to
 * no unit.
 */
export const DEFAULT_UNITS: ReadonlyMap<string, string> = new Map([
  ['A', 'A'], ['a', 'Ah'], ['d', 'deg'], ['b', 'B'], ['k', 'deg/s'], ['D', 'deglatitude'],
  ['e', 'deg/s/s'], ['E', 'rad/s'], ['G', 'Gauss'], ['h', 'degheading'], ['i', 'A.s'], ['J', 'W.s'],
  ['l', 'l'], ['L', 'rad/s/s'], ['m', 'm'], ['n', 'm/s'], ['o', 'm/s/s'], ['O', 'degC'], ['%', '%'],
  ['S', 'satellites'], ['s', 's'], ['q', 'rpm'], ['r', 'rad'], ['U', 'deglongitude'], ['u', 'ppm'],
  ['v', 'V'], ['P', 'Pa'], ['w', 'Ohm'], ['W', 'Watt'], ['X', 'W.h'], ['y', 'l/s'], ['Y', 'us'], ['z', 'Hz'],
]);

/** ArduPilot's multiplier table (`log_Multipliers`); `-` (0 = none) and `?` (1) mean "do not scale". */
export const DEFAULT_MULTIPLIERS: ReadonlyMap<string, number> = new Map([
  ['2', 1e2], ['1', 1e1], ['0', 1], ['A', 1e-1], ['B', 1e-2], ['C', 1e-3], ['D', 1e-4], ['E', 1e-5],
  ['F', 1e-6], ['G', 1e-7], ['I', 1e-9], ['!', 3.6], ['/', 3600],
]);

/** The unit id FMTU uses to mark a message's instance column. */
export const INSTANCE_UNIT_ID = '#';

/**
 * Loggers store MULT values from `float` constants, so 1e-2 arrives as 0.009999999776…; snapping
 * values that are exactly float32-representable to 7 significant digits gives back the intended
 * decimal and keeps scaled columns free of float32 noise. Exact doubles pass through unchanged.
 */
export function cleanMultiplier(value: number): number {
  if (!Number.isFinite(value)) return value;
  if (Math.fround(value) !== value) return value;
  return Number(value.toPrecision(7));
}
