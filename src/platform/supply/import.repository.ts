import type { ImportFormat, ImportType, RowIssue } from '../../supply/import/index.js';
import type { TenantClient } from '../db/with-tenant.js';

/** PostgreSQL text cannot hold NUL: a hostile file's raw bytes are kept with NUL shown as U+FFFD. */
const storable = <T extends string | null>(s: T): T => (s === null ? s : (s.replace(/\u0000/g, '\ufffd') as T));

export type ImportStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface ImportRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly type: ImportType;
  readonly format: ImportFormat;
  readonly fileName: string | null;
  readonly fileKey: string;
  readonly byteSize: number;
  readonly contentSha256: string;
  readonly status: ImportStatus;
  readonly rowsRead: number;
  readonly rowsAccepted: number;
  readonly rowsRejected: number;
  readonly rowsInserted: number;
  readonly rowsUpdated: number;
  readonly rowsUnchanged: number;
  readonly batchesCommitted: number;
  readonly committedRows: number;
  readonly report: Record<string, unknown>;
  readonly error: string | null;
  readonly createdBy: string | null;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly updatedAt: Date;
}

const COLUMNS = `id, tenant_id, entity, format, file_name, file_key, byte_size, content_sha256, status, rows_read, rows_accepted, rows_rejected,
  rows_inserted, rows_updated, rows_unchanged, batches_committed, committed_rows, report, error, created_by, created_at, started_at, finished_at, updated_at`;

export function importFromRow(r: Record<string, unknown>): ImportRecord {
  return {
    id: r.id as string, tenantId: r.tenant_id as string, type: r.entity as ImportType, format: r.format as ImportFormat,
    fileName: r.file_name as string | null, fileKey: r.file_key as string, byteSize: Number(r.byte_size), contentSha256: r.content_sha256 as string,
    status: r.status as ImportStatus, rowsRead: r.rows_read as number, rowsAccepted: r.rows_accepted as number, rowsRejected: r.rows_rejected as number,
    rowsInserted: r.rows_inserted as number, rowsUpdated: r.rows_updated as number, rowsUnchanged: r.rows_unchanged as number,
    batchesCommitted: r.batches_committed as number, committedRows: r.committed_rows as number, report: r.report as Record<string, unknown>,
    error: r.error as string | null, createdBy: r.created_by as string | null, createdAt: r.created_at as Date, startedAt: r.started_at as Date | null,
    finishedAt: r.finished_at as Date | null, updatedAt: r.updated_at as Date,
  };
}

export interface NewImport {
  readonly type: ImportType;
  readonly format: ImportFormat;
  readonly fileName: string | null;
  readonly fileKey: string;
  readonly byteSize: number;
  readonly contentSha256: string;
  readonly createdBy: string | null;
}

export async function createImport(db: TenantClient, tenantId: string, n: NewImport): Promise<ImportRecord> {
  const { rows } = await db.query(
    `INSERT INTO imports (tenant_id, entity, format, file_name, file_key, byte_size, content_sha256, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
    [tenantId, n.type, n.format, n.fileName, n.fileKey, n.byteSize, n.contentSha256, n.createdBy],
  );
  return importFromRow(rows[0] as Record<string, unknown>);
}

/** The latest import of the same content and type that did not fail (queued, running or done). */
export async function findImportOfContent(db: TenantClient, type: ImportType, sha256: string): Promise<ImportRecord | undefined> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM imports WHERE entity = $1 AND content_sha256 = $2 AND status <> 'failed' ORDER BY created_at DESC LIMIT 1`,
    [type, sha256],
  );
  return rows[0] ? importFromRow(rows[0] as Record<string, unknown>) : undefined;
}

export async function getImport(db: TenantClient, id: string, forUpdate = false): Promise<ImportRecord | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM imports WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? importFromRow(rows[0] as Record<string, unknown>) : undefined;
}

