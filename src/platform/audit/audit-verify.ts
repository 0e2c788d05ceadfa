import type { KeyObject } from 'node:crypto';
import type { Pool } from '../db/pool.js';
import { withTenant } from '../db/with-tenant.js';
import { computeEventHash, eventFromRow } from './audit-chain.js';
import { GENESIS_HASH } from './audit-event.js';
import { checkpointSignatureValid } from './audit-checkpoint.js';

export interface ChainProblem {
  readonly seq: number;
  readonly eventId: string | null;
  readonly reason: string;
}

export interface TenantVerification {
  readonly tenantId: string;
  readonly events: number;
  readonly checkpoints: number;
  readonly ok: boolean;
  /** The first break found, walking the chain from its start. */
  readonly firstProblem: ChainProblem | null;
}

const PAGE = 5000;

/**
 * Recomputes a tenant's chain from genesis: every event's hash over its canonical fields, every link
 * to the previous hash, gap-free sequence numbers, and every signed checkpoint against the chain.
 * Reports the first broken event so an auditor knows where tampering (or corruption) starts.
 */
export async function verifyTenantChain(pool: Pool, tenantId: string, publicKey: KeyObject): Promise<TenantVerification> {
  return withTenant(pool, { tenantId }, async (db) => {
    const checkpoints = (
      await db.query<{ seq: number; head_hash: string; signed_at: Date; key_id: string; signature: string }>(
        'SELECT seq, head_hash, signed_at, key_id, signature FROM audit_checkpoints WHERE tenant_id = $1 ORDER BY seq',
        [tenantId],
      )
    ).rows;
    for (const c of checkpoints) {
      const body = { tenantId, seq: c.seq, headHash: c.head_hash, signedAt: c.signed_at.toISOString(), keyId: c.key_id };
      if (!checkpointSignatureValid(publicKey, body, c.signature)) {
        return { tenantId, events: 0, checkpoints: checkpoints.length, ok: false, firstProblem: { seq: c.seq, eventId: null, reason: 'checkpoint signature invalid' } };
      }
    }
    const checkpointAt = new Map(checkpoints.map((c) => [c.seq, c.head_hash]));
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    let count = 0;
    for (;;) {
      const { rows } = await db.query('SELECT * FROM audit_events WHERE tenant_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3', [tenantId, expectedSeq, PAGE]);
      for (const row of rows) {
        const e = eventFromRow(row as Record<string, unknown>);
        const problem =
          e.seq !== expectedSeq ? `sequence gap: expected ${expectedSeq}, found ${e.seq}`
          : e.prevHash !== prev ? 'link broken: prev_hash does not match the previous event'
          : computeEventHash(e) !== e.hash ? 'content changed: hash does not match the event'
          : checkpointAt.has(e.seq) && checkpointAt.get(e.seq) !== e.hash ? 'differs from the signed checkpoint'
          : null;
        if (problem) return { tenantId, events: count, checkpoints: checkpoints.length, ok: false, firstProblem: { seq: expectedSeq, eventId: e.id, reason: problem } };
        prev = e.hash;
        expectedSeq++;
        count++;
      }
      if (rows.length < PAGE) break;
    }
    const lastCheckpoint = checkpoints.at(-1);
    if (lastCheckpoint && lastCheckpoint.seq > count) {
      return { tenantId, events: count, checkpoints: checkpoints.length, ok: false, firstProblem: { seq: count + 1, eventId: null, reason: `events after ${count} are missing (checkpoint covers ${lastCheckpoint.seq})` } };
    }
    return { tenantId, events: count, checkpoints: checkpoints.length, ok: true, firstProblem: null };
  });
}
