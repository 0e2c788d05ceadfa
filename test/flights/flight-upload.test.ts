import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startTestServer, login, type TestServer } from '../support/test-server.js';
import { missingSharedNotice, sharedFile } from '../support/shared-data.js';
import { json, readLog, settled, uploadMultipart, uploadRaw, type Api } from './flight-client.js';

/**
 * Real logs uploaded through the API (raw and multipart), decoded by the background job, checked
 * against facts from shared/flightlogs/SOURCES.md.
 */
let ts: TestServer;
let api: Api;
before(async () => {
  ts = await startTestServer({ jobs: true });
  api = { baseUrl: ts.baseUrl, cookie: await login(ts.baseUrl, ts.demo.tenant, ts.demo.email, ts.demo.password) };
});
after(() => ts.close());

const LOGS = [
  { file: 'flightlogs/px4_esc_status_log_mission_rtl.ulg', via: 'raw', format: 'ulog', vehicleType: 'multirotor', hardware: 'PX4_FMU_V3', minDuration: 40, signals: ['attitude.roll', 'esc.0.rpm', 'batteries.0.voltage'], startedIn: '2019-05' },
  { file: 'flightlogs/px4_pyulog_sample_log_small_vtol.ulg', via: 'multipart', format: 'ulog', vehicleType: 'vtol', hardware: undefined, minDuration: 60, signals: ['attitude.roll'], startedIn: '2021-04' },
  { file: 'flightlogs/ardupilot_copter_4.1.3_good_prop_hover_1.BIN', via: 'multipart', format: 'dataflash', vehicleType: 'multirotor', hardware: undefined, minDuration: 60, signals: ['attitude.roll', 'vibration.metrics.0'], startedIn: '2022' },
  { file: 'flightlogs/ardupilot_plane_truncated_64k.BIN', via: 'raw', format: 'dataflash', vehicleType: 'fixed_wing', hardware: undefined, minDuration: 0, signals: [], completeness: 'truncated', startedIn: undefined },
  { file: 'flightlogs/ardupilot_rover_erle_61.BIN', via: 'raw', format: 'dataflash', vehicleType: 'rover', hardware: undefined, minDuration: 200, signals: ['attitude.roll'], startedIn: undefined },
] as const;

for (const log of LOGS) {
  const path = sharedFile(log.file);
  test(`${log.via} upload of ${log.file} is accepted at once and decoded in the job`, { skip: path ? false : missingSharedNotice(log.file) }, async () => {
    const bytes = readLog(path!);
    const name = log.file.split('/').pop()!;
    const res = log.via === 'raw' ? await uploadRaw(api, bytes, `?name=${encodeURIComponent(name)}`) : await uploadMultipart(api, bytes, name);
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body.duplicate, false);
    assert.equal(res.body.flight.status, 'queued');
    assert.equal(res.body.flight.format, log.format);
    assert.equal(res.body.flight.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(res.body.flight.sizeBytes, bytes.length);
    assert.equal(res.body.flight.originalName, name);
    assert.equal(res.headers.get('location'), `/v1/flights/${res.body.flight.id}`);

    const f = await settled(api, res.body.flight.id);
    assert.equal(f.status, 'decoded', JSON.stringify(f.error));
    assert.equal(f.summary.format, log.format);
    assert.equal(f.vehicleType, log.vehicleType);
    assert.equal(f.summary.completeness, 'completeness' in log ? log.completeness : f.summary.completeness);
    assert.ok(f.durationS === null || f.durationS >= log.minDuration, `duration ${f.durationS}`);
    if (log.hardware) assert.equal(f.summary.hardware, log.hardware);
    if (log.startedIn) assert.ok(f.startedAt?.startsWith(log.startedIn), `startedAt ${f.startedAt}`);
    assert.ok(Array.isArray(f.summary.topics) && f.summary.topics.length > 0);

    const catalogue = await json(api, `/v1/flights/${f.id}/signals`);
    assert.equal(catalogue.status, 200);
    const names = catalogue.body.signals.map((s: any) => s.name);
    for (const n of log.signals) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    assert.equal(f.summary.signalCount, names.length);
    if (log.signals.length) {
      const sig = catalogue.body.signals.find((s: any) => s.name === log.signals[0]);
      assert.ok(sig.sampleCount > 0 && sig.end >= sig.start && sig.unit);
      const w = await json(api, `/v1/flights/${f.id}/signals?names=${log.signals.join(',')}&maxPoints=500`);
      assert.equal(w.status, 200, JSON.stringify(w.body));
      assert.equal(w.body.signals.length, log.signals.length);
      for (const s of w.body.signals) {
        assert.ok(s.t.length > 0 && s.t.length <= 500 && s.t.length === s.v.length, `${s.name}: ${s.t.length} points`);
        for (let i = 1; i < s.t.length; i++) assert.ok(s.t[i] >= s.t[i - 1]);
      }
    }
    // The original bytes come back unchanged.
    const file = await fetch(`${ts.baseUrl}/v1/flights/${f.id}/file`, { headers: { cookie: api.cookie } });
    assert.equal(file.status, 200);
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), bytes);
    assert.match(file.headers.get('content-disposition') ?? '', new RegExp(`filename="${name.replace(/\./g, '\\.')}"`));
  });
}

test('the upload is audited in its transaction and listed with filters', { skip: sharedFile(LOGS[0].file) ? false : missingSharedNotice(LOGS[0].file) }, async () => {
  const { rows } = await ts.db.ownerPool.query(`SELECT target, details FROM audit_events WHERE action = 'flight.uploaded'`);
  assert.ok(rows.length >= 1);
  const list = await json(api, '/v1/flights?limit=2');
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 2);
  assert.ok(list.body.nextCursor);
  const next = await json(api, `/v1/flights?limit=2&cursor=${list.body.nextCursor}`);
  assert.ok(next.body.items.every((f: any) => !list.body.items.some((g: any) => g.id === f.id)), 'pages do not overlap');
  assert.equal(list.body.items[0].summary.topics, undefined, 'list pages leave out the long lists');
  const rovers = await json(api, '/v1/flights?vehicleType=rover');
  assert.ok(rovers.body.items.length >= 1 && rovers.body.items.every((f: any) => f.vehicleType === 'rover'));
  const byStart = await json(api, '/v1/flights?sort=-startedAt&status=decoded');
  assert.equal(byStart.status, 200);
  assert.ok(byStart.body.items.every((f: any) => f.status === 'decoded'));
  const old = await json(api, '/v1/flights?startedBefore=2020-01-01T00:00:00Z');
  assert.ok(old.body.items.every((f: any) => f.startedAt && f.startedAt < '2020'));
  assert.equal((await json(api, '/v1/flights?uploadedAfter=2999-01-01T00:00:00Z')).body.items.length, 0);
  assert.equal((await json(api, '/v1/flights?sort=password')).status, 400);
});
