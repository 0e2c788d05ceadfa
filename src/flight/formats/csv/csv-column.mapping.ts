/**
 * How CSV columns map onto series (documented for users in docs/flight/csv-format.md).
 *
 * - One column is time. It is found by name unless {@link CsvMapping.timeColumn} names it.
 * - Every other column is a signal. A header `topic.field` puts the column in series `topic`;
 *   a header without the separator goes to series `csv` (or {@link CsvMapping.defaultTopic}).
 * - A unit may follow the name in brackets: `alt (m)`, `vel[m/s]`, `time (ms)`.
 */

export type TimeUnit = 's' | 'ms' | 'us';

export interface CsvMapping {
  /** Header of the time column (before any unit suffix). Default: auto-detected, see {@link TIME_NAMES}. */
  readonly timeColumn?: string;
  /** Unit of the time column. Default: from the unit suffix or the name; see docs. */
  readonly timeUnit?: TimeUnit;
  /** Cell separator. Default: whichever of `,` `;` tab occurs most in the header line. */
  readonly delimiter?: string;
  /** Splits `topic.field`; `''` disables splitting. Default `.`. */
  readonly topicSeparator?: string;
  /** Series name for headers without a topic. Default `csv`. */
  readonly defaultTopic?: string;
}

/**
 * Recognised time-column names, normalised (lower case, without `_ - . space`), and the unit each
 * implies. `auto` (bare `timestamp`) means microseconds when the values are integers (the PX4/pyulog
 * CSV convention), seconds otherwise; epoch-sized values override by magnitude in both cases.
 */
export const TIME_NAMES: ReadonlyMap<string, TimeUnit | 'auto'> = new Map<string, TimeUnit | 'auto'>([
  ['time', 's'],
  ['t', 's'],
  ['times', 's'],
  ['timesec', 's'],
  ['timeseconds', 's'],
  ['seconds', 's'],
  ['timestamps', 's'],
  ['timestampsec', 's'],
  ['timems', 'ms'],
  ['timemsec', 'ms'],
  ['timestampms', 'ms'],
  ['timebootms', 'ms'],
  ['timeus', 'us'],
  ['timeusec', 'us'],
  ['timestampus', 'us'],
  ['timestampusec', 'us'],
  ['timebootus', 'us'],
  ['timestamp', 'auto'],
]);

const UNIT_WORDS: ReadonlyMap<string, TimeUnit> = new Map<string, TimeUnit>([
  ['s', 's'],
  ['sec', 's'],
  ['secs', 's'],
  ['seconds', 's'],
  ['ms', 'ms'],
  ['msec', 'ms'],
  ['us', 'us'],
  ['µs', 'us'],
  ['μs', 'us'],
  ['usec', 'us'],
]);

export interface HeaderCell {
  /** The header text without its unit suffix, trimmed. */
  readonly name: string;
  readonly unit?: string;
}

/** Splits `alt (m)` / `alt[m]` into name and unit. */
export function parseHeaderCell(raw: string): HeaderCell {
  const text = raw.trim();
  const match = /^(.*?)\s*[([]\s*([^()[\]]*?)\s*[)\]]\s*$/.exec(text);
  if (match && match[1] !== '' && match[2] !== '') return { name: match[1]!, unit: match[2]! };
  return { name: text };
}

const normalise = (name: string): string => name.toLowerCase().replace(/[\s_\-.]/g, '');

export interface TimeColumn {
  readonly index: number;
  readonly unit: TimeUnit | 'auto';
}

/** Finds the time column in a header, or undefined when none is recognised / the named one is absent. */
export function findTimeColumn(
  cells: readonly HeaderCell[],
  mapping: CsvMapping = {},
): TimeColumn | undefined {
  let index: number;
  if (mapping.timeColumn !== undefined) {
    index = cells.findIndex((c) => c.name === mapping.timeColumn);
  } else {
    index = cells.findIndex((c) => TIME_NAMES.has(normalise(c.name)));
  }
  const cell = cells[index];
  if (cell === undefined) return undefined;
  if (mapping.timeUnit) return { index, unit: mapping.timeUnit };
  const fromSuffix = cell.unit === undefined ? undefined : UNIT_WORDS.get(cell.unit.toLowerCase());
  return { index, unit: fromSuffix ?? TIME_NAMES.get(normalise(cell.name)) ?? 's' };
}

/** Picks the delimiter that splits the header line into the most cells. */
export function detectDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t']) {
    const count = headerLine.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** Splits one record (already complete: quotes balanced) into cells, undoing `""` escapes. */
export function splitRecord(record: string, delimiter: string): string[] {
  if (!record.includes('"')) return record.split(delimiter);
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const ch = record[i]!;
    if (quoted) {
      if (ch === '"') {
        if (record[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/** Divisor from the unit to seconds (dividing is exact where multiplying by 1e-6 is not). */
export const UNIT_DIVISOR: Record<TimeUnit, number> = { s: 1, ms: 1e3, us: 1e6 };
