/**
 * An item's demand in the loader's window, encoded as the loader reads it (demand-series.encoding.ts);
 * `null` = the item has no demand row in the window (cached too: it is the common case for new parts).
 */
export type CachedDemand = string | null;

/**
 * The demand series of items between stock-changed re-scores, per tenant. Demand only moves when
 * demand history is written (imports) or when the window slides (month end), while stock events
 * re-score the same items over and over: the incremental loader reads the series from here and only
 * asks PostgreSQL for the items it has not seen. A tenant's entries are valid for one `stamp` — the
 * demand change log's count and newest id (migration 0010) plus the window — and are dropped as soon
 * as the loader presents another one. Bounded: the oldest entries go first beyond `maxItems`.
 */
export class DemandSeriesCache {
  private readonly tenants = new Map<string, { stamp: string; items: Map<string, CachedDemand> }>();
  private size = 0;

  constructor(private readonly maxItems = 200_000) {}

  /** The tenant's entries for this stamp (emptied when the stamp moved on). */
  scope(tenantId: string, stamp: string): DemandScope {
    let t = this.tenants.get(tenantId);
    if (!t || t.stamp !== stamp) {
      this.size -= t?.items.size ?? 0;
      t = { stamp, items: new Map() };
      this.tenants.set(tenantId, t);
    }
    const items = t.items;
    return {
      get: (key) => items.get(key),
      set: (key, series) => {
        if (!items.has(key)) this.size++;
        items.set(key, series);
        this.evict();
      },
    };
  }

  /** Entries held across tenants. */
  get entries(): number {
    return this.size;
  }

  private evict(): void {
    for (const t of this.tenants.values()) {
      for (const key of t.items.keys()) {
        if (this.size <= this.maxItems) return;
        t.items.delete(key);
        this.size--;
      }
    }
  }
}

/** One tenant's cached series for one stamp, keyed `part/location`. `undefined` = not cached. */
export interface DemandScope {
  get(key: string): CachedDemand | undefined;
  set(key: string, series: CachedDemand): void;
}
