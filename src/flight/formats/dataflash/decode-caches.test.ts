/**
 * The per-process caches (FMT records by their bytes, record plans, column readers, interned text)
 * must never let one log's definitions leak into another's: logs decoded one after the other with the
 * same message names but different layouts each decode as their own FMT records say.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMPILE_AFTER_ROWS } from '../common/column-reader.compiler.js';
import type { DecodedLog } from '../decoded-log.js';
import { DataflashLogBuilder } from './dataflash-log.builder.js';
import { decodeDataflash } from './index.js';

const column = (log: DecodedLog, topic: string, name: string): number[] => {
  const s = log.series.find((x) => x.topic === topic);
  assert.ok(s, `series ${topic} missing`);
  const c = s.columns.get(name);
  assert.ok(c instanceof Float64Array, `${topic}.${name} missing or not numeric; have ${[...s.columns.keys()].join(',')}`);
  return [...c];
};

/** A log whose message 40 is `name` with `format`/`labels`, holding `rows` records built by `row`. */
function logWith(name: string, format: string, labels: string, rows: number, row: (i: number) => number[]): Uint8Array {
  const b = new DataflashLogBuilder().fmt(40, name, format, labels);
  for (let i = 0; i < rows; i++) b.data(40, row(i));
  return b.build();
}

describe('DataFlash decode caches across logs', () => {
  it('decodes each log with its own layout when two logs give one message name different layouts', () => {
    // Enough rows that the shared readers switch to compiled code part-way through.
    const rows = COMPILE_AFTER_ROWS + 10;
    const a = logWith('CTUN', 'Qhf', 'TimeUS,ThI,Alt', rows, (i) => [i, -i, i / 2]);
    const b = logWith('CTUN', 'Qfh', 'TimeUS,Alt,ThI', rows, (i) => [i, i * 3, i % 100]);
    for (let pass = 0; pass < 3; pass++) {
      const la = decodeDataflash(a);
      const lb = decodeDataflash(b);
      assert.deepEqual(column(la, 'CTUN', 'ThI').slice(-3), [-(rows - 3), -(rows - 2), -(rows - 1)]);
      assert.deepEqual(column(la, 'CTUN', 'Alt').slice(0, 3), [0, 0.5, 1]);
      assert.deepEqual(column(lb, 'CTUN', 'Alt').slice(-2), [(rows - 2) * 3, (rows - 1) * 3]);
      assert.deepEqual(column(lb, 'CTUN', 'ThI').slice(0, 3), [0, 1, 2]);
    }
  });

  it('tells apart FMT records that differ only in their labels (same type, length, name and format)', () => {
    const a = logWith('RATE', 'Qff', 'TimeUS,RDes,R', 3, (i) => [i, 10 + i, 20 + i]);
    const b = logWith('RATE', 'Qff', 'TimeUS,PDes,P', 3, (i) => [i, 30 + i, 40 + i]);
    for (let pass = 0; pass < 3; pass++) {
      assert.deepEqual(column(decodeDataflash(a), 'RATE', 'RDes'), [10, 11, 12]);
      assert.deepEqual(column(decodeDataflash(b), 'RATE', 'P'), [40, 41, 42]);
    }
  });

  it('keeps texts of one log out of another (PARM names)', () => {
    const parm = (names: string[]): Uint8Array => {
      const b = new DataflashLogBuilder().fmt(64, 'PARM', 'QNf', 'TimeUS,Name,Value');
      names.forEach((n, i) => b.data(64, [i, n, i]));
      return b.build();
    };
    const a = parm(['THR_MIN', 'THR_MAX', 'costarring']);
    const b = parm(['THR_MID', 'THR_MAX', 'liquid']);
    for (let pass = 0; pass < 3; pass++) {
      assert.deepEqual([...decodeDataflash(a).parameters.keys()], ['THR_MIN', 'THR_MAX', 'costarring']);
      assert.deepEqual([...decodeDataflash(b).parameters.keys()], ['THR_MID', 'THR_MAX', 'liquid']);
    }
  });
});
