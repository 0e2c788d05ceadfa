import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startImportHarness, type ImportHarness } from './supply-import-support.js';

let h: ImportHarness;
before(async () => {
  h = await startImportHarness('supply-resume');
  await h.importText('locations', 'csv', 'code,name\nL1,Store 1\n');
});
after(() => h.close());

const N = 23;
const parts = ['part_number,description,unit_cost', ...Array.from({ length: N }, (_, i) => (i === 7 ? 'BAD,,-5' : `P-${i},Part ${i},${i}.5`))].join('\n');
const stock = ['part_number,location_code,on_hand', ...Array.from({ length: N }, (_, i) => `P-${i},L1,${i}`)].join('\n');

class Crash extends Error {}

test('a crash between batches leaves only whole batches; the next run resumes and ends where an uninterrupted run would', async () => {
  const imp = await h.createFrom('parts', 'csv', parts);
  await assert.rejects(h.run(imp.id, { batchRecords: 5, afterBatch: (n) => { if (n === 2) throw new Crash('killed'); } }), Crash);
  const mid = await h.state(imp.id);
  assert.equal(mid.imp.status, 'running');
  assert.equal(mid.imp.batchesCommitted, 2);
  assert.equal(mid.imp.committedRows, 11, 'header line 1 + 10 records');
  assert.equal((await h.query<{ n: number }>(`SELECT count(*)::int AS n FROM parts`))[0]!.n, 9, 'two batches: 10 records, one of them rejected');
  assert.equal(mid.rejects.length, 1);

  const done = await h.run(imp.id, { batchRecords: 5 });
  assert.equal(done.imp.status, 'succeeded');
  assert.equal(done.imp.rowsRead, N);
  assert.equal(done.imp.rowsAccepted, N - 1);
  assert.equal(done.imp.rowsRejected, 1);
  assert.equal(done.imp.rowsInserted, N - 1);
  assert.deepEqual(done.rejects.map((r) => [r.row, r.column]), [[9, 'unit_cost']], 'the reject is stored once');
  assert.equal((await h.query<{ n: number }>(`SELECT count(*)::int AS n FROM parts`))[0]!.n, N - 1);
  assert.deepEqual((done.imp.report.entities as Record<string, unknown>).parts, { inserted: N - 1, updated: 0, unchanged: 0 });
});

test('two batches in flight: a crash after batch 2 commits discards batch 3, which had already written its rows; the resume ends as an uninterrupted run', async () => {
  const imp = await h.createFrom('parts', 'csv', parts.replace(/P-/g, 'Q-'));
  const before = (await h.query<{ n: number }>(`SELECT count(*)::int AS n FROM parts`))[0]!.n;
  /** Whether another transaction has written parts and not committed yet (batch 3, waiting for its turn). */
  const uncommittedPartsWriter = async (): Promise<boolean> =>
    (await h.db.ownerPool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
       WHERE c.relname = 'parts' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid() AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    )).rows[0]!.n > 0;
  let overlapped = false;
  const crashAfterSecond = async (n: number): Promise<void> => {
    if (n !== 2) return;
    for (let i = 0; i < 200 && !overlapped; i++) {
      overlapped = await uncommittedPartsWriter();
      if (!overlapped) await new Promise((r) => setTimeout(r, 25));
    }
    throw new Crash('killed');
  };
  await assert.rejects(h.run(imp.id, { batchRecords: 5, parallelBatches: 2, afterBatch: crashAfterSecond }), Crash);
  assert.ok(overlapped, 'batch 3 was writing while batch 2 finished');
  const mid = await h.state(imp.id);
  assert.equal(mid.imp.batchesCommitted, 2);
  assert.equal(mid.imp.committedRows, 11);
  assert.equal((await h.query<{ n: number }>(`SELECT count(*)::int AS n FROM parts`))[0]!.n - before, 9, 'batches 1 and 2 only');
  assert.deepEqual(mid.rejects.map((r) => r.row), [9]);

  const done = await h.run(imp.id, { batchRecords: 5, parallelBatches: 2 });
  assert.equal(done.imp.status, 'succeeded');
  assert.equal(done.imp.batchesCommitted, 5);
  assert.equal(done.imp.rowsRead, N);
  assert.equal(done.imp.rowsInserted, N - 1);
  assert.deepEqual(done.rejects.map((r) => r.row), [9], 'the reject is stored once');
  assert.equal((await h.query<{ n: number }>(`SELECT count(*)::int AS n FROM parts`))[0]!.n - before, N - 1);
});

test('a batch that fails inside its transaction leaves nothing of itself behind', async () => {
  const imp = await h.createFrom('stock', 'csv', stock);
  // Make row 14's write fail in the database (a constraint the validator does not know about).
  await h.db.ownerPool.query(`ALTER TABLE stock_levels ADD CONSTRAINT test_no_13 CHECK (on_hand <> 13)`);
  await assert.rejects(h.run(imp.id, { batchRecords: 5 }), /test_no_13/);
  const mid = await h.state(imp.id);
  assert.equal(mid.imp.committedRows, 11);
  const rows = await h.query<{ n: number }>(`SELECT count(*)::int AS n FROM stock_levels`);
  assert.equal(rows[0]!.n, 9, 'batches 1 and 2 only (P-7 does not exist, so it is rejected)');
  await h.db.ownerPool.query(`ALTER TABLE stock_levels DROP CONSTRAINT test_no_13`);
  const done = await h.run(imp.id, { batchRecords: 5 });
  assert.equal(done.imp.status, 'succeeded');
  assert.equal(done.imp.rowsAccepted, N - 1);
  assert.deepEqual(done.rejects.map((r) => [r.row, r.column]), [[9, 'part_number']]);
});

test('a second runner of the same import cannot double-apply a batch', async () => {
  const imp = await h.createFrom('parts', 'csv', parts.replace(/Part /g, 'Item '));
  const slow = h.run(imp.id, { batchRecords: 5, afterBatch: async () => new Promise((r) => setTimeout(r, 20)) });
  const fast = h.run(imp.id, { batchRecords: 5 });
  const results = await Promise.allSettled([slow, fast]);
  assert.ok(results.some((r) => r.status === 'fulfilled'));
  const final = await h.run(imp.id, { batchRecords: 5 });
  assert.equal(final.imp.status, 'succeeded');
  assert.equal(final.imp.rowsRead, N);
  assert.equal(final.imp.rowsUpdated + final.imp.rowsUnchanged + final.imp.rowsInserted, N - 1);
});
