import { createWriteStream } from 'node:fs';
import { join, basename, extname } from 'node:path';
import { once } from 'node:events';
import type { Command } from 'commander';
import type { Config } from '../config/config.js';
import { badRequest } from '../shared/app-error.js';
import { IMPORT_TYPES, isImportFormat, isImportType, type ImportFormat } from '../supply/import/index.js';
import { withTenant } from '../platform/db/with-tenant.js';
import { requireTenant } from '../platform/accounts/tenant-admin.js';
import { appendAuditEvents } from '../platform/audit/audit-chain.js';
import { createFieldCipher, parseFieldKey } from '../platform/crypto/field-cipher.js';
import { ImportFileStore } from '../platform/supply/import-file.store.js';
import { registerImport, type SupplyImportServices } from '../platform/supply/import.service.js';
import { getImport, listRejects, type ImportRecord } from '../platform/supply/import.repository.js';
import { runImport, type ImportProgress } from '../platform/supply/import.runner.js';
import { openRuntime, type Runtime } from './runtime.js';

/**
 * The import services of one process: the file store under the data directory and the field cipher
 * (FIELD_ENCRYPTION_KEY, else a key derived from the API-key pepper). Built here once for the
 * server, the job runner and the CLI, so all three encrypt and find files the same way.
 */
export function supplyImportServices(rt: Pick<Runtime, 'config' | 'apiKeyPepper'>): SupplyImportServices {
  const key = rt.config.fieldEncryptionKey === undefined ? undefined : parseFieldKey(rt.config.fieldEncryptionKey);
  return {
    files: new ImportFileStore(join(rt.config.dataDir, 'imports')),
    cipher: createFieldCipher(key, rt.apiKeyPepper),
    maxBytes: rt.config.importMaxBytes,
  };
}

const say = (line: string): void => void process.stderr.write(`${line}\n`);

/** A one-line progress bar on a terminal; a line every 10 % otherwise (logs, CI). */
function progressReporter(): (p: ImportProgress) => void {
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  return (p) => {
    const share = p.byteSize > 0 ? Math.min(1, p.bytesRead / p.byteSize) : 1;
    const text = `${(share * 100).toFixed(0).padStart(3)}%  ${p.rowsRead.toLocaleString('en')} rows, ${p.rowsRejected.toLocaleString('en')} rejected`;
    if (tty) {
      const width = 30;
      const done = Math.round(share * width);
      process.stderr.write(`\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${text}`);
    } else if (Math.floor(share * 10) > lastDecile) {
      lastDecile = Math.floor(share * 10);
      say(text);
    }
  };
}

function formatFromName(file: string): ImportFormat | undefined {
  const ext = extname(file).slice(1).toLowerCase();
  const f = ext === 'jsonl' ? 'ndjson' : ext;
  return isImportFormat(f) ? f : undefined;
}

function summary(imp: ImportRecord): string {
  const entities = Object.entries((imp.report.entities ?? {}) as Record<string, { inserted: number; updated: number; unchanged: number }>)
    .map(([e, c]) => `  ${e.padEnd(15)} inserted ${c.inserted}, updated ${c.updated}, unchanged ${c.unchanged}`).join('\n');
  return [
    `import ${imp.id}: ${imp.status}${imp.error ? ` — ${imp.error}` : ''}`,
    `  rows read ${imp.rowsRead}, accepted ${imp.rowsAccepted}, rejected ${imp.rowsRejected}`,
    entities,
  ].filter(Boolean).join('\n');
}

