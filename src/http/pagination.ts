import { Type } from 'typebox';
import { badRequest } from '../shared/app-error.js';

/**
 * Keyset cursors, opaque to clients: the last row's sort value and its tiebreak ids, plus the scope
 * (list and sort) the cursor was issued for, so a cursor from another list or sort is refused instead
 * of silently returning the wrong page. Lists with one sort use the empty scope.
 */
export interface KeysetCursor {
  readonly v: string | null;
  readonly ids: readonly string[];
}

/** The common case: a non-null sort value and one id. */
export interface Cursor {
  readonly v: string;
  readonly id: string;
}

export const badCursor = () => badRequest('VALIDATION_FAILED', 'cursor is not one this API issued', { field: 'cursor', rule: 'format' });

export const encodeKeysetCursor = (c: KeysetCursor, scope = ''): string =>
  Buffer.from(JSON.stringify({ s: scope, v: c.v, i: c.ids })).toString('base64url');

export function decodeKeysetCursor(raw: string | undefined, scope = ''): KeysetCursor | undefined {
  if (raw === undefined || raw === '') return undefined;
  let c: { s?: unknown; v?: unknown; i?: unknown } | null;
  try {
    c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as typeof c;
  } catch {
    throw badCursor();
  }
  if (typeof c !== 'object' || c === null || c.s !== scope) throw badCursor();
  const valueOk = c.v === null || (typeof c.v === 'string' && c.v.length <= 500);
  const idsOk = Array.isArray(c.i) && c.i.length >= 1 && c.i.length <= 4 && c.i.every((x) => typeof x === 'string' && x.length <= 200);
  if (!valueOk || !idsOk) throw badCursor();
  return { v: c.v as string | null, ids: c.i as string[] };
}

export const encodeCursor = (c: Cursor): string => encodeKeysetCursor({ v: c.v, ids: [c.id] });

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  const c = decodeKeysetCursor(raw);
  if (c === undefined) return undefined;
  if (c.v === null || c.ids.length !== 1) throw badCursor();
  return { v: c.v, id: c.ids[0]! };
}

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 600 })),
};

/** Builds `{ items, nextCursor }` from a page fetched with limit + 1 rows. */
export function page<T>(rows: T[], limit: number, cursorOf: (last: T) => Cursor): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}
