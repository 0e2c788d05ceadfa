import type { DeliveryRow, DemandRow, OfferRow, RiskEventRow, StockRow, SupplierRow } from './import-types.js';
import { LEAD_TIME_UNIT_DAYS, round4, type EntitySchema } from './entity-schema.js';
import { joinKey } from './catalog.schemas.js';

const CODE = { kind: 'text', max: 64, pattern: /^[^\s;|](?:[^;|]*[^\s;|])?$/, patternText: 'a code without surrounding spaces, ; or |' } as const;
const QTY = { kind: 'int', min: 0, max: 1_000_000_000 } as const;
const PROBABILITY = { kind: 'number', min: 0, max: 1 } as const;
const RISK_EVENT_TYPES = ['port_disruption', 'strike', 'weather', 'geopolitical', 'supplier_failure', 'cyber', 'other'] as const;
const PART_REF = { column: 'part_number', entity: 'parts' } as const;
const LOCATION_REF = { column: 'location_code', entity: 'locations' } as const;
const SUPPLIER_REF = { column: 'supplier_code', entity: 'suppliers' } as const;

export const stockSchema: EntitySchema<'stock'> = {
  entity: 'stock',
  fields: [
    { name: 'part_number', type: CODE, required: true },
    { name: 'location_code', type: CODE, required: true },
    { name: 'on_hand', type: QTY, required: true },
    { name: 'reserved', type: QTY },
    { name: 'on_order', type: QTY },
    { name: 'safety_stock', type: QTY },
    { name: 'reorder_point', type: QTY },
    { name: 'min_qty', type: QTY },
    { name: 'max_qty', type: QTY },
  ],
  keyColumns: ['part_number', 'location_code'],
  key: (r) => joinKey(r.partNumber, r.locationCode),
  refs: [{ ...PART_REF, keys: (r) => [r.partNumber] }, { ...LOCATION_REF, keys: (r) => [r.locationCode] }],
  build(v, issue): StockRow {
    const min = v.num('min_qty');
    const max = v.num('max_qty');
    const rop = v.num('reorder_point');
    if (min !== null && max !== null && min > max) issue('min_qty', `must not exceed max_qty (${min} > ${max})`);
    if (rop !== null && max !== null && rop > max) issue('reorder_point', `must not exceed max_qty (${rop} > ${max})`);
    return {
      partNumber: v.str('part_number')!, locationCode: v.str('location_code')!, onHand: v.num('on_hand')!, reserved: v.num('reserved') ?? 0,
      onOrder: v.num('on_order') ?? 0, safetyStock: v.num('safety_stock') ?? 0, reorderPoint: rop, minQty: min, maxQty: max,
    };
  },
};

export const supplierSchema: EntitySchema<'suppliers'> = {
  entity: 'suppliers',
  fields: [
    { name: 'code', type: CODE, required: true },
    { name: 'name', type: { kind: 'text', max: 200 }, required: true },
    { name: 'country', type: { kind: 'country' }, required: true },
    { name: 'region', type: { kind: 'text', max: 100 } },
    { name: 'ports_of_origin', type: { kind: 'list', item: { kind: 'text', max: 64, upper: true }, maxItems: 50 } },
    { name: 'active', type: { kind: 'bool' } },
    { name: 'contact_name', type: { kind: 'text', max: 200 } },
    { name: 'contact_email', type: { kind: 'email' } },
    { name: 'contact_phone', type: { kind: 'text', max: 32, pattern: /^\+?[0-9][0-9 ()./-]{3,31}$/, patternText: 'a phone number (digits, spaces, + ( ) . / -)' } },
  ],
  keyColumns: ['code'],
  key: (r) => r.code,
  refs: [],
  build(v): SupplierRow {
    const contact = { name: v.str('contact_name'), email: v.str('contact_email'), phone: v.str('contact_phone') };
    const any = contact.name !== null || contact.email !== null || contact.phone !== null;
    return {
      code: v.str('code')!, name: v.str('name')!, country: v.str('country')!, region: v.str('region'), portsOfOrigin: v.list('ports_of_origin'),
      active: v.bool('active') ?? true, contact: any ? contact : null,
    };
  },
};

