/**
 * ArduPilot DataFlash (.BIN) decoder: streaming, columnar, tolerant of truncation, flash padding and
 * corrupt regions. See `dataflash-stream.decoder.ts` for framing and damage rules and
 * `record-layout.compiler.ts` for scaling, units, time and instance rules.
 */
import { collectDecodedLog } from '../collect.js';
import type { DecodedLog, LogSink, StreamDecoder } from '../decoded-log.js';
import { DataflashStreamDecoder } from './dataflash-stream.decoder.js';

/**
 * Creates a decoder that emits to `sink` as bytes are pushed. It retains only the unconsumed tail of
 * the last chunk, so a log of any size decodes in memory bounded by the sink.
 */
export function createDataflashDecoder(sink: LogSink): StreamDecoder {
  return new DataflashStreamDecoder(sink);
}

/** Decodes a whole in-memory log. Throws only {@link FlightDecodeError} (bad magic, < 3 bytes). */
export function decodeDataflash(bytes: Uint8Array): DecodedLog {
  return collectDecodedLog(createDataflashDecoder, bytes);
}
