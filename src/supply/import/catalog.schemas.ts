import { AIRCRAFT_STATUSES, CRITICALITIES, LOCATION_KINDS, type AircraftTypeRow, type FleetAircraftRow, type LocationRow, type PartRow } from './import-types.js';
import { LEAD_TIME_UNIT_DAYS, round4, type EntitySchema } from './entity-schema.js';

const SEP = '\u0001';
const CODE = { kind: 'text', max: 64, pattern: /^[^\s;|](?:[^;|]*[^\s;|])?$/, patternText: 'a code without surrounding spaces, ; or |' } as const;
const MONEY = { kind: 'number', min: 0, max: 1e10 } as const;
const AIRCRAFT_CLASSES = ['widebody', 'narrowbody', 'regional', 'business_jet', 'helicopter', 'uas'] as const;

export const aircraftTypeSchema: EntitySchema<'aircraft_types'> = {
  entity: 'aircraft_types',
  fields: [
    { name: 'code', type: { ...CODE, upper: true }, required: true },
    { name: 'name', type: { kind: 'text', max: 200 }, required: true },
    { name: 'manufacturer', type: { kind: 'text', max: 200 } },
    { name: 'aircraft_class', type: { kind: 'enum', values: AIRCRAFT_CLASSES }, required: true },
    { name: 'aog_cost_per_day', type: MONEY },
    { name: 'aog_cost_source', type: { kind: 'text', max: 500 } },
  ],
  keyColumns: ['code'],
  key: (r) => r.code,
  refs: [],
  build(v, issue): AircraftTypeRow {
    const cost = v.num('aog_cost_per_day');
    const source = v.str('aog_cost_source');
    if (cost !== null && source === null) issue('aog_cost_source', 'is required when aog_cost_per_day is given (say where the figure comes from)');
    return {
      code: v.str('code')!, name: v.str('name')!, manufacturer: v.str('manufacturer'),
      aircraftClass: v.str('aircraft_class') as AircraftTypeRow['aircraftClass'], aogCostPerDay: cost, aogCostSource: source,
    };
  },
};

export const fleetSchema: EntitySchema<'fleet'> = {
  entity: 'fleet',
  fields: [
    { name: 'registration', type: { kind: 'text', max: 20, upper: true, pattern: /^[A-Z0-9][A-Z0-9-]{0,19}$/, patternText: 'letters, digits and -' }, required: true },
    { name: 'type_code', type: { ...CODE, upper: true }, required: true },
    { name: 'serial_number', type: { kind: 'text', max: 64 } },
    { name: 'base_location_code', type: CODE },
    { name: 'status', type: { kind: 'enum', values: AIRCRAFT_STATUSES } },
    { name: 'in_service_date', type: { kind: 'date' } },
  ],
  keyColumns: ['registration'],
  key: (r) => r.registration,
  refs: [
    { column: 'type_code', entity: 'aircraft_types', keys: (r) => [r.typeCode] },
    { column: 'base_location_code', entity: 'locations', keys: (r) => (r.baseLocationCode === null ? [] : [r.baseLocationCode]) },
  ],
  build(v): FleetAircraftRow {
    return {
      registration: v.str('registration')!, typeCode: v.str('type_code')!, serialNumber: v.str('serial_number'),
      baseLocationCode: v.str('base_location_code'), status: (v.str('status') ?? 'active') as FleetAircraftRow['status'],
      inServiceDate: v.str('in_service_date'),
    };
  },
};

export const locationSchema: EntitySchema<'locations'> = {
  entity: 'locations',
  fields: [
    { name: 'code', type: CODE, required: true },
    { name: 'name', type: { kind: 'text', max: 200 }, required: true },
    { name: 'kind', type: { kind: 'enum', values: LOCATION_KINDS } },
    { name: 'country', type: { kind: 'country' } },
    { name: 'region', type: { kind: 'text', max: 100 } },
    { name: 'iata_code', type: { kind: 'text', max: 3, upper: true, pattern: /^[A-Z]{3}$/, patternText: 'a three-letter IATA code' } },
    { name: 'latitude', type: { kind: 'number', min: -90, max: 90 } },
    { name: 'longitude', type: { kind: 'number', min: -180, max: 180 } },
  ],
  keyColumns: ['code'],
  key: (r) => r.code,
  refs: [],
  build(v, issue): LocationRow {
    const lat = v.num('latitude');
    const lon = v.num('longitude');
    if ((lat === null) !== (lon === null)) issue(lat === null ? 'latitude' : 'longitude', 'latitude and longitude go together');
    return {
      code: v.str('code')!, name: v.str('name')!, kind: (v.str('kind') ?? 'store') as LocationRow['kind'], country: v.str('country'),
      region: v.str('region'), iataCode: v.str('iata_code'), latitude: lat, longitude: lon,
    };
  },
};

