// The flight compute thread gives exactly what the inline computations give, and fails like them.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { missingSharedNotice, sharedFile } from '../../../test/support/shared-data.js';
import { FlightDecodeError, type LogFormat } from '../../flight/formats/index.js';
import { inlineFlightCompute } from './flight-compute.js';
import { threadFlightCompute } from './flight-compute.thread.js';
import { transferablesOf } from './flight-compute.protocol.js';

const LOG = 'flightlogs/ardupilot_copter_4.1.3_good_prop_hover_1.BIN';
const CHUNK = 64 * 1024;

async function* chunksOf(bytes: Uint8Array, failAfter = Infinity): AsyncGenerator<Uint8Array> {
  for (let at = 0, n = 0; at < bytes.length; at += CHUNK, n++) {
    if (n >= failAfter) throw new Error('disk read failed');
    yield bytes.subarray(at, at + CHUNK);
  }
}

const thread = threadFlightCompute();
const inline = inlineFlightCompute();
after(() => thread.close());

describe('flight compute thread', () => {
  const path = sharedFile(LOG);
  const skip = path ? false : missingSharedNotice(LOG);
  const bytes = (): Uint8Array => readFileSync(path!);

  it('decode, analyze and the report HTML equal the inline results on a real log', { skip }, async () => {
    const log = bytes();
    for (const task of ['decode', 'analyze'] as const) {
      const [onThread, here] = await Promise.all([
        thread.run(task, 'dataflash', log.length, chunksOf(log)),
        inline.run(task, 'dataflash', log.length, chunksOf(log)),
      ]);
      assert.deepEqual(onThread, here, task);
    }
    const { report } = await inline.run('analyze', 'dataflash', log.length, chunksOf(log));
    const input = { report, sourceName: 'good_prop_hover_1.BIN' };
    const [html, inlineHtml] = await Promise.all([
      thread.run('reportHtml', 'dataflash', log.length, chunksOf(log), input),
      inline.run('reportHtml', 'dataflash', log.length, chunksOf(log), input),
    ]);
    assert.equal(html, inlineHtml);
    assert.match(html, /^<!doctype html>/i);
    assert.ok(html.includes('good_prop_hover_1.BIN'));
    assert.ok(html.includes('<svg'), 'the report carries its plots');
  });

  it('runs started together complete independently', { skip }, async () => {
    const log = bytes();
    const results = await Promise.all([1, 2, 3].map(() => thread.run('analyze', 'dataflash', log.length, chunksOf(log))));
    for (const r of results) assert.deepEqual(r.report, results[0]!.report);
  });

  it('a file the decoder refuses rejects with the same FlightDecodeError as inline', async () => {
    const garbage = new Uint8Array(300_000).fill(7);
    const outcome = async (format: LogFormat, compute: typeof thread): Promise<FlightDecodeError> => {
      const e = await compute.run('analyze', format, garbage.length, chunksOf(garbage)).then(
        () => assert.fail('should refuse'),
        (error: unknown) => error,
      );
      assert.ok(e instanceof FlightDecodeError);
      return e;
    };
    for (const format of ['ulog', 'dataflash'] as const) {
      const [a, b] = [await outcome(format, thread), await outcome(format, inline)];
      assert.deepEqual({ code: a.code, message: a.message, offset: a.offset, format: a.format }, { code: b.code, message: b.message, offset: b.offset, format: b.format });
    }
  });

  it('a read error mid-file rejects with it, and the thread serves the next run', { skip }, async () => {
    const log = bytes();
    await assert.rejects(thread.run('decode', 'dataflash', log.length, chunksOf(log, 10)), /disk read failed/);
    const next = await thread.run('decode', 'dataflash', log.length, chunksOf(log));
    assert.equal(next.kind, 'decoded');
  });

  it('closing rejects the runs in progress; the next run starts a new thread', { skip }, async () => {
    const compute = threadFlightCompute();
    const log = bytes();
    const rejected = assert.rejects(compute.run('analyze', 'dataflash', log.length, chunksOf(log)), /closed/);
    await compute.close();
    await rejected;
    const again = await compute.run('decode', 'dataflash', log.length, chunksOf(log));
    assert.equal(again.kind, 'decoded');
    await compute.close();
  });
});

describe('transferablesOf', () => {
  it('moves each large buffer once, through arrays, objects and maps, and never a small (pool-sized) one', () => {
    const big = new Float64Array(10_000);
    const small = Buffer.from('pooled');
    const found = transferablesOf({ a: big, b: [big.subarray(5)], m: new Map([['x', { big }]]), small, n: 1, s: 'x' });
    assert.deepEqual(found, [big.buffer]);
  });
});
