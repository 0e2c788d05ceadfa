/**
 * Decodes the typed key/value payloads shared by info ('I'), multi-info ('M'), parameter ('P') and
 * default-parameter ('Q') messages: a key such as `char[40] ver_sw` or `float MC_ROLL_P`, then the value
 * bytes in that type. Anything malformed yields undefined so the caller can warn and move on.
 */
import { NumericKind, readNumericField } from '../common/numeric-field.reader.js';
import { PRIMITIVES } from './ulog-format.compiler.js';
import { decodeCString, decodeText } from './ulog-text.decoder.js';

export interface KeyValue {
  readonly name: string;
  readonly type: string;
  readonly value: string | number;
}

/**
 * Reads `key_len` at `keyLenAt`, then the key and the value up to `end`.
 * Scalars of numeric type become numbers; char arrays strings; numeric arrays a comma-joined string.
 */
export function parseKeyValue(bytes: Uint8Array, view: DataView, keyLenAt: number, end: number): KeyValue | undefined {
  if (keyLenAt >= end) return undefined;
  const keyLen = bytes[keyLenAt]!;
  const keyStart = keyLenAt + 1;
  const valueStart = keyStart + keyLen;
  if (keyLen === 0 || valueStart > end) return undefined;
  const key = decodeCString(bytes, keyStart, valueStart).trim();
  const space = key.lastIndexOf(' ');
  if (space <= 0) return undefined;
  const name = key.slice(space + 1);
  let type = key.slice(0, space).trim();
  const bracket = type.indexOf('[');
  const isArray = bracket >= 0;
  if (isArray) type = type.slice(0, bracket).trim();
  const prim = PRIMITIVES.get(type);
  if (!prim || name === '') return undefined;
  if (prim.kind === NumericKind.TEXT) return { name, type: key.slice(0, space), value: decodeText(bytes, valueStart, end) };
  const count = Math.floor((end - valueStart) / prim.size);
  if (count < 1) return undefined;
  if (!isArray) return { name, type, value: readNumericField(view, valueStart, prim.kind) };
  const parts: number[] = [];
  for (let i = 0; i < count; i++) parts.push(readNumericField(view, valueStart + i * prim.size, prim.kind));
  return { name, type: key.slice(0, space), value: parts.join(',') };
}
