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

test('OIDC settings: all or nothing, named in one error when incomplete', () => {
  assert.equal(loadConfig({}).oidc, undefined);
  const ok = loadConfig({
    OIDC_ISSUER: 'https://login.example.com/realms/ops', OIDC_CLIENT_ID: 'skyguard', OIDC_REDIRECT_URL: 'https://skyguard.example.com/v1/auth/oidc/callback',
    OIDC_TENANT: 'Acme', OIDC_DEFAULT_ROLES: 'pilot, analyst',
  }).oidc!;
  assert.equal(ok.tenant, 'acme');
  assert.deepEqual(ok.defaultRoles, ['pilot', 'analyst']);
  assert.equal(ok.scopes, 'openid email profile');
  assert.equal(ok.rolesClaim, 'roles');
  assert.equal(ok.clientSecret, undefined);
  assert.throws(() => loadConfig({ OIDC_CLIENT_ID: 'skyguard' }), /OIDC_ISSUER is required/);
  assert.throws(() => loadConfig({ OIDC_ISSUER: 'https://login.example.com' }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    for (const name of ['OIDC_CLIENT_ID', 'OIDC_REDIRECT_URL', 'OIDC_TENANT']) assert.match(e.message, new RegExp(name));
    return true;
  });
});

test('OIDC: plain HTTP only for a provider on loopback, known default roles, the openid scope', () => {
  const base = { OIDC_CLIENT_ID: 'c', OIDC_REDIRECT_URL: 'http://localhost:8080/v1/auth/oidc/callback', OIDC_TENANT_CLAIM: 'tenant' };
  assert.ok(loadConfig({ ...base, OIDC_ISSUER: 'http://127.0.0.1:9000' }).oidc);
  assert.throws(() => loadConfig({ ...base, OIDC_ISSUER: 'http://login.example.com' }), /must use https/);
  assert.throws(() => loadConfig({ ...base, OIDC_ISSUER: 'https://x.example', OIDC_DEFAULT_ROLES: 'pilot,superuser' }), /unknown roles: superuser/);
  assert.throws(() => loadConfig({ ...base, OIDC_ISSUER: 'https://x.example', OIDC_SCOPES: 'email profile' }), /must include openid/);
});

test('tracing: the standard OTEL_* variables, a base endpoint gets /v1/traces, a bad ratio is named', () => {
  assert.equal(loadConfig({}).tracing, undefined);
  assert.deepEqual(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing, { endpoint: 'http://collector:4318/v1/traces', serviceName: 'skyguard', sampleRatio: 1 });
  const t = loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otel.example/traces', OTEL_SERVICE_NAME: 'skyguard-eu', OTEL_TRACES_SAMPLER_ARG: '0.1' }).tracing!;
  assert.equal(t.endpoint, 'https://otel.example/traces');
  assert.equal(t.sampleRatio, 0.1);
  assert.throws(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER_ARG: 'half' }), /OTEL_TRACES_SAMPLER_ARG/);
  assert.throws(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://c:4317' }), /OTEL_EXPORTER_OTLP_ENDPOINT/);
});
