import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import type { Command } from 'commander';
import type { Config } from '../config/config.js';
import { badRequest } from '../shared/app-error.js';
import { createDemoDataset, parseRafSeries, DEFAULT_MONTHS, type DemoDataset } from '../supply/demo/index.js';
import { bundleRecords, demoImportFiles, PART_ENTITIES, type ImportRecord } from '../supply/demo/demo-import-format.js';
import { csvDataLine } from '../shared/csv.js';
import { schemaOf } from '../supply/import/import-plan.js';
import type { EntityRows, ImportEntity } from '../supply/import/import-types.js';
import { withTenant } from '../platform/db/with-tenant.js';
import type { Pool } from '../platform/db/pool.js';
import { requireTenant } from '../platform/accounts/tenant-admin.js';
import { ReferenceResolver } from '../platform/supply/reference-resolver.js';
import { writeEntityRows } from '../platform/supply/supply.writers.js';
import { refreshSupplyStatistics } from '../platform/supply/supply-statistics.js';
import type { FieldCipher } from '../platform/crypto/field-cipher.js';
import { openRuntime } from './runtime.js';
import { supplyImportServices } from './import.commands.js';

const say = (line: string): void => void process.stderr.write(`${line}\n`);
const BATCH = 5000;

/** Row iterables of the generated set, by entity, in import order (parents first). */
function entityRows(ds: DemoDataset): { entity: ImportEntity; rows: () => Iterable<EntityRows[ImportEntity]> }[] {
  return [
    { entity: 'aircraft_types', rows: () => ds.aircraftTypes() },
    { entity: 'locations', rows: () => ds.locations() },
    { entity: 'fleet', rows: () => ds.aircraft() },
    { entity: 'parts', rows: () => ds.partRows() },
    { entity: 'suppliers', rows: () => ds.suppliersRows() },
    { entity: 'stock', rows: () => ds.stockRows() },
    { entity: 'offers', rows: () => ds.offerRows() },
    { entity: 'demand', rows: () => ds.demandRows() },
    { entity: 'deliveries', rows: () => ds.deliveryRows() },
    { entity: 'risk_events', rows: () => ds.riskEvents() },
  ];
}

/**
 * Writes a generated set straight into a tenant with the importers' bulk writers (upsert by natural
 * key, so running it twice changes nothing), one transaction per batch of 5,000 rows.
 */
export async function writeDemoToTenant(
  pool: Pool, tenantId: string, ds: DemoDataset, cipher: FieldCipher, progress: (entity: string, rows: number) => void = () => undefined,
): Promise<Record<string, number>> {
  const refs = new ReferenceResolver();
  const counts: Record<string, number> = {};
  for (const { entity, rows } of entityRows(ds)) {
    const schema = schemaOf(entity);
    let batch: EntityRows[ImportEntity][] = [];
    let n = 0;
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const current = batch;
      batch = [];
      await withTenant(pool, { tenantId }, async (db) => {
        for (const ref of schema.refs) {
          const keys = new Set<string>();
          for (const r of current) for (const k of (ref.keys)(r)) keys.add(k);
          await refs.load(db, ref.entity, keys);
        }
        await writeEntityRows(db, entity, current.map((row) => ({ row })), { tenantId, refs, cipher });
      });
      n += current.length;
      progress(entity, n);
    };
    for (const row of rows()) {
      batch.push(row);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    counts[entity] = n;
  }
  await refreshSupplyStatistics(pool);
  return counts;
}

/** A buffered file writer for one entity (CSV header from the first record's keys). */
function entityFile(path: string, format: 'ndjson' | 'csv') {
  const out = createWriteStream(path);
  let chunk = '';
  let header: string[] | undefined;
  let rows = 0;
  const flush = async (): Promise<void> => {
    if (chunk.length > 0 && !out.write(chunk)) await once(out, 'drain');
    chunk = '';
  };
  return {
    get rows() {
      return rows;
    },
    async add(r: ImportRecord): Promise<void> {
      if (format === 'ndjson') chunk += `${JSON.stringify(r)}\n`;
      else {
        if (!header) chunk += `${(header = Object.keys(r)).join(',')}\n`;
        chunk += `${csvDataLine(header.map((h) => r[h] ?? null))}\n`;
      }
      rows++;
      if (chunk.length > 1 << 20) await flush();
    },
    async close(): Promise<void> {
      await flush();
      out.end();
      await once(out, 'finish');
    },
  };
}

/**
 * Streams each entity to DIR/<entity>.<format>: the part-derived entities in one pass over the
 * parts (memory stays flat at any size), plus manifest.json with the import order.
 */
