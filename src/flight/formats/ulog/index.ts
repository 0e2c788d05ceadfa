/**
 * PX4 ULog decoder: streaming, columnar, bounded-memory. See `ulog-stream.decoder.ts` for the framing
 * and recovery rules and `ulog-format.compiler.ts` for how fields become columns.
 */
import { collectDecodedLog } from '../collect.js';
import type { DecodedLog, LogSink, StreamDecoder } from '../decoded-log.js';
import { UlogStreamDecoder } from './ulog-stream.decoder.js';

/** A ULog decoder that emits to `sink`; feed it chunks split anywhere, then call `end()`. */
export function createUlogDecoder(sink: LogSink): StreamDecoder {
  return new UlogStreamDecoder(sink);
}

/** Decodes a whole ULog file held in memory. Throws only {@link FlightDecodeError}, and only when nothing is decodable. */
export function decodeUlog(bytes: Uint8Array): DecodedLog {
  return collectDecodedLog(createUlogDecoder, bytes);
}
