import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../../platform/db/with-tenant.js';
import { applyInventoryBatch, ConcurrentEventError, summarise, type EventResult } from '../../../platform/supply-events/inventory-event.apply.js';
import { listDeadLetters } from '../../../platform/supply-events/dead-letter.repository.js';
import { auditMutation } from '../../plugins/audit-hook.js';
import { decodeCursor, page, PageQuery } from '../../pagination.js';
import { badRequest } from '../../../shared/app-error.js';

/** Largest batch one request may carry (the body limit applies too). */
export const MAX_EVENTS_PER_REQUEST = 1000;
const ATTEMPTS = 3;

const Position = Type.Object({ onHand: Type.Integer(), reserved: Type.Integer(), onOrder: Type.Integer() });
const Result = Type.Object({
  index: Type.Integer(),
  eventId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.Literal('applied'), Type.Literal('stale'), Type.Literal('duplicate'), Type.Literal('rejected')]),
  code: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  field: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  stock: Type.Optional(Position),
  clamped: Type.Optional(Type.Integer()),
});
const Summary = Type.Object({ applied: Type.Integer(), stale: Type.Integer(), duplicate: Type.Integer(), rejected: Type.Integer() });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const inventoryEventRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/events/inventory', {
    config: { access: 'supply:write' },
    schema: {
      tags: ['supply'],
      summary: 'Apply a batch of ERP inventory events (idempotent by eventId; invalid events are dead-lettered, see docs/supply/events.md)',
      body: Type.Object({
        events: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_EVENTS_PER_REQUEST }),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ summary: Summary, results: Type.Array(Result) }) },
    },
  }, async (request) => {
    const p = request.principal!;
    const batch = request.body.events.map((value) => ({ raw: JSON.stringify(value) ?? 'null', value }));
    let results: EventResult[] | undefined;
    for (let attempt = 1; results === undefined; attempt++) {
      const now = deps.now();
      try {
        results = await withTenant(deps.pool, p, async (db) => {
          const r = await applyInventoryBatch(db, p.tenantId, batch, { channel: 'api', defaultSource: 'api', now });
          await auditMutation(db, request, p.tenantId, 'inventory_events.received', { details: { ...summarise(r), events: r.length } }, now);
          return r;
        });
      } catch (e) {
        if (!(e instanceof ConcurrentEventError) || attempt >= ATTEMPTS) throw e;
      }
    }
    const summary = summarise(results);
    request.auditDetails = { ...summary };
    return { summary, results };
  });

  app.get('/events/inventory/dead-letters', {
    config: { access: 'supply:read' },
    schema: {
      tags: ['supply'],
      summary: 'Inventory events that could not be applied, newest first, with the raw payload and the reason',
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
    },
  }, async (request) => {
    const { limit = 50, cursor: rawCursor } = request.query;
    const cursor = decodeCursor(rawCursor);
    if (cursor && (!UUID.test(cursor.id) || Number.isNaN(Date.parse(cursor.v)))) {
      throw badRequest('VALIDATION_FAILED', 'cursor is not one this API issued', { field: 'cursor', rule: 'format' });
    }
    const rows = await withTenant(deps.pool, request.principal!, (db) => listDeadLetters(db, { limit: limit + 1, cursor }));
    const result = page(rows, limit, (d) => ({ v: d.firstReceivedAt.toISOString(), id: d.id }));
    return {
      items: result.items.map((d) => ({ ...d, firstReceivedAt: d.firstReceivedAt.toISOString(), lastReceivedAt: d.lastReceivedAt.toISOString() })),
      nextCursor: result.nextCursor,
    };
  });
};
