import { badRequest } from '../../shared/app-error.js';
import type { RafSeries } from './demand-profile.model.js';
import { dayOf, generateAircraft, generateAircraftTypes, generateLocations, generateRiskEvents, generateSuppliers, isoDay } from './demo-network.generator.js';
import { generatePartBundle, type PartContext } from './demo-parts.generator.js';
import type {
  AircraftTypeRow, DeliveryRow, DemandRow, DemoPartBundle, FleetAircraftRow, LocationRow, OfferRow, PartRow, RiskEventRow, StockRow,
  SupplierRow,
} from './demo-rows.js';

export interface DemoOptions {
  readonly parts: number;
  readonly suppliers: number;
  readonly seed?: number;
  /** Months of demand and delivery history before `asOf`. */
  readonly months?: number;
  /**
   * The generator's "today" (`YYYY-MM-DD`); history ends with the month before it. A fixed default
   * keeps output a pure function of the options; the CLI passes the real date.
   */
  readonly asOf?: string;
  /** Real RAF series to resample demand from; absent → the fitted model. */
  readonly raf?: readonly RafSeries[];
}

export const DEMO_LIMITS = { parts: [1, 500_000], suppliers: [1, 15_000], months: [1, 120] } as const;
export const DEFAULT_AS_OF = '2026-11-01';
export const DEFAULT_MONTHS = 36;

export interface DemoDataset {
  readonly seed: number;
  readonly parts: number;
  readonly suppliers: number;
  readonly asOf: string;
  readonly periods: readonly string[];
  readonly demandSource: 'fitted' | 'resampled';
  locations(): Iterable<LocationRow>;
  aircraftTypes(): Iterable<AircraftTypeRow>;
  aircraft(): Iterable<FleetAircraftRow>;
  suppliersRows(): Iterable<SupplierRow>;
  riskEvents(): Iterable<RiskEventRow>;
  /** One bundle per part, generated on the fly (nothing is held between parts). */
  partBundles(from?: number, to?: number): Iterable<DemoPartBundle>;
  partRows(): Iterable<PartRow>;
  stockRows(): Iterable<StockRow>;
  offerRows(): Iterable<OfferRow>;
  demandRows(): Iterable<DemandRow>;
  deliveryRows(): Iterable<DeliveryRow>;
}

function checkInt(name: keyof typeof DEMO_LIMITS, value: number): void {
  const [lo, hi] = DEMO_LIMITS[name];
  if (!Number.isInteger(value) || value < lo || value > hi) {
    throw badRequest('VALIDATION_FAILED', `${name} must be an integer from ${lo} to ${hi}`, { field: name, rule: 'range' });
  }
}

/**
 * A deterministic demo data set: every row is a pure function of (options, entity, index), so the
 * same options give byte-identical output and a 500,000-part set streams in constant memory.
 */
export function createDemoDataset(options: DemoOptions): DemoDataset {
  checkInt('parts', options.parts);
  checkInt('suppliers', options.suppliers);
  const months = options.months ?? DEFAULT_MONTHS;
  checkInt('months', months);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw badRequest('VALIDATION_FAILED', 'seed must be an integer from 0 to 4294967295', { field: 'seed', rule: 'range' });
  }
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(dayOf(asOf))) {
    throw badRequest('VALIDATION_FAILED', 'asOf must be a date YYYY-MM-DD', { field: 'asOf', rule: 'date' });
  }
  const asOfDay = dayOf(asOf);
  const [y, m] = asOf.split('-').map(Number) as [number, number];
  const periods: string[] = [];
  const periodStartDays: number[] = [];
  for (let k = months; k >= 1; k--) {
    const d = new Date(Date.UTC(y, m - 1 - k, 1));
    periods.push(d.toISOString().slice(0, 10));
    periodStartDays.push(dayOf(d.toISOString()));
  }
  const raf = options.raf && options.raf.length > 0 ? options.raf : undefined;
  const ctx: PartContext = { seed, suppliers: options.suppliers, periods, periodStartDays, asOfDay, raf };
  const { parts, suppliers } = options;

  function* partBundles(from = 1, to = parts): Generator<DemoPartBundle> {
    for (let i = Math.max(1, from); i <= Math.min(parts, to); i++) yield generatePartBundle(ctx, i);
  }
  function* flat<T>(pick: (b: DemoPartBundle) => readonly T[]): Generator<T> {
    for (const b of partBundles()) yield* pick(b);
  }
  return {
    seed, parts, suppliers, asOf: isoDay(asOfDay), periods, demandSource: raf ? 'resampled' : 'fitted',
    locations: generateLocations,
    aircraftTypes: generateAircraftTypes,
    aircraft: () => generateAircraft(seed, parts, asOfDay),
    suppliersRows: () => generateSuppliers(seed, suppliers),
    riskEvents: () => generateRiskEvents(seed, suppliers, asOfDay),
    partBundles,
    *partRows() {
      for (const b of partBundles()) yield b.part;
    },
    stockRows: () => flat((b) => b.stock),
    offerRows: () => flat((b) => b.offers),
    demandRows: () => flat((b) => b.demand),
    deliveryRows: () => flat((b) => b.deliveries),
  };
}
