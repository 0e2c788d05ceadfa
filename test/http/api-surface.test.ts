import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, login, eventually, type TestServer } from '../support/test-server.js';

let ts: TestServer;
let auditor: string;
before(async () => {
  ts = await startTestServer({ jobs: true, env: { AUDIT_CHECKPOINT_CRON: '* * * * *' } });
  auditor = await login(ts.baseUrl, ts.demo.tenant, ts.demo.email, ts.demo.password);
});
after(() => ts.close());


async function auditEvents(query: string): Promise<{ items: Record<string, any>[]; nextCursor: string | null }> {
  const res = await fetch(`${ts.baseUrl}/v1/audit/events?${query}`, { headers: { cookie: auditor } });
  assert.equal(res.status, 200);
  return (await res.json()) as { items: Record<string, any>[]; nextCursor: string | null };
}


test('health, readiness, metrics and OpenAPI answer', async () => {
  assert.deepEqual(await (await fetch(`${ts.baseUrl}/healthz`)).json(), { status: 'ok' });
  const ready = await fetch(`${ts.baseUrl}/readyz`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { status: 'ready', checks: { database: true, jobs: true } });
  const metrics = await (await fetch(`${ts.baseUrl}/metrics`)).text();
  for (const name of ['http_requests_total', 'http_request_duration_seconds_bucket', 'db_pool_connections', 'jobs', 'process_cpu_user_seconds_total', 'audit_events_pending']) {
    assert.match(metrics, new RegExp(`^${name}`, 'm'), name);
  }
  assert.match(metrics, /http_requests_total\{method="GET",route="\/healthz",status="200"\}/);
  const spec = (await (await fetch(`${ts.baseUrl}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
  assert.match(spec.openapi, /^3\./);
  for (const p of ['/v1/auth/login', '/v1/users', '/v1/api-keys', '/v1/audit/events']) assert.ok(spec.paths[p], p);
  assert.equal((await fetch(`${ts.baseUrl}/docs/`)).status, 200);
});

test('every API call is audited with its outcome: 200, 401, 403, 404, 429', async () => {
  const pilot = await ts.createUser(['pilot']);
  const pilotCookie = await login(ts.baseUrl, ts.demo.tenant, pilot.email, pilot.password);
  await fetch(`${ts.baseUrl}/v1/users`, { headers: { cookie: pilotCookie, 'user-agent': 'matrix-probe/1', 'x-request-id': 'req-403-probe', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
  await fetch(`${ts.baseUrl}/v1/users/00000000-0000-4000-8000-000000000000`, { method: 'PATCH', headers: { cookie: auditor, 'content-type': 'application/json' }, body: '{"displayName":"x"}' });
  await fetch(`${ts.baseUrl}/v1/no-such-route`, { headers: { cookie: auditor, 'x-request-id': 'req-404-probe' } });
  await eventually(async () => (await auditEvents('status=404')).items.some((e) => e.requestId === 'req-404-probe'));
  const denied = (await auditEvents('status=403')).items.find((e) => e.requestId === 'req-403-probe');
  assert.ok(denied, 'the 403 is in the trail');
  assert.equal(denied.actorLabel, pilot.email);
  assert.equal(denied.authMethod, 'session');
  assert.equal(denied.route, '/v1/users');
  assert.equal(denied.userAgent, 'matrix-probe/1');
  assert.equal(denied.traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(denied.ip, '127.0.0.1');
  assert.ok(denied.latencyMs >= 0);
  assert.ok((await auditEvents('status=404')).items.some((e) => e.route === '/v1/users/:id' && e.target === '00000000-0000-4000-8000-000000000000'));
  assert.ok((await auditEvents('status=404')).items.some((e) => e.route === '/v1/no-such-route'));
  // Unauthenticated calls go to the platform chain (no tenant to attribute them to).
  await fetch(`${ts.baseUrl}/v1/me`, { headers: { 'x-request-id': 'req-401-probe' } });
  await eventually(async () => (await ts.db.ownerPool.query(
    `SELECT 1 FROM audit_events WHERE tenant_id = '00000000-0000-0000-0000-000000000000' AND status = 401 AND request_id = 'req-401-probe'`,
  )).rowCount === 1);
});

test('a rate-limited caller gets 429 problem+json, and the 429 is audited', async () => {
  const limited = await startTestServer({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
  try {
    const cookie = await login(limited.baseUrl, limited.demo.tenant, limited.demo.email, limited.demo.password);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await fetch(`${limited.baseUrl}/v1/me`, { headers: { cookie } })).status);
    assert.deepEqual(statuses.slice(0, 4), [200, 200, 200, 200]);
    const res = await fetch(`${limited.baseUrl}/v1/me`, { headers: { cookie } });
    assert.equal(res.status, 429);
    assert.equal(((await res.json()) as { code: string }).code, 'RATE_LIMITED');
    await eventually(async () => (await limited.db.ownerPool.query(`SELECT 1 FROM audit_events WHERE status = 429 AND actor_type = 'user'`)).rowCount! > 0);
  } finally {
    await limited.close();
  }
});

test('the audit search filters, pages by keyset and exports with hash fields', async () => {
  for (let i = 0; i < 12; i++) await fetch(`${ts.baseUrl}/v1/me`, { headers: { cookie: auditor, 'x-request-id': `req-page-${i}` } });
  await eventually(async () => (await auditEvents('action=request&limit=50')).items.some((e) => e.requestId === 'req-page-11'));
  const first = await auditEvents('limit=5&action=request&status=2xx');
  assert.equal(first.items.length, 5);
  assert.ok(first.nextCursor);
  const second = await auditEvents(`limit=5&action=request&status=2xx&cursor=${first.nextCursor}`);
  assert.ok(second.items[0]!.seq < first.items.at(-1)!.seq, 'pages continue downward without overlap');
  const byActor = await auditEvents(`actor=${encodeURIComponent(ts.demo.email)}&limit=100`);
  const strangers = byActor.items.filter((e) => !String(e.actorLabel).includes(ts.demo.email));
  assert.deepEqual(strangers, [], 'the actor filter returns only that actor');
  const prefixed = await auditEvents('action=auth.*');
  assert.ok(prefixed.items.length > 0 && prefixed.items.every((e) => e.action.startsWith('auth.')));
  const later = await auditEvents(`from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`);
  assert.equal(later.items.length, 0);

  const csv = await fetch(`${ts.baseUrl}/v1/audit/events/export?format=csv`, { headers: { cookie: auditor } });
  assert.match(csv.headers.get('content-disposition') ?? '', /attachment; filename="audit-demo-/);
  const lines = (await csv.text()).trim().split('\n');
  assert.match(lines[0]!, /seq,id,occurredAt.*prevHash,hash/);
  const ndjson = await (await fetch(`${ts.baseUrl}/v1/audit/events/export?format=json`, { headers: { cookie: auditor } })).text();
  const events = ndjson.trim().split('\n').map((l) => JSON.parse(l) as { seq: number; prevHash: string; hash: string });
  // Request events are written in batches, so the later JSON export may hold events the CSV did not have yet;
  // what the CSV has must be exactly the start of the chain the JSON export shows.
  const csvSeqs = lines.slice(1).map((l) => Number(/^(\d+),/.exec(l)?.[1]));
  assert.ok(csvSeqs.length > 0 && events.length >= csvSeqs.length);
  assert.deepEqual(events.slice(0, csvSeqs.length).map((e) => e.seq), csvSeqs);
  for (let i = 1; i < events.length; i++) assert.equal(events[i]!.prevHash, events[i - 1]!.hash, 'the export is the chain, in order');

  const stats = (await (await fetch(`${ts.baseUrl}/v1/audit/stats/requests-per-minute`, { headers: { cookie: auditor } })).json()) as { items: { count: number }[] };
  assert.ok(stats.items.reduce((s, x) => s + x.count, 0) >= 12);
});

test('mutations write their domain event in the same transaction', async () => {
  const res = await fetch(`${ts.baseUrl}/v1/api-keys`, { method: 'POST', headers: { cookie: auditor, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'audited', scopes: ['users:read'] }) });
  const { apiKey, secret } = (await res.json()) as { apiKey: { id: string }; secret: string };
  const created = (await auditEvents('action=api_key.created')).items.find((e) => e.target === apiKey.id);
  assert.ok(created, 'visible immediately, no flush needed');
  assert.deepEqual(created.details.scopes, ['users:read']);
  assert.ok(!JSON.stringify(created).includes(secret.slice(-20)), 'never the secret');
});

test('the scheduled job writes signed checkpoints', async () => {
  await ts.runtime.ownerPool.query(`SELECT graphile_worker.add_job('audit_checkpoint')`);
  const deadline = Date.now() + 10_000;
  let n = 0;
  while (Date.now() < deadline && n === 0) {
    await new Promise((r) => setTimeout(r, 250));
    n = (await ts.db.ownerPool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_checkpoints')).rows[0]!.n;
  }
  assert.ok(n > 0, 'a checkpoint was written by the job');
});
