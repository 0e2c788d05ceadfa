import type { ListSpec } from './supply-query.js';

/** snake_case row → camelCase object; timestamps to ISO strings (dates are selected as text). */
export function camelize(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in row) {
    if (k.startsWith('sg_')) continue;
    const v = row[k];
    out[k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

type Item = Record<string, unknown>;
export type SupplyListSpec = ListSpec<Item> & { readonly idExpr: string; readonly idType: 'uuid' };

const T = (expr: string) => ({ expr, type: 'text' }) as const;
const U = (expr: string) => ({ expr, type: 'uuid' }) as const;
const TS = (expr: string) => ({ expr, type: 'timestamptz' }) as const;
const eq = (expr: string, type = 'text') => ({ kind: 'eq', expr, type }) as const;

const parts: SupplyListSpec = {
  from: 'parts p',
  select: `p.id, p.part_number, p.description, p.category, p.criticality, p.unit_of_measure, p.unit_cost::float8 AS unit_cost, p.currency,
    p.aog_cost::float8 AS aog_cost, p.aog_cost_unit, p.aog_cost_source, p.lead_time_days, p.external_ref, p.created_at, p.updated_at`,
  idExpr: 'p.id', idType: 'uuid',
  tiebreak: [T('p.part_number')],
  sorts: {
    partNumber: T('p.part_number'), description: T('p.description'), criticality: T('p.criticality'),
    unitCost: { expr: 'coalesce(p.unit_cost, -1)', type: 'numeric' }, updatedAt: TS('p.updated_at'),
  },
  defaultSort: 'partNumber',
  filters: {
    q: { kind: 'search', expr: `(p.part_number || ' ' || p.description)` },
    category: eq('p.category'), criticality: { kind: 'in', expr: 'p.criticality', type: 'text' },
    minUnitCost: { kind: 'gte', expr: 'p.unit_cost', type: 'numeric' }, maxUnitCost: { kind: 'lte', expr: 'p.unit_cost', type: 'numeric' },
    aircraftType: { kind: 'sql', sql: 'EXISTS (SELECT 1 FROM part_aircraft_types x JOIN aircraft_types t ON t.id = x.aircraft_type_id WHERE x.part_id = p.id AND t.code = {p})', type: 'text' },
  },
  view: camelize,
};

const locations: SupplyListSpec = {
  from: 'locations l',
  select: 'l.id, l.code, l.name, l.kind, l.country, l.region, l.iata_code, l.latitude, l.longitude, l.created_at, l.updated_at',
  idExpr: 'l.id', idType: 'uuid',
  tiebreak: [U('l.id')],
  sorts: { code: T('l.code'), name: T('l.name') },
  defaultSort: 'code',
  filters: { q: { kind: 'search', expr: `(l.code || ' ' || l.name)` }, kind: eq('l.kind'), country: eq('l.country') },
  view: camelize,
};

const aircraftTypes: SupplyListSpec = {
  from: 'aircraft_types a',
  select: 'a.id, a.code, a.name, a.manufacturer, a.aircraft_class, a.aog_cost_per_day::float8 AS aog_cost_per_day, a.aog_cost_source, a.created_at, a.updated_at',
  idExpr: 'a.id', idType: 'uuid',
  tiebreak: [U('a.id')],
  sorts: { code: T('a.code'), name: T('a.name') },
  defaultSort: 'code',
  filters: { aircraftClass: eq('a.aircraft_class') },
  view: camelize,
};

const fleet: SupplyListSpec = {
  from: 'fleet_aircraft f JOIN aircraft_types a ON a.id = f.aircraft_type_id LEFT JOIN locations l ON l.id = f.base_location_id',
  select: `f.id, f.registration, f.aircraft_type_id, a.code AS type_code, f.serial_number, f.base_location_id, l.code AS base_location_code, f.status,
    f.in_service_date::text AS in_service_date, f.created_at, f.updated_at`,
  idExpr: 'f.id', idType: 'uuid',
  tiebreak: [U('f.id')],
  sorts: { registration: T('f.registration'), updatedAt: TS('f.updated_at') },
  defaultSort: 'registration',
  filters: { typeCode: eq('a.code'), status: eq('f.status'), baseLocationCode: eq('l.code') },
  view: camelize,
};

const suppliers: SupplyListSpec = {
  from: 'suppliers s',
  select: `s.id, s.code, s.name, s.country, s.region, s.ports_of_origin, s.active, (s.contact_ciphertext IS NOT NULL) AS has_contact, s.created_at, s.updated_at`,
  idExpr: 's.id', idType: 'uuid',
  tiebreak: [U('s.id')],
  sorts: { name: T('s.name'), code: T('s.code'), updatedAt: TS('s.updated_at') },
  defaultSort: 'name',
  filters: {
    q: { kind: 'search', expr: `(s.code || ' ' || s.name)` }, country: eq('s.country'), region: eq('s.region'),
    port: { kind: 'contains', expr: 's.ports_of_origin', type: 'text' }, active: eq('s.active', 'boolean'),
  },
  view: camelize,
};

const offers: SupplyListSpec = {
  from: 'supplier_offers o JOIN suppliers s ON s.id = o.supplier_id JOIN parts p ON p.id = o.part_id',
  select: `o.id, o.supplier_id, s.code AS supplier_code, o.part_id, p.part_number, o.price::float8 AS price, o.currency, o.moq, o.lead_time_mean_days,
    o.lead_time_sd_days, o.lead_time_samples_days, o.preferred, o.valid_from::text AS valid_from, o.valid_to::text AS valid_to, o.created_at, o.updated_at`,
  idExpr: 'o.id', idType: 'uuid',
  tiebreak: [U('o.id')],
  sorts: { price: { expr: 'o.price', type: 'numeric' }, leadTime: { expr: 'coalesce(o.lead_time_mean_days, -1)', type: 'double precision' }, updatedAt: TS('o.updated_at') },
  defaultSort: 'price',
  filters: {
    partId: eq('o.part_id', 'uuid'), supplierId: eq('o.supplier_id', 'uuid'), partNumber: eq('p.part_number'), supplierCode: eq('s.code'),
    preferred: eq('o.preferred', 'boolean'),
  },
  view: camelize,
};

const deliveries: SupplyListSpec = {
  from: 'supplier_deliveries d JOIN suppliers s ON s.id = d.supplier_id JOIN parts p ON p.id = d.part_id LEFT JOIN locations l ON l.id = d.location_id',
  select: `d.id, d.supplier_id, s.code AS supplier_code, d.reference, d.part_id, p.part_number, d.location_id, l.code AS location_code, d.quantity,
    d.ordered_date::text AS ordered_date, d.promised_date::text AS promised_date, d.actual_date::text AS actual_date,
    (d.actual_date - d.promised_date) AS delay_days, d.created_at, d.updated_at`,
  idExpr: 'd.id', idType: 'uuid',
  tiebreak: [U('d.id')],
  sorts: { promisedDate: { expr: 'd.promised_date', type: 'date' }, updatedAt: TS('d.updated_at') },
  defaultSort: '-promisedDate',
  filters: {
    supplierId: eq('d.supplier_id', 'uuid'), partId: eq('d.part_id', 'uuid'), supplierCode: eq('s.code'), partNumber: eq('p.part_number'),
    late: { kind: 'flag', sql: 'd.actual_date > d.promised_date' }, open: { kind: 'flag', sql: 'd.actual_date IS NULL' },
    from: { kind: 'gte', expr: 'd.promised_date', type: 'date' }, to: { kind: 'lte', expr: 'd.promised_date', type: 'date' },
  },
  view: camelize,
};

const riskEvents: SupplyListSpec = {
  from: 'risk_events e',
  select: `e.id, e.type, e.title, e.description, e.countries, e.regions, e.ports, e.supplier_ids, e.starts_at, e.expected_end_at, e.actual_end_at,
    e.severity, e.probability, e.source, e.source_id, e.details, e.created_at, e.updated_at`,
  idExpr: 'e.id', idType: 'uuid',
  tiebreak: [U('e.id')],
  sorts: { startsAt: TS('e.starts_at'), updatedAt: TS('e.updated_at') },
  defaultSort: '-startsAt',
  filters: {
    type: { kind: 'in', expr: 'e.type', type: 'text' }, country: { kind: 'contains', expr: 'e.countries', type: 'text' },
    port: { kind: 'contains', expr: 'e.ports', type: 'text' }, region: { kind: 'contains', expr: 'e.regions', type: 'text' },
    supplierId: { kind: 'contains', expr: 'e.supplier_ids', type: 'uuid' }, source: eq('e.source'),
    open: { kind: 'flag', sql: 'e.actual_end_at IS NULL' }, from: { kind: 'gte', expr: 'e.starts_at', type: 'timestamptz' },
    to: { kind: 'lt', expr: 'e.starts_at', type: 'timestamptz' }, minSeverity: { kind: 'gte', expr: 'e.severity', type: 'double precision' },
  },
  view: camelize,
};

const stock: SupplyListSpec = {
  from: 'stock_levels s JOIN parts p ON p.id = s.part_id JOIN locations l ON l.id = s.location_id',
  select: `s.part_id, p.part_number, p.description, p.criticality, s.location_id, l.code AS location_code, s.on_hand, s.reserved, s.on_order,
    (s.on_hand - s.reserved) AS available, s.safety_stock, s.reorder_point, s.min_qty, s.max_qty, s.last_event_seq, s.last_event_at, s.updated_at`,
  idExpr: 's.part_id', idType: 'uuid',
  tiebreak: [U('s.part_id'), U('s.location_id')],
  sorts: { onHand: { expr: 's.on_hand', type: 'integer' }, updatedAt: TS('s.updated_at') },
  defaultSort: 'onHand',
  filters: {
    partId: eq('s.part_id', 'uuid'), locationId: eq('s.location_id', 'uuid'), partNumber: eq('p.part_number'), locationCode: eq('l.code'),
    criticality: { kind: 'in', expr: 'p.criticality', type: 'text' },
    belowReorderPoint: { kind: 'flag', sql: 's.on_hand - s.reserved + s.on_order <= s.reorder_point' },
  },
  view: camelize,
};

const demand: SupplyListSpec = {
  from: 'demand_history d JOIN parts p ON p.id = d.part_id JOIN locations l ON l.id = d.location_id',
  select: `d.part_id, p.part_number, d.location_id, l.code AS location_code, to_char(d.period, 'YYYY-MM') AS period, d.quantity, d.returns, d.adjustments`,
  idExpr: 'd.part_id', idType: 'uuid',
  tiebreak: [U('d.part_id'), U('d.location_id')],
  sorts: { period: { expr: 'd.period', type: 'date' } },
  defaultSort: 'period',
  filters: {
    partId: eq('d.part_id', 'uuid'), locationId: eq('d.location_id', 'uuid'), partNumber: eq('p.part_number'), locationCode: eq('l.code'),
    from: { kind: 'gte', expr: 'd.period', type: 'date' }, to: { kind: 'lte', expr: 'd.period', type: 'date' },
  },
  view: camelize,
};

/** Read models of the supply entities, by URL segment. */
export const SUPPLY_LISTS = {
  parts, locations, 'aircraft-types': aircraftTypes, fleet, suppliers, offers, deliveries, 'risk-events': riskEvents, stock, demand,
} as const satisfies Record<string, SupplyListSpec>;
export type SupplyResource = keyof typeof SUPPLY_LISTS;