export const offerSchema: EntitySchema<'offers'> = {
  entity: 'offers',
  fields: [
    { name: 'supplier_code', type: CODE, required: true },
    { name: 'part_number', type: CODE, required: true },
    { name: 'price', type: { kind: 'number', min: 0, max: 1e10 }, required: true },
    { name: 'currency', type: { kind: 'currency' } },
    { name: 'moq', type: { kind: 'int', min: 1, max: 1_000_000_000 } },
    { name: 'lead_time_mean', type: { kind: 'number', min: 0, max: 3650 } },
    { name: 'lead_time_sd', type: { kind: 'number', min: 0, max: 3650 } },
    { name: 'lead_time_samples', type: { kind: 'list', item: { kind: 'number', min: 0, max: 3650 }, maxItems: 1000 } },
    { name: 'lead_time_unit', type: { kind: 'enum', values: Object.keys(LEAD_TIME_UNIT_DAYS) } },
    { name: 'preferred', type: { kind: 'bool' } },
    { name: 'valid_from', type: { kind: 'date' } },
    { name: 'valid_to', type: { kind: 'date' } },
  ],
  keyColumns: ['supplier_code', 'part_number'],
  key: (r) => joinKey(r.supplierCode, r.partNumber),
  refs: [{ ...SUPPLIER_REF, keys: (r) => [r.supplierCode] }, { ...PART_REF, keys: (r) => [r.partNumber] }],
  build(v, issue): OfferRow {
    const days = LEAD_TIME_UNIT_DAYS[v.str('lead_time_unit') ?? 'days']!;
    const mean = v.num('lead_time_mean');
    const sd = v.num('lead_time_sd');
    const samples = v.list<number>('lead_time_samples');
    if (mean === null && samples.length === 0) issue('lead_time_mean', 'is required unless lead_time_samples are given');
    if (sd !== null && mean === null) issue('lead_time_sd', 'needs lead_time_mean');
    const from = v.str('valid_from');
    const to = v.str('valid_to');
    if (from !== null && to !== null && to < from) issue('valid_to', `is before valid_from (${to} < ${from})`);
    const scaled = (n: number): number => round4(n * days);
    if (mean !== null && scaled(mean) > 3650) issue('lead_time_mean', 'is more than 3650 days');
    return {
      supplierCode: v.str('supplier_code')!, partNumber: v.str('part_number')!, price: v.num('price')!, currency: v.str('currency') ?? 'USD',
      moq: v.num('moq') ?? 1, leadTimeMeanDays: mean === null ? null : scaled(mean), leadTimeSdDays: sd === null ? null : scaled(sd),
      leadTimeSamplesDays: samples.length === 0 ? null : samples.map(scaled), preferred: v.bool('preferred') ?? false, validFrom: from, validTo: to,
    };
  },
};

export const demandSchema: EntitySchema<'demand'> = {
  entity: 'demand',
  fields: [
    { name: 'part_number', type: CODE, required: true },
    { name: 'location_code', type: CODE, required: true },
    { name: 'period', type: { kind: 'month' }, required: true },
    { name: 'quantity', type: QTY, required: true },
    { name: 'returns', type: QTY },
    { name: 'adjustments', type: { kind: 'int', min: -1_000_000_000, max: 1_000_000_000 } },
  ],
  keyColumns: ['part_number', 'location_code', 'period'],
  key: (r) => joinKey(r.partNumber, r.locationCode, r.period),
  refs: [{ ...PART_REF, keys: (r) => [r.partNumber] }, { ...LOCATION_REF, keys: (r) => [r.locationCode] }],
  build(v): DemandRow {
    return {
      partNumber: v.str('part_number')!, locationCode: v.str('location_code')!, period: v.str('period')!, quantity: v.num('quantity')!,
      returns: v.num('returns') ?? 0, adjustments: v.num('adjustments') ?? 0,
    };
  },
};

