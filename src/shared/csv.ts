/**
 * CSV writing (RFC 4180): a cell is quoted only when it holds a quote, comma or line break; lists are
 * joined with `;`, objects written as JSON, null and undefined as an empty cell.
 *
 * Two audiences, two modes:
 * - `csvLine` is for files a person opens (exports, reject reports): a text cell that starts like a
 *   spreadsheet formula (= + - @ tab CR) gets a leading quote mark, so opening the file cannot run it
 *   (CSV injection). A plain number such as `-3.5` is left alone.
 * - `csvDataLine` is for files a program reads back (the demo generator's import files): values are
 *   written exactly, because a neutralised cell would change the data.
 */
const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return v.map(cellText).join(';');
  return JSON.stringify(v) ?? '';
}

const quoted = (s: string): string => (NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function safeCell(v: unknown): string {
  const s = cellText(v);
  return quoted(FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s);
}

/** One record of a file meant for people (formulas neutralised), newline-terminated. */
export const csvLine = (values: readonly unknown[]): string => `${values.map(safeCell).join(',')}\n`;

/** One record of a file meant for programs (values exact), without the newline. */
export const csvDataLine = (values: readonly unknown[]): string => values.map((v) => quoted(cellText(v))).join(',');
