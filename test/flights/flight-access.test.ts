import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, login, type TestServer } from '../support/test-server.js';
import { missingSharedNotice, sharedFile } from '../support/shared-data.js';
import { json, readLog, settled, uploadRaw, type Api } from './flight-client.js';

/** Aircraft CRUD, role permissions (pilot vs auditor) and tenant isolation of every flight route. */
const LOG = 'flightlogs/ardupilot_plane_truncated_64k.BIN';
let ts: TestServer;
let admin: Api;
let other: Api;
const as = async (roles: string[], tenant?: string): Promise<Api> => {
  const u = await ts.createUser(roles, tenant);
  return { baseUrl: ts.baseUrl, cookie: await login(ts.baseUrl, tenant ?? ts.demo.tenant, u.email, u.password) };
};
before(async () => {
  ts = await startTestServer({ jobs: true });
  admin = { baseUrl: ts.baseUrl, cookie: await login(ts.baseUrl, ts.demo.tenant, ts.demo.email, ts.demo.password) };
  await ts.createTenant('rival');
  other = await as(['admin'], 'rival');
});
after(() => ts.close());

const send = (api: Api, method: string, path: string, body?: unknown) =>
  json(api, path, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });

test('aircraft registry: create, unique name per tenant (any case), edit, list, delete, audited', async () => {
  const created = await send(admin, 'POST', '/v1/aircraft', { name: 'G-SKY1', serialNumber: 'SN-001', type: 'multirotor', notes: 'X8 survey' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.flightCount, 0);
  const dup = await send(admin, 'POST', '/v1/aircraft', { name: 'g-sky1' });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.code, 'AIRCRAFT_NAME_TAKEN');
  assert.equal((await send(other, 'POST', '/v1/aircraft', { name: 'G-SKY1' })).status, 201, 'names are unique per tenant only');
  for (const bad of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(101) }, { name: 'A', type: 'jet' }, { name: 'A', extra: 1 }, { name: 'A', notes: 'n'.repeat(4001) }]) {
    const r = await send(admin, 'POST', '/v1/aircraft', bad);
    assert.equal(r.status, 400, JSON.stringify(bad));
  }
  const id = created.body.id;
  const patched = await send(admin, 'PATCH', `/v1/aircraft/${id}`, { serialNumber: null, type: 'vtol' });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.serialNumber, null);
  assert.equal(patched.body.type, 'vtol');
  assert.equal(patched.body.name, 'G-SKY1');
  assert.equal((await send(admin, 'PATCH', `/v1/aircraft/${id}`, {})).status, 400);
  await send(admin, 'POST', '/v1/aircraft', { name: 'A-second' });
  const list = await send(admin, 'GET', '/v1/aircraft?limit=1');
  assert.equal(list.body.items[0].name, 'A-second');
  const page2 = await send(admin, 'GET', `/v1/aircraft?limit=1&cursor=${list.body.nextCursor}`);
  assert.equal(page2.body.items[0].name, 'G-SKY1');
  assert.equal((await send(admin, 'GET', '/v1/aircraft?type=vtol')).body.items.length, 1);
  const actions = (await ts.db.ownerPool.query(`SELECT action FROM audit_events WHERE target = $1 ORDER BY seq`, [id])).rows.map((r) => r.action);
  assert.deepEqual(actions.filter((a) => a !== 'request'), ['aircraft.created', 'aircraft.updated']);
});

test('a flight linked to an aircraft: the aircraft cannot be deleted until the flight is', { skip: sharedFile(LOG) ? false : missingSharedNotice(LOG) }, async () => {
  const a = await send(admin, 'POST', '/v1/aircraft', { name: 'EI-LINK', type: 'fixed_wing' });
  const up = await uploadRaw(admin, readLog(sharedFile(LOG)!), `?aircraftId=${a.body.id}`);
  assert.equal(up.status, 202);
  assert.equal(up.body.flight.aircraftId, a.body.id);
  assert.equal((await send(admin, 'GET', `/v1/aircraft/${a.body.id}`)).body.flightCount, 1);
  const byAircraft = await send(admin, 'GET', `/v1/flights?aircraftId=${a.body.id}`);
  assert.deepEqual(byAircraft.body.items.map((f: any) => f.id), [up.body.flight.id]);
  const refused = await send(admin, 'DELETE', `/v1/aircraft/${a.body.id}`);
  assert.equal(refused.status, 409);
  assert.equal(refused.body.code, 'AIRCRAFT_HAS_FLIGHTS');
  await settled(admin, up.body.flight.id);
  assert.equal((await send(admin, 'DELETE', `/v1/flights/${up.body.flight.id}`)).status, 204);
  assert.equal((await send(admin, 'DELETE', `/v1/aircraft/${a.body.id}`)).status, 204);
  assert.equal((await send(admin, 'GET', `/v1/aircraft/${a.body.id}`)).status, 404);
});

