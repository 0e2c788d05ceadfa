import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../../platform/db/with-tenant.js';
import { IMPORT_FORMATS, IMPORT_TYPES, isImportFormat, type ImportFormat } from '../../../supply/import/index.js';
import { getImport, listImports, listRejects, type ImportRecord } from '../../../platform/supply/import.repository.js';
import { importJobKey, registerImport, SUPPLY_IMPORT_MAX_ATTEMPTS, SUPPLY_IMPORT_TASK } from '../../../platform/supply/import.service.js';
import { AppError, badRequest, notFound } from '../../../shared/app-error.js';
import { auditMutation } from '../../plugins/audit-hook.js';
import { sendProblem } from '../../plugins/problem.js';
import { IdParams } from '../schemas.js';
import { csvLine } from '../../../shared/csv.js';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../pagination.js';

const RAW_TYPES = ['text/csv', 'application/x-ndjson', 'application/ndjson', 'application/json', 'application/octet-stream', 'text/plain'];
const TypeParam = Type.Union(IMPORT_TYPES.map((t) => Type.Literal(t)));
const FormatParam = Type.Union(IMPORT_FORMATS.map((f) => Type.Literal(f)));

export function importView(i: ImportRecord) {
  const bytesRead = Number(i.report.bytesRead ?? (i.status === 'succeeded' ? i.byteSize : 0));
  return {
    id: i.id, type: i.type, format: i.format, fileName: i.fileName, byteSize: i.byteSize, contentSha256: i.contentSha256, status: i.status,
    progress: i.status === 'succeeded' ? 1 : i.byteSize > 0 ? Math.min(1, bytesRead / i.byteSize) : 0,
    rowsRead: i.rowsRead, rowsAccepted: i.rowsAccepted, rowsRejected: i.rowsRejected, rowsInserted: i.rowsInserted, rowsUpdated: i.rowsUpdated,
    rowsUnchanged: i.rowsUnchanged, batchesCommitted: i.batchesCommitted, report: i.report, error: i.error, createdBy: i.createdBy,
    createdAt: i.createdAt.toISOString(), startedAt: i.startedAt?.toISOString() ?? null, finishedAt: i.finishedAt?.toISOString() ?? null,
  };
}

/** The format from the query, else the content type, else the file name's extension. */
function formatOf(explicit: string | undefined, contentType: string, fileName: string | undefined): ImportFormat {
  if (explicit) return explicit as ImportFormat;
  if (/^text\/csv\b/i.test(contentType)) return 'csv';
  if (/ndjson/i.test(contentType)) return 'ndjson';
  if (/^application\/json\b/i.test(contentType)) return 'json';
  const ext = fileName?.toLowerCase().match(/\.(csv|json|ndjson|jsonl)$/)?.[1];
  if (ext) return ext === 'jsonl' ? 'ndjson' : (ext as ImportFormat);
  throw badRequest('VALIDATION_FAILED', 'format is required (csv, json or ndjson) when the content type and file name do not tell', { field: 'format', rule: 'required' });
}

const cleanName = (n: string | undefined): string | null => (n ? n.replace(/[^\w.\- ]+/g, '_').slice(0, 200) : null);

/**
 * `POST /imports` takes the file as a raw body (text/csv, application/json, application/x-ndjson,
 * application/octet-stream) or as a multipart file, streams it to the import store (hashing it on
 * the way, never buffering it) and queues the import job. Registered in its own scope: the raw
 * parsers here must not replace the JSON parser of the other supply routes.
 */
