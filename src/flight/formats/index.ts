/**
 * The flight-log format registry: one decoder factory per format, and `decodeFlightLog`, which
 * detects the format from the bytes and decodes. Import decoders from here, not from their folders.
 */
import { collectDecodedLog } from './collect.js';
import { createCsvDecoder } from './csv/index.js';
import { createDataflashDecoder } from './dataflash/index.js';
import {
  FlightDecodeError,
  type DecodedLog,
  type LogFormat,
  type LogSink,
  type StreamDecoder,
} from './decoded-log.js';
import { detectFormat } from './detect-format.js';
import { createTlogDecoder } from './tlog/index.js';
import { createUlogDecoder } from './ulog/index.js';

export type DecoderFactory = (sink: LogSink) => StreamDecoder;

const FACTORIES: Readonly<Record<LogFormat, DecoderFactory>> = {
  ulog: createUlogDecoder,
  dataflash: createDataflashDecoder,
  tlog: createTlogDecoder,
  csv: (sink) => createCsvDecoder(sink),
};

/** The streaming decoder factory for a format (CSV with automatic column mapping). */
export function decoderFor(format: LogFormat): DecoderFactory {
  return FACTORIES[format];
}

/**
 * Detects the format from the bytes and decodes the whole log in memory. Throws only
 * {@link FlightDecodeError}: `UNSUPPORTED_FORMAT` when no format matches, or the decoder's own error.
 */
export function decodeFlightLog(bytes: Uint8Array): DecodedLog {
  const detected = detectFormat(bytes);
  if (detected instanceof FlightDecodeError) throw detected;
  return collectDecodedLog(decoderFor(detected.format), bytes);
}

export { detectFormat, DETECT_HEAD_BYTES, type FormatDetection } from './detect-format.js';
export { collectDecodedLog, CollectingSink } from './collect.js';
export * from './decoded-log.js';
export { decodeCsv, type CsvMapping } from './csv/index.js';
export { decodeTlog } from './tlog/index.js';
export { decodeUlog } from './ulog/index.js';
export { decodeDataflash } from './dataflash/index.js';
