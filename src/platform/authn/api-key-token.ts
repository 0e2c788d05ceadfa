import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API key tokens look like `sg_<publicId>_<secret><checksum>`:
 * - publicId: 12 lowercase base32 chars, stored in clear, used to find the key (and shown in lists);
 * - secret: 40 base62 chars (~238 bits), never stored — only HMAC-SHA256(pepper, secret) is;
 * - checksum: 6 base62 chars of a CRC-32 over everything before it, so typos and truncated
 *   copies are rejected without a database round trip, and secret scanners can recognise our keys.
 */
const PREFIX = 'sg_';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PUBLIC_LEN = 12;
const SECRET_LEN = 40;
const CHECK_LEN = 6;
const TOKEN = new RegExp(`^${PREFIX}([${BASE32}]{${PUBLIC_LEN}})_([0-9A-Za-z]{${SECRET_LEN}})([0-9A-Za-z]{${CHECK_LEN}})$`);

function randomChars(alphabet: string, n: number): string {
  // Rejection sampling keeps every character uniform (no modulo bias).
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b < limit && out.length < n) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

function crc32(text: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < text.length; i++) c = CRC_TABLE[(c ^ text.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function checksum(body: string): string {
  let n = crc32(body);
  let out = '';
  for (let i = 0; i < CHECK_LEN; i++) {
    out = BASE62[n % 62]! + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export interface GeneratedKey {
  readonly token: string;
  readonly publicId: string;
  readonly secret: string;
}

export function generateApiKeyToken(): GeneratedKey {
  const publicId = randomChars(BASE32, PUBLIC_LEN);
  const secret = randomChars(BASE62, SECRET_LEN);
  const body = `${PREFIX}${publicId}_${secret}`;
  return { token: body + checksum(body), publicId, secret };
}

/** Splits a presented token; null when it is not one of ours or its checksum is wrong. */
export function parseApiKeyToken(token: string): { publicId: string; secret: string } | null {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const [, publicId, secret, check] = m as unknown as [string, string, string, string];
  if (checksum(`${PREFIX}${publicId}_${secret}`) !== check) return null;
  return { publicId, secret };
}

export const hmacSecret = (pepper: string, secret: string): Buffer => createHmac('sha256', pepper).update(secret).digest();

export const secretMatches = (pepper: string, secret: string, stored: Buffer): boolean => {
  const computed = hmacSecret(pepper, secret);
  return computed.length === stored.length && timingSafeEqual(computed, stored);
};