export const deliverySchema: EntitySchema<'deliveries'> = {
  entity: 'deliveries',
  fields: [
    { name: 'supplier_code', type: CODE, required: true },
    { name: 'reference', type: { kind: 'text', max: 100 }, required: true },
    { name: 'part_number', type: CODE, required: true },
    { name: 'location_code', type: CODE },
    { name: 'quantity', type: { kind: 'int', min: 1, max: 1_000_000_000 }, required: true },
    { name: 'ordered_date', type: { kind: 'date' } },
    { name: 'promised_date', type: { kind: 'date' }, required: true },
    { name: 'actual_date', type: { kind: 'date' } },
  ],
  keyColumns: ['supplier_code', 'reference'],
  key: (r) => joinKey(r.supplierCode, r.reference),
  refs: [
    { ...SUPPLIER_REF, keys: (r) => [r.supplierCode] },
    { ...PART_REF, keys: (r) => [r.partNumber] },
    { ...LOCATION_REF, keys: (r) => (r.locationCode === null ? [] : [r.locationCode]) },
  ],
  build(v, issue): DeliveryRow {
    const ordered = v.str('ordered_date');
    const promised = v.str('promised_date')!;
    const actual = v.str('actual_date');
    if (ordered !== null && promised < ordered) issue('promised_date', `is before ordered_date (${promised} < ${ordered})`);
    if (ordered !== null && actual !== null && actual < ordered) issue('actual_date', `is before ordered_date (${actual} < ${ordered})`);
    return {
      supplierCode: v.str('supplier_code')!, reference: v.str('reference')!, partNumber: v.str('part_number')!, locationCode: v.str('location_code'),
      quantity: v.num('quantity')!, orderedDate: ordered, promisedDate: promised, actualDate: actual,
    };
  },
};

export const riskEventSchema: EntitySchema<'risk_events'> = {
  entity: 'risk_events',
  fields: [
    { name: 'source', type: { kind: 'text', max: 100 }, required: true },
    { name: 'source_id', type: { kind: 'text', max: 200 }, required: true },
    { name: 'type', type: { kind: 'enum', values: RISK_EVENT_TYPES }, required: true },
    { name: 'title', type: { kind: 'text', max: 300 }, required: true },
    { name: 'description', type: { kind: 'text', max: 5000 } },
    { name: 'countries', type: { kind: 'list', item: { kind: 'country' }, maxItems: 300 } },
    { name: 'regions', type: { kind: 'list', item: { kind: 'text', max: 100 }, maxItems: 100 } },
    { name: 'ports', type: { kind: 'list', item: { kind: 'text', max: 64, upper: true }, maxItems: 500 } },
    { name: 'supplier_codes', type: { kind: 'list', item: CODE, maxItems: 10000 } },
    { name: 'starts_at', type: { kind: 'instant' }, required: true },
    { name: 'expected_end_at', type: { kind: 'instant' } },
    { name: 'actual_end_at', type: { kind: 'instant' } },
    { name: 'severity', type: PROBABILITY, required: true },
    { name: 'probability', type: PROBABILITY },
    { name: 'details', type: { kind: 'object', maxChars: 16_384 } },
  ],
  keyColumns: ['source', 'source_id'],
  key: (r) => joinKey(r.source, r.sourceId),
  refs: [{ column: 'supplier_codes', entity: 'suppliers', keys: (r) => r.supplierCodes }],
  build(v, issue): RiskEventRow {
    const start = v.str('starts_at')!;
    const expected = v.str('expected_end_at');
    const actual = v.str('actual_end_at');
    if (expected !== null && expected < start) issue('expected_end_at', 'is before starts_at');
    if (actual !== null && actual < start) issue('actual_end_at', 'is before starts_at');
    const row: RiskEventRow = {
      source: v.str('source')!, sourceId: v.str('source_id')!, type: v.str('type') as RiskEventRow['type'], title: v.str('title')!,
      description: v.str('description'), countries: v.list('countries'), regions: v.list('regions'), ports: v.list('ports'),
      supplierCodes: v.list('supplier_codes'), startsAt: start, expectedEndAt: expected, actualEndAt: actual, severity: v.num('severity')!,
      probability: v.num('probability') ?? 1, details: v.obj('details') ?? {},
    };
    if (row.countries.length + row.regions.length + row.ports.length + row.supplierCodes.length === 0) {
      issue('countries', 'an event must name at least one country, region, port or supplier it affects (otherwise it matches nothing)');
    }
    return row;
  },
};
