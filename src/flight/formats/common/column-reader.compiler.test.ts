import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  COMPILE_AFTER_ROWS,
  COMPILE_AFTER_ROWS_IN_ONE_DECODE,
  compileColumnReader,
  startReaderEpoch,
  type NumericFieldRead,
} from './column-reader.compiler.js';
import { NUMERIC_KIND_SIZE, NumericKind, readNumericField } from './numeric-field.reader.js';

const NONE = new Float64Array(0);
const NUMERIC_KINDS = Object.values(NumericKind).filter((k) => k !== NumericKind.TEXT);

/** Bytes with a recognisable pattern, including values that are negative in signed kinds. */
function patternBytes(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 37 + 0x85) & 0xff);
}

/**
 * Reads `fields` at `start` into a block of `stride` rows, at row `row`, with both tiers of the reader:
 * the shared loop and the compiled code (after pumping the reader past {@link COMPILE_AFTER_ROWS}
 * rows). Asserts the two blocks are identical and returns one.
 */
function readWith(
  fields: readonly NumericFieldRead[],
  bytes: Uint8Array,
  start: number,
  stride: number,
  row: number,
  multipliers = NONE,
  divisors = NONE,
): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const reader = compileColumnReader(fields);
  const readOnce = (): Float64Array => {
    const block = new Float64Array((fields.length + 1) * stride).fill(-1);
    reader.read(view, bytes, start, block, stride + row, stride, multipliers, divisors);
    return block;
  };
  const blocks: Float64Array[] = [];
  if (reader.tier === 'interpreted') blocks.push(readOnce());
  const scratch = new Float64Array((fields.length + 1) * stride);
  for (let i = 0; i < COMPILE_AFTER_ROWS && reader.tier === 'interpreted'; i++) {
    reader.read(view, bytes, start, scratch, stride + row, stride, multipliers, divisors);
  }
  assert.equal(reader.tier, 'compiled');
  blocks.push(readOnce());
  if (blocks.length === 2) assert.ok(sameBits(blocks[0]!, blocks[1]!), 'interpreted and compiled reads differ');
  return blocks.at(-1)!;
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}

