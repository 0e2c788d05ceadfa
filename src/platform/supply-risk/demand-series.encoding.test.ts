import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDemandSeries } from './demand-series.encoding.js';

/** (month offset, quantity) pairs as PostgreSQL's int4send pairs, hex. */
const encode = (pairs: [number, number][]): string => {
  const b = Buffer.alloc(pairs.length * 8);
  pairs.forEach(([m, q], k) => {
    b.writeInt32BE(m, k * 8);
    b.writeInt32BE(q, k * 8 + 4);
  });
  return b.toString('hex');
};

test('a series runs from its first month with demand to last month, months without a row as zero', () => {
  const out: number[] = [99];
  decodeDemandSeries(encode([[-5, 3], [-3, 1], [-1, 70000]]), out);
  assert.deepEqual(out, [3, 0, 1, 0, 70000]);
});

test('a series ending before last month is padded with zeros up to it', () => {
  const out: number[] = [];
  decodeDemandSeries(encode([[-4, 2]]), out);
  assert.deepEqual(out, [2, 0, 0, 0]);
});

test('no demand rows give an empty series, and a long series outgrows the scratch buffer', () => {
  const out = [1, 2];
  decodeDemandSeries('', out);
  assert.deepEqual(out, []);
  const long = Array.from({ length: 120 }, (_, k): [number, number] => [k - 120, k]);
  decodeDemandSeries(encode(long), out);
  assert.deepEqual(out, long.map(([, q]) => q));
});

test('a truncated encoding is refused, not read half', () => {
  assert.throws(() => decodeDemandSeries(encode([[-1, 1]]).slice(0, 12), []), /not a whole number/);
});
