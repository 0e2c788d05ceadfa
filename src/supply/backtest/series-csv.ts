import { AppError } from '../../shared/app-error.js';

/**
 * Demand-history CSV: one row per part — an id column (the first column), any attribute columns,
 * and one column per period in time order. A column is a period when its header is `YYYY-MM`,
 * `YYYY-MM-DD` or `t` + digits; every other column is an attribute.
 */

/** One part's history. `values[i]` is demand in `periods[i]`; NaN marks a missing observation. */
export interface DemandSeries {
  readonly id: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly values: Float64Array;
}

export interface SeriesSet {
  /** Period headers in time order. */
  readonly periods: readonly string[];
  readonly attributeColumns: readonly string[];
  readonly series: readonly DemandSeries[];
  /** How many cells were missing, and how many negative cells (returns) were set to zero. */
  readonly missingCells: number;
  readonly negativeCells: number;
}

export interface ParseSeriesOptions {
  /** `skip`: an empty cell is NA (dropped from fitting and scoring); `zero`: it is demand 0. */
  readonly missing?: 'skip' | 'zero';
}

export type SeriesCsvErrorCode =
  | 'SERIES_CSV_EMPTY'
  | 'SERIES_CSV_UNTERMINATED_QUOTE'
  | 'SERIES_CSV_DUPLICATE_COLUMN'
  | 'SERIES_CSV_NO_PERIOD_COLUMNS'
  | 'SERIES_CSV_NO_ID_COLUMN'
  | 'SERIES_CSV_PERIODS_NOT_ORDERED'
  | 'SERIES_CSV_RAGGED_ROW'
  | 'SERIES_CSV_EMPTY_ID'
  | 'SERIES_CSV_DUPLICATE_ID'
  | 'SERIES_CSV_NON_NUMERIC'
  | 'SERIES_CSV_VALUE_OUT_OF_RANGE';

/** Bad input, never a bug: a 400 naming the line and column, rendered by the one error handler. */
export class SeriesCsvError extends AppError {
  declare readonly code: SeriesCsvErrorCode;
  constructor(code: SeriesCsvErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, 400, message, { details });
    this.name = 'SeriesCsvError';
  }
}

/** Largest accepted |demand| per period: beyond it a cell is a unit or export error, not demand. */
export const MAX_ABS_DEMAND = 1e12;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DAY = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const TICK = /^t(\d+)$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

type PeriodKind = 'month' | 'day' | 'tick';

function periodKind(header: string): PeriodKind | undefined {
  if (MONTH.test(header)) return 'month';
  if (DAY.test(header)) return 'day';
  if (TICK.test(header)) return 'tick';
  return undefined;
}

/** RFC 4180 records with their 1-based starting line; accepts LF and CRLF, quoted commas/newlines. */
function* records(text: string): Generator<{ fields: string[]; line: number }> {
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    for (;;) {
      if (i < n && text[i] === '"') {
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= n) {
            throw new SeriesCsvError('SERIES_CSV_UNTERMINATED_QUOTE', `line ${quoteLine}: a quoted field is never closed`, {
              line: quoteLine,
            });
          }
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
      }
      // Unquoted part (or text after a closing quote, kept verbatim as lenient parsers do).
      while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      if (i < n && text[i] === ',') {
        fields.push(field);
        field = '';
        i++;
        continue;
      }
      fields.push(field);
      if (i < n && text[i] === '\r') i++;
      if (i < n && text[i] === '\n') i++;
      line++;
      break;
    }
    yield { fields, line: startLine };
  }
}

const isBlank = (fields: readonly string[]): boolean => fields.every((f) => f.trim() === '');

/**
 * Parses a demand-history CSV. Invariants of the result: every series has exactly
 * `periods.length` values; values are finite and ≥ 0 or NaN (only with `missing: 'skip'`);
 * negative cells are returns and become 0. Blank lines are ignored. Anything else that is not
 * a well-formed table (ragged rows, non-numeric or out-of-range cells, no period columns, periods
 * out of time order, duplicate ids or columns) throws a `SeriesCsvError` naming line and column.
 */
