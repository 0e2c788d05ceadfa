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
import { insertFlight, getFlight } from '../../src/platform/flights/flight.repository.js';
import { decodeFlight, flightJobs, type FlightJobDeps } from '../../src/platform/flights/flight-decode.job.js';
import { readLog } from './flight-client.js';

/** The decode job on its own: idempotent under retry, failure recording, and the lost-decode sweep. */
const LOG = 'flightlogs/ardupilot_copter_erle_GPS_issues1.BIN';
let db: TestDatabase;
let tenant: Tenant;
let userId: string;
let dir: string;
let deps: FlightJobDeps;
before(async () => {
  db = await createTestDatabase();
  tenant = await createTenant(db.ownerPool, 'jobs', 'Jobs');
  userId = (await createUserAsSystem(db.appPool, tenant, { email: 'p@jobs.test', displayName: 'P', password: 'long-enough-password', roles: ['pilot'] }, new Date())).id;
  dir = mkdtempSync(join(tmpdir(), 'flight-job-'));
  deps = { appPool: db.appPool, blobs: createFileBlobStore(dir), compute: threadFlightCompute(), log: () => undefined, blobGcGraceSeconds: 0, now: () => new Date() };
});
after(async () => {
  await deps.compute.close();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function queued(bytes: Uint8Array, format: string | null = 'dataflash'): Promise<string> {
  async function* once(): AsyncGenerator<Uint8Array> {
    yield bytes;
  }
  const blob = await deps.blobs.put(once(), { maxBytes: 1e9 });
  const { flight } = await withTenant(db.appPool, { tenantId: tenant.id }, (c) =>
    insertFlight(c, { tenantId: tenant.id, aircraftId: null, blobSha256: blob.sha256, sizeBytes: blob.size, originalName: 'x.bin', format, detection: 'test', uploadedBy: userId, now: new Date() }));
  return flight.id;
}
const flight = (id: string) => withTenant(db.appPool, { tenantId: tenant.id }, (c) => getFlight(c, id));
const chunkRows = async (id: string) => (await db.ownerPool.query('SELECT count(*)::int AS n FROM flight_signal_chunks WHERE flight_id = $1', [id])).rows[0].n as number;

test('decoding twice (a retried job) stores the same rows once; a decoded flight is left alone', { skip: sharedFile(LOG) ? false : missingSharedNotice(LOG) }, async () => {
  const id = await queued(readLog(sharedFile(LOG)!));
  await decodeFlight(deps, { tenantId: tenant.id, flightId: id });
  const first = await chunkRows(id);
  assert.ok(first > 0);
  assert.equal((await flight(id))!.status, 'decoded');
  // A worker died after committing: the job runs again on a flight that is back in 'decoding'.
  await db.ownerPool.query(`UPDATE flights SET status = 'decoding' WHERE id = $1`, [id]);
  await decodeFlight(deps, { tenantId: tenant.id, flightId: id });
  assert.equal(await chunkRows(id), first);
  const attempts = (await flight(id))!.decodeAttempts;
  await decodeFlight(deps, { tenantId: tenant.id, flightId: id });
  assert.equal((await flight(id))!.decodeAttempts, attempts, 'decoded: skipped');
  await decodeFlight(deps, { tenantId: tenant.id, flightId: '00000000-0000-4000-8000-000000000000' });
});

test('a missing blob and an internal error are recorded with specific codes, the latter only after the last attempt', async () => {
  const gone = await queued(Buffer.from('blob that will vanish'));
  await deps.blobs.delete((await flight(gone))!.blobSha256);
  await decodeFlight(deps, { tenantId: tenant.id, flightId: gone });
  assert.equal((await flight(gone))!.error?.code, 'BLOB_MISSING');

  const broken = { ...deps, blobs: { ...deps.blobs, open: () => Promise.reject(new Error('disk on fire')) } };
  const id = await queued(Buffer.from('will not open'));
  await assert.rejects(decodeFlight(broken, { tenantId: tenant.id, flightId: id }, { attempts: 1, maxAttempts: 3 }), /disk on fire/);
  assert.equal((await flight(id))!.status, 'decoding', 'left for the retry');
  await decodeFlight(broken, { tenantId: tenant.id, flightId: id }, { attempts: 3, maxAttempts: 3 });
  const f = (await flight(id))!;
  assert.equal(f.status, 'failed');
  assert.equal(f.error?.code, 'DECODE_CRASHED');
  assert.match(f.error.message, /disk on fire/);
});

test('the sweep re-enqueues flights left queued (enqueue lost after commit) and stale decodes', async () => {
  const lost = await queued(Buffer.from('queued but never enqueued'));
  const fresh = await queued(Buffer.from('just uploaded'));
  await db.ownerPool.query(`UPDATE flights SET updated_at = now() - interval '5 minutes' WHERE id = $1`, [lost]);
  const added: { task: string; payload: any; key?: string }[] = [];
  const helpers = { addJob: async (task: string, payload: unknown, spec?: { jobKey?: string }) => ({ id: String(added.push({ task, payload, key: spec?.jobKey })) }) } as unknown as JobHelpers;
  await flightJobs(deps).tasks.flight_decode_sweep!({}, helpers);
  assert.deepEqual(added.filter((a) => a.payload.flightId === lost), [{ task: 'flight_decode', payload: { tenantId: tenant.id, flightId: lost }, key: `flight_decode:${lost}` }]);
  assert.ok(!added.some((a) => a.payload.flightId === fresh), 'a flight queued a moment ago is still in the queue');
});
