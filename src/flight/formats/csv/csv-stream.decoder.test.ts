import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectDecodedLog } from '../collect.js';
import { FlightDecodeError, type DecodedLog, type DecodedSeries } from '../decoded-log.js';
import { generateCsv } from './csv-sample.generator.js';
import { createCsvDecoder, decodeCsv, findTimeColumn, parseHeaderCell } from './index.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const series = (log: DecodedLog, topic: string): DecodedSeries => {
  const found = log.series.find((s) => s.topic === topic);
  assert.ok(found, `series ${topic}`);
  return found;
};
const col = (s: DecodedSeries, name: string): number[] => [...(s.columns.get(name) as Float64Array)];
const same = (a: number[], b: readonly number[]): void =>
  assert.deepEqual(
    a.map((x) => (Number.isNaN(x) ? 'NaN' : x)),
    b.map((x) => (Number.isNaN(x) ? 'NaN' : x)),
  );

describe('CSV mapping', () => {
  it('recognises time columns and their units by name and suffix', () => {
    const unit = (header: string): string | undefined => findTimeColumn([parseHeaderCell(header)])?.unit;
    assert.equal(unit('time'), 's');
    assert.equal(unit('Time_s'), 's');
    assert.equal(unit('TimeUS'), 'us');
    assert.equal(unit('timestamp_us'), 'us');
    assert.equal(unit('time_boot_ms'), 'ms');
    assert.equal(unit('time (ms)'), 'ms');
    assert.equal(unit('timestamp'), 'auto');
    assert.equal(unit('altitude'), undefined);
    assert.deepEqual(parseHeaderCell(' alt [m] '), { name: 'alt', unit: 'm' });
  });
});

describe('CSV decoder', () => {
  it('decodes a generated file with BOM, CRLF, quoted cells and empty cells', () => {
    const gen = generateCsv({ seed: 4, rows: 300, bom: true, crlf: true });
    const log = decodeCsv(gen.bytes);
    assert.equal(log.format, 'csv');
    assert.equal(log.completeness, 'complete');
    assert.deepEqual(log.warnings, []);
    assert.deepEqual(
      log.series.map((s) => s.topic),
      ['attitude', 'battery', 'gps', 'csv'],
    );
    const attitude = series(log, 'attitude');
    const keep = gen.times.map(
      (_, i) =>
        !(
          Number.isNaN(gen.signals.get('attitude.roll')![i]!) &&
          Number.isNaN(gen.signals.get('attitude.pitch')![i]!)
        ),
    );
    same(
      [...attitude.timestamps],
      gen.times.filter((_, i) => keep[i]),
    );
    same(
      col(attitude, 'roll'),
      gen.signals.get('attitude.roll')!.filter((_, i) => keep[i]),
    );
    const notes = series(log, 'csv');
    assert.equal(notes.fields[0]!.sourceType, 'string');
    assert.deepEqual(
      notes.columns.get('note'),
      gen.notes.filter((n) => n !== ''),
    );
  });

  it('gives the same result whatever the chunking, including splits inside quotes and UTF-8', () => {
    const gen = generateCsv({ seed: 9, rows: 50, crlf: true });
    const text = new TextDecoder().decode(gen.bytes).replace('motor 3, hot', 'moteur 3, chaud ✈');
    const bytes = utf8(text);
    const whole = decodeCsv(bytes);
    for (const size of [1, 2, 7, 64]) {
      assert.deepEqual(
        collectDecodedLog((sink) => createCsvDecoder(sink), bytes, size),
        whole,
        `chunk ${size}`,
      );
    }
  });

  it('converts ms and s time columns to seconds and keeps units from headers', () => {
    const log = decodeCsv(utf8('time_ms,alt (m)\n1500,10\n1520,11\n'));
    same([...series(log, 'csv').timestamps], [1.5, 1.52]);
    assert.equal(series(log, 'csv').fields[0]!.unit, 'm');
    const seconds = decodeCsv(utf8('time;x\n0.5;1\n1;2\n'));
    same([...seconds.series[0]!.timestamps], [0.5, 1]);
  });

  it('reads bare integer `timestamp` as microseconds and epoch seconds by magnitude', () => {
    same([...decodeCsv(utf8('timestamp,x\n1000000,1\n1020000,2\n')).series[0]!.timestamps], [1, 1.02]);
    same([...decodeCsv(utf8('time,x\n1700000000123,1\n')).series[0]!.timestamps], [1700000000.123]);
  });

  it('honours an explicit mapping', () => {
    const log = decodeCsv(utf8('clock|a.b\n5|1\n'), {
      timeColumn: 'clock',
      timeUnit: 'ms',
      delimiter: '|',
      topicSeparator: '',
    });
    assert.equal(log.series[0]!.topic, 'csv');
    assert.equal(log.series[0]!.fields[0]!.name, 'a.b');
    same([...log.series[0]!.timestamps], [0.005]);
  });

  it('reports a cut last line as truncated and bad time cells as recovered corruption', () => {
    const cut = decodeCsv(utf8('time,a,b\n1,2,3\n2,4'));
    assert.equal(cut.completeness, 'truncated');
    assert.equal(cut.series[0]!.timestamps.length, 1);
    const bad = decodeCsv(utf8('time,a\n1,2\nxx,3\n3,4\n'));
    assert.equal(bad.completeness, 'corrupt_recovered');
    same([...bad.series[0]!.timestamps], [1, 3]);
  });

  it('throws FlightDecodeError without a time column or on empty input', () => {
    assert.throws(
      () => decodeCsv(utf8('alpha,beta\n1,2\n')),
      (e: unknown) => e instanceof FlightDecodeError && e.code === 'CSV_NO_TIME_COLUMN',
    );
    assert.throws(
      () => decodeCsv(new Uint8Array(0)),
      (e: unknown) => e instanceof FlightDecodeError && e.code === 'EMPTY_LOG',
    );
  });
});
