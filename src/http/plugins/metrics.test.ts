import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import '../fastify-types.js';
import type { AppDeps } from '../deps.js';
import { registerRouteInfo } from '../route-info.js';
import { registerMetrics } from './metrics.js';

const deps = (metrics: Registry) => ({
  metrics, pool: { totalCount: 2, idleCount: 1, waitingCount: 0 }, auditWriter: { pending: 0 }, settings: {},
}) as unknown as AppDeps;

test('request counts and latency histograms are exported per method, route template and status', async () => {
  const app = Fastify();
  const metrics = new Registry();
  registerRouteInfo(app);
  registerMetrics(app, deps(metrics));
  app.get('/things/:id', { config: { access: 'public' } }, async () => ({ ok: true }));
  for (const id of ['1', '2', '3']) assert.equal((await app.inject({ method: 'GET', url: `/things/${id}` })).statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: '/nowhere' })).statusCode, 404);
  const first = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  assert.match(first, /^http_requests_total\{method="GET",route="\/things\/:id",status="200"\} 3$/m);
  assert.match(first, /^http_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m);
  assert.match(first, /^http_request_duration_seconds_count\{method="GET",route="\/things\/:id",status="200"\} 3$/m);
  assert.match(first, /^http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/things\/:id",status="200"\} 3$/m);

  // Counts carry on between scrapes (a counter never restarts), and the first scrape is counted by the second.
  await app.inject({ method: 'GET', url: '/things/4' });
  const second = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  assert.match(second, /^http_requests_total\{method="GET",route="\/things\/:id",status="200"\} 4$/m);
  assert.match(second, /^http_requests_total\{method="GET",route="\/metrics",status="200"\} 1$/m);
  await app.close();
});
