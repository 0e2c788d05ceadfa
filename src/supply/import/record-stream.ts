import type { ImportFormat, SourceRecord } from './import-types.js';
import { CsvRecordReader } from './csv-record.reader.js';
import { JsonArrayReader, NdjsonReader } from './json-record.reader.js';
import { DEFAULT_READER_LIMITS, type ReaderLimits } from './reader-limits.js';

/** A run of consecutive source records, with the CSV header's columns (null for JSON formats). */
export interface RecordChunk {
  readonly records: SourceRecord[];
  readonly columns: readonly string[] | null;
}

/**
 * Decodes a byte stream (UTF-8; invalid sequences become U+FFFD and then fail validation) and
 * yields its records in order, a chunk's worth at a time: memory holds one input chunk and the
 * records cut from it, never the file. Pure: the caller supplies the bytes (a file stream, an
 * HTTP body, a test array).
 */
export async function* readRecords(
  source: AsyncIterable<Uint8Array | string>,
  format: ImportFormat,
  limits: ReaderLimits = DEFAULT_READER_LIMITS,
): AsyncGenerator<RecordChunk> {
  let pending: SourceRecord[] = [];
  const emit = (r: SourceRecord): void => void pending.push(r);
  const reader =
    format === 'csv' ? new CsvRecordReader(limits, emit) : format === 'json' ? new JsonArrayReader(limits, emit) : new NdjsonReader(limits, emit);
  const columns = (): readonly string[] | null => (reader instanceof CsvRecordReader ? reader.columns : null);
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) {
    reader.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (pending.length > 0) {
      yield { records: pending, columns: columns() };
      pending = [];
    }
  }
  const tail = decoder.decode();
  if (tail.length > 0) reader.push(tail);
  reader.end();
  if (pending.length > 0) yield { records: pending, columns: columns() };
  else if (format === 'csv') yield { records: [], columns: columns() };
}
