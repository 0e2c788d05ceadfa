import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReportHtmlCache } from './report-html.cache.js';

test('renders once per key, shares a render in flight, and evicts the least recently used past its budget', async () => {
  const cache = new ReportHtmlCache(200); // 40 bytes per 20-character entry: five fit
  let renders = 0;
  const render = (s: string) => async () => {
    renders++;
    return s;
  };
  const [a1, a2] = await Promise.all([cache.get('a', render('a'.repeat(20))), cache.get('a', render('never'))]);
  assert.equal(a1, a2);
  assert.equal(renders, 1);
  for (const k of ['b', 'c', 'd', 'e']) await cache.get(k, render(k.repeat(20)));
  await cache.get('a', render('never')); // a is now the most recently used
  assert.equal(renders, 5);
  await cache.get('f', render('f'.repeat(20)));
  assert.deepEqual(cache.size, { entries: 5, bytes: 200 });
  await cache.get('a', render('never'));
  assert.equal(renders, 6, 'a stayed');
  await cache.get('b', render('b'.repeat(20)));
  assert.equal(renders, 7, 'b (least recently used) was evicted');
  await cache.get('huge', render('h'.repeat(26)));
  await cache.get('huge', render('h'.repeat(26)));
  assert.equal(renders, 9, 'an entry over a quarter of the budget is not kept');
});

test('a failed render is not cached', async () => {
  const cache = new ReportHtmlCache();
  await assert.rejects(cache.get('k', () => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(await cache.get('k', async () => 'ok'), 'ok');
});
