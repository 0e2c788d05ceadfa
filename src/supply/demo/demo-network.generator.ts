import {
  AIRCRAFT_TYPES, CONTACT_FIRST, CONTACT_LAST, COUNTRIES, LOCATIONS, SUPPLIER_NAME_STEMS, SUPPLIER_NAME_TRADES,
  type DemoCountry,
} from './demo-catalog.js';
import { DemoRandom } from './demo-random.js';
import type { AircraftTypeRow, FleetAircraftRow, LocationRow, RiskEventRow, SupplierRow } from './demo-rows.js';

/** Day numbers (days since 1970-01-01, UTC) keep date arithmetic exact and clock-free. */
export const dayOf = (iso: string): number => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000);
export const isoDay = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);

export const supplierCode = (j: number): string => `SUP-${String(j).padStart(5, '0')}`;

/** Per-supplier traits that offers and deliveries need, re-derived from the supplier's own stream. */
export interface SupplierTraits {
  readonly country: DemoCountry;
  /** Multiplies a part's base lead time. */
  readonly leadFactor: number;
  /** Probability an order arrives on or before its promised date. */
  readonly onTimeRate: number;
  /** Median lateness (days) of a late order. */
  readonly lateMedianDays: number;
}

export function supplierTraits(seed: number, j: number): SupplierTraits {
  const rng = DemoRandom.stream(seed, 'supplier', j);
  const country = rng.weighted(COUNTRIES, (c) => c.weight);
  return {
    country,
    leadFactor: 0.7 + 0.6 * rng.next(),
    onTimeRate: 0.45 + 0.5 * rng.next(),
    lateMedianDays: 3 + 12 * rng.next(),
  };
}

export function* generateSuppliers(seed: number, count: number): Generator<SupplierRow> {
  const combos = SUPPLIER_NAME_STEMS.length * SUPPLIER_NAME_TRADES.length;
  for (let j = 1; j <= count; j++) {
    const t = supplierTraits(seed, j);
    const rng = DemoRandom.stream(seed, 'supplier-details', j);
    const k = j - 1;
    const round = Math.floor(k / combos);
    const stem = SUPPLIER_NAME_STEMS[k % SUPPLIER_NAME_STEMS.length]!;
    const trade = SUPPLIER_NAME_TRADES[Math.floor(k / SUPPLIER_NAME_STEMS.length) % SUPPLIER_NAME_TRADES.length]!;
    const code = supplierCode(j);
    const first = rng.pick(CONTACT_FIRST);
    const last = rng.pick(CONTACT_LAST);
    // UN/LOCODE, plus the CyPort name for US ports: imported CyPort cyclone events name ports that way.
    const ports = rng.distinct(t.country.ports.length, 1 + (rng.chance(0.3) ? 1 : 0)).flatMap((i) => {
      const port = t.country.ports[i]!;
      return port.cyportName ? [port.code, port.cyportName.toUpperCase()] : [port.code];
    });
    yield {
      code,
      name: `${stem} ${trade}${round > 0 ? ` ${t.country.name} ${round + 1}` : ''} ${rng.pick(t.country.suffixes)}`,
      country: t.country.iso2,
      region: t.country.region,
      portsOfOrigin: ports,
      active: !rng.chance(0.02),
      contact: {
        name: `${first} ${last}`,
        email: `${first}.${last}@${code.toLowerCase()}.example.com`.toLowerCase(),
        phone: `${t.country.phonePrefix} ${rng.range(100, 999)} ${rng.range(100000, 999999)}`,
      },
    };
  }
}

export function* generateLocations(): Generator<LocationRow> {
  for (const l of LOCATIONS) {
    yield { code: l.code, name: l.name, kind: l.kind, country: l.country, region: l.region, iataCode: l.iata, latitude: l.latitude, longitude: l.longitude };
  }
}

export const AOG_TYPE_SOURCE = 'demo: per aircraft-day, inside the industry-quoted band for its class';

export function* generateAircraftTypes(): Generator<AircraftTypeRow> {
  for (const t of AIRCRAFT_TYPES) {
    yield { code: t.code, name: t.name, manufacturer: t.manufacturer, aircraftClass: t.body, aogCostPerDay: t.aogCostPerDay, aogCostSource: AOG_TYPE_SOURCE };
  }
}

/** Registration prefixes by base country (ICAO nationality marks). */
const MARKS: Readonly<Record<string, string>> = { DE: 'D-A', FR: 'F-H', US: 'N', SG: '9V-', AE: 'A6-', HK: 'B-H', GB: 'G-' };

