import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../../platform/db/with-tenant.js';
import { BlobTooLargeError, type StoredBlob } from '../../../platform/blobs/blob.store.js';
import { getAircraft } from '../../../platform/flights/aircraft.repository.js';
import { insertFlight, lockBlob, type FlightRow } from '../../../platform/flights/flight.repository.js';
import { decodeJobKey, FLIGHT_BLOB_GC_TASK, FLIGHT_DECODE_MAX_ATTEMPTS, FLIGHT_DECODE_TASK } from '../../../platform/flights/flight-decode.job.js';
import { detectFormat, DETECT_HEAD_BYTES, FlightDecodeError } from '../../../flight/formats/index.js';
import { AppError, badRequest } from '../../../shared/app-error.js';
import { auditMutation } from '../../plugins/audit-hook.js';
import { sendProblem } from '../../plugins/problem.js';
import { Uuid } from '../schemas.js';
import { sanitizeFileName } from './file-name.sanitizer.js';
import { flightView, UploadResult } from './flight.schemas.js';

interface Incoming {
  readonly source: AsyncIterable<Uint8Array>;
  readonly fileName: string | undefined;
  readonly aircraftId: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The file stream of a multipart upload (the first file part; `aircraftId` must come before it). */
async function multipartSource(request: FastifyRequest, limit: number): Promise<Incoming> {
  const part = await request.file({ limits: { fileSize: limit + 1, files: 1, fields: 20, fieldSize: 1024, parts: 40 } });
  if (!part) throw badRequest('FILE_MISSING', 'The multipart body has no file part', { field: 'file', rule: 'required' });
  const field = part.fields.aircraftId;
  const value = field && !Array.isArray(field) && field.type === 'field' ? String(field.value) : undefined;
  return { source: part.file, fileName: part.filename, aircraftId: value };
}

export const flightUploadRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  // Raw bodies are streamed by the handler, never buffered by a parser.
  app.addContentTypeParser('application/octet-stream', (_request, _payload, done) => done(null));

  app.post('/flights', {
    config: { access: 'flights:write' },
    schema: {
      tags: ['flights'],
      summary: 'Upload a flight log (raw application/octet-stream body or multipart/form-data file); decoding runs in the background',
      description: 'The format is detected from the first bytes. 202: accepted and queued; 200: the same bytes were already uploaded (the existing flight); 413: over the upload limit; 422: not a supported flight log (kept as a failed flight for inspection).',
      consumes: ['application/octet-stream', 'multipart/form-data'],
      querystring: Type.Object({
        aircraftId: Type.Optional(Uuid),
        name: Type.Optional(Type.String({ maxLength: 1024, description: 'Original file name (raw uploads)' })),
      }, { additionalProperties: false }),
      response: { 200: UploadResult, 202: UploadResult },
    },
  }, async (request, reply) => {
    try {
      return await upload(request as unknown as UploadRequest, reply);
    } catch (e) {
      if (!(e instanceof BlobTooLargeError)) throw e;
      // The rest of the body is unread: close the connection after answering so it is never reused mid-body.
      reply.header('connection', 'close');
      return sendProblem(reply, request, { status: 413, code: e.code, detail: e.message, extra: { limitBytes: e.limitBytes } });
    }
  });

  type UploadRequest = FastifyRequest<{ Querystring: { aircraftId?: string | undefined; name?: string | undefined } }>;
  async function upload(request: UploadRequest, reply: FastifyReply): Promise<FastifyReply> {
    const p = request.principal!;
    const limit = deps.settings.flightUploadLimitBytes;
    const type = request.headers['content-type'] ?? '';
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit + (type.startsWith('multipart/') ? 64 * 1024 : 0)) throw new BlobTooLargeError(limit);

    let incoming: Incoming;
    if (request.isMultipart()) incoming = await multipartSource(request, limit);
    else if (/^application\/octet-stream\b/i.test(type)) incoming = { source: request.raw, fileName: request.query.name, aircraftId: undefined };
    else throw new AppError('UNSUPPORTED_MEDIA_TYPE', 415, 'Send the log as application/octet-stream or as a multipart/form-data file');

    const aircraftId = request.query.aircraftId ?? incoming.aircraftId;
    if (aircraftId !== undefined && !UUID.test(aircraftId)) throw badRequest('VALIDATION_FAILED', 'aircraftId must be a UUID', { field: 'aircraftId', rule: 'format' });
    if (aircraftId !== undefined) await requireAircraft(deps, p, aircraftId);

