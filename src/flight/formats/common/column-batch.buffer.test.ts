import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ColumnBatch, LogSink } from '../decoded-log.js';
import { ColumnBatchBuffer, type ColumnBatchBufferOptions } from './column-batch.buffer.js';

/** Keeps every batch, as a retaining sink does. */
function keepingSink(): { sink: LogSink; batches: ColumnBatch[] } {
  const batches: ColumnBatch[] = [];
  const ignore = (): void => {};
  const sink: LogSink = {
    header: ignore,
    info: ignore,
    parameter: ignore,
    schema: ignore,
    batch: (b) => batches.push(b),
    text: ignore,
    dropout: ignore,
    warning: ignore,
  };
  return { sink, batches };
}

/** Writes `rows` rows (time = base + r, numeric column k = (base + r) * (k + 2), one text column). */
function writeRows(buffer: ColumnBatchBuffer, sink: LogSink, base: number, rows: number): void {
  for (let r = 0; r < rows; r++) {
    const row = buffer.rows;
    const cap = buffer.capacity;
    buffer.block[row] = base + r;
    for (let k = 0; k < buffer.numCount; k++) buffer.block[(k + 1) * cap + row] = (base + r) * (k + 2);
    for (const text of buffer.text) text.push(`t${base + r}`);
    buffer.rows = row + 1;
    if (buffer.rows === buffer.capacity) buffer.full(sink);
  }
}

/** The rows of `batches` as plain arrays: [time, numeric columns…, text]. */
function rowsOf(batches: readonly ColumnBatch[]): (number | string)[][] {
  const out: (number | string)[][] = [];
  for (const b of batches) {
    for (let r = 0; r < b.timestamps.length; r++) out.push([b.timestamps[r]!, ...b.columns.map((c) => c[r]!)]);
  }
  return out;
}

const expectedRows = (base: number, rows: number, numeric: number): (number | string)[][] =>
  Array.from({ length: rows }, (_, r) => [
    base + r,
    ...Array.from({ length: numeric }, (_, k) => (base + r) * (k + 2)),
    `t${base + r}`,
  ]);

const IS_TEXT = [false, false, false, true];
const options = (growth: ColumnBatchBufferOptions['growth']): ColumnBatchBufferOptions => ({
  initialRows: 64,
  batchRows: 256,
  growth,
});

describe('column batch buffer', () => {
  for (const growth of ['emit', 'copy'] as const) {
    it(`hands over every row in order (${growth} growth, short and long series)`, () => {
      for (const rows of [0, 1, 63, 64, 65, 200, 1000]) {
        const { sink, batches } = keepingSink();
        const buffer = new ColumnBatchBuffer('T', 0, IS_TEXT, options(growth));
        writeRows(buffer, sink, 10, rows);
        buffer.flush(sink, true);
        assert.deepEqual(rowsOf(batches), expectedRows(10, rows, 3), `${rows} rows`);
        if (growth === 'copy') batches.slice(0, -1).forEach((b) => assert.equal(b.timestamps.length, 256));
      }
    });
  }

  it('never lets a later series write into a batch the sink kept (recycled first blocks)', () => {
    const { sink, batches } = keepingSink();
    const kept: (number | string)[][][] = [];
    for (let series = 0; series < 50; series++) {
      const buffer = new ColumnBatchBuffer(`S${series}`, 0, IS_TEXT, options(series % 2 === 0 ? 'emit' : 'copy'));
      writeRows(buffer, sink, series * 1000, (series * 37) % 150);
      buffer.flush(sink, true);
      kept.push(rowsOf(batches.filter((b) => b.topic === `S${series}`)));
    }
    for (let series = 0; series < 50; series++) {
      assert.deepEqual(rowsOf(batches.filter((b) => b.topic === `S${series}`)), kept[series], `series ${series}`);
      assert.deepEqual(kept[series], expectedRows(series * 1000, (series * 37) % 150, 3));
    }
  });

  it('gives every batch arrays of its own (a sink may transfer one without detaching another)', () => {
    const { sink, batches } = keepingSink();
    const a = new ColumnBatchBuffer('A', 0, IS_TEXT, options('emit'));
    const b = new ColumnBatchBuffer('B', 0, IS_TEXT, options('copy'));
    writeRows(a, sink, 0, 500);
    writeRows(b, sink, 0, 500);
    a.flush(sink, true);
    b.flush(sink, true);
    const buffers = batches.map((x) => x.timestamps.buffer);
    assert.equal(new Set(buffers).size, batches.length);
    for (const x of batches) for (const c of x.columns) if (c instanceof Float64Array) assert.equal(c.buffer, x.timestamps.buffer);
    // A retaining sink keeps at most as much slack as rows.
    for (const x of batches) assert.ok(x.timestamps.buffer.byteLength <= 2 * x.timestamps.length * 4 * 8);
  });
});
