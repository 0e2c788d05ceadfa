/**
 * Decodes DataFlash `char[N]` fields (n, N, Z). Fields are NUL-padded; anything after the first NUL
 * is ignored. Pure-ASCII text (the common case) is built directly; other bytes go through a
 * non-fatal UTF-8 decoder, so invalid sequences become U+FFFD and decoding never throws.
 */
const utf8 = new TextDecoder('utf-8', { fatal: false });

export function decodeTextField(bytes: Uint8Array, start: number, size: number): string {
  let end = start;
  const limit = Math.min(start + size, bytes.length);
  let ascii = true;
  while (end < limit) {
    const b = bytes[end]!;
    if (b === 0) break;
    if (b >= 0x80) ascii = false;
    end++;
  }
  if (end === start) return '';
  if (!ascii) return utf8.decode(bytes.subarray(start, end));
  // ASCII: short strings (≤ 64 chars) build faster in a loop than through TextDecoder or apply().
  let out = '';
  for (let i = start; i < end; i++) out += String.fromCharCode(bytes[i]!);
  return out;
}
