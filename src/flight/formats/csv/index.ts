import { collectDecodedLog } from '../collect.js';
import type { DecodedLog } from '../decoded-log.js';
import { createCsvDecoder } from './csv-stream.decoder.js';
import type { CsvMapping } from './csv-column.mapping.js';

export { createCsvDecoder, parseNumericCell } from './csv-stream.decoder.js';
export { findTimeColumn, parseHeaderCell, detectDelimiter, splitRecord, TIME_NAMES } from './csv-column.mapping.js';
export type { CsvMapping, TimeUnit } from './csv-column.mapping.js';

/** Decodes a whole CSV file held in memory. */
export function decodeCsv(bytes: Uint8Array, mapping: CsvMapping = {}): DecodedLog {
  return collectDecodedLog((sink) => createCsvDecoder(sink, mapping), bytes);
}
