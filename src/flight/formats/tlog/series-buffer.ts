/**
 * Row buffer for one tlog series (message name + source instance). Grows geometrically up to
 * {@link BATCH_ROWS} and is then handed to the sink as one {@link ColumnBatch}, so memory stays bounded
 * whatever the log size.
 */
import type { Column, LogSink } from '../decoded-log.js';
import type { MessageDef } from './mavlink-dialect.js';

export const BATCH_ROWS = 1024;
const INITIAL_ROWS = 16;

export class SeriesBuffer {
  rows = 0;
  private capacity = INITIAL_ROWS;
  times: Float64Array = new Float64Array(INITIAL_ROWS);
  numeric: Float64Array[];
  strings: string[][];

  constructor(
    readonly def: MessageDef,
    readonly instance: number,
  ) {
    this.numeric = def.numeric.map(() => new Float64Array(INITIAL_ROWS));
    this.strings = def.strings.map(() => []);
  }

  /** Index of the row to fill; the caller writes every numeric column and pushes every string. */
  nextRow(time: number): number {
    if (this.rows === this.capacity) this.grow();
    this.times[this.rows] = time;
    return this.rows++;
  }

  get full(): boolean {
    return this.rows >= BATCH_ROWS;
  }

  private grow(): void {
    const capacity = Math.min(BATCH_ROWS, this.capacity * 2);
    const extend = (a: Float64Array): Float64Array => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    this.times = extend(this.times);
    this.numeric = this.numeric.map(extend);
    this.capacity = capacity;
  }

  flush(sink: LogSink): void {
    if (this.rows === 0) return;
    const n = this.rows;
    // A full buffer is handed over as is (no copy) and replaced; a partial one is trimmed.
    const whole = n === this.capacity;
    const take = (a: Float64Array): Float64Array => (whole ? a : a.slice(0, n));
    const columns: Column[] = [...this.numeric.map(take), ...this.strings];
    sink.batch({ topic: this.def.name, instance: this.instance, timestamps: take(this.times), columns });
    if (whole) {
      this.times = new Float64Array(this.capacity);
      this.numeric = this.numeric.map(() => new Float64Array(this.capacity));
    }
    this.rows = 0;
    this.strings = this.def.strings.map(() => []);
  }
}
