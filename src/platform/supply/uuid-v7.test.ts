import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidV7 } from './uuid-v7.js';

test('a v7 UUID carries the time in its first 48 bits, version 7 and the RFC 9562 variant', () => {
  const at = Date.UTC(2026, 10, 22, 7, 30, 0, 123);
  const id = uuidV7(at);
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(parseInt(id.slice(0, 8) + id.slice(9, 13), 16), at);
});

test('ids of later milliseconds sort after earlier ones, and ids are distinct', () => {
  const ids = Array.from({ length: 5000 }, (_, i) => uuidV7(1_700_000_000_000 + Math.floor(i / 10)));
  assert.equal(new Set(ids).size, ids.length);
  for (let i = 10; i < ids.length; i += 10) assert.ok(ids[i - 1]!.slice(0, 13) < ids[i]!.slice(0, 13));
});