describe('column reader (interpreted, then compiled)', () => {
  it('reads every numeric kind as readNumericField does, into its own column', () => {
    const bytes = patternBytes(200);
    const view = new DataView(bytes.buffer);
    const fields: NumericFieldRead[] = [];
    let offset = 0;
    for (const kind of NUMERIC_KINDS) {
      fields.push({ kind, offset });
      offset += NUMERIC_KIND_SIZE[kind];
    }
    const stride = 4;
    const row = 2;
    const start = 5;
    const block = readWith(fields, bytes, start, stride, row);
    fields.forEach((f, i) => {
      const expected = readNumericField(view, start + f.offset, f.kind);
      assert.ok(Object.is(block[(i + 1) * stride + row], expected), `kind ${f.kind}`);
    });
    // Nothing outside the row's cells is written (the time column and other rows stay untouched).
    const written = new Set(fields.map((_, i) => (i + 1) * stride + row));
    block.forEach((v, i) => {
      if (!written.has(i)) assert.equal(v, -1, `cell ${i}`);
    });
  });

  it('reads bool bytes as 0/1 and 64-bit halves as readNumericField does', () => {
    const bytes = Uint8Array.from([0, 0x41, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    const block = readWith(
      [
        { kind: NumericKind.BOOL, offset: 0 },
        { kind: NumericKind.BOOL, offset: 1 },
        { kind: NumericKind.I64, offset: 3 },
        { kind: NumericKind.U64, offset: 3 },
      ],
      bytes,
      0,
      1,
      0,
    );
    assert.deepEqual([...block.subarray(1)], [0, 1, -1, 2 ** 64 - 1]);
  });

  it('applies multipliers and divisors only to the fields flagged for them', () => {
    const bytes = new Uint8Array(6);
    const view = new DataView(bytes.buffer);
    view.setInt16(0, -12345, true);
    view.setInt16(2, 300, true);
    view.setInt16(4, 7, true);
    const fields: NumericFieldRead[] = [
      { kind: NumericKind.I16, offset: 0, divide: true },
      { kind: NumericKind.I16, offset: 2, multiply: true },
      { kind: NumericKind.I16, offset: 4 },
    ];
    const block = readWith(
      fields,
      bytes,
      0,
      1,
      0,
      Float64Array.from([99, 2.5, 99]),
      Float64Array.from([100, 99, 99]),
    );
    assert.deepEqual([...block.subarray(1)], [-123.45, 750, 7]);
  });

  it('reads layouts wider than one generated function in column order', () => {
    const count = 1000;
    const bytes = patternBytes(count * 2);
    const view = new DataView(bytes.buffer);
    const fields = Array.from({ length: count }, (_, i) => ({
      kind: NumericKind.U16,
      offset: 2 * (count - 1 - i),
    }));
    const stride = 3;
    const block = readWith(fields, bytes, 0, stride, 1);
    fields.forEach((f, i) =>
      assert.equal(block[(i + 1) * stride + 1], view.getUint16(f.offset, true), `field ${i}`),
    );
  });

  it('compiles a layout once it is hot in one decode, or after enough rows over many decodes', () => {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    const block = new Float64Array(2);
    const readRows = (reader: ReturnType<typeof compileColumnReader>, rows: number): void => {
      for (let i = 0; i < rows; i++) reader.read(view, bytes, 0, block, 1, 1, NONE, NONE);
    };
    // Hot in one decode.
    startReaderEpoch();
    const hot = compileColumnReader([{ kind: NumericKind.F64, offset: 1 }]);
    readRows(hot, COMPILE_AFTER_ROWS_IN_ONE_DECODE - 1);
    assert.equal(hot.tier, 'interpreted');
    const interpreted = hot.read;
    readRows(hot, 1);
    assert.equal(hot.tier, 'compiled');
    assert.notEqual(hot.read, interpreted);
    // A few rows per decode, counted over all decodes and every use of the layout.
    const perDecode = COMPILE_AFTER_ROWS_IN_ONE_DECODE - 1;
    const fields = [{ kind: NumericKind.F64, offset: 2 }];
    const cold = compileColumnReader(fields);
    let read = 0;
    for (let decode = 0; read + perDecode < COMPILE_AFTER_ROWS; decode++, read += perDecode) {
      startReaderEpoch();
      readRows(decode % 2 === 0 ? cold : compileColumnReader(fields), perDecode);
    }
    startReaderEpoch();
    readRows(cold, COMPILE_AFTER_ROWS - read - 1);
    assert.equal(cold.tier, 'interpreted');
    readRows(cold, 1);
    assert.equal(cold.tier, 'compiled');
  });

  it('returns the same reader for the same layout, a different one otherwise', () => {
    const a = compileColumnReader([
      { kind: NumericKind.F32, offset: 3 },
      { kind: NumericKind.U8, offset: 7 },
    ]);
    const b = compileColumnReader([
      { kind: NumericKind.F32, offset: 3 },
      { kind: NumericKind.U8, offset: 7 },
    ]);
    const c = compileColumnReader([
      { kind: NumericKind.F32, offset: 3 },
      { kind: NumericKind.U8, offset: 8 },
    ]);
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it('refuses text, unknown kinds and offsets that are not non-negative integers', () => {
    assert.throws(() => compileColumnReader([{ kind: NumericKind.TEXT, offset: 0 }]), /not numeric/);
    assert.throws(() => compileColumnReader([{ kind: 42, offset: 0 }]), /not numeric/);
    for (const offset of [-1, 1.5, NaN, Infinity]) {
      assert.throws(() => compileColumnReader([{ kind: NumericKind.U8, offset }]), /not a valid offset/);
    }
  });
});
