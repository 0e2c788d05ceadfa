import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, login, type TestServer } from '../support/test-server.js';
import { missingSharedNotice, sharedFile } from '../support/shared-data.js';
import { readLog, settled, uploadRaw, type Api } from './flight-client.js';

/**
 * The blob collector deletes an unreferenced blob under a per-blob lock that an upload reusing the
 * blob takes too. Here the test plays the collector: it holds the lock, deletes the file, and only
 * then lets the waiting upload go on — which must answer a retryable error, not create a flight whose
 * file is gone.
 */
const PLANE = 'flightlogs/ardupilot_plane_truncated_64k.BIN';
let ts: TestServer;
let api: Api;
before(async () => {
  ts = await startTestServer({ jobs: true });
  api = { baseUrl: ts.baseUrl, cookie: await login(ts.baseUrl, ts.demo.tenant, ts.demo.email, ts.demo.password) };
});
after(() => ts.close());

test('an upload that reuses a blob the collector is deleting gets 503 UPLOAD_RETRY, and the retry stores it again', { skip: sharedFile(PLANE) ? false : missingSharedNotice(PLANE) }, async () => {
  const bytes = Buffer.concat([readLog(sharedFile(PLANE)!), Buffer.from('collector-race')]);
  const first = await uploadRaw(api, bytes);
  assert.equal(first.status, 202);
  const sha: string = first.body.flight.sha256;
  // The flight goes (as a delete would leave it) while its file stays: an unreferenced blob.
  await ts.db.ownerPool.query('DELETE FROM flights WHERE id = $1', [first.body.flight.id]);

  const collector = await ts.db.ownerPool.connect();
  try {
    await collector.query('BEGIN');
    await collector.query("SELECT pg_advisory_xact_lock(hashtextextended('flight_blob:' || $1, 0))", [sha]);
    let answered = false;
    const racing = uploadRaw(api, bytes).finally(() => (answered = true));
    await sleep(500);
    assert.equal(answered, false, 'the upload waits for the collector');
    rmSync(join(ts.runtime.config.dataDir, 'blobs', 'sha256', sha.slice(0, 2), sha.slice(2, 4), sha));
    await collector.query('COMMIT');
    const raced = await racing;
    assert.equal(raced.status, 503);
    assert.equal(raced.body.code, 'UPLOAD_RETRY');
  } finally {
    collector.release();
  }
  assert.equal((await ts.db.ownerPool.query('SELECT 1 FROM flights WHERE blob_sha256 = $1', [sha])).rowCount, 0, 'no flight refers to the deleted file');

  const retry = await uploadRaw(api, bytes);
  assert.equal(retry.status, 202);
  assert.equal((await settled(api, retry.body.flight.id)).status, 'decoded');
});
