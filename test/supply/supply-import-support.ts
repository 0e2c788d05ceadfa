import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createTenant, type Tenant } from '../../src/platform/accounts/tenant-admin.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import { createFieldCipher } from '../../src/platform/crypto/field-cipher.js';
import { ImportFileStore } from '../../src/platform/supply/import-file.store.js';
import { createImport, getImport, listRejects, type ImportRecord, type RejectView } from '../../src/platform/supply/import.repository.js';
import { runImport, type ImportRunnerDeps } from '../../src/platform/supply/import.runner.js';
import type { ImportFormat, ImportType } from '../../src/supply/import/index.js';

export interface ImportHarness {
  readonly db: TestDatabase;
  readonly tenant: Tenant;
  readonly deps: ImportRunnerDeps;
  /** Stores `text` as a file, creates the import and runs it to the end (or until `afterBatch` throws). */
  importText(type: ImportType, format: ImportFormat, text: string | Buffer, extra?: Partial<ImportRunnerDeps>, tenant?: Tenant): Promise<{ imp: ImportRecord; rejects: RejectView[] }>;
  /** Creates the import without running it. */
  createFrom(type: ImportType, format: ImportFormat, text: string | Buffer, tenant?: Tenant): Promise<ImportRecord>;
  run(id: string, extra?: Partial<ImportRunnerDeps>, tenant?: Tenant): Promise<{ imp: ImportRecord; rejects: RejectView[] }>;
  state(id: string, tenant?: Tenant): Promise<{ imp: ImportRecord; rejects: RejectView[] }>;
  query<T>(sql: string, params?: unknown[], tenant?: Tenant): Promise<T[]>;
  close(): Promise<void>;
}

export async function startImportHarness(slug = 'supply-import'): Promise<ImportHarness> {
  const db = await createTestDatabase();
  const tenant = await createTenant(db.ownerPool, slug, 'Supply import');
  const dir = await mkdtemp(join(tmpdir(), 'skyguard-imports-'));
  const files = new ImportFileStore(dir);
  const deps: ImportRunnerDeps = { pool: db.appPool, files, cipher: createFieldCipher(undefined, 'test-pepper-for-field-keys-000000'), now: () => new Date() };
  const state = async (id: string, t = tenant) =>
    withTenant(db.appPool, { tenantId: t.id }, async (c) => ({ imp: (await getImport(c, id))!, rejects: await listRejects(c, id, undefined, 10_000) }));
  const createFrom = async (type: ImportType, format: ImportFormat, text: string | Buffer, t = tenant) => {
    const stored = await files.save(t.id, Readable.from([Buffer.from(text)]), 1 << 30);
    return withTenant(db.appPool, { tenantId: t.id }, (c) =>
      createImport(c, t.id, { type, format, fileName: `test.${format}`, fileKey: stored.key, byteSize: stored.byteSize, contentSha256: stored.sha256, createdBy: 'test' }));
  };
  const run = async (id: string, extra: Partial<ImportRunnerDeps> = {}, t = tenant) => {
    await runImport({ ...deps, ...extra }, t.id, id);
    return state(id, t);
  };
  return {
    db, tenant, deps, createFrom, run, state,
    async importText(type, format, text, extra = {}, t = tenant) {
      const imp = await createFrom(type, format, text, t);
      return run(imp.id, extra, t);
    },
    async query<T>(sql: string, params: unknown[] = [], t = tenant) {
      return withTenant(db.appPool, { tenantId: t.id }, async (c) => (await c.query(sql, params)).rows as T[]);
    },
    async close() {
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