function letters(n: number, width: number): string {
  let s = '';
  for (let i = 0; i < width; i++) {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26);
  }
  return s;
}

/** The fleet: one aircraft per ~100 parts (12 to 2,000); registrations unique by construction. */
export function fleetSize(parts: number): number {
  return Math.min(2000, Math.max(12, Math.round(parts / 100)));
}

export function* generateAircraft(seed: number, parts: number, asOfDay: number): Generator<FleetAircraftRow> {
  const hubs = LOCATIONS.filter((l) => l.kind !== 'line_station');
  const year = Number(isoDay(asOfDay).slice(0, 4));
  for (let a = 0; a < fleetSize(parts); a++) {
    const rng = DemoRandom.stream(seed, 'aircraft', a);
    const type = rng.weighted(AIRCRAFT_TYPES, (t) => t.weight);
    const base = rng.weighted(hubs, (h) => h.weight);
    const mark = MARKS[base.country] ?? 'N';
    const registration = mark === 'N' ? `N${100 + a}SG` : `${mark}${letters(a, mark.length === 2 ? 4 : 3)}`;
    const status = rng.chance(0.9) ? 'active' : rng.chance(0.7) ? 'maintenance' : 'stored';
    yield {
      registration,
      typeCode: type.code,
      serialNumber: String(1000 + a * 7 + rng.int(7)),
      baseLocationCode: base.code,
      status,
      inServiceDate: `${year - rng.range(1, 16)}-${String(rng.range(1, 12)).padStart(2, '0')}-01`,
    };
  }
}

/** A few risk events: 4 plus one per 50 suppliers, at most 200. */
export function riskEventCount(suppliers: number): number {
  return Math.min(200, 4 + Math.floor(suppliers / 50));
}

const TYPES = ['port_disruption', 'strike', 'weather', 'geopolitical', 'supplier_failure'] as const;
const instant = (day: number): string => `${isoDay(day)}T00:00:00.000Z`;

export function* generateRiskEvents(seed: number, suppliers: number, asOfDay: number): Generator<RiskEventRow> {
  for (let e = 0; e < riskEventCount(suppliers); e++) {
    const rng = DemoRandom.stream(seed, 'risk-event', e);
    const type = TYPES[e % TYPES.length]!;
    const country = rng.weighted(COUNTRIES, (c) => c.weight);
    const port = rng.pick(country.ports);
    const start = asOfDay - rng.range(0, 540);
    const planned = type === 'geopolitical' ? rng.range(60, 365) : type === 'supplier_failure' ? rng.range(30, 180) : rng.range(2, 21);
    const expectedEnd = start + planned;
    const actualEnd = expectedEnd + Math.round(planned * (rng.next() - 0.3));
    // Severity is P(a shipment through an affected node is held), as the risk model reads it.
    const base = {
      source: 'demo', sourceId: `DEMO-RISK-${String(e + 1).padStart(4, '0')}`, type, description: null,
      severity: Math.round((0.1 + 0.8 * rng.next()) * 100) / 100, probability: 1,
      startsAt: instant(start), expectedEndAt: instant(expectedEnd), actualEndAt: actualEnd < asOfDay ? instant(Math.max(start, actualEnd)) : null,
      details: { generator: 'skyguard demo' },
    };
    switch (type) {
      case 'port_disruption':
        yield { ...base, title: `Congestion and berth closures at ${port.name}`, countries: [country.iso2], regions: [country.region], ports: [port.code], supplierCodes: [] };
        break;
      case 'weather':
        yield { ...base, title: `Severe weather closes ${port.name}`, countries: [country.iso2], regions: [country.region], ports: [port.code], supplierCodes: [] };
        break;
      case 'strike':
        yield { ...base, title: `Logistics strike in ${country.name}`, countries: [country.iso2], regions: [country.region], ports: country.ports.map((p) => p.code), supplierCodes: [] };
        break;
      case 'geopolitical':
        yield { ...base, title: `Export restrictions affecting ${country.region}`, countries: [country.iso2], regions: [country.region], ports: [], supplierCodes: [] };
        break;
      case 'supplier_failure': {
        const j = 1 + rng.int(Math.max(1, suppliers));
        yield { ...base, title: `Production stoppage at ${supplierCode(j)}`, countries: [supplierTraits(seed, j).country.iso2], regions: [supplierTraits(seed, j).country.region], ports: [], supplierCodes: [supplierCode(j)] };
        break;
      }
    }
  }
}
