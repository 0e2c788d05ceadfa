import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, login, type TestServer } from '../support/test-server.js';

let ts: TestServer;
let cookie: string;
before(async () => {
  ts = await startTestServer({ env: { BODY_LIMIT_BYTES: '4096' } });
  cookie = await login(ts.baseUrl, ts.demo.tenant, ts.demo.email, ts.demo.password);
});
after(() => ts.close());

async function counts(): Promise<{ users: number; keys: number }> {
  const { rows } = await ts.db.ownerPool.query<{ users: number; keys: number }>('SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM api_keys) AS keys');
  return rows[0]!;
}

const send = async (path: string, body: string, contentType = 'application/json') => {
  const res = await fetch(`${ts.baseUrl}${path}`, { method: 'POST', headers: { cookie, 'content-type': contentType }, body });
  return { status: res.status, type: res.headers.get('content-type') ?? '', problem: (await res.json()) as { code: string; detail: string; errors?: { field: string; rule: string }[] } };
};

const cases: { name: string; path: string; body: string; status: number; code: string; field?: string; rule?: string; contentType?: string }[] = [
  { name: 'malformed JSON', path: '/v1/api-keys', body: '{"name": "x", scopes: [', status: 400, code: 'MALFORMED_JSON' },
  { name: 'truncated JSON', path: '/v1/users', body: '{"email":"a@b.c","displayName":"A","pass', status: 400, code: 'MALFORMED_JSON' },
  { name: 'empty body', path: '/v1/api-keys', body: '', status: 400, code: 'MALFORMED_JSON' },
  { name: 'wrong type', path: '/v1/api-keys', body: JSON.stringify({ name: 42, scopes: ['users:read'] }), status: 400, code: 'VALIDATION_FAILED', field: 'name', rule: 'type' },
  { name: 'number as string is not coerced', path: '/v1/api-keys', body: JSON.stringify({ name: 'k', scopes: ['users:read'], expiresInDays: '30' }), status: 400, code: 'VALIDATION_FAILED', field: 'expiresInDays', rule: 'type' },
  { name: 'unknown field', path: '/v1/users', body: JSON.stringify({ email: 'a@b.co', displayName: 'A', password: 'long-enough-pass', roles: ['pilot'], isAdmin: true }), status: 400, code: 'VALIDATION_FAILED', field: 'isAdmin', rule: 'unknownField' },
  { name: 'missing field', path: '/v1/users', body: JSON.stringify({ email: 'a@b.co', password: 'long-enough-pass', roles: ['pilot'] }), status: 400, code: 'VALIDATION_FAILED', field: 'displayName', rule: 'required' },
  { name: 'unknown role', path: '/v1/users', body: JSON.stringify({ email: 'a@b.co', displayName: 'A', password: 'long-enough-pass', roles: ['root'] }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'short password', path: '/v1/users', body: JSON.stringify({ email: 'a@b.co', displayName: 'A', password: 'short', roles: ['pilot'] }), status: 400, code: 'VALIDATION_FAILED', field: 'password', rule: 'minLength' },
  { name: 'bad email', path: '/v1/users', body: JSON.stringify({ email: 'not-an-email', displayName: 'A', password: 'long-enough-pass', roles: ['pilot'] }), status: 400, code: 'VALIDATION_FAILED', field: 'email', rule: 'format' },
  { name: 'unknown scope', path: '/v1/api-keys', body: JSON.stringify({ name: 'k', scopes: ['everything:*'] }), status: 400, code: 'VALIDATION_FAILED', field: 'scopes', rule: 'enum' },
  { name: 'oversized body', path: '/v1/users', body: JSON.stringify({ email: 'a@b.co', displayName: 'x'.repeat(10_000), password: 'long-enough-pass', roles: ['pilot'] }), status: 413, code: 'BODY_TOO_LARGE' },
  { name: 'prototype pollution', path: '/v1/api-keys', body: '{"name":"k","scopes":["users:read"],"__proto__":{"admin":true}}', status: 400, code: 'MALFORMED_JSON' },
  { name: 'wrong content type', path: '/v1/api-keys', body: 'name=k', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', contentType: 'application/x-www-form-urlencoded' },
  { name: 'NUL bytes and huge unicode', path: '/v1/api-keys', body: JSON.stringify({ name: '\u0000'.repeat(200), scopes: ['users:read'] }), status: 400, code: 'VALIDATION_FAILED', field: 'name', rule: 'maxLength' },
];

for (const c of cases) {
  test(`bad input: ${c.name} → ${c.status} problem+json, nothing written`, async () => {
    const before = await counts();
    const r = await send(c.path, c.body, c.contentType);
    assert.equal(r.status, c.status, JSON.stringify(r.problem));
    assert.match(r.type, /application\/problem\+json/);
    assert.equal(r.problem.code, c.code);
    assert.ok(!/at .*\.(ts|js):\d+|SELECT|INSERT/.test(JSON.stringify(r.problem)), 'no stack trace or SQL in the answer');
    if (c.field) assert.ok(r.problem.errors?.some((e) => e.field === c.field && (!c.rule || e.rule === c.rule)), JSON.stringify(r.problem.errors));
    assert.deepEqual(await counts(), before);
  });
}

test('hostile query strings and path parameters are refused cleanly', async () => {
  for (const path of ['/v1/users?limit=0', '/v1/users?limit=abc', '/v1/users?sort=password', '/v1/users?cursor=%00%FF', '/v1/users/not-a-uuid', `/v1/users?q=${'%'.repeat(3)}25`, '/v1/audit/events?from=yesterday']) {
    const res = await fetch(`${ts.baseUrl}${path}`, { method: path.includes('/users/') ? 'PATCH' : 'GET', headers: { cookie, 'content-type': 'application/json' }, body: path.includes('/users/') ? '{"displayName":"x"}' : undefined });
    assert.ok([400, 404].includes(res.status) || (path.includes('q=') && res.status === 200), `${path} → ${res.status}`);
    assert.match(res.headers.get('content-type') ?? '', /json/);
  }
});

test('a duplicate user is a 409 and leaves no half-written audit event', async () => {
  const body = JSON.stringify({ email: 'dup@demo.test', displayName: 'D', password: 'long-enough-pass', roles: ['pilot'] });
  assert.equal((await send('/v1/users', body)).status, 201);
  const again = await send('/v1/users', body);
  assert.equal(again.status, 409);
  assert.equal(again.problem.code, 'EMAIL_TAKEN');
  const { rows } = await ts.db.ownerPool.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'user.created' AND details->>'email' = 'dup@demo.test'`);
  assert.equal(rows[0].n, 1);
});
