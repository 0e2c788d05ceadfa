/**
 * The contract every flight-log decoder (ULog, DataFlash, tlog, CSV) fulfils.
 *
 * Decoders are streaming and columnar: they are fed bytes in chunks and emit column batches to a
 * {@link LogSink}, so a 1 GiB log decodes in bounded memory when the sink does not keep everything.
 * `collectDecodedLog` is the sink for callers that want the whole log in memory (tests, the CLI,
 * analysis of ordinary-sized logs).
 *
 * Invariants every decoder keeps:
 * - Timestamps are seconds as float64, exactly as logged (not rebased to zero, not reordered).
 * - Every topic/message instance (ULog multi_id, DataFlash instance column) is a separate series.
 * - Numeric fields are float64 columns (uint64 beyond 2^53 loses precision, which no flight signal
 *   needs); fixed arrays are flattened to `name[0]`, `name[1]`…; nested ULog types to `parent.child`.
 *   Text fields are string columns.
 * - Bad input never throws anything but {@link FlightDecodeError}, and only when nothing useful can be
 *   decoded (e.g. wrong magic, unsupported incompatible flag). Damage after a valid start is reported
 *   through `completeness` and `warnings`, and the valid part is kept.
 */

export type LogFormat = 'ulog' | 'dataflash' | 'tlog' | 'csv';

/** How much of the file was decoded. */
export type Completeness =
  /** Every byte was consumed by valid records. */
  | 'complete'
  /** The file ends inside a record (power loss, SD card pulled): the prefix is decoded. */
  | 'truncated'
  /** Corrupt bytes were skipped by resynchronising; everything around them is decoded. */
  | 'corrupt_recovered';

export type Column = Float64Array | string[];

export interface FieldMeta {
  /** Flattened field name, e.g. `q[0]`, `accel_x`, `AccX`. */
  readonly name: string;
  /** Type as declared by the log (`float`, `uint8_t`, DataFlash format char `h`, …). */
  readonly sourceType: string;
  /** Unit when the log declares one (DataFlash FMTU/UNIT, CSV header) — SI symbol, e.g. `m/s/s`. */
  readonly unit?: string;
}

/** Identifies one series: a topic/message name and its instance. */
export interface SeriesKey {
  readonly topic: string;
  readonly instance: number;
}

/** A block of consecutive rows of one series. */
export interface ColumnBatch extends SeriesKey {
  readonly timestamps: Float64Array;
  /** One column per field in {@link SeriesSchema.fields} order, each `timestamps.length` long. */
  readonly columns: readonly Column[];
}

export interface SeriesSchema extends SeriesKey {
  readonly fields: readonly FieldMeta[];
}

export interface LogText {
  /** Seconds, same clock as the series timestamps; NaN when the log gives none. */
  readonly time: number;
  /** Syslog-style severity 0 (emergency) … 7 (debug) when the log gives one. */
  readonly severity?: number;
  readonly tag?: number;
  readonly text: string;
}

export interface Dropout {
  readonly time: number;
  readonly durationS: number;
}

export interface DecodeWarning {
  /** Byte offset in the file where the problem was seen. */
  readonly offset: number;
  readonly message: string;
}

/** Receives what a decoder finds, in file order. */
export interface LogSink {
  header(info: { format: LogFormat; formatVersion: string }): void;
  /** Key/value metadata: ULog info and multi-info, DataFlash firmware strings, tlog heartbeat facts. */
  info(key: string, value: string | number): void;
  parameter(name: string, value: number, kind: 'current' | 'default'): void;
  /** Called once per series before its first batch. */
  schema(schema: SeriesSchema): void;
  batch(batch: ColumnBatch): void;
  text(message: LogText): void;
  dropout(dropout: Dropout): void;
  warning(warning: DecodeWarning): void;
}

/** A decoder fed in chunks. `end()` returns the completeness of what it saw. */
export interface StreamDecoder {
  push(chunk: Uint8Array): void;
  end(): { completeness: Completeness; bytesRead: number };
}

export interface DecodedSeries extends SeriesSchema {
  readonly timestamps: Float64Array;
  readonly columns: ReadonlyMap<string, Column>;
}

export interface DecodedLog {
  readonly format: LogFormat;
  readonly formatVersion: string;
  readonly completeness: Completeness;
  readonly bytesRead: number;
  readonly info: ReadonlyMap<string, string | number>;
  readonly parameters: ReadonlyMap<string, number>;
  readonly defaultParameters: ReadonlyMap<string, number>;
  readonly series: readonly DecodedSeries[];
  readonly messages: readonly LogText[];
  readonly dropouts: readonly Dropout[];
  readonly warnings: readonly DecodeWarning[];
}

/** The only error a decoder throws. `offset` is the byte where decoding became impossible. */
export class FlightDecodeError extends Error {
  readonly code: string;
  readonly offset: number;
  readonly format: LogFormat | 'unknown';

  constructor(code: string, message: string, offset: number, format: LogFormat | 'unknown') {
    super(`${message} (at byte ${offset})`);
    this.name = 'FlightDecodeError';
    this.code = code;
    this.offset = offset;
    this.format = format;
  }
}

/** Warnings beyond this many are counted, not stored, so a hostile file cannot exhaust memory. */
export const MAX_STORED_WARNINGS = 1000;
