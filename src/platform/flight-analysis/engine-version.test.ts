import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, isOutdated } from './engine-version.js';

test('versions compare by every number, the thresholds version in the build metadata included', () => {
  assert.equal(compareVersions('1.0.0+thresholds.1.0.0', '1.0.0+thresholds.1.0.0'), 0);
  assert.equal(compareVersions('1.0.0+thresholds.1.0.0', '1.0.0+thresholds.1.1.0'), -1);
  assert.equal(compareVersions('1.10.0+thresholds.1.0.0', '1.9.0+thresholds.2.0.0'), 1);
  assert.equal(compareVersions('1.0.0', '1.0.0+thresholds.1.0.0'), -1);
  assert.equal(compareVersions('', 'x'), -1);
});

test('an analysis is outdated only when the running engine or model is newer', () => {
  const run = { engineVersion: '1.1.0+thresholds.1.0.0', anomalyModelVersion: '1.0.0' };
  assert.equal(isOutdated({ engineVersion: '1.0.0+thresholds.1.0.0', anomalyModelVersion: '1.0.0' }, run), true);
  assert.equal(isOutdated({ engineVersion: '1.2.0+thresholds.1.0.0', anomalyModelVersion: '0.1.0' }, run), false, 'newer engine wins');
  assert.equal(isOutdated({ ...run }, run), false);
  assert.equal(isOutdated({ ...run, anomalyModelVersion: null }, run), true);
  assert.equal(isOutdated({ ...run, anomalyModelVersion: '0.9.0' }, run), true);
  assert.equal(isOutdated({ ...run, anomalyModelVersion: '2.0.0' }, run), false);
  assert.equal(isOutdated(run, { ...run, anomalyModelVersion: null }), false);
});
