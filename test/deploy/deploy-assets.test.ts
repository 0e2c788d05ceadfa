import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { startTestServer, login, type TestServer } from '../support/test-server.js';

const run = promisify(execFile);
const DEPLOY = join(import.meta.dirname, '..', '..', 'deploy');
const promtool = await run('promtool', ['--version']).then(() => true, () => false);
const noPromtool = promtool ? false : 'promtool not installed (Debian package prometheus; CI installs it); skipped';

let ts: TestServer;
let exposition: string;
before(async () => {
  // NATS_URL makes the server export nats_connected whether or not a broker answers.
  ts = await startTestServer({ env: { NATS_URL: 'nats://127.0.0.1:4222' } });
  const cookie = await login(ts.baseUrl, ts.demo.tenant, ts.demo.email, ts.demo.password);
  await fetch(`${ts.baseUrl}/v1/me`, { headers: { cookie } }); // a request, so the request histograms have series
  exposition = await (await fetch(`${ts.baseUrl}/metrics`)).text();
});
after(() => ts.close());

/** Metric names a PromQL expression selects (every selector in our assets carries a `{…}` matcher). */
const metricsIn = (expr: string): string[] => [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1]!);
/** Series Prometheus makes itself, not the server. */
const FROM_PROMETHEUS = new Set(['up']);

function assertExported(where: string, exprs: readonly string[]): void {
  const missing = new Set<string>();
  for (const expr of exprs) {
    for (const name of metricsIn(expr)) {
      if (!FROM_PROMETHEUS.has(name) && !new RegExp(`^${name}[ {]`, 'm').test(exposition)) missing.add(name);
    }
  }
  assert.deepEqual([...missing], [], `${where} uses metrics the server does not export`);
}

test('every metric the alert rules use is exported by the server', async () => {
  const rules = parse(await readFile(join(DEPLOY, 'prometheus', 'alerts.yml'), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
  const exprs = rules.groups.flatMap((g) => g.rules.map((r) => r.expr));
  assert.ok(exprs.length >= 10);
  assertExported('alerts.yml', exprs);
});

test('every metric the Grafana dashboard plots is exported by the server, and panel ids are unique', async () => {
  const dash = JSON.parse(await readFile(join(DEPLOY, 'grafana', 'skyguard.json'), 'utf8')) as { panels: { id: number; type: string; targets?: { expr: string }[] }[] };
  const ids = dash.panels.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length);
  const exprs = dash.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
  assert.ok(exprs.length >= 10);
  assertExported('skyguard.json', exprs);
});

test('the alert rules are valid PromQL and pass their unit tests (promtool)', { skip: noPromtool }, async () => {
  const dir = join(DEPLOY, 'prometheus');
  await run('promtool', ['check', 'rules', 'alerts.yml'], { cwd: dir });
  await run('promtool', ['check', 'config', '--syntax-only', 'prometheus.yml'], { cwd: dir });
  const { stdout } = await run('promtool', ['test', 'rules', 'alerts.test.yml'], { cwd: dir });
  assert.match(stdout, /SUCCESS/);
});
