import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../../platform/db/with-tenant.js';
import { getAircraft } from '../../../platform/flights/aircraft.repository.js';
import { fleetRisk, riskHistory } from '../../../platform/flight-analysis/flight-risk.repository.js';
import { badRequest, notFound } from '../../../shared/app-error.js';
import { badCursor, decodeCursor, encodeCursor, page, PageQuery, type Cursor } from '../../pagination.js';
import { IdParams, Uuid } from '../schemas.js';
import { FleetRiskItem, fleetRiskItem, RiskHistoryItem, riskHistoryItem, RiskLevel } from './analysis.schemas.js';

const DateTime = Type.String({ format: 'date-time' });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Risk history cursor: flight time in integer microseconds (exact, unlike a Date) and the flight id. */
function historyCursor(raw: string | undefined): Cursor | undefined {
  const c = decodeCursor(raw);
  if (c && (!/^-?\d{1,18}$/.test(c.v) || !UUID.test(c.id))) throw badCursor();
  return c;
}

/** Fleet cursor: `<score>:<rank of the last row>` and the aircraft id. */
function fleetCursor(raw: string | undefined): { cursor: Cursor; rank: number } | undefined {
  const c = decodeCursor(raw);
  if (!c) return undefined;
  const m = /^(\d{1,3}):(\d{1,9})$/.exec(c.v);
  if (!m || Number(m[1]) > 100 || !UUID.test(c.id)) throw badCursor();
  return { cursor: { v: m[1]!, id: c.id }, rank: Number(m[2]) };
}

/** Per-aircraft risk over time and the fleet ranked by latest risk. */
export const fleetRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/aircraft/:id/risk-history', {
    config: { access: 'flights:read' },
    schema: {
      tags: ['aircraft'], summary: 'Risk of each analysed flight of an aircraft over time (keyset pages, newest flight first by default)',
      params: IdParams,
      querystring: Type.Object({
        ...PageQuery,
        order: Type.Optional(Type.Unsafe<'asc' | 'desc'>({ type: 'string', enum: ['asc', 'desc'], description: 'by flight time' })),
        from: Type.Optional(DateTime),
        to: Type.Optional(DateTime),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ aircraftId: Uuid, items: Type.Array(RiskHistoryItem), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (request) => {
    const q = request.query;
    const limit = q.limit ?? 50;
    const from = q.from === undefined ? undefined : new Date(q.from);
    const to = q.to === undefined ? undefined : new Date(q.to);
    if (from && to && from > to) throw badRequest('VALIDATION_FAILED', 'from must not be after to', { field: 'from', rule: 'order' });
    const cursor = historyCursor(q.cursor);
    const rows = await withTenant(deps.pool, request.principal!, async (db) => {
      if (!(await getAircraft(db, request.params.id))) throw notFound('Aircraft');
      return riskHistory(db, { aircraftId: request.params.id, limit: limit + 1, order: q.order ?? 'desc', cursor, from, to });
    });
    const result = page(rows, limit, (r) => ({ v: r.flightAtUs, id: r.flightId }));
    return { aircraftId: request.params.id, items: result.items.map(riskHistoryItem), nextCursor: result.nextCursor };
  });

  app.get('/fleet/risk', {
    config: { access: 'flights:read' },
    schema: {
      tags: ['aircraft'], summary: 'Aircraft ranked by the risk of their latest analysed flight, highest first (keyset pages)',
      querystring: Type.Object({ ...PageQuery, level: Type.Optional(RiskLevel) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(FleetRiskItem), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (request) => {
    const q = request.query;
    const limit = q.limit ?? 50;
    const after = fleetCursor(q.cursor);
    const rows = await withTenant(deps.pool, request.principal!, (db) => fleetRisk(db, { limit: limit + 1, cursor: after?.cursor, level: q.level }));
    const base = after?.rank ?? 0;
    const items = rows.slice(0, limit).map((r, i) => fleetRiskItem(r, base + i + 1));
    const last = items.at(-1);
    const nextCursor = rows.length > limit && last ? encodeCursor({ v: `${last.latest.riskScore}:${last.rank}`, id: last.aircraft.id }) : null;
    return { items, nextCursor };
  });
};