test('pilots upload and read flights but cannot edit aircraft; auditors can do neither', { skip: sharedFile(LOG) ? false : missingSharedNotice(LOG) }, async () => {
  const pilot = await as(['pilot']);
  const auditor = await as(['auditor']);
  const bytes = Buffer.concat([readLog(sharedFile(LOG)!), Buffer.from('pilot')]);
  const up = await uploadRaw(pilot, bytes);
  assert.equal(up.status, 202);
  assert.equal((await send(pilot, 'GET', '/v1/flights')).status, 200);
  assert.equal((await send(pilot, 'GET', '/v1/aircraft')).status, 200);
  assert.equal((await send(pilot, 'POST', '/v1/aircraft', { name: 'P-1' })).status, 403);
  const denied = await uploadRaw(auditor, bytes);
  assert.equal(denied.status, 403);
  assert.equal(denied.body.code, 'FORBIDDEN');
  for (const path of ['/v1/flights', `/v1/flights/${up.body.flight.id}`, `/v1/flights/${up.body.flight.id}/signals`, `/v1/flights/${up.body.flight.id}/file`, '/v1/aircraft']) {
    assert.equal((await send(auditor, 'GET', path)).status, 403, path);
  }
  assert.equal((await send(auditor, 'DELETE', `/v1/flights/${up.body.flight.id}`)).status, 403);
  await settled(pilot, up.body.flight.id);
});

test('another tenant sees none of it: every flight and aircraft route answers 404', { skip: sharedFile(LOG) ? false : missingSharedNotice(LOG) }, async () => {
  const a = await send(admin, 'POST', '/v1/aircraft', { name: 'PRIVATE-1' });
  const bytes = Buffer.concat([readLog(sharedFile(LOG)!), Buffer.from('private')]);
  const up = await uploadRaw(admin, bytes, `?aircraftId=${a.body.id}`);
  const f = await settled(admin, up.body.flight.id);
  assert.equal(f.status, 'decoded');
  for (const [method, path, body] of [
    ['GET', `/v1/flights/${f.id}`], ['GET', `/v1/flights/${f.id}/signals`], ['GET', `/v1/flights/${f.id}/signals?names=attitude.roll`],
    ['GET', `/v1/flights/${f.id}/file`], ['DELETE', `/v1/flights/${f.id}`],
    ['GET', `/v1/aircraft/${a.body.id}`], ['PATCH', `/v1/aircraft/${a.body.id}`, { notes: 'mine now' }], ['DELETE', `/v1/aircraft/${a.body.id}`],
  ] as const) {
    const r = await send(other, method, path, body);
    assert.equal(r.status, 404, `${method} ${path}`);
  }
  assert.ok((await send(other, 'GET', '/v1/flights')).body.items.every((x: any) => x.id !== f.id));
  assert.ok((await send(other, 'GET', '/v1/aircraft')).body.items.every((x: any) => x.id !== a.body.id));
  const attach = await uploadRaw(other, Buffer.concat([bytes, Buffer.from('x')]), `?aircraftId=${a.body.id}`);
  assert.equal(attach.status, 400);
  assert.equal(attach.body.code, 'UNKNOWN_AIRCRAFT');
  // Same bytes in the other tenant: a separate flight there, not a duplicate of ours.
  const same = await uploadRaw(other, bytes);
  assert.equal(same.status, 202);
  assert.notEqual(same.body.flight.id, f.id);
  await settled(other, same.body.flight.id);
  // Every flight table holds rows of both tenants now, and RLS shows each only its own.
  for (const table of ['aircraft', 'flights', 'flight_signals', 'flight_signal_chunks']) {
    const { rows } = await ts.db.ownerPool.query(`SELECT count(DISTINCT tenant_id)::int AS n FROM ${table}`);
    assert.equal(rows[0].n, 2, table);
  }
  assert.equal((await send(admin, 'GET', `/v1/flights/${f.id}`)).status, 200, 'still ours');
});
