import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, login } from '../support/test-server.js';

const redisUrl = process.env.TEST_REDIS_URL;

test('two instances sharing Redis share one rate-limit budget per caller', { skip: redisUrl ? false : 'TEST_REDIS_URL not set (CI sets it to the local Redis)' }, async () => {
  // A fresh database per instance would give different users; one instance's DB serves both.
  const a = await startTestServer({ env: { RATE_LIMIT_PER_MINUTE: '6', REDIS_URL: redisUrl! } });
  try {
    const { startServer } = await import('../../src/main/server.js');
    const b = await startServer(a.runtime, { port: 0, host: '127.0.0.1', now: a.clock.now });
    try {
      // A unique user so that counters left in Redis by earlier runs cannot interfere.
      const u = await a.createUser(['pilot']);
      const cookie = await login(a.baseUrl, a.demo.tenant, u.email, `${u.password}`);
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const base = i % 2 === 0 ? a.baseUrl : b.url;
        statuses.push((await fetch(`${base}/v1/me`, { headers: { cookie } })).status);
      }
      assert.deepEqual(statuses.slice(0, 6), [200, 200, 200, 200, 200, 200]);
      assert.deepEqual(statuses.slice(6), [429, 429], 'the 7th call is over the shared budget, whichever instance it hits');
    } finally {
      await b.close();
    }
  } finally {
    await a.close();
  }
});
