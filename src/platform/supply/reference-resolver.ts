import type { ReferencedEntity } from '../../supply/import/index.js';
import type { TenantClient } from '../db/with-tenant.js';

const LOOKUP: Readonly<Record<ReferencedEntity, { table: string; key: string }>> = {
  parts: { table: 'parts', key: 'part_number' },
  locations: { table: 'locations', key: 'code' },
  suppliers: { table: 'suppliers', key: 'code' },
  aircraft_types: { table: 'aircraft_types', key: 'code' },
};

/** Human name of a referenced entity's key, for reject reasons. */
export const REFERENCE_LABEL: Readonly<Record<ReferencedEntity, string>> = {
  parts: 'part with part_number', locations: 'location with code', suppliers: 'supplier with code', aircraft_types: 'aircraft type with code',
};

/**
 * Natural key → id for parts, locations, suppliers and aircraft types of one tenant, cached for the
 * length of one import. Only keys not yet known are looked up (one query per entity per batch, an
 * index probe per key), so a 6M-row demand file costs about one lookup per distinct part. Misses
 * are not cached: a part imported a moment later by another import is found on the next batch. The cache
 * is bounded; past the bound it starts over rather than grow without limit.
 *
 * With two batches in flight, one batch's load may start the cache over while the other is between
 * its load and its writes: each batch therefore resolves through its own view ({@link forBatch}),
 * which keeps every id that batch loaded and shares what it learns with the cache.
 */
export class ReferenceResolver {
  private readonly cache = new Map<ReferencedEntity, Map<string, string>>();
  private size = 0;

  constructor(
    private readonly maxEntries = 2_000_000,
    /** The import-wide cache behind a batch's view. */
    private readonly shared?: ReferenceResolver,
  ) {}

  /** A view for one batch: answers for every key it loaded, whatever the shared cache does meanwhile. */
  forBatch(): ReferenceResolver {
    return new ReferenceResolver(Number.MAX_SAFE_INTEGER, this);
  }

  /** Looks up every key not cached yet; afterwards `id()` answers from memory. */
  async load(db: TenantClient, entity: ReferencedEntity, keys: Iterable<string>): Promise<void> {
    const known = this.map(entity);
    const inShared = this.shared?.map(entity);
    const missing: string[] = [];
    for (const k of keys instanceof Set ? (keys as Set<string>) : new Set(keys)) {
      if (known.has(k)) continue;
      const id = inShared?.get(k);
      if (id === undefined) missing.push(k);
      else known.set(k, id);
    }
    if (missing.length === 0) return;
    if (this.size + missing.length > this.maxEntries) {
      this.cache.clear();
      this.size = 0;
    }
    const { table, key } = LOOKUP[entity];
    const target = this.map(entity);
    for (let i = 0; i < missing.length; i += 50_000) {
      // One index probe per key (a correlated subquery). `key = ANY($1)` and a join against unnest
      // were planned as a scan of the whole table per batch (0.25–0.5 s at 500k parts,
      // 44 times in a 875k-row stock file); the probes take a third of that and do not grow with it.
      const { rows } = await db.query<{ k: string; id: string | null }>(
        `SELECT u.k, (SELECT t.id FROM ${table} t WHERE t.${key} = u.k) AS id FROM unnest($1::text[]) AS u(k)`,
        [missing.slice(i, i + 50_000)],
      );
      for (const r of rows) {
        if (r.id === null) continue;
        target.set(r.k, r.id);
        this.size++;
        this.shared?.remember(entity, r.k, r.id);
      }
    }
  }

  id(entity: ReferencedEntity, key: string): string | undefined {
    return this.cache.get(entity)?.get(key);
  }

  /** Records an id learned elsewhere (a batch's lookup, rows just inserted), saving a lookup. */
  remember(entity: ReferencedEntity, key: string, id: string): void {
    if (this.size >= this.maxEntries) this.clear();
    this.map(entity).set(key, id);
    this.size++;
  }

  /** Forgets everything (after a rolled-back batch, ids it taught may not exist). */
  clear(): void {
    this.cache.clear();
    this.size = 0;
  }

  private map(entity: ReferencedEntity): Map<string, string> {
    let m = this.cache.get(entity);
    if (!m) this.cache.set(entity, (m = new Map<string, string>()));
    return m;
  }
}
