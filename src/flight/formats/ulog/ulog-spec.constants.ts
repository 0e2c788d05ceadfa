/**
 * Constants of the PX4 ULog file format (docs.px4.io "ULog File Format") and the decoder's own safety limits.
 *
 * The limits exist so a hostile or damaged file cannot make the decoder allocate without bound, recurse
 * without bound or loop forever: every one of them is far above anything PX4 writes.
 */

/** `ULog` followed by 0x01 0x12 0x35; byte 7 is the file version, bytes 8..15 the start time (µs). */
export const ULOG_MAGIC: readonly number[] = [0x55, 0x4c, 0x6f, 0x67, 0x01, 0x12, 0x35];
export const FILE_HEADER_SIZE = 16;
/** Every message starts with uint16 msg_size (payload bytes, header excluded) and uint8 msg_type. */
export const MSG_HEADER_SIZE = 3;
export const MAX_PAYLOAD = 0xffff;
/** Payload of the 'S' sync message; used to find the next message boundary after corruption. */
export const SYNC_MAGIC: readonly number[] = [0x2f, 0x73, 0x13, 0x20, 0x25, 0x0c, 0xbb, 0x12];

export const MSG = {
  FLAG_BITS: 0x42, // 'B'
  FORMAT: 0x46, // 'F'
  INFO: 0x49, // 'I'
  INFO_MULTI: 0x4d, // 'M'
  PARAMETER: 0x50, // 'P'
  PARAMETER_DEFAULT: 0x51, // 'Q'
  ADD_SUBSCRIPTION: 0x41, // 'A'
  REMOVE_SUBSCRIPTION: 0x52, // 'R'
  DATA: 0x44, // 'D'
  LOGGING: 0x4c, // 'L'
  LOGGING_TAGGED: 0x43, // 'C'
  SYNC: 0x53, // 'S'
  DROPOUT: 0x4f, // 'O'
} as const;

/** incompat_flags[0] bit 0: data was appended after the regular log end (e.g. a hard-fault dump). */
export const INCOMPAT_DATA_APPENDED = 0x01;
/** Size of the known part of the 'B' payload: compat[8], incompat[8], appended_offsets uint64[3]. */
export const FLAG_BITS_SIZE = 40;

/** Deepest nesting of format types accepted; PX4 uses at most 3. Also stops recursive definitions. */
export const MAX_NESTING_DEPTH = 32;
/** A decoded row is built from at most one payload, so no format can be larger than a payload. */
export const MAX_FORMAT_SIZE = MAX_PAYLOAD;
/** Upper bound on bytes kept for format definitions and multi-info values together. */
export const MAX_DEFINITION_BYTES = 32 * 1024 * 1024;
/** Rows buffered per series before a batch is emitted. */
export const BATCH_ROWS = 4096;
/** Buffered cells (rows × columns, all series) above which every series is flushed early. */
export const MAX_BUFFERED_CELLS = 8 * 1024 * 1024;
/**
 * The parser never leaves more than this many unconsumed bytes when more input may come: one largest
 * message plus the next header (checked before a variable-size message is trusted).
 */
export const MAX_TAIL = MSG_HEADER_SIZE + MAX_PAYLOAD + MSG_HEADER_SIZE + 8;
