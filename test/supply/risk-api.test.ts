// Risk and alert API against the real server and PostgreSQL: summary, ranked list (filters, keyset
// pages), one part's detail, manual re-score, alerts inbox/acknowledge/resolve, bad input,
// permissions per role and tenant isolation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { login, startTestServer, type TestServer } from '../support/test-server.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import { recordPrediction } from '../../src/platform/audit/prediction-recorder.js';
import { runRiskScoring, type ScoringDeps } from '../../src/platform/supply-risk/risk-scoring.service.js';
import type { Tenant } from '../../src/platform/accounts/tenant-admin.js';
import { idOf, RISK_NOW, seedRiskDataset } from './risk-support.js';

let ts: TestServer;
let tenant: Tenant;
let other: Tenant;
let admin: string;
let otherAdmin: string;
let scoring: ScoringDeps;
const ids: Record<string, string> = {};

async function call(path: string, cookie: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${ts.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { cookie, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
async function userCookie(roles: string[], slug = 'risk-api'): Promise<string> {
  const u = await ts.createUser(roles, slug);
  return login(ts.baseUrl, slug, u.email, u.password);
}
const q = <T extends object>(t: Tenant, sql: string, params: unknown[] = []) =>
  withTenant(ts.db.appPool, { tenantId: t.id }, async (c) => (await c.query<T>(sql, params)).rows);

before(async () => {
  ts = await startTestServer();
  tenant = await ts.createTenant('risk-api');
  other = await ts.createTenant('risk-other');
  await seedRiskDataset(ts.db.appPool, tenant.id);
  await seedRiskDataset(ts.db.appPool, other.id);
  admin = await userCookie(['admin']);
  otherAdmin = await userCookie(['admin'], 'risk-other');
  for (const pn of ['P-NOGO', 'P-FR', 'P-US', 'P-US2']) ids[pn] = await idOf(ts.db.appPool, tenant.id, 'parts', pn);
  ids.STORE1 = await idOf(ts.db.appPool, tenant.id, 'locations', 'STORE1');
  ids['SUP-FR'] = await idOf(ts.db.appPool, tenant.id, 'suppliers', 'SUP-FR');
  let tick = 0;
  // A clock that moves, so runs are ordered by their start.
  scoring = { pool: ts.db.appPool, recordPrediction, now: () => new Date(RISK_NOW.getTime() + 1000 * tick++) };
  await runRiskScoring(scoring, tenant.id, { kind: 'all' }, { kind: 'full' });
  await runRiskScoring(scoring, other.id, { kind: 'all' }, { kind: 'full' });
  // A shortage of the No-Go part: critical, one alert.
  await q(tenant, 'UPDATE stock_levels SET on_hand = 0, reserved = 1 WHERE part_id = $1', [ids['P-NOGO']]);
  await runRiskScoring(scoring, tenant.id, { kind: 'items', partIds: [ids['P-NOGO']!], locationIds: [ids.STORE1] }, { kind: 'stock_changed', ref: 'test' });
});
after(() => ts.close());

describe('portfolio summary', () => {
  test('totals, breakdowns with labels, trend and the stated aggregation assumptions', async () => {
    const r = await call('/v1/supply/risk/summary', admin);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const s = r.body;
    assert.equal(s.total.items, 4);
    assert.equal(s.total.refused, 0);
    assert.equal(Object.values(s.total.byLevel as Record<string, number>).reduce((a, b) => a + b, 0), 4);
    assert.equal(s.total.byLevel.critical, 1);
    assert.ok(s.total.concurrentUpperBound >= s.total.expectedExposure);
    assert.ok(s.assumptions.some((a: string) => /upper bound/.test(a)), 'the bound is labelled as such');
    for (const d of ['level', 'criticality', 'category', 'region', 'country', 'supplier', 'location']) {
      const b = s.breakdowns[d];
      assert.equal(b.groups.reduce((a: number, g: { items: number }) => a + g.items, 0), 4, d);
      const sum = b.groups.reduce((a: number, g: { expectedExposure: number }) => a + g.expectedExposure, 0);
      assert.ok(Math.abs(sum - s.total.expectedExposure) <= 1e-6 * Math.max(1, sum), `${d}: expected exposure adds up`);
    }
    const fr = s.breakdowns.supplier.groups.find((g: { key: string }) => g.key === ids['SUP-FR']);
    assert.equal(fr.label, 'SUP-FR Avions Pieces');
    assert.equal(fr.country, 'FR');
    assert.deepEqual(s.breakdowns.country.groups.map((g: { key: string }) => g.key).sort(), ['FR', 'US']);
    assert.equal(s.trend.length, 1);
    assert.equal(s.lastRun.kind, 'stock_changed');
    assert.equal(s.currency, 'USD');
  });

  test('groups limits each breakdown and says it truncated', async () => {
    const r = await call('/v1/supply/risk/summary?groups=1', admin);
    assert.equal(r.body.breakdowns.category.groups.length, 1);
    assert.equal(r.body.breakdowns.category.truncated, true);
    assert.equal(r.body.breakdowns.category.totalGroups, 4);
    assert.equal((await call('/v1/supply/risk/summary?groups=0', admin)).status, 400);
    assert.equal((await call('/v1/supply/risk/summary?nope=1', admin)).status, 400);
  });
});

describe('ranked risk list', () => {
  test('highest score first with names, stock and provenance', async () => {
    const r = await call('/v1/supply/risk/items', admin);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const items = r.body.items as { partNumber: string; score: number; level: string; supplier: { code: string } | null; stock: { onHand: number }; engineVersion: string; inputDigest: string }[];
    assert.equal(items.length, 4);
    assert.equal(items[0]!.partNumber, 'P-NOGO');
    assert.equal(items[0]!.level, 'critical');
    assert.equal(items[0]!.stock.onHand, 0);
    for (let i = 1; i < items.length; i++) assert.ok(items[i - 1]!.score >= items[i]!.score);
    assert.match(items[0]!.inputDigest, /^[0-9a-f]{64}$/);
    assert.equal(items[0]!.supplier!.code, 'SUP-FR');
    assert.equal(r.body.nextCursor, null);
  });

  test('keyset pages of one visit every item once, in order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await call(`/v1/supply/risk/items?limit=1${cursor ? `&cursor=${cursor}` : ''}`, admin);
      assert.equal(r.status, 200);
      seen.push(...r.body.items.map((i: { partNumber: string }) => i.partNumber));
      cursor = r.body.nextCursor;
    } while (cursor);
    const all = (await call('/v1/supply/risk/items', admin)).body.items.map((i: { partNumber: string }) => i.partNumber);
    assert.deepEqual(seen, all);
  });

  test('filters: level, category, criticality, location, supplier, country, probability, exposure, search', async () => {
    const pns = async (qs: string) => {
      const r = await call(`/v1/supply/risk/items?${qs}`, admin);
      assert.equal(r.status, 200, `${qs}: ${JSON.stringify(r.body)}`);
      return (r.body.items as { partNumber: string }[]).map((i) => i.partNumber).sort();
    };
    assert.deepEqual(await pns('level=critical'), ['P-NOGO']);
    assert.deepEqual((await pns('level=low,moderate,high')).length, 3);
    assert.deepEqual(await pns('category=hydraulics'), ['P-US']);
    assert.deepEqual(await pns('criticality=no_go'), ['P-NOGO']);
    assert.equal((await pns(`locationId=${ids.STORE1}`)).length, 4);
    assert.deepEqual(await pns(`supplierId=${ids['SUP-FR']}`), ['P-FR', 'P-NOGO']);
    assert.deepEqual(await pns('country=US'), ['P-US', 'P-US2']);
    assert.deepEqual(await pns('minProbability=0.99'), ['P-NOGO']);
    assert.deepEqual(await pns('minExposure=1000000'), ['P-NOGO']);
    assert.deepEqual(await pns('q=pump'), ['P-NOGO']);
    assert.deepEqual(await pns('q=p-us'), ['P-US', 'P-US2']);
    assert.deepEqual(await pns('q=%25'), [], 'LIKE wildcards are literal');
    assert.deepEqual(await pns('status=refused'), []);
    assert.deepEqual(await pns('eventAffected=true'), []);
  });

  test('bad input: 400 naming the parameter', async () => {
    for (const qs of ['level=severe', 'level=high,', 'minProbability=2', 'minProbability=abc', 'minExposure=-1', 'locationId=nope', 'country=fr',
      'limit=0', 'limit=501', 'q=', `q=${'x'.repeat(101)}`, 'cursor=garbage', `cursor=${Buffer.from(JSON.stringify({ v: 'x', id: 'a/b' })).toString('base64url')}`, 'extra=1']) {
      const r = await call(`/v1/supply/risk/items?${qs}`, admin);
      assert.equal(r.status, 400, qs);
      assert.equal(r.body.stack, undefined);
    }
  });
});

describe('one part', () => {
  test('by id: live score with an explanation that adds up, policy advice, forecast, lead time, history', async () => {
    const r = await call(`/v1/supply/risk/parts/${ids['P-NOGO']}`, admin);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.part.partNumber, 'P-NOGO');
    const loc = r.body.locations[0];
    assert.equal(loc.locationCode, 'STORE1');
    assert.equal(loc.live.status, 'scored');
    const e = loc.live.explanation;
    const sum = e.baselineScore + e.contributions.reduce((a: number, c: { points: number }) => a + c.points, 0);
    assert.ok(Math.abs(sum - loc.live.risk.score) < 1e-9, 'Shapley contributions add up to the score');
    assert.deepEqual(e.contributions.map((c: { factor: string }) => c.factor), ['stock_position', 'demand_uncertainty', 'lead_time', 'supplier_reliability', 'risk_events']);
    const stockPoints = e.contributions.find((c: { factor: string }) => c.factor === 'stock_position').points;
    assert.ok(stockPoints > 0, 'an empty shelf drives the score');
    const p = loc.live.policy;
    assert.equal(p.criticality, 'no_go');
    assert.equal(p.target, 0.99);
    assert.equal(p.current.reorderPoint, 0);
    assert.equal(p.currentReorderPointSet, false);
    assert.ok(p.recommended.reorderPoint > 0);
    assert.ok(p.recommended.cycleServiceLevel >= 0.99);
    assert.ok(p.expectedExposureChange < 0);
    assert.equal(loc.live.forecast.horizon.length, 12);
    for (const h of loc.live.forecast.horizon) assert.ok(h.cumulative.p10 <= h.cumulative.p50 && h.cumulative.p50 <= h.cumulative.p90);
    assert.equal(loc.live.forecast.historyMonths, 24);
    assert.ok(loc.live.leadTime.points.length > 0 && loc.live.leadTime.points.length <= 8);
    assert.ok(loc.live.leadTime.p10 <= loc.live.leadTime.p90);
    assert.equal(loc.live.stockProjection.length, 12);
    assert.equal(loc.stored.level, 'critical');
    assert.ok(loc.history.length >= 2);
    assert.equal(r.body.openAlerts.length, 1);
  });

  test('by part number, narrowed to a location; 404 for unknown part or location; 400 for a bad location id', async () => {
    const r = await call(`/v1/supply/risk/parts/P-FR?locationId=${ids.STORE1}`, admin);
    assert.equal(r.status, 200);
    assert.equal(r.body.part.id, ids['P-FR']);
    assert.equal(r.body.locations.length, 1);
    assert.equal((await call('/v1/supply/risk/parts/NO-SUCH-PART', admin)).status, 404);
    assert.equal((await call('/v1/supply/risk/parts/00000000-0000-4000-8000-000000000000', admin)).status, 404);
    assert.equal((await call(`/v1/supply/risk/parts/P-FR?locationId=00000000-0000-4000-8000-000000000000`, admin)).status, 404);
    assert.equal((await call('/v1/supply/risk/parts/P-FR?locationId=x', admin)).status, 400);
    assert.equal((await call(`/v1/supply/risk/parts/${'x'.repeat(65)}`, admin)).status, 400);
  });
});

