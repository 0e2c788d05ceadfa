/**
 * Lenient text decoding for ULog strings. Logs are written by firmware and may hold any bytes: invalid
 * UTF-8 becomes U+FFFD instead of throwing, and C strings stop at their first NUL.
 */

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Decodes `bytes[start, end)` as UTF-8, stopping at the first NUL. Pure ASCII takes a fast path. */
export function decodeCString(bytes: Uint8Array, start: number, end: number): string {
  let stop = start;
  let ascii = true;
  while (stop < end) {
    const b = bytes[stop]!;
    if (b === 0) break;
    if (b >= 0x80) ascii = false;
    stop++;
  }
  if (stop === start) return '';
  if (ascii && stop - start <= 64) {
    // One flat string (appending char by char builds a rope that every later use has to flatten).
    return String.fromCharCode.apply(null, bytes.subarray(start, stop) as unknown as number[]);
  }
  return utf8.decode(bytes.subarray(start, stop));
}

/** Decodes `bytes[start, end)` as UTF-8 text, dropping trailing NULs (log text is not NUL-terminated). */
export function decodeText(bytes: Uint8Array, start: number, end: number): string {
  let stop = end;
  while (stop > start && bytes[stop - 1] === 0) stop--;
  return utf8.decode(bytes.subarray(start, stop));
}
