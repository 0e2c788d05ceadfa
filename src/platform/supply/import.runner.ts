import type { Readable } from 'node:stream';
import { refreshSupplyStatistics } from './supply-statistics.js';
import {
  DEFAULT_READER_LIMITS, ImportFileError, RecordValidator, importPlan, readRecords, schemaOf,
  type AcceptedRecord, type ImportEntity, type ReaderLimits, type ValidRow,
} from '../../supply/import/index.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Pool } from '../db/pool.js';
import { withTenant, type TenantClient } from '../db/with-tenant.js';
import type { ImportFileStore } from './import-file.store.js';
import { commitBatchProgress, finishImport, getImport, insertRejects, markImportRunning, type ImportRecord, type RejectInput } from './import.repository.js';
import { REFERENCE_LABEL, ReferenceResolver } from './reference-resolver.js';
import { writeEntityRows, type WriteContext } from './supply.writers.js';
import type { UpsertCounts } from './bulk-upsert.js';
import { restoreSecondaryIndexes, suspendSecondaryIndexes } from './bulk-indexes.js';
import { OrderedBatches } from './ordered-batches.js';

export interface ImportRunnerDeps {
  readonly pool: Pool;
  readonly files: ImportFileStore;
  readonly cipher: FieldCipher;
  readonly now: () => Date;
  /** Source records per batch (one transaction each; default 20,000). */
  readonly batchRecords?: number;
  /** Entity rows per batch (a RAF record is 85 rows; default 50,000): a batch closes at whichever limit comes first. */
  readonly batchRows?: number;
  readonly limits?: ReaderLimits;
  /**
   * A file estimated (from its first full batch) to bring at least this many rows builds the
   * secondary indexes of its tables after loading, when the tables hold fewer rows than it brings
   * (see bulk-indexes.ts; default 100,000).
   */
  readonly suspendIndexesFrom?: number;
  readonly onProgress?: (p: ImportProgress) => void;
  /**
   * Batches written at once on separate connections (default 2): the next batch's rows go in while
   * the previous one finishes; commits stay in file order (see ordered-batches.ts). 1 = one at a time.
   */
  readonly parallelBatches?: number;
  /** Runs after each committed batch; throwing here simulates a crash between batches (tests). */
  readonly afterBatch?: (batch: number) => void | Promise<void>;
}

export interface ImportProgress {
  readonly importId: string;
  readonly bytesRead: number;
  readonly byteSize: number;
  readonly rowsRead: number;
  readonly rowsRejected: number;
}

/** Another runner committed a batch of this import first; this one stops without writing. */
export class ImportConflictError extends Error {}

type EntityTotals = Record<string, UpsertCounts>;

/** Counts bytes as the file streams through, for progress. */
async function* counted(stream: Readable, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of stream) {
    onBytes((chunk as Buffer).length);
    yield chunk as Buffer;
  }
}

/**
 * Runs (or resumes) one import: streams the stored file, validates every record, and writes it in
 * batches, each one transaction holding the batch's rows (COPY → staging → upsert), its rejects and
 * the import's progress. A crash loses at most the batches in flight, which left nothing behind;
 * the next run skips the committed rows (re-validating them only to rebuild the in-file key set)
 * and carries on. A file-level problem (bad header, not a JSON array) fails the import with its
 * reason; rows committed before it stay. Returns the final import record.
 *
 * Reading and validating the next batch overlaps the database writing the previous ones: up to
 * `parallelBatches` batches write at once on their own connections, and they commit in file order.
 */
