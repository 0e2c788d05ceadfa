import { Type } from 'typebox';
import { badRequest } from '../shared/app-error.js';

/** Keyset cursor: the sort value and id of the last row of the previous page, opaque to clients. */
export interface Cursor {
  readonly v: string;
  readonly id: string;
}

export const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof c.v === 'string' && typeof c.id === 'string' && c.v.length < 500 && c.id.length < 100) return { v: c.v, id: c.id };
  } catch {
    // fall through to the error below
  }
  throw badRequest('VALIDATION_FAILED', 'cursor is not one this API issued', { field: 'cursor', rule: 'format' });
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
