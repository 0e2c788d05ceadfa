import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, login, eventually, type TestServer } from '../support/test-server.js';
import { startServer, type RunningServer } from '../../src/main/server.js';

/** Two instances on one database: a revocation through one is refused by the other, despite its cache. */
let a: TestServer;
let b: RunningServer;
before(async () => {
  a = await startTestServer();
  b = await startServer(a.runtime, { port: 0, host: '127.0.0.1', now: a.clock.now });
});
after(async () => {
  await b.close();
  await a.close();
});

const status = async (base: string, secret: string) => (await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${secret}` } })).status;

test('a key revoked on instance A is refused by instance B, which had it cached', async () => {
  const cookie = await login(a.baseUrl, a.demo.tenant, a.demo.email, a.demo.password);
  const k = (await (await fetch(`${a.baseUrl}/v1/api-keys`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'cached', scopes: ['users:read'] }) })).json()) as { apiKey: { id: string }; secret: string };
  assert.ok(await eventually(async () => (await status(b.url, k.secret)) === 200), 'B serves (and caches) the key');
  assert.equal(await status(b.url, k.secret), 200);
  const revoke = await fetch(`${a.baseUrl}/v1/api-keys/${k.apiKey.id}/revoke`, { method: 'POST', headers: { cookie } });
  assert.equal(revoke.status, 200);
  assert.equal(await status(a.baseUrl, k.secret), 401, 'A refuses at once');
  assert.ok(await eventually(async () => (await status(b.url, k.secret)) === 401, 1000), 'B refuses within a second (database notification)');
});

test('a user disabled through SQL (outside any instance) loses access everywhere', async () => {
  const u = await a.createUser(['analyst']);
  const cookie = await login(a.baseUrl, a.demo.tenant, u.email, u.password);
  const me = async (base: string) => (await fetch(`${base}/v1/me`, { headers: { cookie } })).status;
  assert.equal(await me(a.baseUrl), 200);
  assert.equal(await me(b.url), 200);
  await a.db.ownerPool.query('UPDATE users SET disabled = true WHERE id = $1', [u.id]);
  assert.ok(await eventually(async () => (await me(a.baseUrl)) === 401 && (await me(b.url)) === 401, 1000));
});