export async function writeDemoFiles(ds: DemoDataset, dir: string, format: 'ndjson' | 'csv'): Promise<Record<string, number>> {
  await mkdir(dir, { recursive: true });
  const files = demoImportFiles(ds);
  const writers = new Map(files.map((f) => [f.entity, entityFile(join(dir, `${f.entity}.${format}`), format)]));
  for (const f of files) {
    if ((PART_ENTITIES as readonly string[]).includes(f.entity)) continue;
    for (const r of f.records()) await writers.get(f.entity)!.add(r);
  }
  for (const b of ds.partBundles()) {
    const recs = bundleRecords(b);
    for (const e of PART_ENTITIES) for (const r of recs[e]) await writers.get(e)!.add(r);
  }
  const counts: Record<string, number> = {};
  for (const [entity, w] of writers) {
    await w.close();
    counts[entity] = w.rows;
    say(`  ${entity}: ${w.rows.toLocaleString('en-US')} rows`);
  }
  const order = files.map((f) => f.entity);
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify({
    generator: 'skyguard demo generate', seed: ds.seed, parts: ds.parts, suppliers: ds.suppliers, asOf: ds.asOf, months: ds.periods.length,
    demandSource: ds.demandSource, format, importOrder: order, rows: counts,
    importWith: order.map((e) => `skyguard import ${e} ${e}.${format}`),
  }, null, 2)}\n`);
  return counts;
}

const intOption = (name: string, raw: string): number => {
  if (!/^\d+$/.test(raw)) throw badRequest('VALIDATION_FAILED', `--${name} must be a whole number`, { field: name, rule: 'integer' });
  return Number(raw);
};

export function registerDemoCommands(program: Command, getConfig: () => Config): void {
  const demo = program.command('demo').description('Demo and scale data');
  demo
    .command('generate')
    .description('Generate a realistic, seeded supply data set (demand shaped by the RAF spares series) as import files or into a tenant')
    .option('--parts <n>', 'parts (1–500,000)', '5000')
    .option('--suppliers <n>', 'suppliers (1–15,000)', '150')
    .option('--seed <n>', 'random seed: the same seed gives the same data', '1')
    .option('--months <n>', 'months of demand and delivery history', String(DEFAULT_MONTHS))
    .option('--as-of <date>', "the data set's today, YYYY-MM-DD (default: the first of this month)")
    .option('--raf <file>', 'resample demand from this RAF CSV (raf_spares_monthly_demand.csv) instead of the fitted model')
    .option('--out <dir>', 'write one import file per entity into this directory')
    .option('--format <format>', 'file format with --out: ndjson or csv', 'ndjson')
    .option('--tenant <slug>', 'write straight into this tenant (database from the usual configuration)')
    .action(async (opts: { parts: string; suppliers: string; seed: string; months: string; asOf?: string; raf?: string; out?: string; format: string; tenant?: string }) => {
      if ((opts.out === undefined) === (opts.tenant === undefined)) {
        throw badRequest('VALIDATION_FAILED', 'give exactly one of --out DIR or --tenant SLUG', { field: 'out', rule: 'oneOf' });
      }
      if (opts.format !== 'ndjson' && opts.format !== 'csv') throw badRequest('VALIDATION_FAILED', '--format must be ndjson or csv', { field: 'format', rule: 'enum' });
      const now = new Date();
      const asOf = opts.asOf ?? `${now.toISOString().slice(0, 7)}-01`;
      const raf = opts.raf === undefined ? undefined : parseRafSeries(await readFile(opts.raf, 'utf8'));
      const ds = createDemoDataset({
        parts: intOption('parts', opts.parts), suppliers: intOption('suppliers', opts.suppliers), seed: intOption('seed', opts.seed),
        months: intOption('months', opts.months), asOf, ...(raf ? { raf } : {}),
      });
      const started = performance.now();
      say(`generating ${ds.parts.toLocaleString('en-US')} parts, ${ds.suppliers.toLocaleString('en-US')} suppliers (seed ${ds.seed}, demand ${ds.demandSource}, as of ${ds.asOf})`);
      if (opts.out !== undefined) {
        const dir = resolve(opts.out);
        await writeDemoFiles(ds, dir, opts.format);
        say(`wrote ${dir} in ${((performance.now() - started) / 1000).toFixed(1)} s (import order in manifest.json)`);
        return;
      }
      const rt = await openRuntime(getConfig(), () => undefined);
      try {
        const tenant = await requireTenant(rt.ownerPool, opts.tenant!);
        let last = '';
        const counts = await writeDemoToTenant(rt.appPool, tenant.id, ds, supplyImportServices(rt).cipher, (entity, n) => {
          if (entity !== last) say(`  ${entity}…`);
          last = entity;
          if (n % 100_000 === 0) say(`    ${n.toLocaleString('en-US')}`);
        });
        for (const [e, n] of Object.entries(counts)) say(`  ${e}: ${n.toLocaleString('en-US')} rows`);
        say(`wrote tenant ${tenant.slug} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      } finally {
        await rt.close();
      }
    });
}
