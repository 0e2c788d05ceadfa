/**
 * Recycles the first block of every `ColumnBatchBuffer` (64 rows × its columns). A fresh typed array
 * costs an external allocation, zero-filling and GC finalisation, and a log with a hundred short
 * series made hundreds of them per decode: on the 0.4 MiB roboto ULog, 1.6 MiB of blocks, most of it
 * never written (allocation was ~19 % and GC ~10 % of a steady-state CPU profile). Pooled blocks are reused without zeroing, which is safe because a
 * buffer reads back only the rows it has written.
 *
 * The invariant that makes sharing safe: a pooled block never leaves its buffer. Batches made from
 * one are copied into an array of their own (the sink owns, may keep and may transfer what it gets),
 * and the block is released only when its buffer has stopped using it. Blocks are power-of-two size
 * classes (a block may be longer than asked for); retention is bounded, so the pool never holds more
 * than {@link MAX_RETAINED_CELLS} however many decodes run.
 */

/** Blocks above this many cells (very wide layouts) are not pooled. */
export const MAX_POOLED_CELLS = 1 << 16;
const MIN_CLASS_BITS = 6;
/** Cells (8 bytes each) the free lists may hold in total: 4 MiB. */
const MAX_RETAINED_CELLS = 1 << 19;

/** Free blocks by size class: index b holds blocks of 2^b cells. */
const free: Float64Array[][] = [];
let retainedCells = 0;

function classBits(cells: number): number {
  return Math.max(MIN_CLASS_BITS, 32 - Math.clz32(cells - 1));
}

/** A block of at least `cells` cells (1 ≤ cells ≤ {@link MAX_POOLED_CELLS}); its contents are arbitrary. */
export function acquireBlock(cells: number): Float64Array {
  const bits = classBits(cells);
  const block = free[bits]?.pop();
  if (block === undefined) return new Float64Array(1 << bits);
  retainedCells -= block.length;
  return block;
}

/** Gives back a block from {@link acquireBlock}; the caller must not touch it afterwards. */
export function releaseBlock(block: Float64Array): void {
  if (retainedCells + block.length > MAX_RETAINED_CELLS) return; // dropped: the GC takes it
  retainedCells += block.length;
  (free[31 - Math.clz32(block.length)] ??= []).push(block);
}
