/**
 * Writes the rows of one series (topic + multi_id) into its {@link ColumnBatchBuffer}, which hands them
 * to the sink as {@link ColumnBatch}es of at most {@link BATCH_ROWS} rows.
 *
 * Why this shape: decoding is the hot path, so a row is written straight from the payload (a DataView
 * over the input chunk) into the buffer's column-major Float64Array block (timestamps first, then
 * every numeric column), walking the compiled format's runs of equal kind so there is one switch per
 * run, not per field.
 */
import { ColumnBatchBuffer } from '../common/column-batch.buffer.js';
import type { LogSink } from '../decoded-log.js';
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

export class SeriesWriter extends ColumnBatchBuffer {
  readonly format: CompiledFormat;
  /** Cells (rows × columns) added per row, for the decoder's global buffer budget. */
  readonly cellsPerRow: number;
  /** Time (s) of the latest row written. */
  lastTime = NaN;

  constructor(topic: string, instance: number, format: CompiledFormat) {
    super(topic, instance, Array.from(format.fieldSlot, (slot) => slot < 0), {
      initialRows: INITIAL_ROWS,
      batchRows: BATCH_ROWS,
    });
    this.format = format;
    this.cellsPerRow = format.fields.length + 1;
  }

  /** Appends one row read from `view`/`bytes` at payload offset `base` (bounds already checked). */
  write(view: DataView, bytes: Uint8Array, base: number, sink: LogSink): void {
    const row = this.rows;
    const cap = this.capacity;
    const d = this.block;
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
      this.text[s]!.push(decodeCString(bytes, o, o + f.strLengths[s]!));
    }
    this.rows = row + 1;
    if (row + 1 === cap) this.full(sink);
  }
}
