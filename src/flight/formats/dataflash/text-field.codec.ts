/**
 * Decodes DataFlash `char[N]` fields (n, N, Z). Fields are NUL-padded; anything after the first NUL
 * is ignored. ASCII text (the common case) is interned (see `ascii-text.intern.ts`: a PARM name per
 * parameter, MSG texts, unit names recur in every log of a firmware); other bytes go through a
 * non-fatal UTF-8 decoder, so invalid sequences become U+FFFD and decoding never throws.
 */
import { decodeNulTerminated } from '../common/ascii-text.intern.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function decodeTextField(bytes: Uint8Array, start: number, size: number): string {
  return decodeNulTerminated(bytes, start, Math.min(start + size, bytes.length), utf8);
}
