import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../shared/app-error.js';
import { parseSeriesCsv, SeriesCsvError, type SeriesCsvErrorCode } from './series-csv.js';

function throwsCode(text: string, code: SeriesCsvErrorCode, messagePart?: RegExp): void {
  assert.throws(
    () => parseSeriesCsv(text),
    (e: unknown) => {
      assert.ok(e instanceof SeriesCsvError);
      assert.ok(e instanceof AppError);
      assert.equal(e.code, code);
      assert.equal(e.status, 400);
      if (messagePart) assert.match(e.message, messagePart);
      return true;
    },
  );
}

describe('parseSeriesCsv', () => {
  it('splits id, attributes and period columns; empty = NA (skip) or 0 (zero); negatives → 0', () => {
    const text = 'part,desc,lead,2001-01,2001-02,2001-03\nA,"VALVE, BLEED",3,1,,-2\nB,x,0,0,4,2.5\n';
    const s = parseSeriesCsv(text);
    assert.deepEqual(s.periods, ['2001-01', '2001-02', '2001-03']);
    assert.deepEqual(s.attributeColumns, ['desc', 'lead']);
    assert.equal(s.series[0]!.id, 'A');
    assert.deepEqual(s.series[0]!.attributes, { desc: 'VALVE, BLEED', lead: '3' });
    assert.ok(Number.isNaN(s.series[0]!.values[1]!));
    assert.equal(s.series[0]!.values[2], 0);
    assert.deepEqual([...s.series[1]!.values], [0, 4, 2.5]);
    assert.equal(s.missingCells, 1);
    assert.equal(s.negativeCells, 1);
    assert.deepEqual([...parseSeriesCsv(text, { missing: 'zero' }).series[0]!.values], [1, 0, 0]);
  });

  it('accepts BOM, CRLF, quoted ids with commas/quotes/newlines, blank lines, t-digits and day periods', () => {
    const text = '\uFEFFid,t1,t2,t10\r\n"X, ""1""\nY",1,2,3\r\n\r\nZ,0,0,1\r\n';
    const s = parseSeriesCsv(text);
    assert.deepEqual(s.periods, ['t1', 't2', 't10']); // numeric order, not string order
    assert.equal(s.series[0]!.id, 'X, "1"\nY');
    assert.equal(s.series.length, 2);
    assert.deepEqual(parseSeriesCsv('id,2020-01-01,2020-01-08\na,1,2').periods, ['2020-01-01', '2020-01-08']);
  });

  it('ragged rows name the line', () => {
    throwsCode('id,2001-01,2001-02\na,1,2\nb,1\n', 'SERIES_CSV_RAGGED_ROW', /line 3/);
    throwsCode('id,2001-01,2001-02\na,1,2,3\n', 'SERIES_CSV_RAGGED_ROW');
  });

  it('non-numeric cells name line and column', () => {
    throwsCode('id,2001-01,2001-02\na,1,abc\n', 'SERIES_CSV_NON_NUMERIC', /line 2, column "2001-02"/);
    throwsCode('id,2001-01\na,0x10\n', 'SERIES_CSV_NON_NUMERIC');
    throwsCode('id,2001-01\na,1 000\n', 'SERIES_CSV_NON_NUMERIC');
    throwsCode('id,2001-01\na,NaN\n', 'SERIES_CSV_NON_NUMERIC');
    throwsCode('id,2001-01\na,Infinity\n', 'SERIES_CSV_NON_NUMERIC');
  });

  it('huge numbers are rejected, not silently rounded to Infinity', () => {
    throwsCode('id,2001-01\na,1e400\n', 'SERIES_CSV_VALUE_OUT_OF_RANGE');
    throwsCode('id,2001-01\na,2000000000000\n', 'SERIES_CSV_VALUE_OUT_OF_RANGE');
    assert.equal(parseSeriesCsv('id,2001-01\na,999999999999\n').series[0]!.values[0], 999999999999);
    throwsCode(`id,2001-01\na,${'9'.repeat(5000)}\n`, 'SERIES_CSV_VALUE_OUT_OF_RANGE');
  });

  it('structure errors: empty file, no period columns, period first, disorder, duplicates, open quote', () => {
    throwsCode('', 'SERIES_CSV_EMPTY');
    throwsCode('\n\n', 'SERIES_CSV_EMPTY');
    throwsCode('id,name,price\na,b,1\n', 'SERIES_CSV_NO_PERIOD_COLUMNS');
    throwsCode('2001-01,id\n1,a\n', 'SERIES_CSV_NO_ID_COLUMN');
    throwsCode('id,2001-02,2001-01\na,1,2\n', 'SERIES_CSV_PERIODS_NOT_ORDERED');
    throwsCode('id,2001-01,t2\na,1,2\n', 'SERIES_CSV_PERIODS_NOT_ORDERED');
    throwsCode('id,2001-13\na,1\n', 'SERIES_CSV_NO_PERIOD_COLUMNS'); // month 13 is not a period
    throwsCode('id,2001-01,2001-01\na,1,2\n', 'SERIES_CSV_DUPLICATE_COLUMN');
    throwsCode('id,2001-01\na,1\na,2\n', 'SERIES_CSV_DUPLICATE_ID');
    throwsCode('id,2001-01\n ,1\n', 'SERIES_CSV_EMPTY_ID');
    throwsCode('id,2001-01\n"a,1\n', 'SERIES_CSV_UNTERMINATED_QUOTE', /line 2/);
  });

  it('a header-only file is an empty set, not an error', () => {
    const s = parseSeriesCsv('id,2001-01\n');
    assert.equal(s.series.length, 0);
  });
});
