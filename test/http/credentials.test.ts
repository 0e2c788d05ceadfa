import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, login, type TestServer } from '../support/test-server.js';

let ts: TestServer;
before(async () => {
  ts = await startTestServer({ env: { SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '12' } });
});
after(() => ts.close());

const get = async (path: string, auth: { cookie?: string; bearer?: string }) => {
  const headers: Record<string, string> = {};
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.bearer) headers.authorization = `Bearer ${auth.bearer}`;
  const res = await fetch(`${ts.baseUrl}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const post = async (path: string, cookie: string, body?: unknown) => {
  const res = await fetch(`${ts.baseUrl}${path}`, {
    method: 'POST', headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: res.status === 204 ? {} : ((await res.json()) as Record<string, any>) };
};

test('the session cookie is httpOnly, SameSite and never the same twice', async () => {
  const res = await fetch(`${ts.baseUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: ts.demo.tenant, email: ts.demo.email, password: ts.demo.password }) });
  const cookie = res.headers.getSetCookie()[0]!;
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  const again = await login(ts.baseUrl, ts.demo.tenant, ts.demo.email, ts.demo.password);
  assert.notEqual(cookie.split(';')[0], again);
});

test('wrong password, unknown user and unknown tenant all get the same 401', async () => {
  for (const body of [
    { tenant: ts.demo.tenant, email: ts.demo.email, password: 'wrong-password' },
    { tenant: ts.demo.tenant, email: 'nobody@demo.test', password: 'wrong-password' },
    { tenant: 'no-such-tenant', email: ts.demo.email, password: ts.demo.password },
  ]) {
    const res = await fetch(`${ts.baseUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const problem = (await res.json()) as { code: string };
    assert.equal(res.status, 401);
    assert.equal(problem.code, 'INVALID_CREDENTIALS');
  }
});

test('sessions expire when idle and at their absolute limit, and logout revokes', async () => {
  const u = await ts.createUser(['pilot']);
  let cookie = await login(ts.baseUrl, ts.demo.tenant, u.email, u.password);
  assert.equal((await get('/v1/me', { cookie })).status, 200);
  ts.clock.advance(31 * 60_000);
  assert.equal((await get('/v1/me', { cookie })).status, 401, 'idle for 31 min');

  cookie = await login(ts.baseUrl, ts.demo.tenant, u.email, u.password);
  for (let i = 0; i < 25; i++) {
    ts.clock.advance(29 * 60_000); // active every 29 minutes: never idle…
    const { status } = await get('/v1/me', { cookie });
    if (i < 24) assert.equal(status, 200, `still within 12 h after ${(i + 1) * 29} min`);
    else assert.equal(status, 401, '…but past the 12-hour absolute limit');
  }

  cookie = await login(ts.baseUrl, ts.demo.tenant, u.email, u.password);
  assert.equal((await post('/v1/auth/logout', cookie)).status, 204);
  assert.equal((await get('/v1/me', { cookie })).status, 401);
});

test('signing out other sessions keeps only the current one; a disabled user is locked out at once', async () => {
  const u = await ts.createUser(['analyst']);
  const first = await login(ts.baseUrl, ts.demo.tenant, u.email, u.password);
  const second = await login(ts.baseUrl, ts.demo.tenant, u.email, u.password);
  const sessions = await get('/v1/me/sessions', { cookie: second });
  assert.equal((sessions.body.items as unknown[]).length, 2);
  assert.deepEqual((await post('/v1/me/sessions/revoke-others', second)).body, { revoked: 1 });
  assert.equal((await get('/v1/me', { cookie: first })).status, 401);
  assert.equal((await get('/v1/me', { cookie: second })).status, 200);

  const admin = await login(ts.baseUrl, ts.demo.tenant, ts.demo.email, ts.demo.password);
  const res = await fetch(`${ts.baseUrl}/v1/users/${u.id}`, { method: 'PATCH', headers: { cookie: admin, 'content-type': 'application/json' }, body: JSON.stringify({ disabled: true }) });
  assert.equal(res.status, 200);
  assert.equal((await get('/v1/me', { cookie: second })).status, 401);
});

test('an API key is shown once, works, is limited to its scopes, and is refused after revocation', async () => {
  const admin = await login(ts.baseUrl, ts.demo.tenant, ts.demo.email, ts.demo.password);
  const created = await post('/v1/api-keys', admin, { name: 'ci', scopes: ['users:read'] });
  assert.equal(created.status, 201);
  const secret = created.body.secret as string;
  assert.match(secret, /^sg_/);
  const list = await get('/v1/api-keys', { cookie: admin });
  assert.ok(!JSON.stringify(list.body).includes(secret.slice(20)), 'the secret never appears again');

  assert.equal((await get('/v1/users', { bearer: secret })).status, 200);
  assert.equal((await get('/v1/audit/events', { bearer: secret })).status, 403, 'audit:read is not in its scopes');
  assert.equal((await get('/v1/me', { bearer: `${secret.slice(0, -1)}${secret.endsWith('x') ? 'y' : 'x'}` })).status, 401, 'checksum mismatch');

  const revoked = await post(`/v1/api-keys/${created.body.apiKey.id}/revoke`, admin);
  assert.ok(revoked.body.apiKey.revokedAt);
  assert.equal((await get('/v1/users', { bearer: secret })).status, 401);
});

test('a key can never hold more than its creator, even after the creator loses a role', async () => {
  const u = await ts.createUser(['pilot', 'analyst']);
  const cookie = await login(ts.baseUrl, ts.demo.tenant, u.email, u.password);
  const beyond = await post('/v1/api-keys', cookie, { name: 'x', scopes: ['users:write'] });
  assert.equal(beyond.status, 403);
  assert.equal(beyond.body.code, 'SCOPE_EXCEEDS_CREATOR');
  const k = await post('/v1/api-keys', cookie, { name: 'x', scopes: ['flights:read', 'apikeys:read'] });
  assert.equal(k.status, 201);
  const me = await get('/v1/me', { bearer: k.body.secret });
  assert.deepEqual(me.body.permissions, ['apikeys:read', 'flights:read']);

  const admin = await login(ts.baseUrl, ts.demo.tenant, ts.demo.email, ts.demo.password);
  await fetch(`${ts.baseUrl}/v1/users/${u.id}`, { method: 'PATCH', headers: { cookie: admin, 'content-type': 'application/json' }, body: JSON.stringify({ roles: ['procurement'] }) });
  const after = await get('/v1/me', { bearer: k.body.secret });
  assert.deepEqual(after.body.permissions, ['apikeys:read'], 'flights:read went with the role');
});

test('rotation issues a new key and the old one works only until the grace period ends; expiry is enforced', async () => {
  const admin = await login(ts.baseUrl, ts.demo.tenant, ts.demo.email, ts.demo.password);
  const k = await post('/v1/api-keys', admin, { name: 'rotating', scopes: ['users:read'], expiresInDays: 30 });
  const rotated = await post(`/v1/api-keys/${k.body.apiKey.id}/rotate`, admin, { graceSeconds: 3600 });
  assert.equal(rotated.status, 201);
  assert.notEqual(rotated.body.secret, k.body.secret);
  assert.equal((await get('/v1/users', { bearer: k.body.secret })).status, 200, 'old key within grace');
  assert.equal((await get('/v1/users', { bearer: rotated.body.secret })).status, 200);
  ts.clock.advance(3601_000);
  assert.equal((await get('/v1/users', { bearer: k.body.secret })).status, 401, 'old key after grace');
  assert.equal((await get('/v1/users', { bearer: rotated.body.secret })).status, 200);
  ts.clock.advance(31 * 86_400_000);
  assert.equal((await get('/v1/users', { bearer: rotated.body.secret })).status, 401, 'successor inherits the expiry');
});

test('last_used_at is recorded', async () => {
  const admin = await login(ts.baseUrl, ts.demo.tenant, ts.demo.email, ts.demo.password);
  const k = await post('/v1/api-keys', admin, { name: 'used', scopes: ['users:read'] });
  await get('/v1/users', { bearer: k.body.secret });
  const list = (await get('/v1/api-keys', { cookie: admin })).body.items as { id: string; lastUsedAt: string | null }[];
  assert.ok(list.find((x) => x.id === k.body.apiKey.id)!.lastUsedAt);
});
