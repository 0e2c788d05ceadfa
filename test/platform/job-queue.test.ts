import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createJobQueue, type JobQueue } from '../../src/platform/jobs/job-queue.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let db: TestDatabase;
let queue: JobQueue;
before(async () => {
  db = await createTestDatabase();
  queue = createJobQueue(db.ownerPool);
});
after(async () => {
  await queue.close();
  await db.drop();
});

const jobsWithKey = async (key: string) =>
  (await db.ownerPool.query<{ id: string; payload: unknown; locked: boolean }>(
    'SELECT id::text, payload, locked_at IS NOT NULL AS locked FROM graphile_worker._private_jobs WHERE key = $1', [key])).rows;

/**
 * graphile-worker's add_job clears a running job's key, then upserts `… WHERE locked_at IS NULL`. A
 * worker locking the pending job between the two made the upsert match nothing and the new work was
 * dropped. Here a second connection plays that worker: it locks the pending job while the enqueue runs.
 */
test('a keyed enqueue racing a worker that locks the pending job is added, not dropped', async () => {
  const key = 'race-test:items';
  await queue.enqueue('race_task', [{ item: 'first' }] as unknown as Record<string, unknown>, { jobKey: key });
  const [pending] = await jobsWithKey(key);
  assert.ok(pending);

  const worker = await db.ownerPool.connect();
  try {
    await worker.query('BEGIN');
    await worker.query("UPDATE graphile_worker._private_jobs SET locked_at = now(), locked_by = 'race-test' WHERE id = $1", [pending.id]);
    let done = false;
    const racing = queue.enqueue('race_task', [{ item: 'second' }] as unknown as Record<string, unknown>, { jobKey: key }).finally(() => (done = true));
    await sleep(300);
    assert.equal(done, false, 'the enqueue waits on the row the worker is locking');
    await worker.query('COMMIT');
    await racing;
  } finally {
    worker.release();
  }

  const now = await jobsWithKey(key);
  assert.equal(now.length, 1, 'a pending job holds the key');
  assert.notEqual(now[0]!.id, pending.id, 'a new job, not the running one');
  assert.equal(now[0]!.locked, false);
  assert.deepEqual(now[0]!.payload, [{ item: 'second' }]);
  const running = (await db.ownerPool.query('SELECT key FROM graphile_worker._private_jobs WHERE id = $1', [pending.id])).rows[0] as { key: string | null };
  assert.equal(running.key, null, 'the running job gave up its key');
});
