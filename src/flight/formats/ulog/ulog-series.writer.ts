/**
 * Writes the rows of one series (topic + multi_id) into its {@link ColumnBatchBuffer}, which hands them
 * to the sink as {@link ColumnBatch}es of at most {@link BATCH_ROWS} rows.
 *
 * Why this shape: decoding is the hot path, so a row is written straight from the payload (a DataView
 * over the input chunk) into the buffer's column-major Float64Array block (timestamps first, then
 * every numeric column) by the reader compiled for the format, with no per-field dispatch.
 */
import { ColumnBatchBuffer } from '../common/column-batch.buffer.js';
import type { LogSink } from '../decoded-log.js';
import { BATCH_ROWS } from './ulog-spec.constants.js';
import type { CompiledFormat } from './ulog-format.compiler.js';
import { decodeCString } from './ulog-text.decoder.js';

const INITIAL_ROWS = 64;
// Module-local copy of 2^32 (not an imported binding) for the hot timestamp read.
const TWO_POW_32 = 4294967296;
/** ULog values are not scaled: the reader's factor arrays are never read. */
const NO_FACTORS = new Float64Array(0);

export class SeriesWriter extends ColumnBatchBuffer {
  readonly format: CompiledFormat;
  /** Cells (rows × columns) added per row, for the decoder's global buffer budget. */
  readonly cellsPerRow: number;
  /** Time (s) of the latest row written. */
  lastTime = NaN;

  constructor(topic: string, instance: number, format: CompiledFormat) {
    super(topic, instance, format.isText, {
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
    f.reader.read(view, bytes, base, d, row + cap, cap, NO_FACTORS, NO_FACTORS);
    const strOffs = f.strOffsets;
    for (let s = 0; s < strOffs.length; s++) {
      const o = base + strOffs[s]!;
      this.text[s]!.push(decodeCString(bytes, o, o + f.strLengths[s]!));
    }
    this.rows = row + 1;
    if (row + 1 === cap) this.full(sink);
  }
}
