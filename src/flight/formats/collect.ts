import type {
  Column,
  ColumnBatch,
  DecodedLog,
  DecodedSeries,
  DecodeWarning,
  Dropout,
  LogFormat,
  LogSink,
  LogText,
  SeriesSchema,
  StreamDecoder,
} from './decoded-log.js';
import { MAX_STORED_WARNINGS } from './decoded-log.js';

const seriesId = (topic: string, instance: number): string => `${topic}\u0000${instance}`;

interface SeriesBuilder {
  schema: SeriesSchema;
  batches: ColumnBatch[];
  rows: number;
}

/** A sink that keeps everything and assembles a {@link DecodedLog} (batches concatenated per series). */
export class CollectingSink implements LogSink {
  private format: LogFormat = 'ulog';
  private formatVersion = '';
  private readonly infoMap = new Map<string, string | number>();
  private readonly params = new Map<string, number>();
  private readonly defaults = new Map<string, number>();
  private readonly builders = new Map<string, SeriesBuilder>();
  private readonly texts: LogText[] = [];
  private readonly drops: Dropout[] = [];
  private readonly warns: DecodeWarning[] = [];
  private extraWarnings = 0;

  header(info: { format: LogFormat; formatVersion: string }): void {
    this.format = info.format;
    this.formatVersion = info.formatVersion;
  }
  info(key: string, value: string | number): void {
    this.infoMap.set(key, value);
  }
  parameter(name: string, value: number, kind: 'current' | 'default'): void {
    (kind === 'current' ? this.params : this.defaults).set(name, value);
  }
  schema(schema: SeriesSchema): void {
    const id = seriesId(schema.topic, schema.instance);
    if (!this.builders.has(id)) this.builders.set(id, { schema, batches: [], rows: 0 });
  }
  batch(batch: ColumnBatch): void {
    const builder = this.builders.get(seriesId(batch.topic, batch.instance));
    if (!builder) throw new Error(`batch for undeclared series ${batch.topic}/${batch.instance}`);
    builder.batches.push(batch);
    builder.rows += batch.timestamps.length;
  }
  text(message: LogText): void {
    this.texts.push(message);
  }
  dropout(dropout: Dropout): void {
    this.drops.push(dropout);
  }
  warning(warning: DecodeWarning): void {
    if (this.warns.length < MAX_STORED_WARNINGS) this.warns.push(warning);
    else this.extraWarnings++;
  }

  result(end: ReturnType<StreamDecoder['end']>): DecodedLog {
    const warnings =
      this.extraWarnings > 0
        ? [...this.warns, { offset: -1, message: `${this.extraWarnings} further warnings not stored` }]
        : this.warns;
    return {
      format: this.format,
      formatVersion: this.formatVersion,
      completeness: end.completeness,
      bytesRead: end.bytesRead,
      info: this.infoMap,
      parameters: this.params,
      defaultParameters: this.defaults,
      series: [...this.builders.values()].map(assembleSeries),
      messages: this.texts,
      dropouts: this.drops,
      warnings,
    };
  }
}

function assembleSeries({ schema, batches, rows }: SeriesBuilder): DecodedSeries {
  const timestamps = new Float64Array(rows);
  const columns = new Map<string, Column>();
  let offset = 0;
  for (const b of batches) {
    timestamps.set(b.timestamps, offset);
    offset += b.timestamps.length;
  }
  schema.fields.forEach((field, i) => {
    const first = batches[0]?.columns[i];
    if (first === undefined || first instanceof Float64Array) {
      const col = new Float64Array(rows);
      let at = 0;
      for (const b of batches) {
        const part = b.columns[i] as Float64Array;
        col.set(part, at);
        at += part.length;
      }
      columns.set(field.name, col);
    } else {
      columns.set(
        field.name,
        batches.flatMap((b) => b.columns[i] as string[]),
      );
    }
  });
  return { ...schema, timestamps, columns };
}

/** Runs a stream decoder over an in-memory buffer and collects everything it emits. */
export function collectDecodedLog(
  makeDecoder: (sink: LogSink) => StreamDecoder,
  bytes: Uint8Array,
  chunkSize = 1 << 20,
): DecodedLog {
  const sink = new CollectingSink();
  const decoder = makeDecoder(sink);
  for (let at = 0; at < bytes.length; at += chunkSize) decoder.push(bytes.subarray(at, at + chunkSize));
  return sink.result(decoder.end());
}
