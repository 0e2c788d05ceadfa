import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCursor, decodeKeysetCursor, encodeCursor, encodeKeysetCursor, page } from './pagination.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64url');
const refused = (fn: () => unknown): void =>
  assert.throws(fn, (e: unknown) => (e as { code?: string; status?: number }).code === 'VALIDATION_FAILED' && (e as { status?: number }).status === 400);

test('cursors round-trip, scoped and plain', () => {
  assert.deepEqual(decodeCursor(encodeCursor({ v: '2026-11-22T00:00:00.000Z', id: 'a' })), { v: '2026-11-22T00:00:00.000Z', id: 'a' });
  const c = { v: null, ids: ['p', 'l'] };
  assert.deepEqual(decodeKeysetCursor(encodeKeysetCursor(c, 'stock:onHand:a'), 'stock:onHand:a'), c);
  assert.equal(decodeCursor(undefined), undefined);
  assert.equal(decodeKeysetCursor('', 'x'), undefined);
});

test('a cursor from another list or sort is refused', () => {
  refused(() => decodeKeysetCursor(encodeKeysetCursor({ v: '1', ids: ['a'] }, 'parts:unitCost:d'), 'parts:unitCost:a'));
  refused(() => decodeCursor(encodeKeysetCursor({ v: '1', ids: ['a'] }, 'parts:unitCost:d')));
  refused(() => decodeCursor(encodeKeysetCursor({ v: null, ids: ['a'] })));
  refused(() => decodeCursor(encodeKeysetCursor({ v: '1', ids: ['a', 'b'] })));
});

test('hostile cursors get a 400, never a crash', () => {
  for (const raw of ['%%%', b64('not json'), b64('null'), b64('[]'), b64('42'), b64('"s"'), b64('{}'), b64('{"s":"","v":1,"i":["a"]}'),
    b64('{"s":"","v":"x","i":[]}'), b64('{"s":"","v":"x","i":[1]}'), b64(JSON.stringify({ s: '', v: 'x', i: ['a', 'b', 'c', 'd', 'e'] })),
    b64(JSON.stringify({ s: '', v: 'x'.repeat(501), i: ['a'] })), b64(JSON.stringify({ s: '', v: 'x', i: ['a'.repeat(201)] }))]) {
    refused(() => decodeKeysetCursor(raw));
    refused(() => decodeCursor(raw));
  }
});

test('page() returns the limit and a cursor only when there is more', () => {
  const rows = [1, 2, 3].map((n) => ({ n }));
  const more = page(rows, 2, (r) => ({ v: String(r.n), id: `id${r.n}` }));
  assert.deepEqual(more.items, [{ n: 1 }, { n: 2 }]);
  assert.deepEqual(decodeCursor(more.nextCursor!), { v: '2', id: 'id2' });
  assert.equal(page(rows, 3, (r) => ({ v: String(r.n), id: 'x' })).nextCursor, null);
});