export function registerImportCommands(program: Command, getConfig: () => Config): void {
  program
    .command('import <type> <file>')
    .description(`Import a supply data file into a tenant, with a progress bar. TYPE: ${IMPORT_TYPES.join(', ')}`)
    .requiredOption('--tenant <slug>', 'tenant to import into')
    .option('--format <format>', 'csv, json or ndjson (default: from the file extension)')
    .option('--force', 'import even if the same content was imported before')
    .option('--rejects <file>', 'write the rejected rows (row, column, reason, raw) to this CSV file')
    .option('--batch <records>', 'source records per transaction (default 20000)')
    .action(async (type: string, file: string, opts: { tenant: string; format?: string; force?: boolean; rejects?: string; batch?: string }) => {
      const batch = opts.batch === undefined ? undefined : Number(opts.batch);
      if (batch !== undefined && (!Number.isInteger(batch) || batch < 1 || batch > 1_000_000)) {
        throw badRequest('VALIDATION_FAILED', '--batch must be a whole number from 1 to 1000000', { field: 'batch', rule: 'range' });
      }
      if (!isImportType(type)) throw badRequest('VALIDATION_FAILED', `TYPE must be one of ${IMPORT_TYPES.join(', ')}`, { field: 'type', rule: 'enum' });
      const format = opts.format ?? formatFromName(file);
      if (format === undefined || !isImportFormat(format)) throw badRequest('VALIDATION_FAILED', '--format must be csv, json or ndjson (the file extension does not tell)', { field: 'format', rule: 'enum' });
      const rt = await openRuntime(getConfig(), () => undefined);
      try {
        const services = supplyImportServices(rt);
        const tenant = await requireTenant(rt.appPool, opts.tenant);
        const stored = await services.files.saveFile(tenant.id, file, services.maxBytes);
        const now = new Date();
        const { imp, duplicate } = await withTenant(rt.appPool, { tenantId: tenant.id }, async (db) => {
          const r = await registerImport(db, tenant.id, stored, { type, format, fileName: basename(file).slice(0, 200), createdBy: 'cli', force: opts.force === true });
          if (!r.duplicate) {
            await appendAuditEvents(db, tenant.id, [{
              tenantId: tenant.id, occurredAt: now, actorType: 'system', actorLabel: 'cli', action: 'supply.import.created', target: r.imp.id,
              details: { type, format, byteSize: stored.byteSize, sha256: stored.sha256, fileName: r.imp.fileName },
            }]);
          }
          return r;
        });
        if (duplicate && imp.status === 'succeeded') {
          say(`this file was already imported as ${type} (import ${imp.id}); nothing to do (use --force to import it again)`);
          say(summary(imp));
          return;
        }
        if (duplicate) say(`resuming import ${imp.id} (${imp.status}, ${imp.committedRows > 0 ? `committed through row ${imp.committedRows}` : 'nothing committed yet'})`);
        const done = await runImport({ pool: rt.appPool, files: services.files, cipher: services.cipher, now: () => new Date(), onProgress: progressReporter(), ...(batch ? { batchRecords: batch } : {}) }, tenant.id, imp.id);
        if (process.stderr.isTTY) process.stderr.write('\n');
        say(summary(done));
        if (opts.rejects) await writeRejects(rt, tenant.id, done.id, opts.rejects);
        else if (done.rowsRejected > 0) say(`  rejects: skyguard import … --rejects FILE, or GET /v1/imports/${done.id}/rejects`);
        if (done.status === 'failed') process.exitCode = 1;
        const final = await withTenant(rt.appPool, { tenantId: tenant.id }, (db) => getImport(db, done.id));
        console.log(JSON.stringify({ id: final!.id, status: final!.status, rowsAccepted: final!.rowsAccepted, rowsRejected: final!.rowsRejected }));
      } finally {
        await rt.close();
      }
    });
}

async function writeRejects(rt: Runtime, tenantId: string, importId: string, path: string): Promise<void> {
  const out = createWriteStream(path);
  const cell = (v: unknown): string => {
    const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  out.write('row,column,reason,raw\n');
  let after: { row: number; ordinal: number } | undefined;
  for (;;) {
    const page = await withTenant(rt.appPool, { tenantId }, (db) => listRejects(db, importId, after, 5000));
    for (const r of page) if (!out.write(`${[r.row, r.column, r.reason, r.raw].map(cell).join(',')}\n`)) await once(out, 'drain');
    if (page.length < 5000) break;
    after = { row: page.at(-1)!.row, ordinal: page.at(-1)!.ordinal };
  }
  out.end();
  await once(out, 'finish');
  say(`  rejects written to ${path}`);
}
