import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CredentialCache } from './credential-cache.js';
import type { Principal } from './principal.js';

const principal = (tenantId: string): Principal => ({
  tenantId, tenantSlug: 't', actorType: 'user', userId: 'u', email: 'e', displayName: 'd', roles: [], permissions: new Set(), authMethod: 'session',
});
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

test('off until enabled, and switching off empties it', () => {
  const c = new CredentialCache(5000);
  c.set('k', principal('a'), t0, null);
  assert.equal(c.get('k', t0), undefined);
  c.setEnabled(true);
  c.set('k', principal('a'), t0, null);
  assert.ok(c.get('k', t0));
  c.setEnabled(false);
  c.setEnabled(true);
  assert.equal(c.get('k', t0), undefined);
});

test('entries live for the TTL but never past the credential expiry', () => {
  const c = new CredentialCache(5000);
  c.setEnabled(true);
  c.set('long', principal('a'), t0, null);
  c.set('short', principal('a'), t0, at(1000));
  assert.ok(c.get('long', at(4999)));
  assert.equal(c.get('long', at(5000)), undefined);
  assert.equal(c.get('short', at(1000)), undefined);
});

test('invalidating a tenant drops only its entries; the size is bounded', () => {
  const c = new CredentialCache(5000, 3);
  c.setEnabled(true);
  c.set('a1', principal('a'), t0, null);
  c.set('b1', principal('b'), t0, null);
  c.invalidateTenant('a');
  assert.equal(c.get('a1', t0), undefined);
  assert.ok(c.get('b1', t0));
  for (const k of ['x', 'y', 'z']) c.set(k, principal('c'), t0, null);
  assert.equal(c.size, 3);
  assert.equal(c.get('b1', t0), undefined, 'the oldest went first');
});

test('cache keys hash the token', () => {
  const k = CredentialCache.keyOf('api_key', 'sg_secret');
  assert.ok(!k.includes('secret'));
  assert.notEqual(k, CredentialCache.keyOf('session', 'sg_secret'));
});

test('concurrent lookups of one credential share a single database resolution', async () => {
  const c = new CredentialCache(5000);
  c.setEnabled(true);
  let calls = 0;
  const lookup = async () => {
    calls++;
    await new Promise((r) => setTimeout(r, 5));
    return principal('a');
  };
  const results = await Promise.all(Array.from({ length: 50 }, async () => c.resolve('k', t0, lookup)));
  assert.equal(calls, 1);
  assert.ok(results.every((p) => p?.tenantId === 'a'));
  await c.resolve('k', t0, lookup);
  assert.equal(calls, 1, 'then served from the cache');
});

test('when a hot entry expires, every request in flight shares one lookup, whose answer is cached afresh', async () => {
  const c = new CredentialCache(5000);
  c.setEnabled(true);
  c.set('k', principal('old'), t0, null);
  let calls = 0;
  const lookup = async () => {
    calls++;
    await new Promise((r) => setTimeout(r, 5));
    return principal('new');
  };
  const expired = at(5000);
  const results = await Promise.all(Array.from({ length: 200 }, async () => c.resolve('k', expired, lookup)));
  assert.equal(calls, 1);
  assert.ok(results.every((p) => p?.tenantId === 'new'));
  assert.equal(c.get('k', at(9999))?.tenantId, 'new', 'valid for a full TTL from the refresh');
});

test('a failed lookup is shared by the requests waiting on it, and the next request tries again', async () => {
  const c = new CredentialCache(5000);
  c.setEnabled(true);
  let calls = 0;
  const failing = async () => {
    calls++;
    await new Promise((r) => setTimeout(r, 5));
    throw new Error('database down');
  };
  const settled = await Promise.allSettled(Array.from({ length: 20 }, async () => c.resolve('k', t0, failing)));
  assert.equal(calls, 1);
  assert.ok(settled.every((s) => s.status === 'rejected'));
  assert.equal((await c.resolve('k', t0, async () => principal('a')))?.tenantId, 'a');
});

test('a lookup that started before an invalidation is not cached after it', async () => {
  const c = new CredentialCache(5000);
  c.setEnabled(true);
  let release!: () => void;
  const pending = c.resolve('k', t0, () => new Promise((r) => (release = () => r(principal('a')))));
  c.invalidateTenant('a');
  release();
  assert.ok(await pending, 'the caller still gets its answer');
  assert.equal(c.get('k', t0), undefined);
});

test('a hot entry is looked up again once in the background during its last second, and keeps serving meanwhile', async () => {
  const c = new CredentialCache(5000);
  c.setEnabled(true);
  c.set('k', principal('old'), t0, null);
  let calls = 0;
  let release!: (p: Principal | null) => void;
  const lookup = () => {
    calls++;
    return new Promise<Principal | null>((r) => (release = r));
  };
  assert.equal((c.resolve('k', at(3999), lookup) as Principal).tenantId, 'old', 'before the refresh window: no lookup');
  assert.equal(calls, 0);
  for (let i = 0; i < 100; i++) assert.equal((c.resolve('k', at(4000 + i), lookup) as Principal).tenantId, 'old', 'served at once, without a promise');
  assert.equal(calls, 1);
  release(principal('new'));
  await new Promise(setImmediate);
  assert.equal(c.get('k', at(8999))?.tenantId, 'new', 'a fresh TTL from the refresh');
});

test('a background lookup that finds the credential gone drops the entry; one that fails leaves it to expire', async () => {
  const c = new CredentialCache(5000);
  c.setEnabled(true);
  c.set('gone', principal('a'), t0, null);
  c.resolve('gone', at(4500), async () => null);
  await new Promise(setImmediate);
  assert.equal(c.get('gone', at(4500)), undefined);

  c.set('flaky', principal('a'), t0, null);
  c.resolve('flaky', at(4500), () => Promise.reject(new Error('database down')));
  await new Promise(setImmediate);
  assert.ok(c.get('flaky', at(4999)));
  assert.equal(c.get('flaky', at(5000)), undefined);
});

test('an entry that ends with its credential is not refreshed ahead of that end', () => {
  const c = new CredentialCache(5000);
  c.setEnabled(true);
  c.set('k', principal('a'), t0, at(2000));
  let calls = 0;
  const lookup = async () => {
    calls++;
    return principal('a');
  };
  c.resolve('k', at(1999), lookup);
  assert.equal(calls, 0);
});
