/**
 * Lenient text decoding for ULog strings. Logs are written by firmware and may hold any bytes: invalid
 * UTF-8 becomes U+FFFD instead of throwing, and C strings stop at their first NUL.
 */
import { decodeNulTerminated } from '../common/ascii-text.intern.js';

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * Decodes `bytes[start, end)` as UTF-8, stopping at the first NUL. ASCII is interned (see
 * `ascii-text.intern.ts`: format definitions and topic names recur in every log of a firmware).
 */
export function decodeCString(bytes: Uint8Array, start: number, end: number): string {
  return decodeNulTerminated(bytes, start, end, utf8);
}

/** Decodes `bytes[start, end)` as UTF-8 text, dropping trailing NULs (log text is not NUL-terminated). */
export function decodeText(bytes: Uint8Array, start: number, end: number): string {
  let stop = end;
  while (stop > start && bytes[stop - 1] === 0) stop--;
  return utf8.decode(bytes.subarray(start, stop));
}
