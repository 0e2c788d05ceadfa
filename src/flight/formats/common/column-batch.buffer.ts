/**
 * Row storage for one series (topic + instance) between flushes, shared by every decoder: the time
 * column and every numeric column live in one column-major Float64Array block (time in
 * `[0, capacity)`, numeric column k in `[(k+1)·capacity, (k+2)·capacity)`), so a block costs one
 * allocation, not one per column. Blocks double from `initialRows` up to `batchRows` (so a series
 * with three rows costs little). First blocks come from the {@link acquireBlock} pool and never leave
 * the buffer: their batches are copied out, exactly as long as their rows. Later blocks are arrays of
 * their own; a full one is handed to the sink as one {@link ColumnBatch} without copying. Text
 * columns are plain string arrays. The sink owns every array it receives; nothing handed over is
 * written again.
 *
 * Hot loops write directly: `time[rows]`, `num[k][rows]` (or `block[(k+1)·capacity + rows]`), push
 * one string per text column, then `rows++` and, when `rows === capacity`, call {@link full}.
 */
import type { Column, FieldMeta, LogSink } from '../decoded-log.js';
import { acquireBlock, MAX_POOLED_CELLS, releaseBlock } from './block-pool.js';

/** The block of a buffer that has been flushed for the last time. */
const NO_BLOCK = new Float64Array(0);

export interface ColumnBatchBufferOptions {
  /** Rows of the first block (it doubles from here). */
  readonly initialRows: number;
  /** Rows per emitted batch once grown (the flush threshold). */
  readonly batchRows: number;
  /**
   * When given, the schema is declared to the sink with the first batch (so a series that never
   * gets a row is never declared); otherwise the owner declares it before the first row.
   */
  readonly schema?: readonly FieldMeta[];
  /**
   * What a full block below `batchRows` does: `emit` hands its rows to the sink as a batch and starts
   * one twice as large (batches of 64, 128, … rows, then `batchRows`); `copy` grows the block by
   * copying, so every batch but the last has exactly `batchRows` rows. Default `emit`.
   */
  readonly growth?: 'emit' | 'copy';
}

export class ColumnBatchBuffer {
  readonly topic: string;
  readonly instance: number;
  /** Rows written since the last flush. */
  rows = 0;
  /** Rows the current block holds. */
  capacity = 0;
  /** The current block: time column first, then the numeric columns, each `capacity` long. */
  block: Float64Array = NO_BLOCK;
  text: string[][] = [];
  readonly numCount: number;
  readonly textCount: number;
  /** Per schema field in order: whether it is a text column (else the next numeric one). */
  private readonly isText: readonly boolean[];
  private readonly batchRows: number;
  private readonly initialRows: number;
  private readonly growByCopy: boolean;
  /** Whether `block` came from the pool (so it is copied out, never handed over, and released). */
  private pooled = false;
  private schema: readonly FieldMeta[] | undefined;
  /** Views of `block`, made on first use (a writer that indexes `block` itself never pays for them). */
  private timeView: Float64Array | undefined;
  private numViews: Float64Array[] | undefined;

  constructor(topic: string, instance: number, isText: readonly boolean[], options: ColumnBatchBufferOptions) {
    this.topic = topic;
    this.instance = instance;
    this.isText = isText;
    let texts = 0;
    for (const t of isText) if (t) texts++;
    this.textCount = texts;
    this.numCount = isText.length - texts;
    this.batchRows = options.batchRows;
    this.initialRows = Math.min(options.initialRows, options.batchRows);
    this.growByCopy = options.growth === 'copy';
    this.schema = options.schema;
    this.allocate(this.initialRows);
    this.text = this.allocText();
  }

  /** The time column of the current block (`capacity` long). */
  get time(): Float64Array {
    return (this.timeView ??= this.block.subarray(0, this.capacity));
  }

  /** The numeric columns of the current block, each `capacity` long. */
  get num(): Float64Array[] {
    return (this.numViews ??= this.columnViews(this.block, this.capacity, this.capacity));
  }

