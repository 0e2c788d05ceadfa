import type { ImportEntity } from '../../supply/import/index.js';
import type { Pool } from '../db/pool.js';

/** The tables a load of each entity writes whose secondary indexes it may suspend (migration 0012's list). */
const BULK_INDEX_TABLES: Partial<Record<ImportEntity, readonly string[]>> = {
  parts: ['parts', 'part_aircraft_types'],
  stock: ['stock_levels'],
};

const tablesOf = (entities: readonly ImportEntity[]): string[] => [...new Set(entities.flatMap((e) => BULK_INDEX_TABLES[e] ?? []))];

/**
 * Before a large load: drops the secondary (non-unique) indexes of the tables the entities are
 * written to, when `incomingRows` is at least what the table holds, to build them once afterwards
 * (see migration 0012 for the figures and the rule). Each table is its own short transaction: the
 * drop needs a moment's exclusive lock, which a batch transaction must not hold.
 */
export async function suspendSecondaryIndexes(pool: Pool, entities: readonly ImportEntity[], incomingRows: number): Promise<void> {
  for (const table of tablesOf(entities)) {
    await pool.query('SELECT skyguard_private.suspend_secondary_indexes($1::regclass, $2)', [table, Math.round(incomingRows)]);
  }
}

/** Index builds at once after a load: one per core of the database machine this targets (2). */
const PARALLEL_BUILDS = 2;

/**
 * After a load (or a failed one): recreates whatever indexes of these tables are suspended; a no-op
 * otherwise. Each build runs in one backend, so the indexes are built `PARALLEL_BUILDS` at a time on
 * their own connections, longest (trigram) first: at 500k parts the six of parts alone are ~10 s of
 * backend CPU in one backend. The first failure is reported once every build has settled; an index
 * whose build failed stays suspended, so the retry (or the runner's start-up sweep) builds it again.
 */
export async function restoreSecondaryIndexes(pool: Pool, entities: readonly ImportEntity[]): Promise<void> {
  const names: string[] = [];
  for (const table of tablesOf(entities)) {
    const { rows } = await pool.query<{ name: string }>('SELECT skyguard_private.suspended_index_names($1::regclass) AS name', [table]);
    names.push(...rows.map((r) => r.name));
  }
  let failure: Error | undefined;
  const builder = async (): Promise<void> => {
    for (let name = names.shift(); name !== undefined; name = names.shift()) {
      await pool.query('SELECT skyguard_private.restore_suspended_index($1)', [name]).catch((e: unknown) => void (failure ??= e as Error));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_BUILDS }, builder));
  if (failure) throw failure;
}

/**
 * Recreates every index any import left suspended — one that crashed and was never retried. The job
 * runner calls it at start; an import still loading elsewhere then just maintains its indexes again.
 */
export async function restoreAllSuspendedIndexes(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT coalesce(sum(skyguard_private.restore_secondary_indexes(t)), 0)::int AS n
     FROM (SELECT DISTINCT table_name AS t FROM skyguard_private.suspended_indexes) s`,
  );
  return rows[0]?.n ?? 0;
}
