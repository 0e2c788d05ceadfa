/**
 * Accumulates the rows of one series (topic + multi_id) and hands them to the sink as
 * {@link ColumnBatch}es of at most {@link BATCH_ROWS} rows.
 *
 * Why this shape: decoding is the hot path, so a row is written straight from the payload (a DataView
 * over the input chunk) into one preallocated Float64Array per batch that holds every numeric column
 * (column-major, timestamps first). When the buffer fills it is emitted as is — columns are subarray
 * views of it — and the next buffer is twice as large, up to {@link BATCH_ROWS} rows. So a topic with
 * three samples costs little, a 100 Hz topic allocates one buffer per 4096 rows, and no row is ever
 * copied. Emitted buffers are never written again (the sink may keep them).
 */
import type { Column, ColumnBatch, LogSink } from '../decoded-log.js';
import { BATCH_ROWS } from './ulog-spec.constants.js';
import type { CompiledFormat } from './ulog-format.compiler.js';
import { decodeCString } from './ulog-text.decoder.js';

const INITIAL_ROWS = 64;
// Local copies (module-local constants, not imported bindings, in the hot loop): 2^32 and the
// NumericKind values (common/numeric-field.reader.ts), so the switch compares against literals.
const TWO_POW_32 = 4294967296;
const U8 = 0;
const I8 = 1;
const U16 = 2;
const I16 = 3;
const U32 = 4;
const I32 = 5;
const U64 = 6;
const I64 = 7;
const F32 = 8;
const F64 = 9;
const BOOL = 11;

export class SeriesWriter {
  readonly topic: string;
  readonly instance: number;
  readonly format: CompiledFormat;
  /** Cells (rows × columns) added per row, for the decoder's global buffer budget. */
  readonly cellsPerRow: number;
  rows = 0;
  /** Time (s) of the latest row written. */
  lastTime = NaN;
  private capacity = INITIAL_ROWS;
  /** Column-major: timestamps in [0, capacity), numeric column k in [(k+1)·capacity, (k+2)·capacity). */
  private data: Float64Array;
  private readonly numericCount: number;
  private text: string[][];

  constructor(topic: string, instance: number, format: CompiledFormat) {
    this.topic = topic;
    this.instance = instance;
    this.format = format;
    this.numericCount = format.numOffsets.length;
    this.data = new Float64Array(INITIAL_ROWS * (this.numericCount + 1));
    this.text = Array.from(format.strOffsets, () => []);
    this.cellsPerRow = format.fields.length + 1;
  }

  /** Appends one row read from `view`/`bytes` at payload offset `base` (bounds already checked). */
  write(view: DataView, bytes: Uint8Array, base: number, sink: LogSink): void {
    if (this.rows === this.capacity) this.emit(sink, true);
    const row = this.rows;
    const cap = this.capacity;
    const d = this.data;
    const f = this.format;
    const ts = f.timestampOffset;
    const time =
      ts < 0 ? NaN : (view.getUint32(base + ts, true) + view.getUint32(base + ts + 4, true) * TWO_POW_32) / 1e6;
    d[row] = time;
    this.lastTime = time;
    const offs = f.numOffsets;
    const colIdx = f.numColumn;
    const runKind = f.runKind;
    const runStart = f.runStart;
    const at = row + cap; // numeric column k lives at k·cap + at
    for (let r = 0; r < runKind.length; r++) {
      const end = runStart[r + 1]!;
      let j = runStart[r]!;
      switch (runKind[r]) {
        case F32:
          for (; j < end; j++) d[colIdx[j]! * cap + at] = view.getFloat32(base + offs[j]!, true);
          break;
        case U8:
          for (; j < end; j++) d[colIdx[j]! * cap + at] = bytes[base + offs[j]!]!;
          break;
        case BOOL:
          for (; j < end; j++) d[colIdx[j]! * cap + at] = bytes[base + offs[j]!] === 0 ? 0 : 1;
          break;
        case I8:
          for (; j < end; j++) d[colIdx[j]! * cap + at] = view.getInt8(base + offs[j]!);
          break;
        case U16:
          for (; j < end; j++) d[colIdx[j]! * cap + at] = view.getUint16(base + offs[j]!, true);
          break;
        case I16:
          for (; j < end; j++) d[colIdx[j]! * cap + at] = view.getInt16(base + offs[j]!, true);
          break;
        case U32:
          for (; j < end; j++) d[colIdx[j]! * cap + at] = view.getUint32(base + offs[j]!, true);
          break;
        case I32:
          for (; j < end; j++) d[colIdx[j]! * cap + at] = view.getInt32(base + offs[j]!, true);
          break;
        case U64:
          for (; j < end; j++) {
            const o = base + offs[j]!;
            d[colIdx[j]! * cap + at] = view.getUint32(o, true) + view.getUint32(o + 4, true) * TWO_POW_32;
          }
          break;
        case I64:
          for (; j < end; j++) {
            const o = base + offs[j]!;
            d[colIdx[j]! * cap + at] = view.getUint32(o, true) + view.getInt32(o + 4, true) * TWO_POW_32;
          }
          break;
        case F64:
          for (; j < end; j++) d[colIdx[j]! * cap + at] = view.getFloat64(base + offs[j]!, true);
          break;
        default:
          break;
      }
    }
    const strOffs = f.strOffsets;
    for (let s = 0; s < strOffs.length; s++) {
      const o = base + strOffs[s]!;
      this.text[s]![row] = decodeCString(bytes, o, o + f.strLengths[s]!);
    }
    this.rows = row + 1;
  }

  /** Emits buffered rows as one batch; no-op when empty. */
  flush(sink: LogSink): void {
    if (this.rows > 0) this.emit(sink, false);
  }

  /**
   * Hands the buffered rows to the sink. A full buffer is given away whole and replaced by one twice
   * as large (up to a batch); a partial one is copied compactly so the spare capacity is not retained.
   */
  private emit(sink: LogSink, full: boolean): void {
    const n = this.rows;
    const cap = this.capacity;
    const stride = full ? cap : n;
    let data = this.data;
    if (!full) {
      data = new Float64Array(n * (this.numericCount + 1));
      for (let c = 0; c <= this.numericCount; c++) data.set(this.data.subarray(c * cap, c * cap + n), c * n);
    }
    const columns: Column[] = [];
    const slots = this.format.fieldSlot;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (slot >= 0) columns.push(data.subarray((slot + 1) * stride, (slot + 1) * stride + n));
      else columns.push(this.text[-slot - 1]!.slice(0, n));
    }
    const batch: ColumnBatch = { topic: this.topic, instance: this.instance, timestamps: data.subarray(0, n), columns };
    sink.batch(batch);
    this.rows = 0;
    this.text = this.text.map(() => []);
    if (full) {
      this.capacity = Math.min(cap * 2, BATCH_ROWS);
      this.data = new Float64Array(this.capacity * (this.numericCount + 1));
    }
  }
}
