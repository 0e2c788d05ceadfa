import type { RiskEvent, SupplyNode } from '../risk/risk-events.js';
import type { ReliabilityPrior } from '../leadtime/supplier-lead-time.js';
import type { LeadTimeDistribution } from '../leadtime/lead-time-distribution.js';
import type { ScoreParams } from '../risk/risk-score.js';
import type { ForecastMethod } from '../forecast/methods.js';

/**
 * A whole portfolio in structure-of-arrays form. One *item* is a stock-keeping position: a part at a
 * location, with its own demand history and stock. Arrays rather than objects because a portfolio is
 * 500,000 items: typed arrays cost no per-item allocation, can live in SharedArrayBuffers and are
 * read by worker threads without copying. Strings (ids, labels) stay with the caller; the engine only
 * sees indexes.
 *
 * CSR layout: the lines of item i are `[offsets[i], offsets[i + 1])` of the value arrays.
 */
export interface PortfolioItems {
  readonly count: number;
  /** Index into {@link PortfolioSuppliers} of the offer the item is replenished from; −1 = none. */
  readonly supplier: Int32Array;
  /** Quoted lead time of that offer (days); with no supplier, the part's nominal lead time. NaN = unknown. */
  readonly offerMeanDays: Float64Array;
  /** Its spread (days); NaN = not quoted (then {@link PortfolioOptions.defaultSpreadRatio} × mean). */
  readonly offerSdDays: Float64Array;
  readonly onHand: Float64Array;
  readonly reserved: Float64Array;
  readonly onOrderOffsets: Int32Array;
  readonly onOrderQuantity: Float64Array;
  readonly onOrderDueDays: Float64Array;
  /** Monthly demand in time order, oldest first; NaN = missing month, negative = returns (zero demand). */
  readonly demandOffsets: Int32Array;
  readonly demand: Float64Array;
  /** 1 when a shortage grounds aircraft (the part is No-Go for a fleet type). */
  readonly grounds: Uint8Array;
  readonly aircraftPerUnitShort: Float64Array;
  /** Aircraft of the fleet the part grounds; NaN = unknown (no cap). */
  readonly fleetSize: Float64Array;
  /** Index of that fleet (for portfolio caps); −1 = none. */
  readonly fleet: Int32Array;
  readonly aogCostPerDay: Float64Array;
  readonly expediteCost: Float64Array;
}

/** Suppliers: where goods come from (for event matching) and their delivery history (reliability). */
export interface PortfolioSuppliers {
  readonly nodes: readonly SupplyNode[];
  /** Promised / actual delivery dates in epoch days, CSR by supplier. */
  readonly historyOffsets: Int32Array;
  readonly promisedDay: Float64Array;
  readonly actualDay: Float64Array;
}

export interface PortfolioInput {
  /** "Now" in epoch milliseconds: the engine never reads the clock. */
  readonly now: number;
  readonly items: PortfolioItems;
  readonly suppliers: PortfolioSuppliers;
  /** Active and announced events; invalid ones are reported and left out, not fatal. */
  readonly events: readonly RiskEvent[];
}

export interface PortfolioOptions {
  /** Forecasting method for every item (default `auto`, the per-class production choice). */
  readonly forecastMethod?: ForecastMethod;
  readonly scoreParams?: ScoreParams;
  readonly reliabilityPrior?: ReliabilityPrior;
  /** Weather delay distribution (CyPort); absent = the prior in EVENT_DELAY_PRIORS. */
  readonly weather?: LeadTimeDistribution;
  /** Lead time of an item with no offer and no nominal lead time: default 90 ± 45 days (judgement). */
  readonly defaultLeadTime?: { readonly meanDays: number; readonly sdDays: number };
  /** sd / mean for a quote without a spread: default 0.25 (judgement). */
  readonly defaultSpreadRatio?: number;
  readonly daysPerPeriod?: number;
}

/** Bumped whenever the scoring math or its defaults change: stored with every score. */
export const SUPPLY_RISK_ENGINE_VERSION = 'supply-risk/1.2.0';

export const DEFAULT_LEAD_TIME = Object.freeze({ meanDays: 90, sdDays: 45 });
export const DEFAULT_SPREAD_RATIO = 0.25;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const PER_ITEM_COLUMNS = [
  'supplier', 'offerMeanDays', 'offerSdDays', 'onHand', 'reserved', 'grounds', 'aircraftPerUnitShort', 'fleetSize', 'fleet',
  'aogCostPerDay', 'expediteCost',
] as const;

/**
 * Growable builder of {@link PortfolioItems}. `shared` backs the arrays with SharedArrayBuffers so a
 * worker pool can read them without copying.
 */
export class PortfolioItemsBuilder {
  private n = 0;
  private orders = 0;
  private demands = 0;
  private readonly cols: Mutable<PortfolioItems>;

