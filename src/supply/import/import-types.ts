/**
 * Typed rows of the supply data, one interface per entity, as the validators produce them and the
 * bulk writers (src/platform/supply) store them. References are by natural key (part number,
 * location code, supplier code, aircraft type code), exactly as in an import file; the writers
 * resolve them to ids. Every optional value is `null` when absent (never undefined), so a row has a
 * fixed shape. Dates are `YYYY-MM-DD`, periods the first day of their month, instants ISO 8601 UTC.
 */

export const IMPORT_ENTITIES = [
  'aircraft_types', 'fleet', 'locations', 'parts', 'stock', 'suppliers', 'offers', 'demand', 'deliveries', 'risk_events',
] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

/** Source-specific mappings: one real-world file layout → rows of one or more entities. */
export const IMPORT_MAPPINGS = ['raf', 'cyport'] as const;
export type ImportMapping = (typeof IMPORT_MAPPINGS)[number];

/** What `skyguard import TYPE` and `POST /v1/imports?type=` accept. */
export type ImportType = ImportEntity | ImportMapping;
export const IMPORT_TYPES: readonly ImportType[] = [...IMPORT_ENTITIES, ...IMPORT_MAPPINGS];
export const isImportType = (t: string): t is ImportType => (IMPORT_TYPES as readonly string[]).includes(t);

export const IMPORT_FORMATS = ['csv', 'json', 'ndjson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const isImportFormat = (f: string): f is ImportFormat => (IMPORT_FORMATS as readonly string[]).includes(f);

export const CRITICALITIES = ['no_go', 'go_if', 'go', 'non_essential'] as const;
export type PartCriticality = (typeof CRITICALITIES)[number];
export const LOCATION_KINDS = ['mro_hub', 'store', 'line_station', 'warehouse'] as const;
export const AIRCRAFT_STATUSES = ['active', 'maintenance', 'stored', 'retired'] as const;

export interface AircraftTypeRow {
  readonly code: string;
  readonly name: string;
  readonly manufacturer: string | null;
  readonly aircraftClass: 'widebody' | 'narrowbody' | 'regional' | 'business_jet' | 'helicopter' | 'uas';
  readonly aogCostPerDay: number | null;
  readonly aogCostSource: string | null;
}

export interface FleetAircraftRow {
  readonly registration: string;
  readonly typeCode: string;
  readonly serialNumber: string | null;
  readonly baseLocationCode: string | null;
  readonly status: (typeof AIRCRAFT_STATUSES)[number];
  readonly inServiceDate: string | null;
}

export interface LocationRow {
  readonly code: string;
  readonly name: string;
  readonly kind: (typeof LOCATION_KINDS)[number];
  readonly country: string | null;
  readonly region: string | null;
  readonly iataCode: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
}

export interface PartRow {
  readonly partNumber: string;
  readonly description: string;
  readonly category: string | null;
  readonly criticality: PartCriticality;
  readonly unitOfMeasure: string;
  readonly unitCost: number | null;
  readonly currency: string;
  readonly aogCost: number | null;
  readonly aogCostUnit: 'day' | 'hour' | null;
  readonly aogCostSource: string | null;
  readonly leadTimeDays: number | null;
  readonly externalRef: string | null;
  /** Codes of the aircraft types a shortage grounds (empty: none). */
  readonly aircraftTypes: readonly string[];
}

export interface StockRow {
  readonly partNumber: string;
  readonly locationCode: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly onOrder: number;
  readonly safetyStock: number;
  readonly reorderPoint: number | null;
  readonly minQty: number | null;
  readonly maxQty: number | null;
}

export interface SupplierContact {
  readonly name: string | null;
  readonly email: string | null;
  readonly phone: string | null;
}

export interface SupplierRow {
  readonly code: string;
  readonly name: string;
  readonly country: string;
  readonly region: string | null;
  readonly portsOfOrigin: readonly string[];
  readonly active: boolean;
  /** Plaintext here; the writer encrypts it before it reaches the database. */
  readonly contact: SupplierContact | null;
}

export interface OfferRow {
  readonly supplierCode: string;
  readonly partNumber: string;
  readonly price: number;
  readonly currency: string;
  readonly moq: number;
  readonly leadTimeMeanDays: number | null;
  readonly leadTimeSdDays: number | null;
  readonly leadTimeSamplesDays: readonly number[] | null;
  readonly preferred: boolean;
  readonly validFrom: string | null;
  readonly validTo: string | null;
}

export interface DemandRow {
  readonly partNumber: string;
  readonly locationCode: string;
  /** First day of the month, `YYYY-MM-01`. */
  readonly period: string;
  readonly quantity: number;
  readonly returns: number;
  readonly adjustments: number;
}

export interface DeliveryRow {
  readonly supplierCode: string;
  readonly reference: string;
  readonly partNumber: string;
  readonly locationCode: string | null;
  readonly quantity: number;
  readonly orderedDate: string | null;
  readonly promisedDate: string;
  readonly actualDate: string | null;
}

export type RiskEventKind = 'port_disruption' | 'strike' | 'weather' | 'geopolitical' | 'supplier_failure' | 'cyber' | 'other';

export interface RiskEventRow {
  readonly source: string;
  readonly sourceId: string;
  readonly type: RiskEventKind;
  readonly title: string;
  readonly description: string | null;
  readonly countries: readonly string[];
  readonly regions: readonly string[];
  readonly ports: readonly string[];
  readonly supplierCodes: readonly string[];
  readonly startsAt: string;
  readonly expectedEndAt: string | null;
  readonly actualEndAt: string | null;
  readonly severity: number;
  readonly probability: number;
  readonly details: Readonly<Record<string, unknown>>;
}

/** The row type of each entity. */
export interface EntityRows {
  aircraft_types: AircraftTypeRow;
  fleet: FleetAircraftRow;
  locations: LocationRow;
  parts: PartRow;
  stock: StockRow;
  suppliers: SupplierRow;
  offers: OfferRow;
  demand: DemandRow;
  deliveries: DeliveryRow;
  risk_events: RiskEventRow;
}

/** Why one row (or one cell of it) was refused. `column` is null for whole-row problems. */
export interface RowIssue {
  readonly column: string | null;
  readonly reason: string;
}

/**
 * A validated row ready to write. `present` lists the fields the source actually provided (a CSV
 * column in the header, a JSON key in the object); on update only those overwrite stored values, so
 * a file without a `contact_email` column never wipes stored contacts. Undefined = all fields.
 */
export interface ValidRow<E extends ImportEntity = ImportEntity> {
  readonly entity: E;
  readonly row: EntityRows[E];
  readonly present?: ReadonlySet<string>;
}

/** One source record (CSV line, JSON array element, NDJSON line) before validation. */
export interface SourceRecord {
  /** 1-based; for CSV the header is row 1, so the first data row is 2 (as a spreadsheet shows it). */
  readonly row: number;
  /** The record's text as it appeared in the file (truncated for very long records). */
  readonly raw: string;
  /** Field values by column name; CSV values are strings, JSON values keep their JSON types. */
  readonly values: Readonly<Record<string, unknown>> | null;
  /** Set when the record could not be read at all (bad JSON, unterminated quote, too long). */
  readonly error: RowIssue | null;
}