export const importRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  await app.register(multipart, { limits: { files: 1, fields: 10, fieldSize: 256, parts: 20 } });
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(RAW_TYPES, (_request, _payload, done) => done(null));
  const services = deps.supplyImports;

  app.post('/imports', {
    config: { access: 'imports:write' },
    schema: {
      tags: ['imports'], summary: 'Import a supply data file (CSV, JSON array or NDJSON); runs as a background job',
      description: `202: queued. 200: the same content was already imported as this type (the earlier import; nothing queued) unless force=true. 413: larger than IMPORT_MAX_BYTES. Types: ${IMPORT_TYPES.join(', ')}.`,
      consumes: [...RAW_TYPES, 'multipart/form-data'],
      querystring: Type.Object({
        type: TypeParam, format: Type.Optional(FormatParam), name: Type.Optional(Type.String({ maxLength: 255 })), force: Type.Optional(Type.Boolean()),
      }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const p = request.principal!;
    const q = request.query;
    const contentType = request.headers['content-type'] ?? '';
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > services.maxBytes + 64 * 1024) return tooLarge(request, reply, services.maxBytes);
    let source: AsyncIterable<Uint8Array>;
    let fileName = q.name;
    if (request.isMultipart()) {
      const part = await request.file({ limits: { fileSize: services.maxBytes + 1, files: 1 } });
      if (!part) throw badRequest('FILE_MISSING', 'The multipart body has no file part', { field: 'file', rule: 'required' });
      source = part.file;
      fileName ??= part.filename;
    } else if (RAW_TYPES.some((t) => contentType.toLowerCase().startsWith(t))) {
      source = request.raw;
    } else throw new AppError('UNSUPPORTED_MEDIA_TYPE', 415, `Send the file as ${RAW_TYPES.join(', ')} or as a multipart/form-data file`);
    const format = formatOf(q.format, contentType, fileName);
    if (!isImportFormat(format)) throw badRequest('VALIDATION_FAILED', 'format must be csv, json or ndjson', { field: 'format', rule: 'enum' });

    let stored;
    try {
      stored = await services.files.save(p.tenantId, source, services.maxBytes);
    } catch (e) {
      if ((e as { code?: string }).code === 'FILE_TOO_LARGE' || (e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(request, reply, services.maxBytes);
      throw e;
    }
    const now = deps.now();
    const { imp, duplicate } = await withTenant(deps.pool, p, async (db) => {
      const r = await registerImport(db, p.tenantId, stored, { type: q.type, format, fileName: cleanName(fileName), createdBy: p.userId ?? p.apiKeyId ?? null, force: q.force === true });
      if (!r.duplicate) {
        await auditMutation(db, request, p.tenantId, 'supply.import.created', {
          target: r.imp.id, details: { type: r.imp.type, format, byteSize: stored.byteSize, sha256: stored.sha256, fileName: r.imp.fileName },
        }, now);
      }
      return r;
    });
    if (!duplicate || imp.status === 'queued') {
      // If this fails the import stays queued; posting the same file again re-queues it.
      await deps.jobs.enqueue(SUPPLY_IMPORT_TASK, { tenantId: p.tenantId, importId: imp.id }, { jobKey: importJobKey(imp.id), maxAttempts: SUPPLY_IMPORT_MAX_ATTEMPTS })
        .catch((e: unknown) => request.log.warn({ err: e, importId: imp.id }, 'import enqueue failed'));
    }
    reply.header('location', `/v1/imports/${imp.id}`);
    return reply.code(duplicate ? 200 : 202).send({ import: importView(imp), duplicate });
  });

  app.get('/imports', {
    config: { access: 'supply:read' },
    schema: {
      tags: ['imports'], summary: 'Imports, newest first (keyset pages)',
      querystring: Type.Object({
        status: Type.Optional(Type.Union(['queued', 'running', 'succeeded', 'failed'].map((s) => Type.Literal(s)))), type: Type.Optional(TypeParam),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), cursor: Type.Optional(Type.String({ maxLength: 400 })),
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    const { limit = 50, cursor, status, type } = request.query;
    const c = decodeKeysetCursor(cursor, 'imports');
    const before = c ? { createdAt: new Date(c.v ?? ''), id: c.ids[0]! } : undefined;
    if (before && Number.isNaN(before.createdAt.getTime())) throw badRequest('VALIDATION_FAILED', 'cursor is not valid', { field: 'cursor', rule: 'format' });
    const rows = await withTenant(deps.pool, request.principal!, (db) => listImports(db, { limit: limit + 1, before, status: status, type: type }));
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items: items.map(importView), nextCursor: rows.length > limit && last ? encodeKeysetCursor({ v: last.createdAt.toISOString(), ids: [last.id] }, 'imports') : null };
  });

  app.get('/imports/:id', {
    config: { access: 'supply:read' },
    schema: { tags: ['imports'], summary: 'One import: status, progress, counts and the final report', params: IdParams },
  }, async (request) => {
    const imp = await withTenant(deps.pool, request.principal!, (db) => getImport(db, request.params.id));
    if (!imp) throw notFound('import');
    return importView(imp);
  });

  app.get('/imports/:id/rejects', {
    config: { access: 'supply:read' },
    schema: {
      tags: ['imports'], summary: 'Download the rejected rows (row number, column, reason, raw row) as CSV, a JSON array or NDJSON, in row order',
      params: IdParams, querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json'), Type.Literal('ndjson')])) }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const p = request.principal!;
    const id = request.params.id;
    const imp = await withTenant(deps.pool, p, (db) => getImport(db, id));
    if (!imp) throw notFound('import');
    const format = request.query.format ?? 'csv';
    async function* body(): AsyncGenerator<string> {
      if (format === 'csv') yield 'row,column,reason,raw\n';
      if (format === 'json') yield '[';
      let after: { row: number; ordinal: number } | undefined;
      let first = true;
      for (;;) {
        const page = await withTenant(deps.pool, p, (db) => listRejects(db, id, after, 2000));
        for (const r of page) {
          const item = { row: r.row, column: r.column, reason: r.reason, raw: r.raw };
          if (format === 'csv') yield csvLine([r.row, r.column, r.reason, r.raw]);
          else if (format === 'json') yield `${first ? '' : ','}\n${JSON.stringify(item)}`;
          else yield `${JSON.stringify(item)}\n`;
          first = false;
        }
        if (page.length < 2000) break;
        after = { row: page.at(-1)!.row, ordinal: page.at(-1)!.ordinal };
      }
      if (format === 'json') yield '\n]\n';
    }
    return reply
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : format === 'json' ? 'application/json' : 'application/x-ndjson')
      .header('content-disposition', `attachment; filename="import-${id}-rejects.${format}"`)
      .send(Readable.from(body()));
  });
};

function tooLarge(request: FastifyRequest, reply: Parameters<typeof sendProblem>[0], limit: number) {
  // The rest of the body is unread: close the connection after answering so it is never reused mid-body.
  reply.header('connection', 'close');
  return sendProblem(reply, request, { status: 413, code: 'FILE_TOO_LARGE', detail: `The file is larger than ${limit} bytes (IMPORT_MAX_BYTES)`, extra: { limitBytes: limit } });
}
