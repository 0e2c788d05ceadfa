import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, login, eventually, type TestServer } from '../support/test-server.js';
import { missingSharedNotice, sharedFile } from '../support/shared-data.js';
import { json, readLog, settled, uploadMultipart, uploadRaw, type Api } from './flight-client.js';

/** Malformed, truncated, oversized, duplicate and hostile uploads, and bad signal queries. */
const LIMIT = 256 * 1024;
const ULOG = 'flightlogs/px4_roboto_test_quad_short.ulg';
const PLANE = 'flightlogs/ardupilot_plane_truncated_64k.BIN';
let ts: TestServer;
let api: Api;
before(async () => {
  ts = await startTestServer({ jobs: true, env: { FLIGHT_UPLOAD_LIMIT_BYTES: String(LIMIT), FLIGHT_BLOB_GC_GRACE_SECONDS: '0' } });
  api = { baseUrl: ts.baseUrl, cookie: await login(ts.baseUrl, ts.demo.tenant, ts.demo.email, ts.demo.password) };
});
after(() => ts.close());

const flightCount = async (): Promise<number> => (await ts.db.ownerPool.query<{ n: number }>('SELECT count(*)::int AS n FROM flights')).rows[0]!.n;
const tmpFiles = (): string[] => readdirSync(join(ts.runtime.config.dataDir, 'blobs', 'tmp'));
const noStack = (body: unknown): void => assert.ok(!/at .*\.(ts|js):\d+|SELECT|INSERT/.test(JSON.stringify(body)), 'no stack trace or SQL');

test('oversized uploads get 413 with the limit, raw (declared or streamed) and multipart; nothing is kept', async () => {
  const before = await flightCount();
  const big = new Uint8Array(LIMIT + 10_000).fill(0x55);
  const declared = await uploadRaw(api, big);
  assert.equal(declared.status, 413);
  assert.equal(declared.body.code, 'UPLOAD_TOO_LARGE');
  assert.equal(declared.body.limitBytes, LIMIT);
  // No Content-Length: the limit is enforced while streaming.
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < 40; i++) c.enqueue(new Uint8Array(10_000).fill(i));
      c.close();
    },
  });
  const init: RequestInit & { duplex: 'half' } = { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: stream, duplex: 'half' };
  const streamed = await json(api, '/v1/flights', init);
  assert.equal(streamed.status, 413);
  assert.equal(streamed.body.limitBytes, LIMIT);
  const multi = await uploadMultipart(api, big, 'big.ulg');
  assert.equal(multi.status, 413);
  assert.equal(multi.body.code, 'UPLOAD_TOO_LARGE');
  assert.equal(await flightCount(), before);
  assert.deepEqual(tmpFiles(), [], 'partial writes are removed');
});

test('a client that aborts mid-upload leaves no flight and no partial file', async () => {
  const before = await flightCount();
  const abort = new AbortController();
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      if (sent >= 5) {
        abort.abort();
        return;
      }
      sent++;
      c.enqueue(new Uint8Array(20_000).fill(0x55));
      await new Promise((r) => setTimeout(r, 20));
    },
  });
  await assert.rejects(fetch(`${ts.baseUrl}/v1/flights`, { method: 'POST', headers: { cookie: api.cookie, 'content-type': 'application/octet-stream' }, body, duplex: 'half', signal: abort.signal } as RequestInit));
  await eventually(async () => tmpFiles().length === 0);
  assert.equal(await flightCount(), before);
  assert.equal((await json(api, '/v1/flights?limit=1')).status, 200, 'the server is fine');
});

