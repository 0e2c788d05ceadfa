import { createPrivateKey, createPublicKey, createHash, sign, verify, type KeyObject } from 'node:crypto';
import type { Pool } from '../db/pool.js';
import { withTenant } from '../db/with-tenant.js';
import { canonicalJson } from './canonical-json.js';

/** The Ed25519 key that signs checkpoints, and a short id of its public half (stored per checkpoint). */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
}

/** Accepts a PKCS#8 PEM, or the same PEM base64-encoded on one line (easier in env files). */
export function loadSigningKey(material: string): SigningKey {
  const pem = material.includes('BEGIN') ? material : Buffer.from(material, 'base64').toString('utf8');
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('AUDIT_SIGNING_KEY must be an Ed25519 private key');
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, keyId: createHash('sha256').update(der).digest('hex').slice(0, 16) };
}

export interface CheckpointBody {
  readonly tenantId: string;
  readonly seq: number;
  readonly headHash: string;
  readonly signedAt: string;
  readonly keyId: string;
}

const message = (b: CheckpointBody): Buffer => Buffer.from(canonicalJson(b));

export const signCheckpoint = (key: SigningKey, body: CheckpointBody): string =>
  sign(null, message(body), key.privateKey).toString('base64');

export const checkpointSignatureValid = (publicKey: KeyObject, body: CheckpointBody, signature: string): boolean =>
  verify(null, message(body), publicKey, Buffer.from(signature, 'base64'));

/**
 * Signs the current head of every tenant's chain that moved since its last checkpoint. Run on a
 * schedule: an attacker who rewrites history after a checkpoint must also forge an Ed25519 signature.
 */
export async function writeCheckpoints(pool: Pool, key: SigningKey, now: Date): Promise<number> {
  const { rows } = await pool.query<{ t: string }>('SELECT skyguard_private.audit_tenants() AS t');
  let written = 0;
  for (const { t: tenantId } of rows) {
    written += await withTenant(pool, { tenantId }, async (db) => {
      const head = await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_chain_heads WHERE tenant_id = $1', [tenantId]);
      const last = await db.query<{ seq: number }>('SELECT max(seq) AS seq FROM audit_checkpoints WHERE tenant_id = $1', [tenantId]);
      const h = head.rows[0];
      if (!h || h.seq === 0 || (last.rows[0]?.seq ?? 0) >= h.seq) return 0;
      const body: CheckpointBody = { tenantId, seq: h.seq, headHash: h.hash, signedAt: now.toISOString(), keyId: key.keyId };
      await db.query(
        'INSERT INTO audit_checkpoints (tenant_id, seq, head_hash, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6)',
        [tenantId, h.seq, h.hash, body.signedAt, key.keyId, signCheckpoint(key, body)],
      );
      return 1;
    });
  }
  return written;
}
