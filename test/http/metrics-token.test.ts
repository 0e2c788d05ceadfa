import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/test-server.js';

const TOKEN = 'scrape-token-for-tests-0123456789';
let ts: TestServer;
before(async () => {
  ts = await startTestServer({ env: { METRICS_TOKEN: TOKEN } });
});
after(() => ts.close());

test('with METRICS_TOKEN set, /metrics answers only its bearer token', async () => {
  for (const authorization of [undefined, 'Bearer wrong-token', `Bearer ${TOKEN}x`, TOKEN, `bearer ${TOKEN.slice(0, -1)}`]) {
    const res = await fetch(`${ts.baseUrl}/metrics`, { headers: authorization === undefined ? {} : { authorization } });
    assert.equal(res.status, 401, String(authorization));
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="metrics"');
    const body = (await res.json()) as { code: string };
    assert.equal(body.code, 'UNAUTHENTICATED');
  }
  const ok = await fetch(`${ts.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /^http_requests_total/m);
});
