import type { TenantClient } from '../db/with-tenant.js';
import type { SignalChunk } from '../../flight/store/signal-chunk.codec.js';
import type { StoredSignal, StoredSignalFacts } from '../../flight/store/stored-signal.js';

export interface SignalInfo extends StoredSignalFacts {
  readonly signalId: number;
}

const ROWS_PER_INSERT = 100;
const asBuffer = (a: Uint8Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const finiteOrNull = (x: number | null): number | null => (x !== null && Number.isFinite(x) ? x : null);

/**
 * Replaces every stored signal of a flight (delete, then insert) — so a retried decode job converges
 * on the same rows instead of duplicating them. Runs inside the caller's transaction.
 */
export async function replaceSignals(db: TenantClient, tenantId: string, flightId: string, signals: readonly StoredSignal[]): Promise<{ chunks: number }> {
  await db.query('DELETE FROM flight_signals WHERE flight_id = $1', [flightId]);
  let total = 0;
  for (let id = 0; id < signals.length; id++) {
    const s = signals[id]!;
    await db.query(
      `INSERT INTO flight_signals (tenant_id, flight_id, signal_id, name, unit, source, sample_count, t_start, t_end, v_min, v_max, level_counts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [tenantId, flightId, id, s.name, s.unit, s.source, s.samples, s.start, s.end, s.min, s.max, s.levelCounts],
    );
    for (let i = 0; i < s.chunks.length; i += ROWS_PER_INSERT) await insertChunks(db, tenantId, flightId, id, s.chunks.slice(i, i + ROWS_PER_INSERT));
    total += s.chunks.length;
  }
  return { chunks: total };
}

async function insertChunks(db: TenantClient, tenantId: string, flightId: string, signalId: number, chunks: readonly SignalChunk[]): Promise<void> {
  const params: unknown[] = [tenantId, flightId, signalId];
  const values = chunks.map((c) => {
    const at = params.length;
    params.push(c.level, c.seq, c.tStart, c.tEnd, c.n, finiteOrNull(c.vMin), finiteOrNull(c.vMax), c.vFirst, c.vLast, asBuffer(c.t), asBuffer(c.v));
    return `($1, $2, $3, ${Array.from({ length: 11 }, (_, k) => `$${at + k + 1}`).join(', ')})`;
  });
  await db.query(
    `INSERT INTO flight_signal_chunks (tenant_id, flight_id, signal_id, level, seq, t_start, t_end, n, v_min, v_max, v_first, v_last, t, v)
     VALUES ${values.join(', ')}`,
    params,
  );
}

const INFO_COLUMNS = `signal_id AS "signalId", name, unit, source, sample_count AS samples, t_start AS start, t_end AS "end",
  v_min AS min, v_max AS max, level_counts AS "levelCounts"`;

export async function listSignals(db: TenantClient, flightId: string): Promise<SignalInfo[]> {
  const { rows } = await db.query<SignalInfo>(`SELECT ${INFO_COLUMNS} FROM flight_signals WHERE flight_id = $1 ORDER BY signal_id`, [flightId]);
  return rows;
}

export async function findSignals(db: TenantClient, flightId: string, names: readonly string[]): Promise<SignalInfo[]> {
  const { rows } = await db.query<SignalInfo>(`SELECT ${INFO_COLUMNS} FROM flight_signals WHERE flight_id = $1 AND name = ANY($2)`, [flightId, names]);
  return rows;
}

/** The chunks of one level that overlap `[from, to]`, in order (only those are read from disk). */
export async function readChunks(
  db: TenantClient,
  flightId: string,
  signalId: number,
  level: number,
  from: number,
  to: number,
): Promise<{ t: Uint8Array; v: Uint8Array }[]> {
  const { rows } = await db.query<{ t: Buffer; v: Buffer }>(
    `SELECT t, v FROM flight_signal_chunks WHERE flight_id = $1 AND signal_id = $2 AND level = $3 AND t_end >= $4 AND t_start <= $5 ORDER BY seq`,
    [flightId, signalId, level, from, to],
  );
  return rows;
}
