/**
 * Row storage for one series (message name + instance) between flushes: preallocated Float64Array
 * columns that double from a small start up to {@link BATCH_ROWS}, then are handed to the sink as
 * one {@link ColumnBatch} and replaced. The sink owns every array it receives; nothing is reused.
 */
import type { Column, FieldMeta, LogSink } from '../decoded-log.js';

/** Rows per emitted batch (the flush threshold). */
export const BATCH_ROWS = 4096;
const INITIAL_ROWS = 64;

export class SeriesBuffer {
  readonly topic: string;
  readonly instance: number;
  readonly fields: readonly FieldMeta[];
  private readonly isText: readonly boolean[];
  private readonly numCount: number;
  private readonly textCount: number;
  time: Float64Array;
  num: Float64Array[];
  text: string[][];
  rows = 0;
  capacity: number;
  private declared = false;

  constructor(topic: string, instance: number, fields: readonly FieldMeta[], isText: readonly boolean[]) {
    this.topic = topic;
    this.instance = instance;
    this.fields = fields;
    this.isText = isText;
    this.textCount = isText.filter(Boolean).length;
    this.numCount = isText.length - this.textCount;
    this.capacity = INITIAL_ROWS;
    this.time = new Float64Array(this.capacity);
    this.num = this.allocNum(this.capacity);
    this.text = this.allocText();
  }

  private allocNum(rows: number): Float64Array[] {
    const out: Float64Array[] = new Array<Float64Array>(this.numCount);
    for (let i = 0; i < this.numCount; i++) out[i] = new Float64Array(rows);
    return out;
  }

  private allocText(): string[][] {
    const out: string[][] = new Array<string[]>(this.textCount);
    for (let i = 0; i < this.textCount; i++) out[i] = [];
    return out;
  }

  /** Called when `rows === capacity`: grow (copying) until the batch size, then flush. */
  full(sink: LogSink): void {
    if (this.capacity < BATCH_ROWS) {
      const next = Math.min(this.capacity * 2, BATCH_ROWS);
      const time = new Float64Array(next);
      time.set(this.time);
      this.time = time;
      for (let i = 0; i < this.numCount; i++) {
        const col = new Float64Array(next);
        col.set(this.num[i]!);
        this.num[i] = col;
      }
      this.capacity = next;
      return;
    }
    this.flush(sink);
  }

  /** Emits buffered rows (declaring the schema first time) and, unless `last`, starts a fresh batch. */
  flush(sink: LogSink, last = false): void {
    if (this.rows === 0) return;
    if (!this.declared) {
      sink.schema({ topic: this.topic, instance: this.instance, fields: this.fields });
      this.declared = true;
    }
    const rows = this.rows;
    const whole = rows === this.capacity;
    const columns: Column[] = [];
    let n = 0;
    let t = 0;
    for (const text of this.isText) {
      if (text) columns.push(this.text[t++]!);
      else {
        const col = this.num[n++]!;
        columns.push(whole ? col : col.slice(0, rows));
      }
    }
    sink.batch({
      topic: this.topic,
      instance: this.instance,
      timestamps: whole ? this.time : this.time.slice(0, rows),
      columns,
    });
    this.rows = 0;
    if (last) {
      this.capacity = 0;
      return;
    }
    this.time = new Float64Array(this.capacity);
    this.num = this.allocNum(this.capacity);
    this.text = this.allocText();
  }
}
