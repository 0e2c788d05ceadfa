/**
 * Decodes DataFlash `char[N]` fields (n, N, Z). Fields are NUL-padded; anything after the first NUL
 * is ignored. ASCII text (the common case) is interned (see `ascii-text.intern.ts`: a PARM name per
 * parameter, MSG texts, unit names recur in every log of a firmware); other bytes go through a
 * non-fatal UTF-8 decoder, so invalid sequences become U+FFFD and decoding never throws.
 */
import { FNV_OFFSET, fnvStep, internAscii } from '../common/ascii-text.intern.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function decodeTextField(bytes: Uint8Array, start: number, size: number): string {
  let end = start;
  const limit = Math.min(start + size, bytes.length);
  let ascii = true;
  let hash = FNV_OFFSET;
  while (end < limit) {
    const b = bytes[end]!;
    if (b === 0) break;
    if (b >= 0x80) ascii = false;
    hash = fnvStep(hash, b);
    end++;
  }
  if (end === start) return '';
  return ascii ? internAscii(bytes, start, end, hash) : utf8.decode(bytes.subarray(start, end));
}