test('garbage and empty files: 422 naming what was recognised, kept as failed flights with their file', async () => {
  const gzip = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.alloc(500, 3)]);
  const cases = [
    { bytes: gzip, match: /gzip/ },
    { bytes: new Uint8Array(0), match: /empty/ },
    { bytes: Buffer.from('FMT, 128, 89, FMT, BBnNZ, Type,Length,Name,Format,Columns\nPARM, 1, 2\n'), match: /ArduPilot text log/ },
    { bytes: Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 131 + 7) & 0xff)), match: /not ULog/ },
  ];
  for (const c of cases) {
    const r = await uploadRaw(api, c.bytes, '?name=junk.ulg');
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.match(r.headers.get('content-type') ?? '', /problem\+json/);
    assert.equal(r.body.code, 'UNSUPPORTED_FORMAT');
    assert.match(r.body.detail, c.match);
    noStack(r.body);
    const f = await json(api, `/v1/flights/${r.body.flightId}`);
    assert.equal(f.body.status, 'failed');
    assert.equal(f.body.format, null);
    assert.equal(f.body.error.code, 'UNSUPPORTED_FORMAT');
    assert.equal(f.body.error.offset, 0);
    const file = await fetch(`${ts.baseUrl}/v1/flights/${r.body.flightId}/file`, { headers: { cookie: api.cookie } });
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), Buffer.from(c.bytes), 'the file is kept for inspection');
    const again = await uploadRaw(api, c.bytes);
    assert.equal(again.status, 422);
    assert.equal(again.body.flightId, r.body.flightId);
    assert.equal(again.body.duplicate, true);
  }
});

test('truncated logs: a recognised but undecodable file fails in the job with the decoder code and byte offset', { skip: sharedFile(ULOG) ? false : missingSharedNotice(ULOG) }, async () => {
  const ulog = readLog(sharedFile(ULOG)!);
  const headerCut = await uploadRaw(api, ulog.subarray(0, 8));
  assert.equal(headerCut.status, 202);
  const a = await settled(api, headerCut.body.flight.id);
  assert.equal(a.status, 'failed');
  assert.equal(a.error.code, 'ULOG_TRUNCATED_HEADER');
  assert.equal(a.error.offset, 0);
  assert.match(a.error.message, /header/);
  const noData = await uploadRaw(api, ulog.subarray(0, 2000));
  const b = await settled(api, noData.body.flight.id);
  assert.equal(b.status, 'failed');
  assert.equal(b.error.code, 'NO_FLIGHT_DATA');
  assert.ok(b.error.offset > 0 && b.error.offset <= 2000, `offset ${b.error.offset}`);
  const kept = await fetch(`${ts.baseUrl}/v1/flights/${b.id}/file`, { headers: { cookie: api.cookie } });
  assert.equal((await kept.arrayBuffer()).byteLength, 2000);
  const signals = await json(api, `/v1/flights/${b.id}/signals`);
  assert.equal(signals.status, 409);
  assert.equal(signals.body.code, 'FLIGHT_NOT_DECODED');
});

test('a duplicate upload answers 200 with the existing flight; one row, one audit event', { skip: sharedFile(PLANE) ? false : missingSharedNotice(PLANE) }, async () => {
  const bytes = readLog(sharedFile(PLANE)!);
  const first = await uploadRaw(api, bytes);
  assert.equal(first.status, 202);
  const [second, third] = await Promise.all([uploadMultipart(api, bytes, 'again.bin'), uploadRaw(api, bytes)]);
  for (const r of [second, third]) {
    assert.equal(r.status, 200);
    assert.equal(r.body.duplicate, true);
    assert.equal(r.body.flight.id, first.body.flight.id);
  }
  const rows = await ts.db.ownerPool.query(`SELECT 1 FROM flights WHERE blob_sha256 = $1`, [first.body.flight.sha256]);
  assert.equal(rows.rowCount, 1);
  const audits = await ts.db.ownerPool.query(`SELECT 1 FROM audit_events WHERE action = 'flight.uploaded' AND target = $1`, [first.body.flight.id]);
  assert.equal(audits.rowCount, 1);
  await settled(api, first.body.flight.id);
});

