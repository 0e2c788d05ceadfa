import { badRequest } from '../../shared/app-error.js';
import type { TenantClient } from '../db/with-tenant.js';

/** A sortable column: `expr` must match an index's expression for large tables. */
export interface SortSpec {
  readonly expr: string;
  /** SQL type the cursor value is cast to. */
  readonly type: 'text' | 'numeric' | 'timestamptz' | 'date' | 'integer' | 'double precision' | 'uuid';
}

export type FilterSpec =
  | { readonly kind: 'eq'; readonly expr: string; readonly type: string }
  | { readonly kind: 'in'; readonly expr: string; readonly type: string }
  | { readonly kind: 'gte' | 'lte' | 'gt' | 'lt'; readonly expr: string; readonly type: string }
  | { readonly kind: 'search'; readonly expr: string }
  | { readonly kind: 'contains'; readonly expr: string; readonly type: string }
  | { readonly kind: 'flag'; readonly sql: string }
  /** Free SQL with one bound value at `{p}` (e.g. an EXISTS over a link table). */
  | { readonly kind: 'sql'; readonly sql: string; readonly type: string };

/**
 * How an entity is listed: FROM clause (with joins for natural keys), selected columns, the
 * unique tiebreak (one or more columns) that makes keyset pagination exact, the allowed sorts and
 * filters. Every value reaches SQL as a bound parameter; only names from the spec become SQL text.
 */
export interface ListSpec<T> {
  readonly from: string;
  readonly select: string;
  readonly tiebreak: readonly SortSpec[];
  readonly sorts: Readonly<Record<string, SortSpec>>;
  readonly defaultSort: string;
  readonly filters: Readonly<Record<string, FilterSpec>>;
  readonly view: (row: Record<string, unknown>) => T;
}

export interface ListQuery {
  /** A sort name, `-name` for descending. */
  readonly sort?: string | undefined;
  readonly filters: Readonly<Record<string, unknown>>;
  readonly limit: number;
  /** Decoded cursor: sort value and tiebreak values of the last row of the previous page. */
  readonly after?: { readonly v: string | null; readonly ids: readonly string[] } | undefined;
}

export interface Page<T> {
  readonly items: T[];
  /** Cursor of the last row, when there may be more. */
  readonly next: { readonly v: string | null; readonly ids: string[] } | null;
}

const asText = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));
const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function resolveSort<T>(spec: ListSpec<T>, sort: string | undefined): { name: string; col: SortSpec; desc: boolean } {
  const raw = sort ?? spec.defaultSort;
  const desc = raw.startsWith('-');
  const name = desc ? raw.slice(1) : raw;
  const col = spec.sorts[name];
  if (!col) throw badRequest('VALIDATION_FAILED', `sort must be one of ${Object.keys(spec.sorts).map((s) => `${s}, -${s}`).join(', ')}`, { field: 'sort', rule: 'enum' });
  return { name, col, desc };
}

/**
 * One keyset page: `WHERE filters AND (sort, tiebreak…) > (cursor)` ORDER BY sort, tiebreak LIMIT
 * n+1. The sort value is compared as a row with the tiebreak, so equal sort values never repeat
 * or skip rows between pages. Sort expressions are non-null by construction (coalesced in the spec).
 */
export async function listPage<T>(db: TenantClient, spec: ListSpec<T>, q: ListQuery): Promise<Page<T>> {
  const params: unknown[] = [];
  const bind = (v: unknown, type?: string): string => `$${params.push(v)}${type ? `::${type}` : ''}`;
  const where: string[] = [];
  for (const [name, value] of Object.entries(q.filters)) {
    if (value === undefined || value === null || value === '') continue;
    const f = spec.filters[name];
    if (!f) continue;
    switch (f.kind) {
      case 'eq':
        where.push(`${f.expr} = ${bind(value, f.type)}`);
        break;
      case 'in':
        where.push(`${f.expr} = ANY(${bind(asText(value).split(',').map((s) => s.trim()).filter(Boolean), `${f.type}[]`)})`);
        break;
      case 'gte': case 'lte': case 'gt': case 'lt':
        where.push(`${f.expr} ${{ gte: '>=', lte: '<=', gt: '>', lt: '<' }[f.kind]} ${bind(value, f.type)}`);
        break;
      case 'search':
        where.push(`${f.expr} ILIKE ${bind(`%${escapeLike(asText(value))}%`)}`);
        break;
      case 'contains':
        where.push(`${f.expr} @> ARRAY[${bind(value, f.type)}]`);
        break;
      case 'flag':
        if (value === true || value === 'true') where.push(f.sql);
        break;
      case 'sql':
        where.push(f.sql.replace('{p}', bind(value, f.type)));
        break;
    }
  }
  const { col, desc } = resolveSort(spec, q.sort);
  const keys = [col, ...spec.tiebreak];
  if (q.after) {
    if (q.after.ids.length !== spec.tiebreak.length) throw badRequest('VALIDATION_FAILED', 'cursor does not belong to this list or sort', { field: 'cursor', rule: 'format' });
    const values = [q.after.v, ...q.after.ids];
    where.push(`(${keys.map((k) => k.expr).join(', ')}) ${desc ? '<' : '>'} (${keys.map((k, i) => bind(values[i], k.type)).join(', ')})`);
  }
  const dir = desc ? ' DESC' : '';
  const sql = `SELECT ${spec.select}, (${col.expr})::text AS sg_sort, ${spec.tiebreak.map((t, i) => `(${t.expr})::text AS sg_tb${i}`).join(', ')}
    FROM ${spec.from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${keys.map((k) => `${k.expr}${dir}`).join(', ')} LIMIT ${bind(q.limit + 1)}`;
  const { rows } = await db.query(sql, params);
  const items = rows.slice(0, q.limit) as Record<string, unknown>[];
  const last = items.at(-1);
  return {
    items: items.map(spec.view),
    next: rows.length > q.limit && last ? { v: last.sg_sort as string | null, ids: spec.tiebreak.map((_, i) => last[`sg_tb${i}`] as string) } : null,
  };
}

/** Streams every matching row in keyset pages (for exports): memory holds one page. */
export async function* listAll<T>(run: (after: ListQuery['after']) => Promise<Page<T>>): AsyncGenerator<T> {
  let after: ListQuery['after'];
  for (;;) {
    const page = await run(after);
    yield* page.items;
    if (!page.next) return;
    after = page.next;
  }
}
