import { Readable } from 'node:stream';
import { Type, type TSchema } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps.js';
import type { Principal } from '../../../platform/authn/principal.js';
import { withTenant } from '../../../platform/db/with-tenant.js';
import { listAll, listPage, resolveSort, type FilterSpec, type ListQuery } from '../../../platform/supply/supply-query.js';
import { SUPPLY_LISTS, type SupplyListSpec, type SupplyResource } from '../../../platform/supply/supply-read.specs.js';
import { getPartDetail, getStockEntry, getSupplierDetail } from '../../../platform/supply/supply-read.repository.js';
import { notFound } from '../../../shared/app-error.js';
import { IdParams, Uuid } from '../schemas.js';
import { csvLine } from '../../../shared/csv.js';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../pagination.js';

function filterSchema(f: FilterSpec): TSchema {
  if (f.kind === 'flag') return Type.Boolean();
  if (f.kind === 'search') return Type.String({ maxLength: 200 });
  if (f.kind === 'in') return Type.String({ maxLength: 1000, description: 'comma-separated values' });
  switch (f.type) {
    case 'uuid': return Uuid;
    case 'date': return Type.String({ format: 'date' });
    case 'timestamptz': return Type.String({ format: 'date-time' });
    case 'numeric': case 'double precision': case 'integer': return Type.Number();
    case 'boolean': return Type.Boolean();
    default: return Type.String({ maxLength: 200 });
  }
}

function querySchema(spec: SupplyListSpec, page: boolean) {
  const props: Record<string, TSchema> = {};
  for (const [name, f] of Object.entries(spec.filters)) props[name] = Type.Optional(filterSchema(f));
  props.sort = Type.Optional(Type.String({ maxLength: 50, description: `one of ${Object.keys(spec.sorts).join(', ')}; prefix - for descending` }));
  if (page) {
    props.limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 }));
    props.cursor = Type.Optional(Type.String({ maxLength: 4000 }));
  } else props.format = Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json'), Type.Literal('ndjson')]));
  return Type.Object(props, { additionalProperties: false });
}

type Query = Record<string, unknown> & { sort?: string; limit?: number; cursor?: string; format?: 'csv' | 'json' | 'ndjson' };

/**
 * List (filter, sort, keyset pages), streamed export and get for every supply entity, all under
 * `supply:read`. Lists and exports share one query builder, so an export is exactly the list's
 * rows in the list's order, fetched a page at a time (a 500k-part export never sits in memory).
 */
export const supplyReadRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  const page = (p: Principal, spec: SupplyListSpec, q: Query, after: ListQuery['after'], limit: number) => {
    const { sort, limit: _l, cursor: _c, format: _f, ...filters } = q;
    return withTenant(deps.pool, p, (db) => listPage(db, spec, { sort, filters, limit, after }));
  };

  for (const [resource, spec] of Object.entries(SUPPLY_LISTS) as [SupplyResource, SupplyListSpec][]) {
    app.get(`/${resource}`, {
      config: { access: 'supply:read' },
      schema: { tags: ['supply'], summary: `List ${resource} (server-side filter, sort and keyset pagination)`, querystring: querySchema(spec, true) },
    }, async (request) => {
      const q = request.query as Query;
      const sort = resolveSort(spec, q.sort);
      const after = decodeKeysetCursor(q.cursor, `${resource}:${sort.name}:${sort.desc ? 'd' : 'a'}`);
      const r = await page(request.principal!, spec, q, after, q.limit ?? 50);
      return { items: r.items, nextCursor: r.next ? encodeKeysetCursor(r.next, `${resource}:${sort.name}:${sort.desc ? 'd' : 'a'}`) : null };
    });

    app.get(`/${resource}/export`, {
      config: { access: 'supply:read' },
      schema: { tags: ['supply'], summary: `Export ${resource} as CSV, a JSON array or NDJSON (streamed; same filters and sort as the list)`, querystring: querySchema(spec, false) },
    }, async (request, reply) => {
      const q = request.query as Query;
      resolveSort(spec, q.sort); // refuse a bad sort before the stream starts
      const p = request.principal!;
      const format = q.format ?? 'csv';
      async function* body(): AsyncGenerator<string> {
        let columns: string[] | undefined;
        let first = true;
        if (format === 'json') yield '[';
        for await (const item of listAll((after) => page(p, spec, q, after, 1000))) {
          if (format === 'csv') {
            if (!columns) {
              columns = Object.keys(item);
              yield `${columns.join(',')}\n`;
            }
            yield csvLine(columns.map((c) => item[c]));
          } else if (format === 'json') {
            yield `${first ? '' : ','}\n${JSON.stringify(item)}`;
          } else yield `${JSON.stringify(item)}\n`;
          first = false;
        }
        if (format === 'json') yield '\n]\n';
      }
      const stamp = deps.now().toISOString().slice(0, 19).replace(/[:T]/g, '-');
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : format === 'json' ? 'application/json' : 'application/x-ndjson')
        .header('content-disposition', `attachment; filename="${resource}-${stamp}.${format}"`)
        .send(Readable.from(body()));
    });
  }

  const one = async (p: Principal, resource: SupplyResource, id: string) => {
    const spec = SUPPLY_LISTS[resource];
    const row = await withTenant(deps.pool, p, async (db) => (await db.query(`SELECT ${spec.select} FROM ${spec.from} WHERE ${spec.idExpr} = $1`, [id])).rows[0] as Record<string, unknown> | undefined);
    if (!row) throw notFound(resource.replace(/s$/, '').replace('-', ' '));
    return spec.view(row);
  };
  for (const resource of ['locations', 'aircraft-types', 'fleet', 'offers', 'deliveries', 'risk-events'] as const) {
    app.get(`/${resource}/:id`, { config: { access: 'supply:read' }, schema: { tags: ['supply'], summary: `One of ${resource}`, params: IdParams } },
      async (request) => one(request.principal!, resource, request.params.id));
  }

  app.get('/parts/:id', {
    config: { access: 'supply:read' },
    schema: { tags: ['supply'], summary: 'One part with the aircraft types it can ground and its stock by location', params: IdParams },
  }, async (request) => {
    const part = await one(request.principal!, 'parts', request.params.id);
    return { ...part, ...(await withTenant(deps.pool, request.principal!, (db) => getPartDetail(db, request.params.id))) };
  });

  app.get('/suppliers/:id', {
    config: { access: 'supply:read' },
    schema: { tags: ['supply'], summary: 'One supplier, with its contact decrypted', params: IdParams },
  }, async (request) => {
    const p = request.principal!;
    const s = await withTenant(deps.pool, p, (db) => getSupplierDetail(db, p.tenantId, request.params.id, deps.supplyImports.cipher));
    if (!s) throw notFound('supplier');
    return s;
  });

  app.get('/stock/:partId/:locationId', {
    config: { access: 'supply:read' },
    schema: { tags: ['supply'], summary: 'Stock of one part at one location', params: Type.Object({ partId: Uuid, locationId: Uuid }) },
  }, async (request) => {
    const row = await withTenant(deps.pool, request.principal!, (db) => getStockEntry(db, request.params.partId, request.params.locationId));
    if (!row) throw notFound('stock entry');
    return row;
  });
};
