import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReferenceResolver } from './reference-resolver.js';
import type { TenantClient } from '../db/with-tenant.js';

/** A client that knows parts P-0 … P-99 and counts the keys it is asked for. */
function fakeDb(): { db: TenantClient; asked: string[] } {
  const asked: string[] = [];
  const db = {
    query: async (_sql: string, [keys]: [string[]]) => {
      asked.push(...keys);
      return { rows: keys.map((k) => ({ k, id: /^P-\d{1,2}$/.test(k) ? `id-${k}` : null })) };
    },
  };
  return { db: db as unknown as TenantClient, asked };
}

test("a batch's view keeps the ids it loaded when the shared cache starts over meanwhile", async () => {
  const { db } = fakeDb();
  const shared = new ReferenceResolver(3);
  const batchA = shared.forBatch();
  await batchA.load(db, 'parts', ['P-1', 'P-2', 'P-3']);
  const batchB = shared.forBatch();
  await batchB.load(db, 'parts', ['P-4', 'P-5']); // past the shared bound: the shared cache starts over
  assert.equal(shared.id('parts', 'P-1'), undefined);
  assert.deepEqual(['P-1', 'P-2', 'P-3'].map((k) => batchA.id('parts', k)), ['id-P-1', 'id-P-2', 'id-P-3']);
  assert.equal(batchA.id('parts', 'missing'), undefined);
});

test('a batch view looks up only keys the shared cache does not know, and shares what it finds', async () => {
  const { db, asked } = fakeDb();
  const shared = new ReferenceResolver();
  await shared.forBatch().load(db, 'parts', ['P-1', 'P-2', 'NOPE']);
  const next = shared.forBatch();
  await next.load(db, 'parts', ['P-1', 'P-3', 'NOPE']);
  assert.deepEqual(asked, ['P-1', 'P-2', 'NOPE', 'P-3', 'NOPE'], 'misses are not cached');
  assert.equal(next.id('parts', 'P-1'), 'id-P-1');
  assert.equal(shared.id('parts', 'P-3'), 'id-P-3');
});
