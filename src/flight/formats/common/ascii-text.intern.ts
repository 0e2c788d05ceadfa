/**
 * Interned ASCII strings for the binary decoders' text fields (DataFlash PARM names, MSG texts and
 * unit names; ULog format definitions, topic names, text columns). The same strings recur in every
 * log of a firmware, and building each one again — and hashing it again for the decoders' own caches,
 * which are keyed by these strings — was a visible part of decoding a small log. A lookup compares the
 * bytes with the stored string, so a hit allocates nothing; V8 keeps a string's hash in the string, so
 * looking up an interned string in a Map is cheap too.
 *
 * Callers scan their field (stopping at NUL, checking for non-ASCII bytes) and fold each byte into
 * {@link FNV_OFFSET} with {@link fnvStep} on the way, so the hash costs no second pass.
 */

export const FNV_OFFSET = 0x811c9dc5;

/** One FNV-1a step: the hash of the bytes so far followed by `byte`. */
export function fnvStep(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, 0x01000193);
}

/** Bounds: entries and characters (a ULog definition may be 64 KiB); the table is cleared when full. */
const MAX_ENTRIES = 16 * 1024;
const MAX_CHARS = 4 * 1024 * 1024;
/** By hash of the bytes, masked to a small integer (Smi) so lookups box nothing; a colliding text replaces the entry. */
const interned = new Map<number, string>();
let internedChars = 0;

/**
 * The string of `bytes[start, end)`, which the caller has checked to be ASCII and non-empty, and whose
 * FNV-1a hash (see {@link fnvStep}) is `hash`.
 */
export function internAscii(bytes: Uint8Array, start: number, end: number, hash: number): string {
  const key = hash & 0x3fffffff;
  const known = interned.get(key);
  if (known !== undefined && sameText(known, bytes, start, end)) return known;
  const text = asciiString(bytes, start, end);
  if (interned.size >= MAX_ENTRIES || internedChars + text.length > MAX_CHARS) {
    interned.clear();
    internedChars = 0;
  }
  if (known !== undefined) internedChars -= known.length;
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