  constructor(
    capacity: number,
    private readonly shared = false,
    demandCapacity = capacity * 36,
  ) {
    const cap = Math.max(1, capacity);
    const f = (len: number): Float64Array => this.f64(len);
    const i = (len: number): Int32Array =>
      shared ? new Int32Array(new SharedArrayBuffer(len * 4)) : new Int32Array(len);
    const u = (len: number): Uint8Array =>
      shared ? new Uint8Array(new SharedArrayBuffer(len)) : new Uint8Array(len);
    this.cols = {
      count: 0,
      supplier: i(cap),
      offerMeanDays: f(cap),
      offerSdDays: f(cap),
      onHand: f(cap),
      reserved: f(cap),
      onOrderOffsets: i(cap + 1),
      onOrderQuantity: f(Math.max(1, cap >> 2)),
      onOrderDueDays: f(Math.max(1, cap >> 2)),
      demandOffsets: i(cap + 1),
      demand: f(Math.max(1, demandCapacity)),
      grounds: u(cap),
      aircraftPerUnitShort: f(cap),
      fleetSize: f(cap),
      fleet: i(cap),
      aogCostPerDay: f(cap),
      expediteCost: f(cap),
    };
  }

  private f64(len: number): Float64Array {
    return this.shared ? new Float64Array(new SharedArrayBuffer(len * 8)) : new Float64Array(len);
  }

  private grow<T extends Float64Array | Int32Array | Uint8Array>(a: T, need: number): T {
    if (need <= a.length) return a;
    const len = Math.max(need, a.length * 2);
    const Ctor = a.constructor as new (b: ArrayBufferLike | number) => T;
    const next = this.shared ? new Ctor(new SharedArrayBuffer(len * a.BYTES_PER_ELEMENT)) : new Ctor(len);
    next.set(a);
    return next;
  }

  /** Every per-item column grows together (they always have the same capacity), checked once per item. */
  private growItems(need: number): void {
    const c = this.cols;
    for (const key of PER_ITEM_COLUMNS)
      (c as unknown as Record<string, Float64Array | Int32Array | Uint8Array>)[key] = this.grow(c[key], need);
    // One more offset than items, for the capacity the items now have (not just `need`).
    c.onOrderOffsets = this.grow(c.onOrderOffsets, c.supplier.length + 1);
    c.demandOffsets = this.grow(c.demandOffsets, c.supplier.length + 1);
  }

  /** Appends one item; returns its index. */
  add(item: {
    supplier: number;
    offerMeanDays: number;
    offerSdDays?: number;
    onHand: number;
    reserved?: number;
    onOrder?: readonly { quantity: number; dueInDays: number }[];
    demand: ArrayLike<number>;
    grounds?: { aircraftPerUnitShort?: number; fleetSize?: number; fleet?: number; aogCostPerDay: number };
    expediteCost?: number;
  }): number {
    const c = this.cols;
    const k = this.n;
    if (k + 1 > c.supplier.length) this.growItems(k + 1);
    c.supplier[k] = item.supplier;
    c.offerMeanDays[k] = item.offerMeanDays;
    c.offerSdDays[k] = item.offerSdDays ?? Number.NaN;
    c.onHand[k] = item.onHand;
    c.reserved[k] = item.reserved ?? 0;
    const lines = item.onOrder ?? [];
    c.onOrderQuantity = this.grow(c.onOrderQuantity, this.orders + lines.length);
    c.onOrderDueDays = this.grow(c.onOrderDueDays, this.orders + lines.length);
    for (const l of lines) {
      c.onOrderQuantity[this.orders] = l.quantity;
      c.onOrderDueDays[this.orders++] = l.dueInDays;
    }
    c.onOrderOffsets[k + 1] = this.orders;
    c.demand = this.grow(c.demand, this.demands + item.demand.length);
    for (let t = 0; t < item.demand.length; t++) c.demand[this.demands++] = item.demand[t]!;
    c.demandOffsets[k + 1] = this.demands;
    const g = item.grounds;
    c.grounds[k] = g ? 1 : 0;
    c.aircraftPerUnitShort[k] = g?.aircraftPerUnitShort ?? 1;
    c.fleetSize[k] = g?.fleetSize ?? Number.NaN;
    c.fleet[k] = g?.fleet ?? -1;
    c.aogCostPerDay[k] = g?.aogCostPerDay ?? 0;
    c.expediteCost[k] = item.expediteCost ?? 0;
    this.n = k + 1;
    return k;
  }

  build(): PortfolioItems {
    return { ...this.cols, count: this.n };
  }
}

/** Suppliers from nodes and per-supplier delivery histories (epoch days). */
export function buildSuppliers(
  list: readonly {
    node: SupplyNode;
    deliveries?: readonly { promisedDay: number; actualDay: number }[];
  }[],
): PortfolioSuppliers {
  const offsets = new Int32Array(list.length + 1);
  let total = 0;
  list.forEach((s, i) => {
    total += s.deliveries?.length ?? 0;
    offsets[i + 1] = total;
  });
  const promisedDay = new Float64Array(total);
  const actualDay = new Float64Array(total);
  let k = 0;
  for (const s of list)
    for (const d of s.deliveries ?? []) {
      promisedDay[k] = d.promisedDay;
      actualDay[k++] = d.actualDay;
    }
  return { nodes: list.map((s) => s.node), historyOffsets: offsets, promisedDay, actualDay };
}
