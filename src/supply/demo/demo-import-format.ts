import type { ImportEntity } from '../import/import-types.js';
import type { DemoDataset } from './demo.generator.js';
import type {
  AircraftTypeRow, DeliveryRow, DemoPartBundle, DemandRow, FleetAircraftRow, LocationRow, OfferRow, PartRow, RiskEventRow, StockRow, SupplierRow,
} from './demo-rows.js';

/**
 * Generated rows as import records: the column names `skyguard import TYPE FILE` reads (the
 * entity schemas in src/supply/import), in the order an import must follow so every reference
 * resolves (types and locations before fleet, parts and suppliers before stock, offers, demand…).
 */
export type ImportRecord = Readonly<Record<string, string | number | boolean | null | readonly (string | number)[] | Readonly<Record<string, unknown>>>>;

const aircraftType = (r: AircraftTypeRow): ImportRecord => ({
  code: r.code, name: r.name, manufacturer: r.manufacturer, aircraft_class: r.aircraftClass, aog_cost_per_day: r.aogCostPerDay, aog_cost_source: r.aogCostSource,
});
const fleet = (r: FleetAircraftRow): ImportRecord => ({
  registration: r.registration, type_code: r.typeCode, serial_number: r.serialNumber, base_location_code: r.baseLocationCode, status: r.status, in_service_date: r.inServiceDate,
});
const location = (r: LocationRow): ImportRecord => ({
  code: r.code, name: r.name, kind: r.kind, country: r.country, region: r.region, iata_code: r.iataCode, latitude: r.latitude, longitude: r.longitude,
});
const part = (r: PartRow): ImportRecord => ({
  part_number: r.partNumber, description: r.description, category: r.category, criticality: r.criticality, unit_of_measure: r.unitOfMeasure,
  unit_cost: r.unitCost, currency: r.currency, aog_cost: r.aogCost, aog_cost_unit: r.aogCostUnit, aog_cost_source: r.aogCostSource,
  lead_time: r.leadTimeDays, lead_time_unit: 'days', external_ref: r.externalRef, aircraft_types: r.aircraftTypes,
});
const stock = (r: StockRow): ImportRecord => ({
  part_number: r.partNumber, location_code: r.locationCode, on_hand: r.onHand, reserved: r.reserved, on_order: r.onOrder,
  safety_stock: r.safetyStock, reorder_point: r.reorderPoint, min_qty: r.minQty, max_qty: r.maxQty,
});
const supplier = (r: SupplierRow): ImportRecord => ({
  code: r.code, name: r.name, country: r.country, region: r.region, ports_of_origin: r.portsOfOrigin, active: r.active,
  contact_name: r.contact?.name ?? null, contact_email: r.contact?.email ?? null, contact_phone: r.contact?.phone ?? null,
});
const offer = (r: OfferRow): ImportRecord => ({
  supplier_code: r.supplierCode, part_number: r.partNumber, price: r.price, currency: r.currency, moq: r.moq,
  lead_time_mean: r.leadTimeMeanDays, lead_time_sd: r.leadTimeSdDays, lead_time_unit: 'days', preferred: r.preferred,
});
const demand = (r: DemandRow): ImportRecord => ({
  part_number: r.partNumber, location_code: r.locationCode, period: r.period, quantity: r.quantity, returns: r.returns, adjustments: r.adjustments,
});
const delivery = (r: DeliveryRow): ImportRecord => ({
  supplier_code: r.supplierCode, reference: r.reference, part_number: r.partNumber, location_code: r.locationCode, quantity: r.quantity,
  ordered_date: r.orderedDate, promised_date: r.promisedDate, actual_date: r.actualDate,
});
const riskEvent = (r: RiskEventRow): ImportRecord => ({
  source: r.source, source_id: r.sourceId, type: r.type, title: r.title, description: r.description, countries: r.countries, regions: r.regions,
  ports: r.ports, supplier_codes: r.supplierCodes, starts_at: r.startsAt, expected_end_at: r.expectedEndAt, actual_end_at: r.actualEndAt,
  severity: r.severity, probability: r.probability, details: r.details,
});

function* mapped<T>(rows: Iterable<T>, f: (r: T) => ImportRecord): Generator<ImportRecord> {
  for (const r of rows) yield f(r);
}

/** The entities generated per part (written from one pass over the part bundles). */
export const PART_ENTITIES = ['parts', 'stock', 'offers', 'demand', 'deliveries'] as const;

/** One part bundle as import records, by entity. */
export function bundleRecords(b: DemoPartBundle): Record<(typeof PART_ENTITIES)[number], ImportRecord[]> {
  return { parts: [part(b.part)], stock: b.stock.map(stock), offers: b.offers.map(offer), demand: b.demand.map(demand), deliveries: b.deliveries.map(delivery) };
}

/** Entities in import order, each with its records (streamed; nothing is held). */
export function demoImportFiles(ds: DemoDataset): { entity: ImportEntity; records: () => Iterable<ImportRecord> }[] {
  return [
    { entity: 'aircraft_types', records: () => mapped(ds.aircraftTypes(), aircraftType) },
    { entity: 'locations', records: () => mapped(ds.locations(), location) },
    { entity: 'fleet', records: () => mapped(ds.aircraft(), fleet) },
    { entity: 'parts', records: () => mapped(ds.partRows(), part) },
    { entity: 'suppliers', records: () => mapped(ds.suppliersRows(), supplier) },
    { entity: 'stock', records: () => mapped(ds.stockRows(), stock) },
    { entity: 'offers', records: () => mapped(ds.offerRows(), offer) },
    { entity: 'demand', records: () => mapped(ds.demandRows(), demand) },
    { entity: 'deliveries', records: () => mapped(ds.deliveryRows(), delivery) },
    { entity: 'risk_events', records: () => mapped(ds.riskEvents(), riskEvent) },
  ];
}

