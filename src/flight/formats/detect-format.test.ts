import assert from 'node:assert/strict';
import { REAL_LOGS } from './fuzz/corpus.js';
import { openSync, readSync, closeSync } from 'node:fs';
import { describe, it } from 'node:test';
import { missingSharedNotice, sharedFile } from '../../../test/support/shared-data.js';
import { generateCsv } from './csv/csv-sample.generator.js';
import { FlightDecodeError } from './decoded-log.js';
import { decodeFlightLog, decoderFor, detectFormat, DETECT_HEAD_BYTES } from './index.js';
import { generateTlog } from './tlog/tlog-generator.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const head = (path: string): Uint8Array => {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(DETECT_HEAD_BYTES);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } finally {
    closeSync(fd);
  }
};
const formatOf = (bytes: Uint8Array): string => {
  const d = detectFormat(bytes);
  return d instanceof FlightDecodeError ? d.code : d.format;
};

const REAL = REAL_LOGS;

describe('detectFormat on the real logs', () => {
  for (const [name, format] of REAL) {
    const rel = `flightlogs/${name}`;
    const path = sharedFile(rel);
    it(`${name} is ${format}`, { skip: path ? false : missingSharedNotice(rel) }, () => {
      const detected = detectFormat(head(path!));
      assert.ok(
        !(detected instanceof FlightDecodeError),
        detected instanceof FlightDecodeError ? detected.message : '',
      );
      assert.equal(detected.format, format);
      assert.equal(detected.confidence, 1);
    });
  }
});

describe('detectFormat on generated and hostile input', () => {
  it('recognises a tlog by consecutive CRC-valid frames, also after leading junk', () => {
    const { bytes } = generateTlog({ seed: 1, seconds: 2 });
    const d = detectFormat(bytes);
    assert.ok(!(d instanceof FlightDecodeError));
    assert.equal(d.format, 'tlog');
    assert.ok(d.confidence > 0.95);
    const junk = new Uint8Array(37).fill(0x41);
    const shifted = new Uint8Array(junk.length + bytes.length);
    shifted.set(junk);
    shifted.set(bytes, junk.length);
    const late = detectFormat(shifted);
    assert.ok(!(late instanceof FlightDecodeError));
    assert.equal(late.format, 'tlog');
    assert.match(late.reason, /from byte 37/);
  });

  it('recognises CSV by a header with a time column, with BOM and semicolons', () => {
    assert.equal(formatOf(generateCsv({ seed: 1, bom: true, crlf: true }).bytes), 'csv');
    assert.equal(formatOf(utf8('TimeUS;Roll;Pitch\n1;2;3\n')), 'csv');
  });

  it('names what unsupported input looks like', () => {
    const cases: ReadonlyArray<[Uint8Array, RegExp]> = [
      [new Uint8Array(0), /empty/],
      [Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0]), /gzip/],
      [utf8('FMT, 128, 89, FMT, BBnNZ, Type,Length,Name,Format,Columns\n'), /ArduPilot text log/],
      [utf8('alpha,beta\n1,2\n'), /without a recognised time column/],
      [Uint8Array.from({ length: 64 }, (_, i) => (i * 97 + 13) & 0xff), /first bytes 0d 6e cf/],
      [Uint8Array.from([0x55, 0x4c, 0x6f, 0x67, 0x02]), /ULog header/],
    ];
    for (const [bytes, pattern] of cases) {
      const d = detectFormat(bytes);
      assert.ok(d instanceof FlightDecodeError, `expected an error for ${pattern}`);
      assert.equal(d.code, 'UNSUPPORTED_FORMAT');
      assert.match(d.message, pattern);
    }
  });
});

describe('decodeFlightLog', () => {
  it('detects and decodes generated tlog and CSV', () => {
    assert.equal(decodeFlightLog(generateTlog({ seed: 2, seconds: 1 }).bytes).format, 'tlog');
    assert.equal(decodeFlightLog(generateCsv({ seed: 2 }).bytes).format, 'csv');
    assert.equal(typeof decoderFor('ulog'), 'function');
  });

  it('throws UNSUPPORTED_FORMAT for unknown bytes', () => {
    assert.throws(
      () => decodeFlightLog(utf8('hello world')),
      (e: unknown) => e instanceof FlightDecodeError && e.code === 'UNSUPPORTED_FORMAT',
    );
  });

  for (const [name, format] of [REAL[4]!, REAL[5]!]) {
    const rel = `flightlogs/${name}`;
    const path = sharedFile(rel);
    it(`decodes ${name} as ${format}`, { skip: path ? false : missingSharedNotice(rel) }, async () => {
      const { readFile } = await import('node:fs/promises');
      const log = decodeFlightLog(new Uint8Array(await readFile(path!)));
      assert.equal(log.format, format);
      assert.ok(log.series.length > 10);
    });
  }
});
