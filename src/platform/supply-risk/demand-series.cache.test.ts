import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DemandSeriesCache } from './demand-series.cache.js';

const series = 'fffffffe00000001ffffffff00000003';

test('a scope keeps entries for its stamp and starts empty when the stamp moves on', () => {
  const cache = new DemandSeriesCache();
  const first = cache.scope('t1', '3:17|2023-11-21|2026-11-01');
  first.set('p/l', series);
  first.set('q/l', null);
  assert.deepEqual(cache.scope('t1', '3:17|2023-11-21|2026-11-01').get('p/l'), series);
  assert.equal(cache.scope('t1', '3:17|2023-11-21|2026-11-01').get('q/l'), null, 'no demand is cached as null');
  assert.equal(cache.scope('t1', '4:18|2023-11-21|2026-11-01').get('p/l'), undefined, 'a demand write drops the tenant');
  assert.equal(cache.entries, 0);
});

test('tenants are independent', () => {
  const cache = new DemandSeriesCache();
  cache.scope('t1', 's').set('p/l', series);
  cache.scope('t2', 'other').set('p/l', null);
  assert.deepEqual(cache.scope('t1', 's').get('p/l'), series);
  assert.equal(cache.entries, 2);
});

test('beyond its bound the oldest entries go first', () => {
  const cache = new DemandSeriesCache(2);
  const s = cache.scope('t1', 's');
  s.set('a', null);
  s.set('b', null);
  s.set('c', series);
  assert.equal(cache.entries, 2);
  assert.equal(s.get('a'), undefined);
  assert.deepEqual(s.get('c'), series);
});
