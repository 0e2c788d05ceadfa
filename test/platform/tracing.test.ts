import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer, login, eventually, type TestServer } from '../support/test-server.js';

/** A span as OTLP/HTTP JSON carries it (ids in hex), with its attributes flattened. */
interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  status: { code?: number };
  attributes: Record<string, unknown>;
  service: string;
}

/**
 * An OTLP/HTTP trace receiver: what a collector's `otlphttp` receiver accepts (POST /v1/traces,
 * JSON encoding), decoded per the OTLP JSON mapping and kept for the assertions.
 */
async function startOtlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; server: Server }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !String(req.headers['content-type']).startsWith('application/json')) {
        res.writeHead(415).end();
        return;
      }
      type Attr = { key: string; value: Record<string, unknown> };
      const flat = (attrs: Attr[] = []) => Object.fromEntries(attrs.map((a) => [a.key, Object.values(a.value)[0]]));
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: { resource: { attributes: Attr[] }; scopeSpans: { spans: (Omit<ReceivedSpan, 'attributes' | 'service'> & { attributes: Attr[] })[] }[] }[];
      };
      for (const rs of body.resourceSpans) {
        const service = String(flat(rs.resource.attributes)['service.name']);
        for (const ss of rs.scopeSpans) for (const s of ss.spans) spans.push({ ...s, parentSpanId: s.parentSpanId ?? '', attributes: flat(s.attributes), service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, server };
}

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let ts: TestServer;
let cookie: string;
before(async () => {
  receiver = await startOtlpReceiver();
  ts = await startTestServer({ jobs: true, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'skyguard-test' } });
  cookie = await login(ts.baseUrl, ts.demo.tenant, ts.demo.email, ts.demo.password);
});
after(async () => {
  await ts.close();
  await new Promise((r) => receiver.server.close(r));
});

const SERVER = 2; // OTLP SpanKind
const spanNamed = (name: string, traceId?: string) => eventually(async () =>
  receiver.spans.find((s) => s.name === name && (traceId === undefined || s.traceId === traceId)), 10_000);

test('a request continues the caller\'s trace; its tenant transactions are child spans', async () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const parent = '00f067aa0ba902b7';
  const res = await fetch(`${ts.baseUrl}/v1/users?limit=5`, { headers: { cookie, traceparent: `00-${traceId}-${parent}-01` } });
  assert.equal(res.status, 200);
  const span = await spanNamed('GET /v1/users', traceId);
  assert.equal(span.kind, SERVER);
  assert.equal(span.parentSpanId, parent);
  assert.equal(span.service, 'skyguard-test');
  assert.equal(Number(span.attributes['http.response.status_code']), 200);
  assert.equal(span.attributes['http.route'], '/v1/users');
  assert.equal(span.attributes['skyguard.auth_method'], 'session');
  assert.ok(span.attributes['skyguard.tenant_id']);
  const db = await eventually(async () => receiver.spans.find((s) => s.name === 'db.transaction' && s.parentSpanId === span.spanId), 10_000);
  assert.equal(db.traceId, traceId);
  assert.equal(db.attributes['db.system.name'], 'postgresql');
});

test('a request without traceparent starts a trace, and its audit event names it', async () => {
  const res = await fetch(`${ts.baseUrl}/v1/me`, { headers: { cookie } });
  const requestId = res.headers.get('x-request-id')!;
  const span = await eventually(async () => receiver.spans.find((s) => s.name === 'GET /v1/me' && s.attributes['skyguard.request_id'] === requestId), 10_000);
  assert.equal(span.parentSpanId, '');
  const audit = await eventually(async () => (await ts.db.ownerPool.query<{ trace_id: string }>('SELECT trace_id FROM audit_events WHERE request_id = $1', [requestId])).rows[0]);
  assert.equal(audit.trace_id, span.traceId);
});

test('refused and failing requests are spans too, without a tenant when nobody signed in', async () => {
  const res = await fetch(`${ts.baseUrl}/v1/users`);
  assert.equal(res.status, 401);
  const requestId = res.headers.get('x-request-id')!;
  const span = await eventually(async () => receiver.spans.find((s) => s.attributes['skyguard.request_id'] === requestId), 10_000);
  assert.equal(Number(span.attributes['http.response.status_code']), 401);
  assert.equal(span.attributes['skyguard.tenant_id'], undefined);
  assert.notEqual(span.status.code, 2, '4xx is the caller\'s error, not the span\'s');
});

test('background jobs are root spans', async () => {
  // The job runner queues the analysis sweep as soon as it starts.
  const span = await spanNamed('job flight_analysis_sweep');
  assert.equal(span.parentSpanId, '');
  assert.equal(span.attributes['skyguard.job.task'], 'flight_analysis_sweep');
});
