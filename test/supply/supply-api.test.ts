import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, login, startTestServer, type TestServer } from '../support/test-server.js';

let s: TestServer;
let dataDir: string;
let analyst: string;
let operator: string;
let pilot: string;
let other: string;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'skyguard-supply-api-'));
  s = await startTestServer({ jobs: true, env: { SKYGUARD_DATA_DIR: dataDir, IMPORT_MAX_BYTES: '200000' } });
  const cookie = async (roles: string[], tenant?: string) => {
    const u = await s.createUser(roles, tenant);
    return login(s.baseUrl, tenant ?? s.demo.tenant, u.email, u.password);
  };
  analyst = await cookie(['analyst']);
  operator = await cookie(['operator']);
  pilot = await cookie(['pilot']);
  await s.createTenant('supply-other');
  other = await cookie(['admin'], 'supply-other');
});
after(async () => {
  await s.close();
  await rm(dataDir, { recursive: true, force: true });
});

const api = (cookie: string, path: string, init: RequestInit = {}) =>
  fetch(`${s.baseUrl}/v1${path}`, { ...init, headers: { cookie, ...(init.headers as Record<string, string> | undefined) } });

async function upload(cookie: string, type: string, body: string, contentType = 'text/csv', extra = '') {
  const res = await api(cookie, `/imports?type=${type}${extra}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, body: (await res.json()) as { import: { id: string; status: string }; duplicate: boolean; code?: string } };
}

async function finished(cookie: string, id: string) {
  return eventually(async () => {
    const r = (await (await api(cookie, `/imports/${id}`)).json()) as { status: string; rowsAccepted: number; rowsRejected: number; progress: number; error: string | null };
    return r.status === 'succeeded' || r.status === 'failed' ? r : undefined;
  }, 30_000);
}

async function importAndWait(type: string, body: string, contentType = 'text/csv') {
  const up = await upload(analyst, type, body, contentType);
  assert.ok([200, 202].includes(up.status), JSON.stringify(up.body));
  return finished(analyst, up.body.import.id);
}

test('POST /imports queues a job; the import reports progress and its final counts; the same file again is a duplicate', async () => {
  const loc = 'code,name,kind,country\nHAM,Hamburg,mro_hub,DE\nFRA,Frankfurt,store,DE\n';
  const up = await upload(analyst, 'locations', loc);
  assert.equal(up.status, 202);
  assert.equal(up.body.duplicate, false);
  const done = await finished(analyst, up.body.import.id);
  assert.deepEqual([done.status, done.rowsAccepted, done.rowsRejected, done.progress], ['succeeded', 2, 0, 1]);
  const again = await upload(analyst, 'locations', loc);
  assert.equal(again.status, 200);
  assert.equal(again.body.duplicate, true);
  assert.equal(again.body.import.id, up.body.import.id);
  const forced = await upload(analyst, 'locations', loc, 'text/csv', '&force=true');
  assert.equal(forced.status, 202);
  const f = await finished(analyst, forced.body.import.id);
  assert.equal(f.rowsAccepted, 2);
});

test('multipart, JSON and NDJSON uploads; rejects download as CSV and JSON', async () => {
  const form = new FormData();
  form.append('file', new Blob(['part_number,description,criticality,unit_cost\nPN-1,Bleed valve,no_go,1200\nPN-2,=HYPERLINK("x"),go,3\nPN-3,Seal,go,-1\n']), 'parts.csv');
  const res = await api(analyst, '/imports?type=parts', { method: 'POST', body: form });
  assert.equal(res.status, 202, await res.clone().text());
  const id = ((await res.json()) as { import: { id: string } }).import.id;
  const done = await finished(analyst, id);
  assert.deepEqual([done.rowsAccepted, done.rowsRejected], [2, 1]);
  const csv = await (await api(analyst, `/imports/${id}/rejects`)).text();
  assert.equal(csv, 'row,column,reason,raw\n4,unit_cost,must be at least 0 (got -1),"PN-3,Seal,go,-1"\n');
  const json = (await (await api(analyst, `/imports/${id}/rejects?format=json`)).json()) as { row: number; column: string }[];
  assert.deepEqual(json.map((r) => [r.row, r.column]), [[4, 'unit_cost']]);

  const j = await importAndWait('suppliers', JSON.stringify([{ code: 'S1', name: 'Valves Ltd', country: 'GB', contact_email: 'ann@valves.example', ports_of_origin: ['GBFXT'] }]), 'application/json');
  assert.equal(j.rowsAccepted, 1, j.error ?? '');
  const n = await importAndWait('stock', '{"part_number":"PN-1","location_code":"HAM","on_hand":3,"reorder_point":5}\n{"part_number":"PN-2","location_code":"FRA","on_hand":9}\n', 'application/x-ndjson');
  assert.equal(n.rowsAccepted, 2, n.error ?? '');
});

test('read APIs: filtered, sorted keyset pages, get, and streamed exports', async () => {
  const page1 = (await (await api(operator, '/parts?limit=1&sort=-unitCost')).json()) as { items: { partNumber: string; unitCost: number; id: string }[]; nextCursor: string };
  assert.equal(page1.items[0]!.partNumber, 'PN-1');
  assert.equal(page1.items[0]!.unitCost, 1200);
  const page2 = (await (await api(operator, `/parts?limit=1&sort=-unitCost&cursor=${page1.nextCursor}`)).json()) as { items: { partNumber: string }[]; nextCursor: string | null };
  assert.deepEqual(page2.items.map((p) => p.partNumber), ['PN-2']);
  assert.equal(page2.nextCursor, null);
  const filtered = (await (await api(operator, '/parts?criticality=no_go,go_if&q=bleed')).json()) as { items: { partNumber: string }[] };
  assert.deepEqual(filtered.items.map((p) => p.partNumber), ['PN-1']);
  const part = (await (await api(operator, `/parts/${page1.items[0]!.id}`)).json()) as { stock: { locationCode: string; onHand: number }[] };
  assert.deepEqual(part.stock.map((x) => [x.locationCode, x.onHand]), [['HAM', 3]]);
  const low = (await (await api(operator, '/stock?belowReorderPoint=true')).json()) as { items: { partNumber: string; partId: string; locationId: string }[] };
  assert.deepEqual(low.items.map((x) => x.partNumber), ['PN-1']);
  assert.equal((await api(operator, `/stock/${low.items[0]!.partId}/${low.items[0]!.locationId}`)).status, 200);

  const sup = (await (await api(operator, '/suppliers?port=GBFXT')).json()) as { items: { id: string; hasContact: boolean; contact?: unknown }[] };
  assert.equal(sup.items[0]!.hasContact, true);
  assert.equal(sup.items[0]!.contact, undefined, 'lists never carry contacts');
  const one = (await (await api(operator, `/suppliers/${sup.items[0]!.id}`)).json()) as { contact: { email: string } };
  assert.equal(one.contact.email, 'ann@valves.example');

  const csv = await (await api(operator, '/parts/export?sort=partNumber')).text();
  const lines = csv.trim().split('\n');
  assert.equal(lines.length, 3);
  assert.ok(lines[0]!.startsWith('id,partNumber,description'));
  assert.ok(lines[2]!.includes(`"'=HYPERLINK(""x"")"`), 'formula neutralised in CSV');
  const arr = (await (await api(operator, '/parts/export?format=json')).json()) as unknown[];
  assert.equal(arr.length, 2);
  const nd = (await (await api(operator, '/locations/export?format=ndjson')).text()).trim().split('\n').map((l) => JSON.parse(l) as { code: string });
  assert.deepEqual(nd.map((l) => l.code), ['FRA', 'HAM']);
  for (const r of ['locations', 'aircraft-types', 'fleet', 'suppliers', 'offers', 'deliveries', 'risk-events', 'stock', 'demand', 'parts']) {
    assert.equal((await api(operator, `/${r}`)).status, 200, r);
    assert.equal((await api(operator, `/${r}/export`)).status, 200, r);
  }
});

test('bad list input is a 400 naming the field; unknown ids are 404', async () => {
  const cases = ['/parts?sort=colour', '/parts?cursor=garbage', '/parts?limit=100000', '/stock?partId=not-a-uuid', '/risk-events?from=yesterday', '/parts?minUnitCost=cheap', '/parts?bogus=1'];
  for (const path of cases) {
    const r = await api(operator, path);
    assert.equal(r.status, 400, path);
    assert.equal(r.headers.get('content-type')?.startsWith('application/problem+json'), true, path);
  }
  const p1 = (await (await api(operator, '/parts?limit=1')).json()) as { nextCursor: string };
  assert.equal((await api(operator, `/locations?cursor=${p1.nextCursor}`)).status, 400, 'a cursor from another list');
  assert.equal((await api(operator, '/parts/00000000-0000-4000-8000-000000000000')).status, 404);
  assert.equal((await api(operator, '/imports/00000000-0000-4000-8000-000000000000')).status, 404);
});

test('permissions: imports need imports:write, reads need supply:read', async () => {
  assert.equal((await upload(operator, 'parts', 'part_number\nX\n')).status, 403);
  assert.equal((await api(pilot, '/parts')).status, 403);
  assert.equal((await api(pilot, '/imports')).status, 403);
});

test('another tenant sees none of these imports or parts', async () => {
  const mine = (await (await api(analyst, '/imports')).json()) as { items: { id: string }[] };
  assert.ok(mine.items.length > 0);
  assert.equal((await api(other, `/imports/${mine.items[0]!.id}`)).status, 404);
  assert.equal((await api(other, `/imports/${mine.items[0]!.id}/rejects`)).status, 404);
  assert.deepEqual(((await (await api(other, '/imports')).json()) as { items: unknown[] }).items, []);
  assert.deepEqual(((await (await api(other, '/parts')).json()) as { items: unknown[] }).items, []);
  const theirs = await upload(other, 'stock', 'part_number,location_code,on_hand\nPN-1,HAM,1\n');
  const done = await finished(other, theirs.body.import.id);
  assert.equal(done.rowsRejected, 1, 'PN-1 and HAM belong to another tenant');
});

test('hostile uploads: too large, wrong media type, bad parameters, binary and broken JSON', async () => {
  const big = await upload(analyst, 'parts', `part_number\n${'P\n'.repeat(150_000)}`);
  assert.equal(big.status, 413);
  assert.equal(big.body.code, 'FILE_TOO_LARGE');
  assert.equal((await api(analyst, '/imports?type=parts', { method: 'POST', headers: { 'content-type': 'image/png' }, body: 'x' })).status, 415);
  assert.equal((await upload(analyst, 'nonsense', 'a\n')).status, 400);
  assert.equal((await api(analyst, '/imports', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a\n' })).status, 400);
  assert.equal((await upload(analyst, 'parts', 'a\n', 'application/octet-stream')).status, 400, 'no format to be found');
  const binary = String.fromCharCode(...Array.from({ length: 3000 }, (_, i) => (i * 131) % 256));
  const b = await upload(analyst, 'parts', binary, 'application/octet-stream', '&format=csv');
  assert.equal(b.status, 202);
  assert.equal((await finished(analyst, b.body.import.id)).status, 'failed');
  const broken = await upload(analyst, 'parts', '[{"part_number": "J-1"}, {"part_number": ', 'application/json');
  const jb = await finished(analyst, broken.body.import.id);
  assert.deepEqual([jb.status, jb.rowsAccepted, jb.rowsRejected], ['succeeded', 1, 1]);
  const sqlish = await importAndWait('parts', `part_number,description\n"x' OR '1'='1","Robert'); DROP TABLE parts;--"\n`);
  assert.equal(sqlish.rowsAccepted, 1);
  assert.equal((await api(operator, '/parts')).status, 200);
});
