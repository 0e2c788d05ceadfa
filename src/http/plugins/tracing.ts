import type { FastifyInstance } from 'fastify';
import { context, trace, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { contextFromHeaders } from '../../platform/telemetry/tracing.js';
import { routeInfo } from '../route-info.js';
import { actorIdOf } from '../../platform/authn/principal.js';

/**
 * One server span per request (registered only when tracing is configured), continuing the caller's
 * trace from `traceparent`. The request's trace id is the span's, so the audit event of the call
 * names the trace that shows it. The handler runs inside the span's context: database transactions
 * it opens become child spans (withTenant). Named by route template, never by raw URL; no query
 * strings, headers or bodies are recorded.
 */
export function registerTracing(app: FastifyInstance, tracer: Tracer): void {
  app.decorateRequest('span', null);
  app.addHook('onRequest', (request, _reply, done) => {
    const route = routeInfo(request).url ?? 'unmatched';
    const parent = contextFromHeaders(request.headers);
    const span = tracer.startSpan(`${request.method} ${route}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, 'http.route': route, 'client.address': request.ip, 'skyguard.request_id': request.id },
    }, parent);
    request.span = span;
    request.traceId = span.spanContext().traceId;
    done();
  });
  // After authentication and body parsing, just before the handler: the handler's async work inherits the span.
  app.addHook('preHandler', (request, _reply, done) => {
    if (!request.span) return done();
    context.with(trace.setSpan(context.active(), request.span), done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const span = request.span;
    if (!span) return done();
    span.setAttribute('http.response.status_code', reply.statusCode);
    const p = request.principal;
    if (p) span.setAttributes({ 'skyguard.tenant_id': p.tenantId, 'enduser.id': actorIdOf(p), 'skyguard.auth_method': p.authMethod });
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    done();
  });
}
