import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/app-error.js';

/** One field-level validation failure: which field, which rule, in words. */
export interface FieldError {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

interface ValidationItem {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldErrors(part: string | undefined, items: readonly ValidationItem[]): FieldError[] {
  return items.map((v) => {
    const path = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const extra = (v.params?.missingProperty ?? v.params?.additionalProperty) as string | undefined;
    const field = [part && part !== 'body' ? part : '', path, extra ?? ''].filter(Boolean).join('.') || (part ?? 'body');
    const rule = v.keyword === 'additionalProperties' ? 'unknownField' : (v.keyword ?? 'invalid');
    const message = v.keyword === 'additionalProperties' ? `unknown field "${extra}"` : `${field} ${v.message ?? 'is invalid'}`;
    return { field, rule, message };
  });
}

// Fastify's own client errors, renamed to stable codes of ours.
const FASTIFY_CODES: Record<string, { code: string; status: number; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'MALFORMED_JSON', status: 400, detail: 'The request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'MALFORMED_JSON', status: 400, detail: 'The request body is empty but JSON was declared' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE', status: 413, detail: 'The request body is larger than this endpoint accepts' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415, detail: 'This endpoint does not accept that content type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_CONTENT_LENGTH', status: 400, detail: 'Content-Length does not match the body' },
};

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  p: { status: number; code: string; title?: string; detail: string; errors?: readonly FieldError[]; extra?: Record<string, unknown> },
): FastifyReply {
  return reply
    .code(p.status)
    .type('application/problem+json')
    .send({
      type: `https://skyguard.dev/problems/${p.code.toLowerCase().replace(/_/g, '-')}`,
      title: p.title ?? p.code.replace(/_/g, ' ').toLowerCase().replace(/^./, (c) => c.toUpperCase()),
      status: p.status,
      detail: p.detail,
      code: p.code,
      instance: request.id,
      ...(p.errors ? { errors: p.errors } : {}),
      ...(p.extra ?? {}),
    });
}

/**
 * The one error handler: every failure leaves as RFC 9457 problem+json with a stable `code`.
 * Validation failures name each field and rule. Unknown errors become a bare 500 — their message,
 * stack and any SQL stay in the log, keyed by the request id shown to the user.
 */
export function registerProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      const errors = error.details && 'field' in error.details
        ? [{ field: String(error.details.field), rule: typeof error.details.rule === 'string' ? error.details.rule : 'invalid', message: error.message }]
        : undefined;
      return sendProblem(reply, request, { status: error.status, code: error.code, detail: error.message, ...(errors ? { errors } : {}) });
    }
    const fe = error as FastifyError & { validation?: ValidationItem[]; validationContext?: string };
    if (fe.validation) {
      const errors = fieldErrors(fe.validationContext, fe.validation);
      return sendProblem(reply, request, {
        status: 400, code: 'VALIDATION_FAILED', detail: errors.map((e) => e.message).join('; '), errors,
      });
    }
    const known = fe.code ? FASTIFY_CODES[fe.code] : undefined;
    if (known) return sendProblem(reply, request, { status: known.status, code: known.code, detail: known.detail });
    if (fe.statusCode === 429) {
      return sendProblem(reply, request, { status: 429, code: 'RATE_LIMITED', detail: fe.message });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return sendProblem(reply, request, { status: fe.statusCode, code: 'BAD_REQUEST', detail: 'The request could not be processed' });
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, request, { status: 500, code: 'INTERNAL', detail: `Something went wrong on our side. Quote request id ${request.id}.` });
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, { status: 404, code: 'NOT_FOUND', detail: `No route ${request.method} ${request.url.split('?')[0]}` }),
  );
}