describe('manual re-score', () => {
  test('queues one coalesced full re-score job and audits the request', async () => {
    const a = await call('/v1/supply/risk/rescore', admin, { method: 'POST' });
    assert.equal(a.status, 202, JSON.stringify(a.body));
    const b = await call('/v1/supply/risk/rescore', admin, { method: 'POST', body: {} });
    assert.equal(b.status, 202);
    const jobs = await ts.db.ownerPool.query<{ n: number }>(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'supply_risk_full' AND key = $1`, [a.body.jobKey]);
    assert.equal(jobs.rows[0]!.n, 1, 'two requests, one pending job');
    const audit = await q<{ n: number }>(tenant, `SELECT count(*)::int AS n FROM audit_events WHERE action = 'supply_risk.rescore_requested'`);
    assert.equal(audit[0]!.n, 2);
  });
});

describe('alerts', () => {
  let alertId: string;
  test('inbox lists the raised alert; filters by status and level', async () => {
    const r = await call('/v1/supply/alerts', admin);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.items.length, 1);
    const a = r.body.items[0];
    alertId = a.id;
    assert.equal(a.partNumber, 'P-NOGO');
    assert.equal(a.level, 'critical');
    assert.equal(a.status, 'open');
    assert.equal(a.trigger, 'stock_changed');
    assert.equal((await call('/v1/supply/alerts?status=open&level=critical', admin)).body.items.length, 1);
    assert.equal((await call('/v1/supply/alerts?status=unresolved', admin)).body.items.length, 1);
    assert.equal((await call('/v1/supply/alerts?status=resolved', admin)).body.items.length, 0);
    assert.equal((await call('/v1/supply/alerts?level=high', admin)).body.items.length, 0);
    assert.equal((await call(`/v1/supply/alerts?partId=${ids['P-FR']}`, admin)).body.items.length, 0);
    assert.equal((await call(`/v1/supply/alerts/${alertId}`, admin)).body.id, alertId);
  });

  test('acknowledge then resolve, each audited once; repeats are no-ops; a resolved alert cannot be acknowledged', async () => {
    const ack = await call(`/v1/supply/alerts/${alertId}/acknowledge`, admin, { method: 'POST', body: { note: 'ordering two' } });
    assert.equal(ack.status, 200, JSON.stringify(ack.body));
    assert.equal(ack.body.status, 'acknowledged');
    assert.equal(ack.body.changed, true);
    assert.equal(ack.body.note, 'ordering two');
    assert.match(ack.body.acknowledgedBy, /@risk-api\.test$/);
    const again = await call(`/v1/supply/alerts/${alertId}/acknowledge`, admin, { method: 'POST' });
    assert.equal(again.body.changed, false);
    const res = await call(`/v1/supply/alerts/${alertId}/resolve`, admin, { method: 'POST' });
    assert.equal(res.body.status, 'resolved');
    assert.equal(res.body.resolution, 'manual');
    assert.equal((await call(`/v1/supply/alerts/${alertId}/resolve`, admin, { method: 'POST' })).body.changed, false);
    const late = await call(`/v1/supply/alerts/${alertId}/acknowledge`, admin, { method: 'POST' });
    assert.equal(late.status, 409);
    assert.equal(late.body.code, 'ALERT_RESOLVED');
    const audit = await q<{ action: string; target: string }>(tenant, `SELECT action, target FROM audit_events WHERE action LIKE 'supply_alert.%' ORDER BY seq`);
    assert.deepEqual(audit.map((a) => a.action), ['supply_alert.acknowledged', 'supply_alert.resolved']);
    assert.equal(audit[0]!.target, alertId);
  });

  test('bad input and unknown ids', async () => {
    assert.equal((await call('/v1/supply/alerts/not-a-uuid', admin)).status, 400);
    assert.equal((await call('/v1/supply/alerts/00000000-0000-4000-8000-000000000000', admin)).status, 404);
    assert.equal((await call('/v1/supply/alerts/00000000-0000-4000-8000-000000000000/resolve', admin, { method: 'POST' })).status, 404);
    assert.equal((await call(`/v1/supply/alerts/${alertId}/resolve`, admin, { method: 'POST', body: { note: 'x'.repeat(2001) } })).status, 400);
    assert.equal((await call(`/v1/supply/alerts/${alertId}/resolve`, admin, { method: 'POST', body: { note: 5 } })).status, 400);
    assert.equal((await call(`/v1/supply/alerts/${alertId}/resolve`, admin, { method: 'POST', body: { status: 'open' } })).status, 400);
    assert.equal((await call(`/v1/supply/alerts/${alertId}/resolve`, admin, { method: 'POST', body: [1] })).status, 400);
    assert.equal((await call(`/v1/supply/alerts/${alertId}/resolve`, admin, { method: 'POST', body: '{"note":' })).status, 400);
    for (const qs of ['status=closed', 'level=low', 'partId=x', 'cursor=%%%', 'limit=9999']) assert.equal((await call(`/v1/supply/alerts?${qs}`, admin)).status, 400, qs);
  });
});

describe('permissions and tenancy', () => {
  test('each role gets exactly its permissions; anonymous gets 401', async () => {
    const cases: [string, string, string, number][] = [
      // role, method, path, expected status
      ['pilot', 'GET', '/v1/supply/risk/items', 403],
      ['pilot', 'GET', '/v1/supply/alerts', 200],
      ['pilot', 'POST', '/v1/supply/alerts/ID/resolve', 403],
      ['analyst', 'GET', '/v1/supply/risk/summary', 200],
      ['analyst', 'POST', '/v1/supply/risk/rescore', 202],
      ['analyst', 'POST', '/v1/supply/alerts/ID/acknowledge', 403],
      ['procurement', 'GET', '/v1/supply/risk/parts/P-FR', 200],
      ['procurement', 'POST', '/v1/supply/risk/rescore', 403],
      ['procurement', 'POST', '/v1/supply/alerts/ID/resolve', 200],
      ['operator', 'POST', '/v1/supply/alerts/ID/resolve', 200],
      ['operator', 'POST', '/v1/supply/risk/rescore', 403],
      ['executive', 'GET', '/v1/supply/risk/items', 200],
      ['executive', 'POST', '/v1/supply/alerts/ID/resolve', 403],
      ['auditor', 'GET', '/v1/supply/risk/summary', 403],
      ['auditor', 'GET', '/v1/supply/alerts', 403],
    ];
    const alertId = (await call('/v1/supply/alerts', admin)).body.items[0].id as string;
    for (const [role, method, path, status] of cases) {
      const c = await userCookie([role]);
      const r = await call(path.replace('ID', alertId), c, { method });
      assert.equal(r.status, status, `${role} ${method} ${path}: ${JSON.stringify(r.body)}`);
    }
    assert.equal((await fetch(`${ts.baseUrl}/v1/supply/risk/items`)).status, 401);
    assert.equal((await fetch(`${ts.baseUrl}/v1/supply/alerts`)).status, 401);
  });

  test('another tenant sees only its own scores and cannot reach this tenant’s parts or alerts', async () => {
    const mine = (await call('/v1/supply/risk/items', otherAdmin)).body.items as { partId: string }[];
    assert.equal(mine.length, 4);
    for (const i of mine) assert.ok(!Object.values(ids).includes(i.partId));
    assert.equal((await call(`/v1/supply/risk/parts/${ids['P-NOGO']}`, otherAdmin)).status, 404);
    const alertId = (await call('/v1/supply/alerts', admin)).body.items[0].id as string;
    assert.equal((await call(`/v1/supply/alerts/${alertId}`, otherAdmin)).status, 404);
    assert.equal((await call(`/v1/supply/alerts/${alertId}/resolve`, otherAdmin, { method: 'POST' })).status, 404);
    assert.equal((await call('/v1/supply/alerts', otherAdmin)).body.items.length, 0);
    assert.equal((await call(`/v1/supply/risk/items?supplierId=${ids['SUP-FR']}`, otherAdmin)).body.items.length, 0);
    const s = (await call('/v1/supply/risk/summary', otherAdmin)).body;
    assert.equal(s.total.items, 4);
    assert.equal(s.total.byLevel.critical, 0);
  });
});
