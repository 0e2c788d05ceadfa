import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.js';

test('defaults give the embedded set-up on port 8080 with ./data', () => {
  const c = loadConfig({});
  assert.equal(c.port, 8080);
  assert.match(c.dataDir, /\/data$/);
  assert.equal(c.databaseUrl, undefined);
});

test('every bad variable is named in one error', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', COOKIE_SECURE: 'maybe' }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.problems.length, 4);
      for (const name of ['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'COOKIE_SECURE']) assert.match(e.message, new RegExp(name));
      return true;
    },
  );
});

test('an external database needs the pepper and the signing key', () => {
  assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://u@h/db' }), /API_KEY_PEPPER and AUDIT_SIGNING_KEY/);
  assert.throws(() => loadConfig({ API_KEY_PEPPER: 'short' }), /at least 32/);
});

test('a metrics token too short to resist guessing is refused', () => {
  assert.throws(() => loadConfig({ METRICS_TOKEN: 'short' }), /METRICS_TOKEN must be at least 16/);
  assert.equal(loadConfig({}).metricsToken, undefined);
});
