import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { AppDeps } from '../deps.js';
import { sendProblem } from './problem.js';
import { routeInfo } from '../route-info.js';

/**
 * Prometheus metrics on the app's own registry: request count and latency by route template and
 * status (templates, not raw URLs, so label cardinality stays bounded), the DB pool, pending audit
 * events. Process metrics and job counts are registered by the composition root on the same registry.
 */
export function registerMetrics(app: FastifyInstance, deps: AppDeps): void {
  const registers = [deps.metrics];
  // One record per (method, status, route template): a bounded set. Requests are counted here with a plain
  // increment and handed to prom-client only when scraped, and the labelled histogram child is made once per
  // combination: prom-client hashes and validates the labels on every `inc` and `observe` it is given.
  const seen = new Map<string, { labels: Record<'method' | 'route' | 'status', string>; count: number; time: Histogram.Internal<string> }>();
  new Counter({ name: 'http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers,
    collect() {
      this.reset();
      for (const r of seen.values()) this.inc(r.labels, r.count);
    } });
  const duration = new Histogram({
    name: 'http_request_duration_seconds', help: 'HTTP request latency', labelNames: ['method', 'route', 'status'], registers,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  new Gauge({ name: 'db_pool_connections', help: 'Runtime DB pool connections', labelNames: ['state'], registers,
    collect() {
      this.set({ state: 'total' }, deps.pool.totalCount);
      this.set({ state: 'idle' }, deps.pool.idleCount);
      this.set({ state: 'waiting' }, deps.pool.waitingCount);
    } });
  new Gauge({ name: 'audit_events_pending', help: 'Audit events buffered, not yet written', registers,
    collect() { this.set(deps.auditWriter.pending); } });

  app.addHook('onResponse', (request, reply, done) => {
    const route = routeInfo(request).url ?? 'unmatched';
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let record = seen.get(key);
    if (!record) {
      const labels = { method: request.method, route, status: String(reply.statusCode) };
      record = { labels, count: 0, time: duration.labels(labels) };
      seen.set(key, record);
    }
    record.count++;
    record.time.observe(reply.elapsedTime / 1000);
    done();
  });

  // Route names, request counts and pool sizes say a lot about a deployment: with METRICS_TOKEN set,
  // only a scraper holding it may read them (compared in constant time).
  const token = deps.settings.metricsToken === undefined ? undefined : Buffer.from(`Bearer ${deps.settings.metricsToken}`);
  const authorised = (header: string | undefined): boolean => {
    if (token === undefined) return true;
    const given = Buffer.from(header ?? '');
    return given.length === token.length && timingSafeEqual(given, token);
  };
  app.get('/metrics', { config: { access: 'public', unaudited: true }, schema: { hide: true } }, async (request, reply) => {
    if (!authorised(request.headers.authorization)) {
      return sendProblem(reply.header('www-authenticate', 'Bearer realm="metrics"'), request, { status: 401, code: 'UNAUTHENTICATED', detail: 'The metrics endpoint needs its bearer token (METRICS_TOKEN)' });
    }
    reply.type(deps.metrics.contentType);
    return deps.metrics.metrics();
  });
}
