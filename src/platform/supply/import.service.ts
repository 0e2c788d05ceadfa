import type { ImportFormat, ImportType } from '../../supply/import/index.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Pool } from '../db/pool.js';
import type { TenantClient } from '../db/with-tenant.js';
import type { JobHelpers } from 'graphile-worker';
import type { JobLog, JobSchedule } from '../jobs/job-runner.js';
import type { ImportFileStore, StoredImportFile } from './import-file.store.js';
import { createImport, findImportOfContent, type ImportRecord } from './import.repository.js';
import { ImportConflictError, runImport } from './import.runner.js';

/** What the HTTP layer, the jobs and the CLI share to run imports. */
export interface SupplyImportServices {
  readonly files: ImportFileStore;
  readonly cipher: FieldCipher;
  /** Largest import file accepted (IMPORT_MAX_BYTES). */
  readonly maxBytes: number;
}

export const SUPPLY_IMPORT_TASK = 'supply_import';
/** Retries resume from the last committed batch, so a few are cheap. */
export const SUPPLY_IMPORT_MAX_ATTEMPTS = 5;
export const importJobKey = (importId: string): string => `supply_import:${importId}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Registers a stored file as an import unless the same content was already imported (or is being
 * imported) as the same type: then the earlier import is returned with `duplicate: true` and
 * nothing is queued, since running it again would change nothing. `force` imports it anyway
 * (upserts still leave unchanged rows untouched). Runs inside the caller's transaction, so the
 * caller writes its audit event atomically with the new import.
 */
export async function registerImport(
  db: TenantClient,
  tenantId: string,
  stored: StoredImportFile,
  input: { type: ImportType; format: ImportFormat; fileName: string | null; createdBy: string | null; force: boolean },
): Promise<{ imp: ImportRecord; duplicate: boolean }> {
  if (!input.force) {
    const existing = await findImportOfContent(db, input.type, stored.sha256);
    if (existing) return { imp: existing, duplicate: true };
  }
  const imp = await createImport(db, tenantId, {
    type: input.type, format: input.format, fileName: input.fileName, fileKey: stored.key, byteSize: stored.byteSize,
    contentSha256: stored.sha256, createdBy: input.createdBy,
  });
  return { imp, duplicate: false };
}

/** The `supply_import` background task: runs or resumes one import (payload `{tenantId, importId}`). */
export function supplyImportJobs(deps: {
  appPool: Pool; services: SupplyImportServices; now: () => Date; log: JobLog;
  /** Runs after an import succeeded (the risk engine queues its re-score here). */
  onImported?: (tenantId: string, imp: ImportRecord, startedAt: Date, addJob: JobHelpers['addJob']) => Promise<unknown>;
}): JobSchedule {
  return {
    tasks: {
      [SUPPLY_IMPORT_TASK]: async (payload, helpers) => {
        const { tenantId, importId } = (payload ?? {}) as { tenantId?: unknown; importId?: unknown };
        if (typeof tenantId !== 'string' || typeof importId !== 'string' || !UUID.test(tenantId) || !UUID.test(importId)) {
          deps.log('supply_import: ignoring a job with a bad payload', { payload });
          return;
        }
        try {
          const startedAt = deps.now();
          const done = await runImport({ pool: deps.appPool, files: deps.services.files, cipher: deps.services.cipher, now: deps.now }, tenantId, importId);
          deps.log('supply import finished', { importId, status: done.status, accepted: done.rowsAccepted, rejected: done.rowsRejected });
          if (done.status === 'succeeded') await deps.onImported?.(tenantId, done, startedAt, helpers.addJob);
        } catch (e) {
          if (e instanceof ImportConflictError) return; // another runner owns it
          throw e; // the job retries and resumes after the last committed batch
        }
      },
    },
    cron: [],
  };
}