export function parseSeriesCsv(text: string, options: ParseSeriesOptions = {}): SeriesSet {
  const missing = options.missing ?? 'skip';
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const it = records(body);
  let head = it.next();
  while (!head.done && isBlank(head.value.fields)) head = it.next();
  if (head.done) throw new SeriesCsvError('SERIES_CSV_EMPTY', 'the file has no header row');
  const headers = head.value.fields.map((h) => h.trim());
  const seen = new Set<string>();
  for (const [c, h] of headers.entries()) {
    if (seen.has(h)) {
      throw new SeriesCsvError('SERIES_CSV_DUPLICATE_COLUMN', `column ${c + 1}: header "${h}" appears twice`, {
        column: h,
      });
    }
    seen.add(h);
  }
  const kinds = headers.map(periodKind);
  const periodIdx: number[] = [];
  const attrIdx: number[] = [];
  kinds.forEach((k, c) => (k === undefined ? attrIdx : periodIdx).push(c));
  if (periodIdx.length === 0) {
    throw new SeriesCsvError(
      'SERIES_CSV_NO_PERIOD_COLUMNS',
      'no period columns: headers must look like YYYY-MM, YYYY-MM-DD or t<digits>',
      { headers: headers.slice(0, 20) },
    );
  }
  if (kinds[0] !== undefined) {
    throw new SeriesCsvError('SERIES_CSV_NO_ID_COLUMN', 'the first column must be the part id, not a period', {
      column: headers[0],
    });
  }
  const periods = periodIdx.map((c) => headers[c]!);
  const kind = kinds[periodIdx[0]!]!;
  for (let j = 1; j < periods.length; j++) {
    const prev = periods[j - 1]!;
    const cur = periods[j]!;
    const sameKind = kinds[periodIdx[j]!] === kind;
    const ordered = kind === 'tick' ? Number(cur.slice(1)) > Number(prev.slice(1)) : cur > prev;
    if (!sameKind || !ordered) {
      throw new SeriesCsvError(
        'SERIES_CSV_PERIODS_NOT_ORDERED',
        `period column "${cur}" does not follow "${prev}": period columns must be one kind, strictly in time order`,
        { column: cur },
      );
    }
  }
  const idIdx = attrIdx[0]!;
  const otherAttrs = attrIdx.slice(1);
  const series: DemandSeries[] = [];
  const ids = new Set<string>();
  let missingCells = 0;
  let negativeCells = 0;
  for (const { fields, line } of it) {
    if (isBlank(fields)) continue;
    if (fields.length !== headers.length) {
      throw new SeriesCsvError(
        'SERIES_CSV_RAGGED_ROW',
        `line ${line}: ${fields.length} fields, the header has ${headers.length}`,
        { line, fields: fields.length, expected: headers.length },
      );
    }
    const id = fields[idIdx]!.trim();
    if (id === '') throw new SeriesCsvError('SERIES_CSV_EMPTY_ID', `line ${line}: the id is empty`, { line });
    if (ids.has(id)) throw new SeriesCsvError('SERIES_CSV_DUPLICATE_ID', `line ${line}: id "${id}" repeats`, { line, id });
    ids.add(id);
    const attributes: Record<string, string> = {};
    for (const c of otherAttrs) attributes[headers[c]!] = fields[c]!.trim();
    const values = new Float64Array(periodIdx.length);
    for (let j = 0; j < periodIdx.length; j++) {
      const cell = fields[periodIdx[j]!]!.trim();
      if (cell === '') {
        missingCells++;
        values[j] = missing === 'zero' ? 0 : Number.NaN;
        continue;
      }
      if (!NUMBER.test(cell)) {
        throw new SeriesCsvError(
          'SERIES_CSV_NON_NUMERIC',
          `line ${line}, column "${periods[j]}": "${cell.slice(0, 40)}" is not a number`,
          { line, column: periods[j] },
        );
      }
      const v = Number(cell);
      if (!Number.isFinite(v) || Math.abs(v) > MAX_ABS_DEMAND) {
        throw new SeriesCsvError(
          'SERIES_CSV_VALUE_OUT_OF_RANGE',
          `line ${line}, column "${periods[j]}": ${cell.slice(0, 40)} is beyond ±${MAX_ABS_DEMAND} units`,
          { line, column: periods[j] },
        );
      }
      if (v < 0) negativeCells++;
      values[j] = v > 0 ? v : 0; // returns (negative) count as zero demand; −0 → 0
    }
    series.push({ id, attributes, values });
  }
  return {
    periods,
    attributeColumns: otherAttrs.map((c) => headers[c]!),
    series,
    missingCells,
    negativeCells,
  };
}
