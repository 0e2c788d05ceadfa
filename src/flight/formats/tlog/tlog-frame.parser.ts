/**
 * One tlog record: an 8-byte big-endian uint64 UNIX time in microseconds, then one MAVLink frame.
 *
 * v1 frame: 0xFE len seq sysid compid msgid payload[len] crc16
 * v2 frame: 0xFD len incompat compat seq sysid compid msgid[3, LE] payload[len] crc16 [signature 13]
 *
 * The CRC covers everything after the magic byte up to the payload end, then the message's
 * CRC_EXTRA, so a frame can only be verified for messages we know.
 */
import { CRC_INIT, crc16Byte, crc16Update } from './mavlink-crc.checksum.js';
import { MAVLINK_MESSAGES, type MessageDef } from './mavlink-dialect.js';

export const MAGIC_V1 = 0xfe;
export const MAGIC_V2 = 0xfd;
export const TIMESTAMP_BYTES = 8;
export const SIGNATURE_BYTES = 13;
/** The only incompatibility flag MAVLink defines: the frame carries a signature. */
export const INCOMPAT_SIGNED = 0x01;

export const enum FrameStatus {
  /** A known message whose CRC matches. */
  Ok,
  /** The buffer ends before the record does. */
  NeedMore,
  /** No MAVLink magic after the timestamp. */
  BadMagic,
  /** A known message whose CRC does not match. */
  BadCrc,
  /** Structurally a frame, but the message id is not in our dialects: cannot be verified. */
  Unknown,
  /** A v2 frame with incompatibility flags we do not understand: must be dropped (MAVLink spec). */
  BadFlags,
}

/** Filled by {@link readRecord}; reused across calls so the hot loop allocates nothing. */
export interface RecordView {
  recordLength: number;
  version: 1 | 2;
  msgid: number;
  sysid: number;
  compid: number;
  payloadStart: number;
  payloadLength: number;
  def: MessageDef | undefined;
}

export function newRecordView(): RecordView {
  return {
    recordLength: 0,
    version: 1,
    msgid: 0,
    sysid: 0,
    compid: 0,
    payloadStart: 0,
    payloadLength: 0,
    def: undefined,
  };
}

/** Reads the record starting at `p` in `buf[0, end)`. */
export function readRecord(buf: Uint8Array, p: number, end: number, out: RecordView): FrameStatus {
  const m = p + TIMESTAMP_BYTES;
  if (m >= end) return FrameStatus.NeedMore;
  const magic = buf[m]!;
  let headerEnd: number;
  let signed = false;
  if (magic === MAGIC_V1) {
    headerEnd = m + 6;
    if (headerEnd > end) return FrameStatus.NeedMore;
    out.version = 1;
    out.sysid = buf[m + 3]!;
    out.compid = buf[m + 4]!;
    out.msgid = buf[m + 5]!;
  } else if (magic === MAGIC_V2) {
    headerEnd = m + 10;
    if (headerEnd > end) return FrameStatus.NeedMore;
    const incompat = buf[m + 2]!;
    if ((incompat & ~INCOMPAT_SIGNED) !== 0) {
      out.recordLength = 0;
      return FrameStatus.BadFlags;
    }
    signed = incompat !== 0;
    out.version = 2;
    out.sysid = buf[m + 5]!;
    out.compid = buf[m + 6]!;
    out.msgid = buf[m + 7]! | (buf[m + 8]! << 8) | (buf[m + 9]! << 16);
  } else {
    return FrameStatus.BadMagic;
  }
  const len = buf[m + 1]!;
  const crcAt = headerEnd + len;
  const recordEnd = crcAt + 2 + (signed ? SIGNATURE_BYTES : 0);
  if (recordEnd > end) return FrameStatus.NeedMore;
  out.recordLength = recordEnd - p;
  out.payloadStart = headerEnd;
  out.payloadLength = len;
  const def = MAVLINK_MESSAGES.get(out.msgid);
  out.def = def;
  if (def === undefined) return FrameStatus.Unknown;
  const crc = crc16Byte(crc16Update(CRC_INIT, buf, m + 1, crcAt), def.crcExtra);
  return crc === (buf[crcAt]! | (buf[crcAt + 1]! << 8)) ? FrameStatus.Ok : FrameStatus.BadCrc;
}

/** The record's timestamp in seconds (µs / 1e6; exact for any realistic date). */
export function recordTimeSeconds(buf: Uint8Array, p: number): number {
  const hi = ((buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0;
  const lo = ((buf[p + 4]! << 24) | (buf[p + 5]! << 16) | (buf[p + 6]! << 8) | buf[p + 7]!) >>> 0;
  return (hi * 4294967296 + lo) / 1e6;
}