test('hostile file names are kept as harmless metadata and sent back safely', { skip: sharedFile(PLANE) ? false : missingSharedNotice(PLANE) }, async () => {
  const base = readLog(sharedFile(PLANE)!);
  const names: [string, string, 'raw' | 'multipart'][] = [
    ['../../etc/passwd', 'passwd', 'raw'],
    ['C:\\Windows\\system32\\evil.ulg', 'evil.ulg', 'multipart'],
    ['..', '', 'raw'],
    ['a\u0000b\r\nSet-Cookie: x=1\u202e.ulg', 'abSet-Cookie: x=1.ulg', 'raw'],
    ['"quoted" \u00e9t\u00e9\r\n.bin', '%22quoted%22 \u00e9t\u00e9%0D%0A.bin', 'multipart'],
    ['x'.repeat(1000), 'x'.repeat(255), 'multipart'],
  ];
  for (const [i, [raw, expected, via]] of names.entries()) {
    const bytes = Buffer.concat([base, Buffer.from([i])]); // distinct bytes: no duplicate
    // (Browsers' multipart encoding turns quotes and CR/LF in a file name into %22 and %0D%0A.)
    const r = via === 'multipart' ? await uploadMultipart(api, bytes, raw) : await uploadRaw(api, bytes, `?name=${encodeURIComponent(raw)}`);
    assert.equal(r.status, 202, `${JSON.stringify(raw)}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.flight.originalName, expected, JSON.stringify(raw));
    const file = await fetch(`${ts.baseUrl}/v1/flights/${r.body.flight.id}/file`, { headers: { cookie: api.cookie } });
    const cd = file.headers.get('content-disposition') ?? '';
    assert.match(cd, /^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%._~!$&+,;=:@-]*$/, cd);
    assert.equal(file.headers.get('set-cookie'), null);
    await file.arrayBuffer();
  }
  assert.ok(readdirSync(join(ts.runtime.config.dataDir, 'blobs')).every((n) => ['sha256', 'tmp'].includes(n)), 'names never reach the file system');
});

test('wrong content type, missing file part and unknown aircraft are refused before anything is stored', async () => {
  const before = await flightCount();
  const text = await json(api, '/v1/flights', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
  assert.equal(text.status, 415);
  const form = new FormData();
  form.append('aircraftId', '00000000-0000-4000-8000-000000000000');
  const noFile = await json(api, '/v1/flights', { method: 'POST', body: form });
  assert.equal(noFile.status, 400);
  assert.equal(noFile.body.code, 'FILE_MISSING');
  const unknown = await uploadRaw(api, Buffer.from('ULog'), '?aircraftId=00000000-0000-4000-8000-000000000000');
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.code, 'UNKNOWN_AIRCRAFT');
  assert.equal(unknown.body.errors[0].field, 'aircraftId');
  const badId = await uploadMultipart(api, Buffer.from('x'), 'x.ulg', { aircraftId: 'not-a-uuid' });
  assert.equal(badId.status, 400);
  assert.equal((await uploadRaw(api, Buffer.from('x'), '?aircraftId=nope')).status, 400);
  assert.equal(await flightCount(), before);
});

test('signal queries: unknown names, from > to, maxPoints bounds, empty windows', { skip: sharedFile(ULOG) ? false : missingSharedNotice(ULOG) }, async () => {
  // The first 250 kB of a ULog (the limit here is 256 KiB): decoded as a truncated log.
  const up = await uploadRaw(api, readLog(sharedFile(ULOG)!).subarray(0, 250_000));
  const f = await settled(api, up.body.flight.id);
  assert.equal(f.status, 'decoded');
  assert.equal(f.summary.completeness, 'truncated');
  const base = `/v1/flights/${f.id}/signals`;
  const unknown = await json(api, `${base}?names=attitude.roll,no.such.signal`);
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.code, 'UNKNOWN_SIGNAL');
  assert.match(unknown.body.detail, /no\.such\.signal/);
  assert.equal(unknown.body.errors[0].field, 'names');
  const order = await json(api, `${base}?names=attitude.roll&from=20&to=10`);
  assert.equal(order.status, 400);
  assert.deepEqual([order.body.errors[0].field, order.body.errors[0].rule], ['from', 'order']);
  for (const q of ['maxPoints=1', 'maxPoints=20001', 'maxPoints=abc', 'from=abc', 'names=', 'names=' + Array.from({ length: 51 }, (_, i) => `s${i}`).join(','), 'method=average', 'unknown=1']) {
    const r = await json(api, `${base}?names=attitude.roll&${q}`);
    assert.equal(r.status, 400, `${q} → ${r.status}`);
    noStack(r.body);
  }
  const max = await json(api, `${base}?names=attitude.roll&maxPoints=20000`);
  assert.equal(max.status, 200);
  const small = await json(api, `${base}?names=attitude.roll,attitude.pitch&maxPoints=2`);
  assert.ok(small.body.signals.every((s: any) => s.t.length <= 2 && s.downsampled));
  const lttb = await json(api, `${base}?names=attitude.roll&maxPoints=50&method=lttb`);
  assert.equal(lttb.body.signals[0].t.length, Math.min(50, lttb.body.signals[0].sampleCount));
  const outside = await json(api, `${base}?names=attitude.roll&from=-100&to=-50`);
  assert.deepEqual([outside.body.signals[0].t, outside.body.signals[0].v], [[], []]);
  const cat = (await json(api, base)).body.signals.find((s: any) => s.name === 'attitude.roll');
  const mid = (cat.start + cat.end) / 2;
  const win = await json(api, `${base}?names=attitude.roll&from=${mid}&to=${mid + 1}`);
  assert.ok(win.body.signals[0].t.every((t: number) => t >= mid && t <= mid + 1));
  assert.equal(win.body.signals[0].downsampled, false);
  assert.equal((await json(api, `/v1/flights/00000000-0000-4000-8000-000000000000/signals`)).status, 404);
  assert.equal((await json(api, `/v1/flights/not-a-uuid/signals`)).status, 400);
});

test('deleting a flight removes its rows at once and its file once nothing refers to it', { skip: sharedFile(PLANE) ? false : missingSharedNotice(PLANE) }, async () => {
  const bytes = Buffer.concat([readLog(sharedFile(PLANE)!), Buffer.from('delete-me')]);
  const up = await uploadRaw(api, bytes);
  const f = await settled(api, up.body.flight.id);
  const chunks = async () => (await ts.db.ownerPool.query('SELECT 1 FROM flight_signal_chunks WHERE flight_id = $1', [f.id])).rowCount;
  assert.ok((await chunks())! > 0);
  // Another tenant holds the same bytes: the shared blob must survive the first delete.
  await ts.createTenant('shared-bytes');
  const other = await ts.createUser(['pilot'], 'shared-bytes');
  const otherApi = { baseUrl: ts.baseUrl, cookie: await login(ts.baseUrl, 'shared-bytes', other.email, other.password) };
  const otherUp = await uploadRaw(otherApi, bytes);
  assert.equal(otherUp.status, 202, 'the same bytes in another tenant are a new flight there');
  const del = await fetch(`${ts.baseUrl}/v1/flights/${f.id}`, { method: 'DELETE', headers: { cookie: api.cookie } });
  assert.equal(del.status, 204);
  assert.equal((await json(api, `/v1/flights/${f.id}`)).status, 404);
  assert.equal(await chunks(), 0);
  assert.equal((await ts.db.ownerPool.query(`SELECT 1 FROM audit_events WHERE action = 'flight.deleted' AND target = $1`, [f.id])).rowCount, 1);
  const blob = join(ts.runtime.config.dataDir, 'blobs', 'sha256', f.sha256.slice(0, 2), f.sha256.slice(2, 4), f.sha256);
  const exists = (): boolean => readdirSync(join(blob, '..')).includes(f.sha256);
  await eventually(async () => (await ts.db.ownerPool.query(`SELECT 1 FROM graphile_worker.jobs WHERE task_identifier = 'flight_blob_gc'`)).rowCount === 0, 20_000);
  assert.ok(exists(), 'still referenced by the other tenant');
  await settled(otherApi, otherUp.body.flight.id);
  assert.equal((await fetch(`${ts.baseUrl}/v1/flights/${otherUp.body.flight.id}`, { method: 'DELETE', headers: { cookie: otherApi.cookie } })).status, 204);
  await eventually(async () => !exists(), 20_000);
  assert.equal((await fetch(`${ts.baseUrl}/v1/flights/${f.id}`, { method: 'DELETE', headers: { cookie: api.cookie } })).status, 404);
});
