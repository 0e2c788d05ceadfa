/**
 * CRC-16/MCRF4XX (the "X.25" checksum MAVLink uses): poly 0x1021 reflected (0x8408), init 0xFFFF,
 * no final xor. Table-driven so a tlog decodes at memory speed; `crc16Bitwise` is the slow
 * textbook form kept only to cross-check the table in tests.
 */
const TABLE = buildTable();

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
    table[i] = crc;
  }
  return table;
}

export const CRC_INIT = 0xffff;

/** Continues `crc` over `bytes[start, end)`. */
export function crc16Update(crc: number, bytes: Uint8Array, start: number, end: number): number {
  let c = crc;
  for (let i = start; i < end; i++) c = (c >>> 8) ^ TABLE[(c ^ bytes[i]!) & 0xff]!;
  return c;
}

/** Continues `crc` over one byte (the message's CRC_EXTRA at the end of a frame). */
export function crc16Byte(crc: number, byte: number): number {
  return (crc >>> 8) ^ TABLE[(crc ^ byte) & 0xff]!;
}

/** Bit-by-bit reference implementation (MAVLink's `crc_accumulate`), for tests. */
export function crc16Bitwise(bytes: Iterable<number>, init = CRC_INIT): number {
  let crc = init;
  for (const b of bytes) {
    let tmp = (b ^ (crc & 0xff)) & 0xff;
    tmp = (tmp ^ (tmp << 4)) & 0xff;
    crc = ((crc >>> 8) ^ (tmp << 8) ^ (tmp << 3) ^ (tmp >>> 4)) & 0xffff;
  }
  return crc;
}
