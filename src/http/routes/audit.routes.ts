import { Readable } from 'node:stream';
import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../deps.js';
import { withTenant } from '../../platform/db/with-tenant.js';
import { eventFromRow } from '../../platform/audit/audit-chain.js';
import type { AuditEvent } from '../../platform/audit/audit-event.js';
import { badRequest } from '../../shared/app-error.js';
import { csvLine } from '../../shared/csv.js';
import { decodeCursor, encodeCursor, PageQuery } from '../pagination.js';
import type { Principal } from '../../platform/authn/principal.js';

const Filters = {
  actor: Type.Optional(Type.String({ maxLength: 200, description: 'actor id, or part of the actor label (email, key id)' })),
  action: Type.Optional(Type.String({ maxLength: 100, description: 'exact action, or a prefix ending in * (e.g. api_key.*)' })),
  status: Type.Optional(Type.String({ pattern: '^([1-5]xx|[1-5][0-9]{2})$' })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
};
type FilterValues = Static<ReturnType<typeof Type.Object<typeof Filters>>>;

/** Turns the filters into SQL conditions; every value is a bound parameter. */
function whereClause(f: FilterValues, params: unknown[]): string[] {
  const where: string[] = [];
  const bind = (v: unknown): string => `$${params.push(v)}`;
  if (f.actor) where.push(`(actor_id = ${bind(f.actor)} OR actor_label ILIKE ${bind(`%${f.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)})`);
  if (f.action) {
    if (f.action.endsWith('*')) where.push(`action LIKE ${bind(`${f.action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
    else where.push(`action = ${bind(f.action)}`);
  }
  if (f.status) {
    if (f.status.endsWith('xx')) {
      const base = Number(f.status[0]) * 100;
      where.push(`status >= ${bind(base)} AND status < ${bind(base + 100)}`);
    } else where.push(`status = ${bind(Number(f.status))}`);
  }
  if (f.from) where.push(`occurred_at >= ${bind(new Date(f.from))}`);
  if (f.to) where.push(`occurred_at < ${bind(new Date(f.to))}`);
  if (f.from && f.to && new Date(f.from) > new Date(f.to)) throw badRequest('VALIDATION_FAILED', 'from must not be after to', { field: 'from', rule: 'order' });
  return where;
}

async function fetchEvents(deps: AppDeps, p: Principal, f: FilterValues, order: 'asc' | 'desc', afterSeq: number | undefined, limit: number): Promise<AuditEvent[]> {
  const params: unknown[] = [];
  const where = whereClause(f, params);
  if (afterSeq !== undefined) where.push(`seq ${order === 'desc' ? '<' : '>'} $${params.push(afterSeq)}`);
  const sql = `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${order} LIMIT $${params.push(limit)}`;
  const { rows } = await withTenant(deps.pool, p, (db) => db.query(sql, params));
  return rows.map((r) => eventFromRow(r as Record<string, unknown>));
}

const CSV_COLUMNS: (keyof AuditEvent)[] = [
  'seq', 'id', 'occurredAt', 'actorType', 'actorId', 'actorLabel', 'authMethod', 'requestId', 'traceId', 'ip', 'userAgent',
  'method', 'route', 'status', 'latencyMs', 'action', 'target', 'details', 'prevHash', 'hash', 'tenantId',
];

export const auditRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/audit/events', {
    config: { access: 'audit:read' },
    schema: { tags: ['audit'], summary: 'Search the audit trail, newest first (keyset pages)', querystring: Type.Object({ ...Filters, ...PageQuery }, { additionalProperties: false }) },
  }, async (request) => {
    const { limit = 50, cursor, ...filters } = request.query;
    const c = decodeCursor(cursor);
    const rows = await fetchEvents(deps, request.principal!, filters, 'desc', c ? Number(c.v) : undefined, limit + 1);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ v: String(last.seq), id: last.id }) : null };
  });

  app.get('/audit/events/export', {
    config: { access: 'audit:export' },
    schema: {
      tags: ['audit'], summary: 'Export events in chain order with hash fields (CSV or JSON lines), for offline verification',
      querystring: Type.Object({ ...Filters, format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json')])) }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const { format = 'csv', ...filters } = request.query;
    const p = request.principal!;
    whereClause(filters, []); // validate before the response starts streaming
    async function* lines(): AsyncGenerator<string> {
      if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\n`;
      let after: number | undefined;
      for (;;) {
        const batch = await fetchEvents(deps, p, filters, 'asc', after, 1000);
        for (const e of batch) yield format === 'csv' ? csvLine(CSV_COLUMNS.map((k) => e[k])) : `${JSON.stringify(e)}\n`;
        if (batch.length < 1000) return;
        after = batch.at(-1)!.seq;
      }
    }
    const stamp = deps.now().toISOString().replace(/[:.]/g, '-');
    return reply
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson')
      .header('content-disposition', `attachment; filename="audit-${p.tenantSlug}-${stamp}.${format === 'csv' ? 'csv' : 'ndjson'}"`)
      .send(Readable.from(lines()));
  });

  app.get('/audit/stats/requests-per-minute', {
    config: { access: 'audit:read' },
    schema: { tags: ['audit'], summary: 'API requests and errors per minute', querystring: Type.Object({ from: Filters.from, to: Filters.to }, { additionalProperties: false }) },
  }, async (request) => {
    const to = request.query.to ? new Date(request.query.to) : deps.now();
    const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - 3_600_000);
    if (from > to || to.getTime() - from.getTime() > 31 * 86_400_000) {
      throw badRequest('VALIDATION_FAILED', 'the window must run forward and span at most 31 days', { field: 'from', rule: 'range' });
    }
    const { rows } = await withTenant(deps.pool, request.principal!, (db) => db.query<{ minute: Date; count: number; errors: number }>(
      `SELECT date_trunc('minute', occurred_at) AS minute, count(*)::int AS count, count(*) FILTER (WHERE status >= 400)::int AS errors
       FROM audit_events WHERE action = 'request' AND occurred_at >= $1 AND occurred_at < $2 GROUP BY 1 ORDER BY 1`,
      [from, to],
    ));
    return { items: rows.map((r) => ({ minute: r.minute.toISOString(), count: r.count, errors: r.errors })) };
  });
};
