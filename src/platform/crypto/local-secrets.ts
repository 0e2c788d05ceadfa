import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Secrets for the zero-set-up embedded default, generated once and kept in `<dataDir>/secrets.json`
 * (mode 0600). With an external database every secret comes from the environment instead, because
 * instances behind a load balancer must share them.
 */
export interface LocalSecrets {
  readonly postgresPassword: string;
  readonly appDbPassword: string;
  readonly apiKeyPepper: string;
  /** PKCS#8 PEM of an Ed25519 private key. */
  readonly auditSigningKey: string;
  readonly demoPassword: string;
}

const token = (bytes: number): string => randomBytes(bytes).toString('base64url');

export async function loadOrCreateLocalSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as LocalSecrets;
  await mkdir(dataDir, { recursive: true });
  const secrets: LocalSecrets = {
    postgresPassword: token(24),
    appDbPassword: token(24),
    apiKeyPepper: token(32),
    auditSigningKey: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    demoPassword: `${token(9)}-Demo1`,
  };
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
