/**
 * Row storage for one series (message name + instance) between flushes: the time column and every
 * numeric column are views into one preallocated Float64Array block (one allocation per growth or
 * flush, not one per column), doubling from a small start up to {@link BATCH_ROWS}; then the rows are
 * handed to the sink as one {@link ColumnBatch} and a fresh block is started. The sink owns every
 * array it receives; nothing handed over is written again.
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
  time: Float64Array = new Float64Array(0);
  num: Float64Array[] = [];
  text: string[][] = [];
  rows = 0;
  capacity = 0;
  private declared = false;

  constructor(topic: string, instance: number, fields: readonly FieldMeta[], isText: readonly boolean[]) {
    this.topic = topic;
    this.instance = instance;
    this.fields = fields;
    this.isText = isText;
    let texts = 0;
    for (const t of isText) if (t) texts++;
    this.textCount = texts;
    this.numCount = isText.length - texts;
    this.allocate(INITIAL_ROWS);
    this.text = this.allocText();
  }

  /** Points `time` and `num` at a new zeroed block of `rows` rows. */
  private allocate(rows: number): void {
    const block = new Float64Array(rows * (this.numCount + 1));
    this.time = block.subarray(0, rows);
    const num = new Array<Float64Array>(this.numCount);
    for (let i = 0; i < this.numCount; i++) num[i] = block.subarray((i + 1) * rows, (i + 2) * rows);
    this.num = num;
    this.capacity = rows;
  }

  private allocText(): string[][] {
    const out = new Array<string[]>(this.textCount);
    for (let i = 0; i < this.textCount; i++) out[i] = [];
    return out;
  }

  /** Called when `rows === capacity`: grow (copying) until the batch size, then flush. */
  full(sink: LogSink): void {
    if (this.capacity < BATCH_ROWS) {
      const time = this.time;
      const num = this.num;
      this.allocate(Math.min(this.capacity * 2, BATCH_ROWS));
      this.time.set(time);
      for (let i = 0; i < this.numCount; i++) this.num[i]!.set(num[i]!);
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
    let time = this.time;
    let num = this.num;
    if (rows * 2 < this.capacity) {
      // Mostly empty: copy into a compact block so a retaining sink does not keep the slack alive.
      const block = new Float64Array(rows * (this.numCount + 1));
      block.set(time.subarray(0, rows));
      num = num.map((col, i) => {
        const part = block.subarray((i + 1) * rows, (i + 2) * rows);
        part.set(col.subarray(0, rows));
        return part;
      });
      time = block.subarray(0, rows);
    } else if (rows < this.capacity) {
      time = time.subarray(0, rows);
      num = num.map((col) => col.subarray(0, rows));
    }
    const columns: Column[] = [];
    let n = 0;
    let t = 0;
    for (const text of this.isText) columns.push(text ? this.text[t++]! : num[n++]!);
    sink.batch({ topic: this.topic, instance: this.instance, timestamps: time, columns });
    this.rows = 0;
    this.text = this.allocText();
    if (last) this.capacity = 0;
    else this.allocate(this.capacity);
  }
}
