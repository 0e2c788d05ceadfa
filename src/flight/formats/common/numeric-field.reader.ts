/**
 * Little-endian numeric field reading shared by the binary decoders (ULog, DataFlash, tlog): one
 * numbering of element kinds and one reader that turns the bytes of a field into a float64.
 *
 * 64-bit integers are read as two 32-bit halves and lose precision beyond 2^53, as the contract in
 * `decoded-log.ts` allows. Kinds that are not numbers ({@link NumericKind.TEXT}) read as NaN.
 */

/**
 * Element kinds. The values are part of the hot paths: compiled record plans store them in typed
 * arrays, and {@link readNumericField} and the ULog series writer switch on the literal values.
 */
export const NumericKind = {
  U8: 0,
  I8: 1,
  U16: 2,
  I16: 3,
  U32: 4,
  I32: 5,
  U64: 6,
  I64: 7,
  F32: 8,
  F64: 9,
  /** Text bytes (`char[N]`): not a number; decoded by the format's own text codec. */
  TEXT: 10,
  /** One byte; any non-zero value reads as 1 (PX4 logs sometimes hold uninitialised bools like 0x41). */
  BOOL: 11,
} as const;
export type NumericKind = (typeof NumericKind)[keyof typeof NumericKind];

/** Bytes one element of each kind occupies (TEXT: one character). */
export const NUMERIC_KIND_SIZE: Readonly<Record<NumericKind, number>> = {
  [NumericKind.U8]: 1,
  [NumericKind.I8]: 1,
  [NumericKind.U16]: 2,
  [NumericKind.I16]: 2,
  [NumericKind.U32]: 4,
  [NumericKind.I32]: 4,
  [NumericKind.U64]: 8,
  [NumericKind.I64]: 8,
  [NumericKind.F32]: 4,
  [NumericKind.F64]: 8,
  [NumericKind.TEXT]: 1,
  [NumericKind.BOOL]: 1,
};

export const TWO_POW_32 = 4294967296;

/**
 * Reads the element of `kind` at byte `at` of `view` (little-endian); NaN for TEXT or an unknown kind.
 * The caller has checked the bounds. Cases are numeric literals (the {@link NumericKind} values) so
 * the switch compiles to a jump table without loading the constants object.
 */
export function readNumericField(view: DataView, at: number, kind: number): number {
  switch (kind) {
    case 0: // U8
      return view.getUint8(at);
    case 1: // I8
      return view.getInt8(at);
    case 2: // U16
      return view.getUint16(at, true);
    case 3: // I16
      return view.getInt16(at, true);
    case 4: // U32
      return view.getUint32(at, true);
    case 5: // I32
      return view.getInt32(at, true);
    case 6: // U64
      return view.getUint32(at, true) + view.getUint32(at + 4, true) * TWO_POW_32;
    case 7: // I64
      return view.getUint32(at, true) + view.getInt32(at + 4, true) * TWO_POW_32;
    case 8: // F32
      return view.getFloat32(at, true);
    case 9: // F64
      return view.getFloat64(at, true);
    case 11: // BOOL
      return view.getUint8(at) === 0 ? 0 : 1;
    default: // TEXT, unknown
      return NaN;
  }
}