export async function runImport(deps: ImportRunnerDeps, tenantId: string, importId: string): Promise<ImportRecord> {
  const tenant = { tenantId };
  const imp = await withTenant(deps.pool, tenant, async (db) => {
    const i = await getImport(db, importId, true);
    if (i && (i.status === 'queued' || i.status === 'running')) await markImportRunning(db, importId, deps.now());
    return i;
  });
  if (!imp) throw new Error(`import ${importId} not found for tenant ${tenantId}`);
  if (imp.status === 'succeeded' || imp.status === 'failed') return imp;

  const plan = importPlan(imp.type);
  const validator = new RecordValidator(plan);
  const refs = new ReferenceResolver();
  // Large batches: per-batch costs (transaction, staging table, progress row) fade, and a batch of
  // 20,000 parts is still a short transaction (about a second) that a crash loses at most.
  const batchRecords = deps.batchRecords ?? 20_000;
  const batchRows = deps.batchRows ?? 50_000;
  let totals: EntityTotals = { ...((imp.report.entities as EntityTotals | undefined) ?? {}) };
  let committed = imp.committedRows;
  let batchNo = imp.batchesCommitted;
  let bytesRead = 0;
  let rowsRead = imp.rowsRead;
  let rowsRejected = imp.rowsRejected;
  let setupDone = false;
  // Until a batch meets rows that exist already, the next ones are written as a first load (a plain
  // INSERT, falling back to the upsert; see bulk-upsert.ts). A re-import pays for one attempt.
  let expectNewKeys = true;
  const started = Date.now();

  let accepted: AcceptedRecord[] = [];
  let rejected: RejectInput[] = [];
  let rowCount = 0;
  let lastRow = committed;

  /** Before the first batch: a file whose first batch is full is estimated by its share of the bytes. */
  const maybeSuspendIndexes = async (records: number, rows: number, bytes: number): Promise<void> => {
    if (records < batchRecords && rows < batchRows) return; // the whole file fitted in one batch
    const estimatedRows = bytes > 0 ? (rows * imp.byteSize) / bytes : 0;
    if (estimatedRows >= (deps.suspendIndexesFrom ?? 100_000)) await suspendSecondaryIndexes(deps.pool, plan.entities, estimatedRows);
  };

  /**
   * Writes one batch in its own transaction: rows, rejects, then — once the previous batch has
   * committed (`turn`) — the counts and the import's progress, and commits. Should the previous
   * batch fail, this one rolls back with that batch's error.
   */
  const writeInTurn = async (batch: PendingBatch, turn: Promise<void>): Promise<void> => {
    const first = !setupDone;
    if (first) await maybeSuspendIndexes(batch.accepted.length + batch.rejected.length, batch.rowCount, batch.bytesRead);
    const ctx: WriteContext = { tenantId, refs: refs.forBatch(), cipher: deps.cipher, expectNewKeys };
    const { rejectedRows, sawExisting } = await withTenant(deps.pool, tenant, async (db) => {
      // A batch's statements are planned once and run once: JIT compilation (~35 ms per large
      // statement, ~0.8 s over a 500k-part load) never pays for itself here.
      await db.query('SET LOCAL jit = off');
      if (first) await writeSetupRows(db, plan.setupRows, ctx);
      const result = await writeBatch(db, plan.entities, batch.accepted, ctx);
      const rejects = [...batch.rejected, ...result.refRejects].sort((a, b) => a.row - b.row);
      await insertRejects(db, tenantId, importId, rejects);
      await turn;
      const sum = Object.values(result.counts).reduce((s, c) => ({ inserted: s.inserted + c.inserted, updated: s.updated + c.updated, unchanged: s.unchanged + c.unchanged }), { inserted: 0, updated: 0, unchanged: 0 });
      const ok = await commitBatchProgress(db, importId, committed, {
        read: batch.accepted.length + batch.rejected.length, accepted: batch.accepted.length - result.refRejects.length,
        rejected: rejects.length, ...sum, committedRows: batch.lastRow,
      });
      if (!ok) throw new ImportConflictError(`import ${importId} was advanced by another runner`);
      const newTotals = addCounts(totals, result.counts);
      await db.query(`UPDATE imports SET report = report || jsonb_build_object('entities', $2::jsonb, 'bytesRead', $3::bigint) WHERE id = $1`, [importId, JSON.stringify(newTotals), batch.bytesRead]);
      totals = newTotals;
      return { rejectedRows: rejects.length, sawExisting: sum.updated + sum.unchanged > 0 };
    }).catch((e: unknown) => {
      refs.clear(); // ids learned inside the rolled-back transaction may not exist
      throw e;
    });
    setupDone = true;
    if (sawExisting) expectNewKeys = false;
    committed = batch.lastRow;
    batchNo++;
    rowsRead += batch.accepted.length + batch.rejected.length;
    rowsRejected += rejectedRows;
    deps.onProgress?.({ importId, bytesRead: batch.bytesRead, byteSize: imp.byteSize, rowsRead, rowsRejected });
    await deps.afterBatch?.(batchNo);
  };

  // The first batch of a run is written alone: it decides about the indexes and writes the plan's
  // setup rows, which later batches may refer to (they could not see them before it commits).
  const batches = new OrderedBatches();
  const parallel = deps.parallelBatches ?? 2;
  /** Hands the records gathered so far to the database as one batch; reading goes on meanwhile. */
  const submitBatch = async (): Promise<void> => {
    if (accepted.length === 0 && rejected.length === 0 && setupDone) return;
    const batch: PendingBatch = { accepted, rejected, lastRow, bytesRead, rowCount };
    accepted = [];
    rejected = [];
    rowCount = 0;
    await batches.submit(setupDone ? parallel : 1, (turn) => writeInTurn(batch, turn));
  };

  try {
    const source = counted(deps.files.open(imp.fileKey), (n) => (bytesRead += n));
    for await (const chunk of readRecords(source, imp.format, deps.limits ?? DEFAULT_READER_LIMITS)) {
      validator.header(chunk.columns);
      for (const record of chunk.records) {
        const v = validator.validate(record);
        if (record.row <= committed) continue; // committed by an earlier run: replayed only for the key set
        lastRow = record.row;
        if ('accepted' in v) {
          accepted.push(v.accepted);
          rowCount += v.accepted.rows.length;
        } else rejected.push({ row: v.rejected.row, raw: v.rejected.raw, issues: v.rejected.issues });
        if (accepted.length + rejected.length >= batchRecords || rowCount >= batchRows) await submitBatch();
      }
    }
    await submitBatch();
    await batches.drain();
  } catch (e) {
    // A failed batch is the error to report (the job retries and resumes), before a file error read later.
    const failed = await batches.settle();
    // Indexes suspended for this load come back now; should that fail too, the retry restores them.
    await restoreSecondaryIndexes(deps.pool, plan.entities).catch(() => undefined);
    if (failed) throw failed.error;
    if (!(e instanceof ImportFileError)) throw e; // transient or a crash: the job retries and resumes
    await withTenant(deps.pool, tenant, (db) => finishImport(db, importId, 'failed', { entities: totals, durationMs: Date.now() - started }, e.message, deps.now()));
    return (await withTenant(deps.pool, tenant, (db) => getImport(db, importId)))!;
  }
  await restoreSecondaryIndexes(deps.pool, plan.entities);
  await withTenant(deps.pool, tenant, (db) =>
    finishImport(db, importId, 'succeeded', { entities: totals, durationMs: Date.now() - started, batches: batchNo, bytesRead }, null, deps.now()));
  await refreshSupplyStatistics(deps.pool);
  return (await withTenant(deps.pool, tenant, (db) => getImport(db, importId)))!;
}