    let stored: StoredBlob;
    try {
      stored = await deps.blobs.put(incoming.source, { maxBytes: limit, headBytes: DETECT_HEAD_BYTES + 1 });
    } catch (e) {
      if (e instanceof BlobTooLargeError) throw e;
      if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new BlobTooLargeError(limit);
      // The client went away mid-body: nothing was stored (the partial file is removed).
      if (request.raw.destroyed || (e as { code?: string }).code === 'ECONNRESET' || (e as Error).message === 'aborted') {
        throw new AppError('UPLOAD_ABORTED', 400, 'The upload ended before the whole body arrived; nothing was stored');
      }
      throw e;
    }
    const detected = detectFormat(stored.head);
    const unsupported = detected instanceof FlightDecodeError ? detected : undefined;
    const now = deps.now();
    const originalName = sanitizeFileName(incoming.fileName);
    let result: { flight: FlightRow; duplicate: boolean };
    try {
      result = await withTenant(deps.pool, p, async (db) => {
        if (aircraftId !== undefined && !(await getAircraft(db, aircraftId))) throw unknownAircraft();
        // The collector removes unused blobs under this lock: holding it, a blob that still exists stays
        // until this transaction's flight row refers to it. If it went in the instant before, say so.
        await lockBlob(db, stored.sha256);
        if (!(await deps.blobs.stat(stored.sha256))) throw blobCollected();
        const r = await insertFlight(db, {
          tenantId: p.tenantId, aircraftId: aircraftId ?? null, blobSha256: stored.sha256, sizeBytes: stored.size, originalName,
          format: unsupported ? null : (detected as { format: string }).format,
          detection: unsupported ? unsupported.message : (detected as { reason: string }).reason,
          uploadedBy: p.userId, now,
          error: unsupported ? { code: unsupported.code, message: unsupported.message, offset: unsupported.offset } : undefined,
        });
        if (!r.duplicate) {
          await auditMutation(db, request, p.tenantId, 'flight.uploaded', {
            target: r.flight.id, details: { sha256: stored.sha256, sizeBytes: stored.size, format: r.flight.format, originalName, status: r.flight.status },
          }, now);
        }
        return r;
      });
    } catch (e) {
      // The bytes are stored but nothing refers to them: let the collector look after the grace period.
      if (stored.created) await deps.jobs.enqueue(FLIGHT_BLOB_GC_TASK, { sha256: stored.sha256 }, { jobKey: `flight_blob_gc:${stored.sha256}` }).catch(() => undefined);
      throw e;
    }
    const { flight, duplicate } = result;
    if (!duplicate && flight.status === 'queued') {
      // If this fails the flight stays queued and the decode sweep enqueues it within minutes.
      await deps.jobs.enqueue(FLIGHT_DECODE_TASK, { tenantId: p.tenantId, flightId: flight.id }, { jobKey: decodeJobKey(flight.id), maxAttempts: FLIGHT_DECODE_MAX_ATTEMPTS })
        .catch((e: unknown) => request.log.warn({ err: e, flightId: flight.id }, 'decode enqueue failed; the sweep will retry'));
    }
    reply.header('location', `/v1/flights/${flight.id}`);
    if (flight.format === null && flight.error) {
      return sendProblem(reply, request, {
        status: 422, code: flight.error.code, detail: flight.error.message,
        extra: { flightId: flight.id, sha256: flight.blobSha256, duplicate, offset: flight.error.offset },
      });
    }
    return reply.code(duplicate ? 200 : 202).send({ flight: flightView(flight), duplicate });
  }
};

const blobCollected = (): AppError =>
  new AppError('UPLOAD_RETRY', 503, 'An identical file stored earlier was being cleaned up at the same moment; send the upload again');

const unknownAircraft = (): AppError => badRequest('UNKNOWN_AIRCRAFT', 'aircraftId names no aircraft of this tenant', { field: 'aircraftId', rule: 'exists' });

async function requireAircraft(deps: AppDeps, p: { tenantId: string }, id: string): Promise<void> {
  if (!(await withTenant(deps.pool, p, (db) => getAircraft(db, id)))) throw unknownAircraft();
}
