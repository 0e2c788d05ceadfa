import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateApiKeyToken, hmacSecret, parseApiKeyToken, secretMatches } from './api-key-token.js';

test('a generated token parses back to its parts', () => {
  const k = generateApiKeyToken();
  assert.match(k.token, /^sg_[a-z2-7]{12}_[0-9A-Za-z]{46}$/);
  assert.deepEqual(parseApiKeyToken(k.token), { publicId: k.publicId, secret: k.secret });
});

test('one changed character, truncation or junk is rejected by the checksum or the shape', () => {
  const { token } = generateApiKeyToken();
  const i = token.length - 10;
  const flipped = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
  assert.equal(parseApiKeyToken(flipped), null);
  assert.equal(parseApiKeyToken(token.slice(0, -1)), null);
  assert.equal(parseApiKeyToken(`${token}x`), null);
  for (const junk of ['', 'sg_', 'Bearer x', 'sg_'.padEnd(10_000, 'a'), '\u0000'.repeat(60)]) assert.equal(parseApiKeyToken(junk), null);
});

test('the stored HMAC matches only the right secret and pepper', () => {
  const k = generateApiKeyToken();
  const stored = hmacSecret('pepper-one-pepper-one-pepper-one-xx', k.secret);
  assert.ok(secretMatches('pepper-one-pepper-one-pepper-one-xx', k.secret, stored));
  assert.ok(!secretMatches('pepper-two-pepper-two-pepper-two-xx', k.secret, stored));
  assert.ok(!secretMatches('pepper-one-pepper-one-pepper-one-xx', generateApiKeyToken().secret, stored));
});
