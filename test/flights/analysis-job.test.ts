import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobHelpers } from 'graphile-worker';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { missingSharedNotice, sharedFile } from '../support/shared-data.js';
import { createTenant, createUserAsSystem, type Tenant } from '../../src/platform/accounts/tenant-admin.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import { threadFlightCompute } from '../../src/platform/flight-compute/flight-compute.thread.js';
import { createFileBlobStore } from '../../src/platform/blobs/file-blob.store.js';
import { deleteFlight, insertFlight, markDecoded } from '../../src/platform/flights/flight.repository.js';
import { insertAircraft } from '../../src/platform/flights/aircraft.repository.js';
import { ENGINE_VERSION } from '../../src/flight/analysis/index.js';
import { analyzeFlightJob, flightAnalysisJobs, isAnalyzePayload, sweepAnalyses, type FlightAnalysisDeps } from '../../src/platform/flight-analysis/flight-analysis.job.js';
import { readLog } from './flight-client.js';

/** The analysis job on its own: idempotency, failures by code, retries, and the re-analysis sweep. */
const LOG = 'flightlogs/ardupilot_plane_truncated_64k.BIN';
let db: TestDatabase;
let tenant: Tenant;
let userId: string;
let dir: string;
let deps: FlightAnalysisDeps;
before(async () => {
  db = await createTestDatabase();
  tenant = await createTenant(db.ownerPool, 'ajobs', 'Analysis jobs');
  userId = (await createUserAsSystem(db.appPool, tenant, { email: 'p@ajobs.test', displayName: 'P', password: 'long-enough-password', roles: ['pilot'] }, new Date())).id;
  dir = mkdtempSync(join(tmpdir(), 'flight-analysis-job-'));
  deps = { appPool: db.appPool, blobs: createFileBlobStore(dir), compute: threadFlightCompute(), log: () => undefined, now: () => new Date(), sweepGraceSeconds: 0 };
});
after(async () => {
  await deps.compute.close();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** A flight stored as decoded (the decode job's outcome) over the given bytes. */
async function decodedFlight(bytes: Uint8Array, format = 'dataflash'): Promise<string> {
  async function* once(): AsyncGenerator<Uint8Array> {
    yield bytes;
  }
  const blob = await deps.blobs.put(once(), { maxBytes: 1e9 });
  return withTenant(db.appPool, { tenantId: tenant.id }, async (c) => {
    const { flight } = await insertFlight(c, { tenantId: tenant.id, aircraftId: null, blobSha256: blob.sha256, sizeBytes: blob.size, originalName: 'x.bin', format, detection: 'test', uploadedBy: userId, now: new Date() });
    await markDecoded(c, flight.id, { summary: {}, vehicleType: 'unknown', startedAt: null, durationS: null });
    return flight.id;
  });
}
const count = async (sql: string, id: string): Promise<number> => (await db.ownerPool.query(sql, [id])).rows[0].n as number;
const analyses = (id: string) => count('SELECT count(*)::int AS n FROM flight_analyses WHERE flight_id = $1', id);
const predictions = (id: string) => count(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'model.prediction' AND target = $1`, id);
const failure = async (id: string) => (await db.ownerPool.query('SELECT code, message FROM flight_analysis_failures WHERE flight_id = $1', [id])).rows[0];

test('analysing twice stores one analysis and one pair of predictions; the flight list gets the analysed vehicle type', { skip: sharedFile(LOG) ? false : missingSharedNotice(LOG) }, async () => {
  const id = await decodedFlight(readLog(sharedFile(LOG)!));
  const first = await analyzeFlightJob(deps, { tenantId: tenant.id, flightId: id });
  assert.equal(first.outcome, 'stored');
  assert.deepEqual(await analyzeFlightJob(deps, { tenantId: tenant.id, flightId: id }), { outcome: 'unchanged', reason: `analysed by engine ${ENGINE_VERSION}` });
  assert.equal(await analyses(id), 1);
  assert.equal(await predictions(id), 2, 'risk score + anomaly model');
  const row = (await db.ownerPool.query('SELECT engine_version, vehicle_type, risk_level, report->>\'schemaVersion\' AS schema FROM flight_analyses WHERE flight_id = $1', [id])).rows[0];
  assert.equal(row.engine_version, ENGINE_VERSION);
  assert.equal(row.vehicle_type, 'fixed_wing');
  assert.equal((await db.ownerPool.query('SELECT vehicle_type FROM flights WHERE id = $1', [id])).rows[0].vehicle_type, 'fixed_wing');
  // Another tenant's job payload cannot reach this flight: RLS hides it, the job skips.
  const rival = await createTenant(db.ownerPool, 'ajobs-rival', 'Rival');
  assert.deepEqual(await analyzeFlightJob(deps, { tenantId: rival.id, flightId: id }), { outcome: 'skipped', reason: 'flight deleted' });
});

test('a file the decoder refuses and a missing blob are kept as failures with their codes; the sweep skips them', async () => {
  // Decoded once, refused now (e.g. a stricter decoder release): the decoder's own code is kept.
  const garbage = await decodedFlight(Buffer.from('this is not a ULog header at all'), 'ulog');
  const r = await analyzeFlightJob(deps, { tenantId: tenant.id, flightId: garbage });
  assert.equal(r.outcome, 'failed');
  const f = await failure(garbage);
  assert.match(f.code, /^ULOG_/);
  assert.equal(await analyses(garbage), 0);

  const gone = await decodedFlight(Buffer.from('a blob that will vanish'));
  await deps.blobs.delete((await db.ownerPool.query('SELECT blob_sha256 FROM flights WHERE id = $1', [gone])).rows[0].blob_sha256);
  assert.deepEqual(await analyzeFlightJob(deps, { tenantId: tenant.id, flightId: gone }), { outcome: 'failed', code: 'BLOB_MISSING' });
  assert.equal((await analyzeFlightJob(deps, { tenantId: tenant.id, flightId: gone })).outcome, 'skipped', 'a failure with this engine is not retried by itself');

  const added: string[] = [];
  await sweepAnalyses(deps, { addJob: async (_t: string, p: unknown) => { added.push((p as { flightId: string }).flightId); return { id: '1' } as never; } });
  assert.ok(!added.includes(garbage) && !added.includes(gone));
});

test('an internal error is retried, and recorded as ANALYSIS_CRASHED only after the last attempt', async () => {
  const id = await decodedFlight(Buffer.from('will not open'));
  const broken = { ...deps, blobs: { ...deps.blobs, open: () => Promise.reject(new Error('disk on fire')) } };
  await assert.rejects(analyzeFlightJob(broken, { tenantId: tenant.id, flightId: id }, { attempts: 1, maxAttempts: 3 }), /disk on fire/);
  assert.equal(await failure(id), undefined, 'left for the retry');
  assert.deepEqual(await analyzeFlightJob(broken, { tenantId: tenant.id, flightId: id }, { attempts: 3, maxAttempts: 3 }), { outcome: 'failed', code: 'ANALYSIS_CRASHED' });
  assert.match((await failure(id)).message, /disk on fire/);
});

test('the sweep queues outdated and missing analyses once per flight, never a newer one', { skip: sharedFile(LOG) ? false : missingSharedNotice(LOG) }, async () => {
  const bytes = readLog(sharedFile(LOG)!);
  // Different bytes (one trailing byte) make different flights of the same log.
  const [older, newer, missing] = [await decodedFlight(Buffer.concat([bytes, Buffer.from([1])])), await decodedFlight(Buffer.concat([bytes, Buffer.from([2])])), await decodedFlight(Buffer.concat([bytes, Buffer.from([3])]))];
  for (const id of [older, newer]) assert.equal((await analyzeFlightJob(deps, { tenantId: tenant.id, flightId: id })).outcome, 'stored');
  await db.ownerPool.query(`UPDATE flight_analyses SET engine_version = '0.9.0+thresholds.0.9.0' WHERE flight_id = $1`, [older]);
  await db.ownerPool.query(`UPDATE flight_analyses SET engine_version = '99.0.0+thresholds.1.0.0' WHERE flight_id = $1`, [newer]);
  const added: { payload: { flightId: string }; key?: string; queue?: string }[] = [];
  const helpers = { addJob: async (_t: string, payload: unknown, spec?: { jobKey?: string; queueName?: string }) => { added.push({ payload: payload as { flightId: string }, key: spec?.jobKey, queue: spec?.queueName }); return { id: '1' } as never; } };
  await sweepAnalyses(deps, helpers);
  const ids = added.map((a) => a.payload.flightId);
  assert.ok(ids.includes(older) && ids.includes(missing), 'outdated and never-analysed flights are queued');
  assert.ok(!ids.includes(newer), 'an analysis by a newer engine is left alone');
  assert.equal(added.find((a) => a.payload.flightId === older)?.key, `flight_analyze:${older}`);
  assert.equal(added.find((a) => a.payload.flightId === older)?.queue, 'flight_reanalysis');

  // Re-analysis keeps the old analysis as superseded history and records a new pair of predictions.
  assert.equal((await analyzeFlightJob(deps, { tenantId: tenant.id, flightId: older })).outcome, 'stored');
  const rows = (await db.ownerPool.query('SELECT engine_version, superseded_at IS NULL AS current FROM flight_analyses WHERE flight_id = $1 ORDER BY created_at', [older])).rows;
  assert.deepEqual(rows, [{ engine_version: '0.9.0+thresholds.0.9.0', current: false }, { engine_version: ENGINE_VERSION, current: true }]);
  assert.equal(await predictions(older), 4);
  assert.equal((await analyzeFlightJob(deps, { tenantId: tenant.id, flightId: newer })).outcome, 'unchanged');
});

test('malformed job payloads are dropped, not retried', async () => {
  const logged: string[] = [];
  const task = flightAnalysisJobs({ ...deps, log: (m) => logged.push(m) }).tasks.flight_analyze!;
  const helpers = { job: { attempts: 1, max_attempts: 3 } } as unknown as JobHelpers;
  for (const p of [null, {}, { tenantId: tenant.id }, { tenantId: "' OR 1=1 --", flightId: tenant.id }, { tenantId: tenant.id, flightId: 'x'.repeat(10_000) }, [tenant.id], 'flight']) {
    await task(p, helpers);
  }
  assert.equal(logged.length, 7);
  assert.equal(isAnalyzePayload({ tenantId: tenant.id, flightId: tenant.id }), true);
});

test('deleting an analysed flight removes its analyses; the predictions stay in the audit trail', { skip: sharedFile(LOG) ? false : missingSharedNotice(LOG) }, async () => {
  const id = await decodedFlight(Buffer.concat([readLog(sharedFile(LOG)!), Buffer.from([9])]));
  assert.equal((await analyzeFlightJob(deps, { tenantId: tenant.id, flightId: id })).outcome, 'stored');
  await withTenant(db.appPool, { tenantId: tenant.id }, (c) => deleteFlight(c, id));
  assert.equal(await analyses(id), 0);
  assert.equal(await predictions(id), 2);
  assert.deepEqual(await analyzeFlightJob(deps, { tenantId: tenant.id, flightId: id }), { outcome: 'skipped', reason: 'flight deleted' });
});

test('the copied aircraft and flight time follow the flight if it is ever re-assigned or re-dated', { skip: sharedFile(LOG) ? false : missingSharedNotice(LOG) }, async () => {
  const id = await decodedFlight(Buffer.concat([readLog(sharedFile(LOG)!), Buffer.from([10])]));
  assert.equal((await analyzeFlightJob(deps, { tenantId: tenant.id, flightId: id })).outcome, 'stored');
  const at = '2020-02-02T02:02:02.123456Z'; // microseconds: a Date would round them away
  const aircraftId = await withTenant(db.appPool, { tenantId: tenant.id }, async (c) => {
    const a = await insertAircraft(c, tenant.id, userId, { name: 'MOVED-1' });
    await c.query('UPDATE flights SET aircraft_id = $2, started_at = $3::timestamptz WHERE id = $1', [id, a.id, at]);
    return a.id;
  });
  const row = (await db.ownerPool.query(`SELECT aircraft_id, flight_at = '2020-02-02T02:02:02.123456Z'::timestamptz AS exact FROM flight_analyses WHERE flight_id = $1`, [id])).rows[0];
  assert.deepEqual(row, { aircraft_id: aircraftId, exact: true });
});