/** The records of one batch as the reader handed them over, with where the file stood then. */
interface PendingBatch {
  readonly accepted: readonly AcceptedRecord[];
  readonly rejected: readonly RejectInput[];
  readonly lastRow: number;
  readonly bytesRead: number;
  readonly rowCount: number;
}

function addCounts(totals: EntityTotals, counts: EntityTotals): EntityTotals {
  const out: EntityTotals = { ...totals };
  for (const [e, c] of Object.entries(counts)) {
    const t = out[e] ?? { inserted: 0, updated: 0, unchanged: 0 };
    out[e] = { inserted: t.inserted + c.inserted, updated: t.updated + c.updated, unchanged: t.unchanged + c.unchanged };
  }
  return out;
}

async function writeSetupRows(db: TenantClient, rows: readonly ValidRow[], ctx: WriteContext): Promise<void> {
  for (const r of rows) await writeEntityRows(db, r.entity, [{ row: r.row, present: r.present }], ctx);
}

/**
 * Writes one batch entity by entity (parents first). Before each entity, the natural keys its rows
 * refer to are resolved; a record with a reference that does not exist is rejected with the column
 * and key, and none of its rows of that entity is written.
 */
async function writeBatch(db: TenantClient, entities: readonly ImportEntity[], records: readonly AcceptedRecord[], ctx: WriteContext) {
  const counts: Record<string, UpsertCounts> = {};
  const refRejects: RejectInput[] = [];
  const dropped = new Set<AcceptedRecord>();
  for (const entity of entities) {
    const schema = schemaOf(entity);
    const mine: { r: AcceptedRecord; rows: readonly ValidRow[] }[] = [];
    for (const r of records) {
      if (dropped.has(r)) continue;
      // A plain entity import maps each record to one row of that entity: keep its array as it is.
      const rows = r.rows.length === 1 && r.rows[0]!.entity === entity ? r.rows : r.rows.filter((x) => x.entity === entity);
      if (rows.length > 0) mine.push({ r, rows });
    }
    for (const ref of schema.refs) {
      const keys = new Set<string>();
      for (const m of mine) for (const x of m.rows) for (const k of (ref.keys as (row: unknown) => readonly string[])(x.row)) keys.add(k);
      if (keys.size > 0) await ctx.refs.load(db, ref.entity, keys);
    }
    const rows: { row: ValidRow['row']; present: ValidRow['present'] }[] = [];
    for (const m of mine) {
      const issues = [];
      for (const ref of schema.refs) {
        for (const x of m.rows) {
          for (const k of (ref.keys as (row: unknown) => readonly string[])(x.row)) {
            if (ctx.refs.id(ref.entity, k) === undefined) issues.push({ column: ref.column, reason: `no ${REFERENCE_LABEL[ref.entity]} ${JSON.stringify(k)} exists (import it first)` });
          }
        }
      }
      if (issues.length > 0) {
        dropped.add(m.r);
        refRejects.push({ row: m.r.row, raw: m.r.raw, issues });
      } else for (const x of m.rows) rows.push({ row: x.row, present: x.present });
    }
    counts[entity] = await writeEntityRows(db, entity, rows as never, ctx);
  }
  return { counts, refRejects };
}