export async function listImports(db: TenantClient, opts: { limit: number; before?: { createdAt: Date; id: string } | undefined; status?: ImportStatus | undefined; type?: ImportType | undefined }): Promise<ImportRecord[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (opts.status) where.push(`status = $${params.push(opts.status)}`);
  if (opts.type) where.push(`entity = $${params.push(opts.type)}`);
  if (opts.before) where.push(`(created_at, id) < ($${params.push(opts.before.createdAt)}, $${params.push(opts.before.id)})`);
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM imports ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT $${params.push(opts.limit)}`,
    params,
  );
  return rows.map((r) => importFromRow(r as Record<string, unknown>));
}

export interface BatchProgress {
  readonly read: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly committedRows: number;
}

/**
 * Adds one batch's counts and moves `committed_rows` forward, but only from the value the runner
 * started the batch at: a second runner working the same import (a retried job overlapping a slow
 * one) finds the row moved and its whole batch rolls back instead of double-counting.
 */
export async function commitBatchProgress(db: TenantClient, id: string, expectedCommittedRows: number, p: BatchProgress): Promise<boolean> {
  const r = await db.query(
    `UPDATE imports SET rows_read = rows_read + $3, rows_accepted = rows_accepted + $4, rows_rejected = rows_rejected + $5,
       rows_inserted = rows_inserted + $6, rows_updated = rows_updated + $7, rows_unchanged = rows_unchanged + $8,
       batches_committed = batches_committed + 1, committed_rows = $9, updated_at = now()
     WHERE id = $1 AND committed_rows = $2 AND status = 'running'`,
    [id, expectedCommittedRows, p.read, p.accepted, p.rejected, p.inserted, p.updated, p.unchanged, p.committedRows],
  );
  return r.rowCount === 1;
}

export async function markImportRunning(db: TenantClient, id: string, now: Date): Promise<void> {
  await db.query(`UPDATE imports SET status = 'running', started_at = coalesce(started_at, $2), error = NULL, updated_at = $2 WHERE id = $1`, [id, now]);
}

export async function finishImport(db: TenantClient, id: string, status: 'succeeded' | 'failed', report: Record<string, unknown>, error: string | null, now: Date): Promise<void> {
  await db.query(
    `UPDATE imports SET status = $2, report = report || $3::jsonb, error = $4, finished_at = $5, updated_at = $5 WHERE id = $1`,
    [id, status, JSON.stringify(report).replace(/\\u0000/g, '\\ufffd'), storable(error), now],
  );
}

export interface RejectInput {
  readonly row: number;
  readonly raw: string;
  readonly issues: readonly RowIssue[];
}

/** Stores a batch's rejects, one row per reason; a replayed batch (resume) does not duplicate them. */
export async function insertRejects(db: TenantClient, tenantId: string, importId: string, rejects: readonly RejectInput[]): Promise<void> {
  if (rejects.length === 0) return;
  const rows: number[] = [];
  const ordinals: number[] = [];
  const columns: (string | null)[] = [];
  const reasons: string[] = [];
  const raws: (string | null)[] = [];
  for (const r of rejects) {
    r.issues.forEach((i, n) => {
      rows.push(r.row);
      ordinals.push(n);
      columns.push(i.column === null ? null : storable(i.column));
      reasons.push(storable(i.reason));
      raws.push(n === 0 ? storable(r.raw) : null);
    });
  }
  await db.query(
    `INSERT INTO import_rejects (tenant_id, import_id, row_number, ordinal, column_name, reason, raw)
     SELECT $1, $2, * FROM unnest($3::int[], $4::smallint[], $5::text[], $6::text[], $7::text[])
     ON CONFLICT (tenant_id, import_id, row_number, ordinal) DO NOTHING`,
    [tenantId, importId, rows, ordinals, columns, reasons, raws],
  );
}

export interface RejectView {
  readonly row: number;
  readonly ordinal: number;
  readonly column: string | null;
  readonly reason: string;
  readonly raw: string | null;
}

/** One page of an import's rejects in row order (keyset on row, ordinal). */
export async function listRejects(db: TenantClient, importId: string, after: { row: number; ordinal: number } | undefined, limit: number): Promise<RejectView[]> {
  const params: unknown[] = [importId];
  const cond = after ? `AND (row_number, ordinal) > ($${params.push(after.row)}, $${params.push(after.ordinal)})` : '';
  const { rows } = await db.query<{ row_number: number; ordinal: number; column_name: string | null; reason: string; raw: string | null }>(
    `SELECT row_number, ordinal, column_name, reason, raw FROM import_rejects WHERE import_id = $1 ${cond}
     ORDER BY row_number, ordinal LIMIT $${params.push(limit)}`,
    params,
  );
  return rows.map((r) => ({ row: r.row_number, ordinal: r.ordinal, column: r.column_name, reason: r.reason, raw: r.raw }));
}