export const partSchema: EntitySchema<'parts'> = {
  entity: 'parts',
  fields: [
    { name: 'part_number', type: CODE, required: true },
    { name: 'description', type: { kind: 'text', max: 500 } },
    { name: 'category', type: { kind: 'text', max: 100 } },
    { name: 'criticality', type: { kind: 'enum', values: CRITICALITIES } },
    { name: 'unit_of_measure', type: { kind: 'text', max: 8, upper: true, pattern: /^[A-Z0-9]{1,8}$/, patternText: 'a unit code such as EA, KG, L' } },
    { name: 'unit_cost', type: MONEY },
    { name: 'currency', type: { kind: 'currency' } },
    { name: 'aog_cost', type: MONEY },
    { name: 'aog_cost_unit', type: { kind: 'enum', values: ['day', 'hour'] } },
    { name: 'aog_cost_source', type: { kind: 'text', max: 500 } },
    { name: 'lead_time', type: { kind: 'number', min: 0, max: 3650 } },
    { name: 'lead_time_unit', type: { kind: 'enum', values: Object.keys(LEAD_TIME_UNIT_DAYS) } },
    { name: 'external_ref', type: { kind: 'text', max: 100 } },
    { name: 'aircraft_types', type: { kind: 'list', item: { ...CODE, upper: true }, maxItems: 200 } },
  ],
  keyColumns: ['part_number'],
  key: (r) => r.partNumber,
  refs: [{ column: 'aircraft_types', entity: 'aircraft_types', keys: (r) => r.aircraftTypes }],
  build(v, issue): PartRow {
    const criticality = (v.str('criticality') ?? 'non_essential') as PartRow['criticality'];
    const aogCost = v.num('aog_cost');
    const aogUnit = v.str('aog_cost_unit') as PartRow['aogCostUnit'];
    const aogSource = v.str('aog_cost_source');
    if (aogCost !== null && aogUnit === null) issue('aog_cost_unit', 'is required with aog_cost (day or hour)');
    if (aogCost === null && aogUnit !== null) issue('aog_cost', 'is required when aog_cost_unit is given');
    if (aogCost !== null && aogSource === null) issue('aog_cost_source', 'is required with aog_cost (say where the figure comes from)');
    const aircraftTypes = v.list('aircraft_types');
    if (aircraftTypes.length > 0 && criticality === 'non_essential') {
      issue('aircraft_types', 'a non_essential part grounds no aircraft; give its criticality (no_go, go_if or go) or leave aircraft_types empty');
    }
    const leadTime = v.num('lead_time');
    const unit = v.str('lead_time_unit') ?? 'days';
    const leadTimeDays = leadTime === null ? null : round4(leadTime * LEAD_TIME_UNIT_DAYS[unit]!);
    if (leadTimeDays !== null && leadTimeDays > 3650) issue('lead_time', `is ${leadTimeDays} days; at most 3650`);
    if (v.str('lead_time_unit') !== null && leadTime === null) issue('lead_time', 'is required when lead_time_unit is given');
    return {
      partNumber: v.str('part_number')!, description: v.str('description') ?? '', category: v.str('category'), criticality,
      unitOfMeasure: v.str('unit_of_measure') ?? 'EA', unitCost: v.num('unit_cost'), currency: v.str('currency') ?? 'USD',
      aogCost, aogCostUnit: aogUnit, aogCostSource: aogSource, leadTimeDays, externalRef: v.str('external_ref'), aircraftTypes,
    };
  },
};

export const joinKey = (...parts: string[]): string => parts.join(SEP);
