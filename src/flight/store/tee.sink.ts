import type { ColumnBatch, DecodeWarning, Dropout, LogFormat, LogSink, LogText, SeriesSchema } from '../formats/decoded-log.js';

/** Feeds one decoder pass to several sinks (e.g. collect the log and inspect it in the same pass). */
export class TeeSink implements LogSink {
  constructor(private readonly sinks: readonly LogSink[]) {}
  header(info: { format: LogFormat; formatVersion: string }): void {
    for (const s of this.sinks) s.header(info);
  }
  info(key: string, value: string | number): void {
    for (const s of this.sinks) s.info(key, value);
  }
  parameter(name: string, value: number, kind: 'current' | 'default'): void {
    for (const s of this.sinks) s.parameter(name, value, kind);
  }
  schema(schema: SeriesSchema): void {
    for (const s of this.sinks) s.schema(schema);
  }
  batch(batch: ColumnBatch): void {
    for (const s of this.sinks) s.batch(batch);
  }
  text(message: LogText): void {
    for (const s of this.sinks) s.text(message);
  }
  dropout(dropout: Dropout): void {
    for (const s of this.sinks) s.dropout(dropout);
  }
  warning(warning: DecodeWarning): void {
    for (const s of this.sinks) s.warning(warning);
  }
}
