import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../../platform/db/with-tenant.js';
import { deleteFlight, getFlight, listFlights, type FlightSort } from '../../../platform/flights/flight.repository.js';
import { FLIGHT_BLOB_GC_TASK } from '../../../platform/flights/flight-decode.job.js';
import { notFound } from '../../../shared/app-error.js';
import { auditMutation } from '../../plugins/audit-hook.js';
import { decodeCursor, page, PageQuery } from '../../pagination.js';
import { IdParams, Uuid } from '../schemas.js';
import { contentDisposition } from './file-name.sanitizer.js';
import { FlightStatus, FlightView, flightView, VEHICLE_TYPES } from './flight.schemas.js';

const DateTime = Type.String({ format: 'date-time' });
const SORTS: FlightSort[] = ['-uploadedAt', 'uploadedAt', '-startedAt', 'startedAt'];
const date = (s: string | undefined): Date | undefined => (s === undefined ? undefined : new Date(s));

/** Flights: list with filters, one flight with its full summary, delete, and the original file. */
export const flightRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/flights', {
    config: { access: 'flights:read' },
    schema: {
      tags: ['flights'], summary: 'List flights (keyset pages; newest upload first by default)',
      querystring: Type.Object({
        ...PageQuery,
        aircraftId: Type.Optional(Uuid),
        status: Type.Optional(FlightStatus),
        vehicleType: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: [...VEHICLE_TYPES] })),
        uploadedAfter: Type.Optional(DateTime),
        uploadedBefore: Type.Optional(DateTime),
        startedAfter: Type.Optional(DateTime),
        startedBefore: Type.Optional(DateTime),
        sort: Type.Optional(Type.Unsafe<FlightSort>({ type: 'string', enum: SORTS })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(FlightView), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (request) => {
    const q = request.query;
    const limit = q.limit ?? 50;
    const sort = q.sort ?? '-uploadedAt';
    const rows = await withTenant(deps.pool, request.principal!, (db) => listFlights(db, {
      limit: limit + 1, sort, cursor: decodeCursor(q.cursor), aircraftId: q.aircraftId, status: q.status, vehicleType: q.vehicleType,
      uploadedAfter: date(q.uploadedAfter), uploadedBefore: date(q.uploadedBefore), startedAfter: date(q.startedAfter), startedBefore: date(q.startedBefore),
    }));
    const result = page(rows, limit, (f) => ({ v: f.sortValue.toISOString(), id: f.id }));
    return { items: result.items.map(flightView), nextCursor: result.nextCursor };
  });

  app.get('/flights/:id', {
    config: { access: 'flights:read' },
    schema: { tags: ['flights'], summary: 'One flight: status, error (code, message, byte offset) and the full decoded summary', params: IdParams, response: { 200: FlightView } },
  }, async (request) => {
    const f = await withTenant(deps.pool, request.principal!, (db) => getFlight(db, request.params.id));
    if (!f) throw notFound('Flight');
    return flightView(f);
  });

  app.delete('/flights/:id', {
    config: { access: 'flights:write' },
    schema: { tags: ['flights'], summary: 'Delete a flight and its signals; its file is removed once no flight of any tenant refers to it', params: IdParams },
  }, async (request, reply) => {
    const p = request.principal!;
    const now = deps.now();
    const removed = await withTenant(deps.pool, p, async (db) => {
      const f = await deleteFlight(db, request.params.id);
      if (!f) throw notFound('Flight');
      await auditMutation(db, request, p.tenantId, 'flight.deleted', { target: f.id, details: { sha256: f.blobSha256, originalName: f.originalName, status: f.status } }, now);
      return f;
    });
    await deps.jobs.enqueue(FLIGHT_BLOB_GC_TASK, { sha256: removed.blobSha256 }, { jobKey: `flight_blob_gc:${removed.blobSha256}` })
      .catch((e: unknown) => request.log.warn({ err: e }, 'blob collection not scheduled; the blob stays'));
    return reply.code(204).send();
  });

  app.get('/flights/:id/file', {
    config: { access: 'flights:read' },
    schema: { tags: ['flights'], summary: 'Download the original uploaded file, byte for byte', params: IdParams },
  }, async (request, reply) => {
    const f = await withTenant(deps.pool, request.principal!, (db) => getFlight(db, request.params.id));
    if (!f) throw notFound('Flight');
    const stream = await deps.blobs.open(f.blobSha256);
    return reply
      .type('application/octet-stream')
      .header('content-length', f.sizeBytes)
      .header('etag', `"${f.blobSha256}"`)
      .header('x-content-sha256', f.blobSha256)
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', contentDisposition(f.originalName, `flight-${f.id}.${f.format ?? 'bin'}`))
      .send(stream);
  });
};
