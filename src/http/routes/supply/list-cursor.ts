import { badRequest } from '../../../shared/app-error.js';

/**
 * Opaque keyset cursors for the supply lists. A cursor carries the last row's sort value and
 * tiebreak ids and names the list and sort it came from, so a cursor from another list or sort
 * is refused instead of silently returning the wrong page.
 */
export function encodeListCursor(next: { v: string | null; ids: readonly string[] }, scope: string): string {
  return Buffer.from(JSON.stringify({ s: scope, v: next.v, i: next.ids })).toString('base64url');
}

export function decodeListCursor(raw: string | undefined, scope: string): { v: string | null; ids: string[] } | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { s?: unknown; v?: unknown; i?: unknown };
    if (c.s === scope && (typeof c.v === 'string' || c.v === null) && Array.isArray(c.i) && c.i.length <= 4 && c.i.every((x) => typeof x === 'string' && x.length <= 200)) {
      return { v: c.v, ids: c.i as string[] };
    }
  } catch {
    // fall through
  }
  throw badRequest('VALIDATION_FAILED', 'cursor is not one this list and sort issued', { field: 'cursor', rule: 'format' });
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : Array.isArray(v) ? v.map(String).join(';') : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  // Neutralise spreadsheet formulas (CSV injection): a leading = + - @ tab or CR gets a quote mark.
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record (RFC 4180 quoting where needed), newline-terminated. */
export const csvLine = (values: readonly unknown[]): string => `${values.map(csvCell).join(',')}\n`;
