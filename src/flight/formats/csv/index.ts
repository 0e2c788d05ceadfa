import { collectDecodedLog } from '../collect.js';
import type { DecodedLog } from '../decoded-log.js';
import { createCsvDecoder } from './csv-decoder.js';
import type { CsvMapping } from './csv-mapping.js';

export { createCsvDecoder, parseNumericCell } from './csv-decoder.js';
export { findTimeColumn, parseHeaderCell, detectDelimiter, splitRecord, TIME_NAMES } from './csv-mapping.js';
export type { CsvMapping, TimeUnit } from './csv-mapping.js';

/** Decodes a whole CSV file held in memory. */
export function decodeCsv(bytes: Uint8Array, mapping: CsvMapping = {}): DecodedLog {
  return collectDecodedLog((sink) => createCsvDecoder(sink, mapping), bytes);
}
