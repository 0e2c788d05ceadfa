/**
 * NUL-terminated text fields for the binary decoders (DataFlash PARM names, MSG texts and unit names;
 * ULog format definitions, topic names, parameter keys, text columns), with ASCII text interned. The
 * same strings recur in every log of a firmware, and building each one again — and hashing it again
 * for the decoders' own caches, which are keyed by these strings — was per-decode work and garbage. A
 * lookup compares the bytes with the stored string, so a hit allocates nothing; V8 keeps a string's
 * hash in the string, so looking an interned string up in a Map is cheap too.
 */

/** Bytes hashed per text: the rest only has to match on a hit (format definitions run to kilobytes). */
const HASHED_BYTES = 64;
/** Bounds: entries and characters (a ULog definition may be 64 KiB); the table is cleared when full. */
const MAX_ENTRIES = 16 * 1024;
const MAX_CHARS = 4 * 1024 * 1024;
/**
 * By FNV-1a hash of the first {@link HASHED_BYTES} bytes and the length, masked to a small integer
 * (Smi) so lookups box nothing. A colliding text replaces the entry.
 */
const interned = new Map<number, string>();
let internedChars = 0;

/**
 * The text of `bytes[start, limit)` up to its first NUL: interned when ASCII, else decoded by
 * `fallback` (a non-fatal UTF-8 decoder: invalid bytes become U+FFFD).
 */
export function decodeNulTerminated(bytes: Uint8Array, start: number, limit: number, fallback: { decode(input: Uint8Array): string }): string {
  let end = start;
  let high = 0;
  let hash = 0x811c9dc5;
  const hashed = Math.min(limit, start + HASHED_BYTES);
  for (; end < hashed; end++) {
    const b = bytes[end]!;
    if (b === 0) break;
    high |= b;
    hash = Math.imul(hash ^ b, 0x01000193);
  }
  if (end === hashed) {
    for (; end < limit; end++) {
      const b = bytes[end]!;
      if (b === 0) break;
      high |= b;
    }
  }
  if (end === start) return '';
  if (high >= 0x80) return fallback.decode(bytes.subarray(start, end));
  const key = Math.imul(hash ^ (end - start), 0x01000193) & 0x3fffffff;
  const known = interned.get(key);
  if (known !== undefined && sameText(known, bytes, start, end)) return known;
  const text = asciiString(bytes, start, end);
  if (interned.size >= MAX_ENTRIES || internedChars + text.length > MAX_CHARS) {
    interned.clear();
    internedChars = 0;
  } else if (known !== undefined) {
    internedChars -= known.length;
  }
  interned.set(key, text);
  internedChars += text.length;
  return text;
}

/** Whether the ASCII string `text` is exactly `bytes[start, end)`. */
function sameText(text: string, bytes: Uint8Array, start: number, end: number): boolean {
  if (text.length !== end - start) return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== bytes[start + i]) return false;
  return true;
}

/** A flat string (not a rope of appended characters), built in slices that stay within argument limits. */
function asciiString(bytes: Uint8Array, start: number, end: number): string {
  const SLICE = 4096;
  let text = '';
  for (let from = start; from < end; from += SLICE) {
    text += String.fromCharCode.apply(null, bytes.subarray(from, Math.min(end, from + SLICE)) as unknown as number[]);
  }
  return text;
}
