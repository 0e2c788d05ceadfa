import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startImportHarness, type ImportHarness } from './supply-import-support.js';
import { restoreAllSuspendedIndexes } from '../../src/platform/supply/bulk-indexes.js';

// A large first load builds the secondary indexes of its tables afterwards (migration 0012). The
// files here are small, so the tests lower the threshold and the batch size to take that path.

let h: ImportHarness;
before(async () => {
  h = await startImportHarness('supply-import-indexes');
});
after(() => h.close());

const TABLES = ['parts', 'part_aircraft_types', 'stock_levels'];
const indexes = async (): Promise<string[]> =>
  (await h.db.ownerPool.query<{ d: string }>(`SELECT indexdef AS d FROM pg_indexes WHERE tablename = ANY($1) ORDER BY indexname`, [TABLES])).rows.map((r) => r.d);
const partsFile = (from: number, n: number): string =>
  ['part_number,description', ...Array.from({ length: n }, (_, i) => `PX-${from + i},Hydraulic valve ${from + i}`)].join('\n');

test('a large first load drops the secondary indexes while it loads and builds the same ones afterwards', async () => {
  const all = await indexes();
  const seen: string[][] = [];
  const { imp } = await h.importText('parts', 'csv', partsFile(0, 30), { batchRecords: 10, suspendIndexesFrom: 1, afterBatch: async () => void seen.push(await indexes()) });
  assert.equal(imp.status, 'succeeded', imp.error ?? '');
  assert.ok(!seen[0]!.some((d) => d.includes('gin_trgm_ops')), 'the trigram index was not maintained during the load');
  assert.ok(seen[0]!.some((d) => d.includes('parts_tenant_id_part_number_key')), 'unique indexes stay: upserts arbitrate on them');
  assert.deepEqual(await indexes(), all);
  const found = await h.query<{ part_number: string }>(`SELECT part_number FROM parts WHERE part_number || ' ' || description ILIKE '%valve 17%'`);
  assert.deepEqual(found.map((r) => r.part_number), ['PX-17']);
});

test('a failed load restores the indexes it suspended, and the resumed load completes', async () => {
  const all = await indexes();
  await h.db.ownerPool.query('TRUNCATE parts CASCADE');
  await h.db.ownerPool.query('ANALYZE parts');
  const created = await h.createFrom('parts', 'csv', partsFile(100, 30));
  await assert.rejects(h.run(created.id, { batchRecords: 10, suspendIndexesFrom: 1, afterBatch: (n) => { if (n === 1) throw new Error('killed'); } }), /killed/);
  assert.deepEqual(await indexes(), all);
  const { imp } = await h.run(created.id, { batchRecords: 10, suspendIndexesFrom: 1 });
  assert.equal(imp.status, 'succeeded', imp.error ?? '');
  assert.equal(imp.rowsInserted, 30);
  assert.deepEqual(await indexes(), all);
});

test('a load smaller than what the table holds keeps its indexes in place (each table is judged on its own)', async () => {
  const ofParts = (defs: string[]): string[] => defs.filter((d) => d.includes(' ON public.parts '));
  const all = ofParts(await indexes());
  await h.db.ownerPool.query('ANALYZE parts'); // 30 rows from the test before
  const seen: string[][] = [];
  const { imp } = await h.importText('parts', 'csv', partsFile(200, 20), { batchRecords: 10, suspendIndexesFrom: 1, afterBatch: async () => void seen.push(await indexes()) });
  assert.equal(imp.status, 'succeeded', imp.error ?? '');
  assert.deepEqual(ofParts(seen[0]!), all);
});

test('indexes left suspended by an import that never came back are restored when the job runner starts', async () => {
  const all = await indexes();
  await h.db.ownerPool.query('TRUNCATE parts CASCADE');
  await h.db.ownerPool.query('ANALYZE parts');
  await h.db.ownerPool.query("SELECT skyguard_private.suspend_secondary_indexes('parts', 1000)");
  assert.notDeepEqual(await indexes(), all, 'suspended');
  assert.ok((await restoreAllSuspendedIndexes(h.db.ownerPool)) > 0);
  assert.deepEqual(await indexes(), all);
  assert.equal(await restoreAllSuspendedIndexes(h.db.ownerPool), 0, 'nothing left to restore');
});
