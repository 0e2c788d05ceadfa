import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Application-level encryption of sensitive fields (supplier contacts): AES-256-GCM with a fresh
 * 96-bit nonce per value, so the database (its backups, its replicas, anyone with SELECT) holds
 * ciphertext only. The associated data binds a ciphertext to its tenant and row: a value copied
 * onto another row or tenant fails to decrypt instead of leaking there.
 *
 * Stored layout: version (1 byte, 0x01) ‖ nonce (12) ‖ tag (16) ‖ ciphertext. `keyId` (stored
 * beside the value) names the key, so a wrong or rotated key is reported as such, not as garbage.
 * `fingerprint` is an HMAC-SHA256 under a separate derived key: equal plaintexts give equal
 * fingerprints, which lets an import skip rewriting an unchanged contact; without the key it
 * reveals only equality.
 */
export interface FieldCipher {
  readonly keyId: string;
  encrypt(plaintext: string, associatedData: string): Buffer;
  decrypt(blob: Buffer, keyId: string, associatedData: string): string;
  fingerprint(plaintext: string, associatedData: string): Buffer;
}

const VERSION = 0x01;

/**
 * `key`: 32 bytes (FIELD_ENCRYPTION_KEY, base64). Without one, a key is derived with HKDF from
 * another deployment secret (`fallbackSecret`, the API-key pepper), so the zero-set-up default
 * works; production should set its own key so the two secrets can be rotated independently.
 */
export function createFieldCipher(key: Buffer | undefined, fallbackSecret: string): FieldCipher {
  const master = key ?? Buffer.from(hkdfSync('sha256', fallbackSecret, 'skyguard', 'field-encryption-key v1', 32));
  if (master.length !== 32) throw new Error('field encryption key must be 32 bytes');
  const encKey = Buffer.from(hkdfSync('sha256', master, '', 'aes-256-gcm v1', 32));
  const macKey = Buffer.from(hkdfSync('sha256', master, '', 'fingerprint v1', 32));
  const keyId = createHash('sha256').update(encKey).digest('hex').slice(0, 16);
  return {
    keyId,
    encrypt(plaintext, aad) {
      const nonce = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', encKey, nonce);
      c.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
      return Buffer.concat([Buffer.from([VERSION]), nonce, c.getAuthTag(), body]);
    },
    decrypt(blob, storedKeyId, aad) {
      if (storedKeyId !== keyId) throw new Error(`encrypted with key ${storedKeyId}, but the configured key is ${keyId}`);
      if (blob.length < 29 || blob[0] !== VERSION) throw new Error('not an encrypted field value');
      const d = createDecipheriv('aes-256-gcm', encKey, blob.subarray(1, 13));
      d.setAAD(Buffer.from(aad, 'utf8'));
      d.setAuthTag(blob.subarray(13, 29));
      return Buffer.concat([d.update(blob.subarray(29)), d.final()]).toString('utf8');
    },
    fingerprint(plaintext, aad) {
      return createHmac('sha256', macKey).update(aad).update('\u0000').update(plaintext).digest();
    },
  };
}

/** Parses FIELD_ENCRYPTION_KEY (base64 or base64url of exactly 32 bytes). */
export function parseFieldKey(text: string): Buffer | undefined {
  const b = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return b.length === 32 ? b : undefined;
}
