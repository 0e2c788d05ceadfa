import type { TenantClient } from '../db/with-tenant.js';
import { copyChunks, copyValue } from './copy-text.js';

/** One column of a target table as the bulk writer fills it from a typed row. */
export interface StageColumn<R, C> {
  readonly name: string;
  /** The target column's exact type: staged values are cast the same way, so "unchanged" compares equal. */
  readonly type: string;
  readonly value: (row: R, ctx: C) => unknown;
  /**
   * The import fields that provide this column. On update the column is overwritten only when the
   * row provided one of them; undefined = always (natural-key columns, resolved references).
   */
  readonly fields?: readonly string[];
  /** False: not compared to decide whether a row changed (ciphertext; its fingerprint is). */
  readonly compare?: boolean;
  /** Written only with a new row, never updated nor compared (an id made by the writer). */
  readonly insertOnly?: boolean;
}

/** How one entity's rows are upserted into its table by natural key. */
export interface UpsertSpec<R, C> {
  readonly table: string;
  /** Target columns of the natural-key unique constraint, without tenant_id. */
  readonly conflict: readonly string[];
  readonly columns: readonly StageColumn<R, C>[];
  /** Whether the table has updated_at to bump on a real change. */
  readonly updatedAt: boolean;
  /** Columns staged for a follow-up step but not part of the target table. */
  readonly stageOnly?: readonly string[];
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * A statement run inside the insert itself, over the rows just inserted: a data-modifying CTE that
 * reads `ins` (the inserted rows, with the `returning` columns) and `sg_stage`; $1 is the tenant.
 * Children of new rows are written this way without looking their parents up again.
 */
export interface InsertFollowUp {
  readonly returning: readonly string[];
  readonly sql: string;
}

export interface StagedRow<R> {
  readonly row: R;
  readonly present?: ReadonlySet<string> | undefined;
}

export interface UpsertOptions {
  /** Follow-up step in the same transaction; `allNew`: every staged key was inserted just now. */
  readonly after?: (allNew: boolean) => Promise<void>;
  readonly withInserted?: InsertFollowUp;
  /**
   * The caller expects none of the keys to exist yet (a first load): try a plain INSERT, which
   * skips the per-row conflict arbitration, and fall back to the upsert should a key exist.
   */
  readonly expectNewKeys?: boolean;
}

const STAGE = 'sg_stage';

/**
 * Writes rows the COPY way inside the caller's transaction (one batch = one transaction):
 * COPY into a temporary staging table, INSERT … ON CONFLICT DO NOTHING for new keys, then one
 * UPDATE … FROM staging for existing keys whose provided columns actually differ. Rows that match
 * what is stored are not touched (no new tuple, no updated_at bump): importing the same file twice
 * changes nothing. The staging table is dropped at commit. Rows must have distinct natural keys.
 */
export async function bulkUpsert<R, C>(
  db: TenantClient,
  tenantId: string,
  spec: UpsertSpec<R, C>,
  rows: readonly StagedRow<R>[],
  ctx: C,
  { after, withInserted, expectNewKeys = false }: UpsertOptions = {},
): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const cols = spec.columns;
  const bitOf = new Map<string, number>();
  cols.forEach((c, i) => bitOf.set(c.name, i));
  await db.query(`DROP TABLE IF EXISTS ${STAGE}`);
  await db.query(`CREATE TEMP TABLE ${STAGE} (sg_mask bigint NOT NULL, ${cols.map((c) => `${c.name} ${c.type}`).join(', ')}) ON COMMIT DROP`);
  const maskOf = (present: ReadonlySet<string> | undefined): number => {
    let mask = 0;
    cols.forEach((c, i) => {
      if (!present || !c.fields || c.fields.some((f) => present.has(f))) mask += 2 ** i;
    });
    return mask;
  };
  // Rows of one file share their `present` set (see validateRecord), so the mask is computed once per set.
  let lastPresent: ReadonlySet<string> | undefined | null = null;
  let lastMask = '';
  // Rows go straight into chunks of 2,000 (one string each): no per-row string to flatten and join.
  const chunks: string[] = [];
  let chunk = '';
  for (let r = 0; r < rows.length; r++) {
    const { row, present } = rows[r]!;
    if (present !== lastPresent) {
      lastPresent = present;
      lastMask = String(maskOf(present));
    }
    chunk += lastMask;
    for (let i = 0; i < cols.length; i++) chunk += `\t${copyValue(cols[i]!.value(row, ctx))}`;
    chunk += '\n';
    if ((r + 1) % 2000 === 0) {
      chunks.push(chunk);
      chunk = '';
    }
  }
  if (chunk !== '') chunks.push(chunk);
  await copyChunks(db, STAGE, ['sg_mask', ...cols.map((c) => c.name)], chunks);

