// NATS down at start-up: the server still starts and serves, the link retries in the background and
// connects once the broker is reachable (a local TCP proxy in front of the machine's NATS plays the
// broker going up), and stopping while it is still retrying returns at once.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect as tcpConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import { connect, type NatsConnection } from 'nats';
import { startNatsLink } from '../../src/platform/events/nats-link.js';
import { eventually, startTestServer } from '../support/test-server.js';

const url = new URL(process.env.NATS_TEST_URL ?? 'nats://127.0.0.1:4222');
let reachable: NatsConnection | undefined;
try {
  reachable = await connect({ servers: url.host, timeout: 2000, maxReconnectAttempts: 0 });
  await reachable.close();
} catch {
  reachable = undefined;
}
const skip = reachable ? false : `NATS not reachable at ${url.host}; skipped`;

/** A port that refuses connections until `open()`, then forwards to the real NATS. */
async function brokerThatComesUpLater(): Promise<{ url: string; open(): Promise<void>; close(): Promise<void> }> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  let proxy: Server | undefined;
  const sockets = new Set<Socket>();
  return {
    url: `nats://127.0.0.1:${port}`,
    async open() {
      proxy = createServer((client) => {
        const upstream = tcpConnect(Number(url.port || 4222), url.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => undefined);
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((r) => proxy!.listen(port, '127.0.0.1', r));
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
    },
  };
}

describe('NATS unreachable at start-up', { skip }, () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  test('the link retries in the background and starts its work once the broker is up', async () => {
    const broker = await brokerThatComesUpLater();
    cleanups.push(() => broker.close());
    const logs: string[] = [];
    let started = 0;
    let stopped = 0;
    const link = startNatsLink({
      url: broker.url, name: 'skyguard-test', retryMs: 100, log: (m) => void logs.push(m),
      onConnected: async () => {
        started++;
        return async () => void stopped++;
      },
    });
    cleanups.push(() => link.close());
    await eventually(async () => logs.some((l) => l.startsWith('NATS not reachable')), 5000);
    assert.equal(link.connection, undefined);
    assert.equal(link.connected, false);
    assert.equal(started, 0);
    await broker.open();
    await link.ready;
    assert.ok(link.connection);
    assert.equal(link.connected, true);
    assert.equal(started, 1);
    assert.ok(logs.includes('NATS connected after retrying'));
    await link.close();
    assert.equal(stopped, 1);
    assert.equal(link.connection, undefined);
  });

  test('`connected` follows an outage and the client reconnecting on its own', async () => {
    const broker = await brokerThatComesUpLater();
    cleanups.push(() => broker.close());
    await broker.open();
    const link = startNatsLink({ url: broker.url, name: 'skyguard-test', retryMs: 100, log: () => undefined, onConnected: async () => async () => undefined });
    cleanups.push(() => link.close());
    await link.ready;
    assert.equal(link.connected, true);
    await broker.close();
    await eventually(async () => !link.connected, 10_000);
    await broker.open();
    await eventually(async () => link.connected, 15_000);
    assert.ok(link.connection, 'the same connection came back');
  });

  test('closing a link that never connected returns promptly', async () => {
    const broker = await brokerThatComesUpLater();
    const link = startNatsLink({ url: broker.url, name: 'skyguard-test', retryMs: 60_000, log: () => undefined, onConnected: async () => async () => undefined });
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    await link.close();
    assert.ok(performance.now() - t0 < 5000, 'close does not wait for the retry timer');
    assert.equal(link.connection, undefined);
  });

  test('the server starts and answers with NATS_URL pointing at a broker that is down', async () => {
    const broker = await brokerThatComesUpLater();
    const server = await startTestServer({ env: { NATS_URL: broker.url } });
    cleanups.push(() => server.close());
    const res = await fetch(`${server.baseUrl}/healthz`);
    assert.equal(res.status, 200);
    assert.match(await (await fetch(`${server.baseUrl}/metrics`)).text(), /^nats_connected 0$/m);
  });
});