  /**
   * Called when `rows === capacity`. The rows are emitted as a batch, or with `growth: 'copy'` (below
   * `batchRows`) the block is grown by copying. The next block is twice as large, up to `batchRows`.
   * (Measured: growing by copying cost the ULog decoder 6–9 % CPU; DataFlash and tlog keep it for
   * their uniform batches at no measurable cost.)
   */
  full(sink: LogSink): void {
    const capacity = this.capacity;
    const next = Math.min(capacity * 2, this.batchRows);
    if (this.growByCopy && capacity < this.batchRows) {
      const old = this.block;
      const wasPooled = this.pooled;
      this.pooled = false; // released below, once copied
      this.allocate(next);
      for (let c = 0; c <= this.numCount; c++) this.block.set(old.subarray(c * capacity, (c + 1) * capacity), c * next);
      if (wasPooled) releaseBlock(old);
      return;
    }
    this.emit(sink, next);
  }

  /**
   * Emits the buffered rows as one batch and starts a block of the same size, or, when `last`, none
   * (no row may be written after a last flush; a last flush of an empty buffer still gives its block
   * back).
   */
  flush(sink: LogSink, last = false): void {
    if (this.rows > 0) this.emit(sink, last ? 0 : this.capacity);
    else if (last) this.allocate(0);
  }

  /** Hands the buffered rows to the sink as one batch, then starts a block of `nextRows` rows. */
  private emit(sink: LogSink, nextRows: number): void {
    if (this.schema !== undefined) {
      sink.schema({ topic: this.topic, instance: this.instance, fields: this.schema });
      this.schema = undefined;
    }
    const rows = this.rows;
    const capacity = this.capacity;
    let block = this.block;
    let stride = capacity;
    if (this.pooled || rows * 2 < capacity) {
      // A pooled block stays here; a mostly empty one is copied too, so a retaining sink does not keep
      // the slack alive. A plain loop, not a subarray + set per column: this runs at the end of every
      // short series, where the per-column views cost more than the copying.
      const old = this.block;
      block = new Float64Array(rows * (this.numCount + 1));
      for (let c = 0, from = 0, to = 0; c <= this.numCount; c++, from += capacity) {
        for (let r = 0; r < rows; r++) block[to++] = old[from + r]!;
      }
      stride = rows;
    }
    const time = new Float64Array(block.buffer, block.byteOffset, rows);
    const num = this.columnViews(block, stride, rows);
    const columns: Column[] = [];
    let n = 0;
    let t = 0;
    for (const text of this.isText) columns.push(text ? this.text[t++]! : num[n++]!);
    sink.batch({ topic: this.topic, instance: this.instance, timestamps: time, columns });
    this.rows = 0;
    this.text = this.allocText();
    this.allocate(nextRows);
  }

  /**
   * Gives back the current block if it is pooled and starts one of `rows` rows: a first block from the
   * pool (contents arbitrary: rows are written before they are read), else a fresh array. Only first
   * blocks are pooled: they are what short series cost, and a long series would otherwise copy every
   * growing block out (measured: 15–20 % slower on the 3.9 MiB quad_bench ULog).
   */
  private allocate(rows: number): void {
    if (this.pooled) releaseBlock(this.block);
    const cells = rows * (this.numCount + 1);
    this.pooled = rows > 0 && rows <= this.initialRows && rows < this.batchRows && cells <= MAX_POOLED_CELLS;
    this.block = this.pooled ? acquireBlock(cells) : rows === 0 ? NO_BLOCK : new Float64Array(cells);
    this.capacity = rows;
    this.timeView = undefined;
    this.numViews = undefined;
  }

  /**
   * Views of the first `rows` rows of each numeric column of `block`, whose columns are `stride` apart.
   * Made with the constructor, not `subarray` (which looks up a species constructor per call): a small
   * log's batches make thousands of views per decode (2,715 for the roboto ULog), ~25 % cheaper each.
   */
  private columnViews(block: Float64Array, stride: number, rows: number): Float64Array[] {
    const out = new Array<Float64Array>(this.numCount);
    const buffer = block.buffer;
    const step = stride * Float64Array.BYTES_PER_ELEMENT;
    for (let i = 0, at = block.byteOffset + step; i < this.numCount; i++, at += step) {
      out[i] = new Float64Array(buffer, at, rows);
    }
    return out;
  }

  private allocText(): string[][] {
    const out = new Array<string[]>(this.textCount);
    for (let i = 0; i < this.textCount; i++) out[i] = [];
    return out;
  }
}