  const targetCols = cols.filter((c) => !spec.stageOnly?.includes(c.name));
  const names = targetCols.map((c) => c.name);
  // Insert new keys first. When every staged key was new (a first import) the UPDATE below is
  // skipped: it could only compare rows with themselves.
  const insertSql = (onConflict: string): string =>
    `WITH ins AS (INSERT INTO ${spec.table} (tenant_id, ${names.join(', ')}) SELECT $1, ${names.join(', ')} FROM ${STAGE}
       ${onConflict} RETURNING ${withInserted?.returning.join(', ') ?? '1'})
     ${withInserted ? `, follow_up AS (${withInserted.sql})` : ''}
     SELECT count(*)::int AS n FROM ins`;
  const ins = (expectNewKeys ? await insertAllNew(db, insertSql(''), tenantId) : undefined)
    ?? (await db.query<{ n: number }>(insertSql(`ON CONFLICT (tenant_id, ${spec.conflict.join(', ')}) DO NOTHING`), [tenantId])).rows[0]!.n;
  const settable = targetCols.filter((c) => !spec.conflict.includes(c.name) && !c.insertOnly);
  const provided = (c: StageColumn<R, C>): string => `(s.sg_mask & ${2 ** bitOf.get(c.name)!}::bigint) <> 0`;
  const sets = settable.map((c) => (c.fields ? `${c.name} = CASE WHEN ${provided(c)} THEN s.${c.name} ELSE t.${c.name} END` : `${c.name} = s.${c.name}`));
  const changed = settable
    .filter((c) => c.compare !== false)
    .map((c) => (c.fields ? `(${provided(c)} AND t.${c.name} IS DISTINCT FROM s.${c.name})` : `t.${c.name} IS DISTINCT FROM s.${c.name}`));
  let updated = 0;
  if (ins < rows.length && sets.length > 0 && changed.length > 0) {
    // Statistics for the join: without them the planner may hash-join the whole target table. Only
    // this join needs them; a first import (every key new) skips both.
    await db.query(`ANALYZE ${STAGE}`);
    const r = await db.query(
      `UPDATE ${spec.table} t SET ${sets.join(', ')}${spec.updatedAt ? ', updated_at = now()' : ''}
       FROM ${STAGE} s WHERE t.tenant_id = $1 AND ${spec.conflict.map((k) => `t.${k} = s.${k}`).join(' AND ')}
       AND (${changed.join(' OR ')})`,
      [tenantId],
    );
    updated = r.rowCount ?? 0;
  }
  if (after) await after(ins === rows.length);
  return { inserted: ins, updated, unchanged: rows.length - ins - updated };
}

/**
 * Runs the plain INSERT of every staged row under a savepoint. A key that exists already (a
 * re-import, another import meanwhile) fails it with a unique violation: the savepoint undoes the
 * partial insert and the caller upserts instead (undefined). Any other error fails the batch.
 */
async function insertAllNew(db: TenantClient, sql: string, tenantId: string): Promise<number | undefined> {
  await db.query('SAVEPOINT sg_all_new');
  try {
    const n = (await db.query<{ n: number }>(sql, [tenantId])).rows[0]!.n;
    await db.query('RELEASE SAVEPOINT sg_all_new');
    return n;
  } catch (e) {
    if ((e as { code?: unknown }).code !== '23505') throw e;
    await db.query('ROLLBACK TO SAVEPOINT sg_all_new');
    return undefined;
  }
}
