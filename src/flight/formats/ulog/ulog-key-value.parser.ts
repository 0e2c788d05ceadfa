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

/** What a key (`float MC_ROLL_P`, `char[40] ver_sw`, `int32_t[4] x`) says about its value. */
interface ParsedKey {
  readonly name: string;
  /** The primitive type (`float`), reported for scalars. */
  readonly type: string;
  /** The declared type (`char[40]`, `int32_t[4]`), reported for text and arrays. */
  readonly declared: string;
  readonly kind: number;
  readonly size: number;
  readonly isArray: boolean;
}

/**
 * Parsed keys by their text. A log holds a key per parameter (about a thousand in PX4 logs, the same
 * ones in every log of a firmware), and splitting each key string was a large part of decoding a
 * small log. Key texts are interned by {@link decodeCString}, so a known key allocates nothing and its
 * Map lookup reuses the hash V8 keeps in the string. `null`: a key that does not parse. Cleared when full.
 */
const MAX_CACHED_KEYS = 16 * 1024;
const keyCache = new Map<string, ParsedKey | null>();

function parseKey(bytes: Uint8Array, start: number, end: number): ParsedKey | undefined {
  const text = decodeCString(bytes, start, end);
  let key = keyCache.get(text);
  if (key === undefined) {
    key = parseKeyText(text.trim()) ?? null;
    if (keyCache.size >= MAX_CACHED_KEYS) keyCache.clear();
    keyCache.set(text, key);
  }
  return key ?? undefined;
}

function parseKeyText(key: string): ParsedKey | undefined {
  const space = key.lastIndexOf(' ');
  if (space <= 0) return undefined;
  const name = key.slice(space + 1);
  const declared = key.slice(0, space);
  let type = declared.trim();
  const bracket = type.indexOf('[');
  const isArray = bracket >= 0;
  if (isArray) type = type.slice(0, bracket).trim();
  const prim = PRIMITIVES.get(type);
  if (!prim || name === '') return undefined;
  return { name, type, declared, kind: prim.kind, size: prim.size, isArray };
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
  const key = parseKey(bytes, keyStart, valueStart);
  if (key === undefined) return undefined;
  const { name, type } = key;
  if (key.kind === NumericKind.TEXT) return { name, type: key.declared, value: decodeText(bytes, valueStart, end) };
  const count = Math.floor((end - valueStart) / key.size);
  if (count < 1) return undefined;
  if (!key.isArray) return { name, type, value: readNumericField(view, valueStart, key.kind) };
  const parts: number[] = [];
  for (let i = 0; i < count; i++) parts.push(readNumericField(view, valueStart + i * key.size, key.kind));
  return { name, type: key.declared, value: parts.join(',') };
}
