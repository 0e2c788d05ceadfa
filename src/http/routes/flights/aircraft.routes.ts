import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../../platform/db/with-tenant.js';
import { deleteAircraft, getAircraft, insertAircraft, listAircraft, updateAircraft } from '../../../platform/flights/aircraft.repository.js';
import { notFound } from '../../../shared/app-error.js';
import { auditMutation } from '../../plugins/audit-hook.js';
import { decodeCursor, page, PageQuery } from '../../pagination.js';
import { IdParams } from '../schemas.js';
import { AircraftType, AircraftView, aircraftView, CreateAircraft, PatchAircraft } from './flight.schemas.js';

/** The tenant's aircraft registry (name/tail number unique per tenant, case-insensitive). */
export const aircraftRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/aircraft', {
    config: { access: 'aircraft:read' },
    schema: {
      tags: ['aircraft'], summary: 'List aircraft by name (keyset pages)',
      querystring: Type.Object({ ...PageQuery, type: Type.Optional(AircraftType) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(AircraftView), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (request) => {
    const { limit = 50, cursor, type } = request.query;
    const rows = await withTenant(deps.pool, request.principal!, (db) => listAircraft(db, { limit: limit + 1, cursor: decodeCursor(cursor), type }));
    const result = page(rows, limit, (a) => ({ v: a.name.toLowerCase(), id: a.id }));
    return { items: result.items.map(aircraftView), nextCursor: result.nextCursor };
  });

  app.post('/aircraft', {
    config: { access: 'aircraft:write' },
    schema: { tags: ['aircraft'], summary: 'Register an aircraft', body: CreateAircraft, response: { 201: AircraftView } },
  }, async (request, reply) => {
    const p = request.principal!;
    const now = deps.now();
    const a = await withTenant(deps.pool, p, async (db) => {
      const created = await insertAircraft(db, p.tenantId, p.userId, request.body);
      await auditMutation(db, request, p.tenantId, 'aircraft.created', { target: created.id, details: { name: created.name, type: created.type } }, now);
      return created;
    });
    return reply.code(201).header('location', `/v1/aircraft/${a.id}`).send(aircraftView(a));
  });

  app.get('/aircraft/:id', {
    config: { access: 'aircraft:read' },
    schema: { tags: ['aircraft'], summary: 'One aircraft', params: IdParams, response: { 200: AircraftView } },
  }, async (request) => {
    const a = await withTenant(deps.pool, request.principal!, (db) => getAircraft(db, request.params.id));
    if (!a) throw notFound('Aircraft');
    return aircraftView(a);
  });

  app.patch('/aircraft/:id', {
    config: { access: 'aircraft:write' },
    schema: { tags: ['aircraft'], summary: 'Edit an aircraft', params: IdParams, body: PatchAircraft, response: { 200: AircraftView } },
  }, async (request) => {
    const p = request.principal!;
    const now = deps.now();
    const a = await withTenant(deps.pool, p, async (db) => {
      const updated = await updateAircraft(db, request.params.id, request.body);
      if (!updated) throw notFound('Aircraft');
      await auditMutation(db, request, p.tenantId, 'aircraft.updated', { target: updated.id, details: { changed: Object.keys(request.body) } }, now);
      return updated;
    });
    return aircraftView(a);
  });

  app.delete('/aircraft/:id', {
    config: { access: 'aircraft:write' },
    schema: { tags: ['aircraft'], summary: 'Remove an aircraft (refused with 409 while flights refer to it)', params: IdParams },
  }, async (request, reply) => {
    const p = request.principal!;
    const now = deps.now();
    await withTenant(deps.pool, p, async (db) => {
      const removed = await deleteAircraft(db, request.params.id);
      if (!removed) throw notFound('Aircraft');
      await auditMutation(db, request, p.tenantId, 'aircraft.deleted', { target: removed.id, details: { name: removed.name } }, now);
    });
    return reply.code(204).send();
  });
};
