/**
 * Real-world reference lists the demo generator draws from: countries with their regions and
 * seaports (UN/LOCODE; US ports also carry their name in the CyPort cyclone data set, so imported
 * CyPort events can hit demo suppliers), MRO hubs at real airports (IATA codes), aircraft types in
 * airline service and ATA-chapter part families. Weights are rough shares of aerospace supply, for
 * plausibility only.
 */

export interface DemoPort {
  readonly code: string;
  readonly name: string;
  /** The port's name in CyPort (`port` column), for US ports it covers. */
  readonly cyportName?: string;
}

export interface DemoCountry {
  readonly iso2: string;
  readonly name: string;
  readonly region: DemoRegion;
  readonly weight: number;
  readonly ports: readonly DemoPort[];
  /** Company-name suffixes in use there. */
  readonly suffixes: readonly string[];
  readonly phonePrefix: string;
}

export type DemoRegion = 'Europe' | 'North America' | 'Latin America' | 'Asia-Pacific' | 'Middle East';

const p = (code: string, name: string, cyportName?: string): DemoPort => (cyportName ? { code, name, cyportName } : { code, name });

export const COUNTRIES: readonly DemoCountry[] = [
  { iso2: 'US', name: 'United States', region: 'North America', weight: 30, phonePrefix: '+1', suffixes: ['Inc.', 'LLC', 'Corp.'], ports: [
    p('USLAX', 'Los Angeles', 'Port of Los Angeles, CA'), p('USLGB', 'Long Beach', 'Port of Long Beach, CA'), p('USHOU', 'Houston', 'Houston Port Authority, TX'),
    p('USSAV', 'Savannah', 'Port of Savannah, GA'), p('USNYC', 'New York/New Jersey', 'New York, NY & NJ'), p('USMIA', 'Miami', 'PortMiami, FL'),
    p('USCHS', 'Charleston', 'Port of Charleston, SC'), p('USJAX', 'Jacksonville', 'Jacksonville, FL'), p('USMSY', 'New Orleans', 'New Orleans, LA'),
    p('USBAL', 'Baltimore', 'Baltimore, MD'), p('USTPA', 'Tampa', 'Tampa Port Authority, FL'), p('USSEA', 'Seattle'),
  ] },
  { iso2: 'FR', name: 'France', region: 'Europe', weight: 10, phonePrefix: '+33', suffixes: ['SAS', 'SA'], ports: [p('FRLEH', 'Le Havre'), p('FRMRS', 'Marseille')] },
  { iso2: 'DE', name: 'Germany', region: 'Europe', weight: 10, phonePrefix: '+49', suffixes: ['GmbH', 'AG'], ports: [p('DEHAM', 'Hamburg'), p('DEBRV', 'Bremerhaven')] },
  { iso2: 'GB', name: 'United Kingdom', region: 'Europe', weight: 9, phonePrefix: '+44', suffixes: ['Ltd', 'plc'], ports: [p('GBFXT', 'Felixstowe'), p('GBSOU', 'Southampton')] },
  { iso2: 'CA', name: 'Canada', region: 'North America', weight: 5, phonePrefix: '+1', suffixes: ['Inc.', 'Ltd.'], ports: [p('CAVAN', 'Vancouver'), p('CAMTR', 'Montreal')] },
  { iso2: 'IT', name: 'Italy', region: 'Europe', weight: 4, phonePrefix: '+39', suffixes: ['S.p.A.', 'S.r.l.'], ports: [p('ITGOA', 'Genoa')] },
  { iso2: 'ES', name: 'Spain', region: 'Europe', weight: 3, phonePrefix: '+34', suffixes: ['S.A.', 'S.L.'], ports: [p('ESVLC', 'Valencia')] },
  { iso2: 'NL', name: 'Netherlands', region: 'Europe', weight: 3, phonePrefix: '+31', suffixes: ['B.V.', 'N.V.'], ports: [p('NLRTM', 'Rotterdam')] },
  { iso2: 'PL', name: 'Poland', region: 'Europe', weight: 2, phonePrefix: '+48', suffixes: ['Sp. z o.o.', 'S.A.'], ports: [p('PLGDN', 'Gdansk')] },
  { iso2: 'JP', name: 'Japan', region: 'Asia-Pacific', weight: 5, phonePrefix: '+81', suffixes: ['K.K.', 'Co., Ltd.'], ports: [p('JPYOK', 'Yokohama'), p('JPNGO', 'Nagoya')] },
  { iso2: 'CN', name: 'China', region: 'Asia-Pacific', weight: 5, phonePrefix: '+86', suffixes: ['Co., Ltd.'], ports: [p('CNSHA', 'Shanghai'), p('CNYTN', 'Yantian'), p('CNTXG', 'Tianjin Xingang')] },
  { iso2: 'KR', name: 'South Korea', region: 'Asia-Pacific', weight: 2, phonePrefix: '+82', suffixes: ['Co., Ltd.'], ports: [p('KRPUS', 'Busan')] },
  { iso2: 'SG', name: 'Singapore', region: 'Asia-Pacific', weight: 2, phonePrefix: '+65', suffixes: ['Pte. Ltd.'], ports: [p('SGSIN', 'Singapore')] },
  { iso2: 'TW', name: 'Taiwan', region: 'Asia-Pacific', weight: 1, phonePrefix: '+886', suffixes: ['Co., Ltd.'], ports: [p('TWKHH', 'Kaohsiung')] },
  { iso2: 'IN', name: 'India', region: 'Asia-Pacific', weight: 2, phonePrefix: '+91', suffixes: ['Pvt. Ltd.', 'Ltd.'], ports: [p('INNSA', 'Nhava Sheva'), p('INMAA', 'Chennai')] },
  { iso2: 'MY', name: 'Malaysia', region: 'Asia-Pacific', weight: 1, phonePrefix: '+60', suffixes: ['Sdn. Bhd.'], ports: [p('MYPKG', 'Port Klang')] },
  { iso2: 'AU', name: 'Australia', region: 'Asia-Pacific', weight: 1, phonePrefix: '+61', suffixes: ['Pty Ltd'], ports: [p('AUMEL', 'Melbourne')] },
  { iso2: 'AE', name: 'United Arab Emirates', region: 'Middle East', weight: 1, phonePrefix: '+971', suffixes: ['LLC', 'FZE'], ports: [p('AEJEA', 'Jebel Ali')] },
  { iso2: 'IL', name: 'Israel', region: 'Middle East', weight: 2, phonePrefix: '+972', suffixes: ['Ltd.'], ports: [p('ILHFA', 'Haifa')] },
  { iso2: 'BR', name: 'Brazil', region: 'Latin America', weight: 2, phonePrefix: '+55', suffixes: ['Ltda.', 'S.A.'], ports: [p('BRSSZ', 'Santos')] },
  { iso2: 'MX', name: 'Mexico', region: 'Latin America', weight: 2, phonePrefix: '+52', suffixes: ['S.A. de C.V.'], ports: [p('MXZLO', 'Manzanillo')] },
];

export type LocationKind = 'mro_hub' | 'store' | 'line_station';

export interface DemoLocation {
  readonly code: string;
  readonly name: string;
  readonly kind: LocationKind;
  readonly country: string;
  readonly region: DemoRegion;
  readonly iata: string;
  readonly latitude: number;
  readonly longitude: number;
  /** Share of a part's demand this location sees when it stocks the part. */
  readonly weight: number;
}

const loc = (code: string, name: string, kind: LocationKind, country: string, region: DemoRegion, latitude: number, longitude: number, weight: number): DemoLocation =>
  ({ code, name, kind, country, region, iata: code.slice(0, 3), latitude, longitude, weight });

/** MRO hubs and stores at real airports (airport coordinates); codes are `<IATA>-<kind>`. */
export const LOCATIONS: readonly DemoLocation[] = [
  loc('HAM-HUB', 'Hamburg MRO hub', 'mro_hub', 'DE', 'Europe', 53.63, 9.988, 10),
  loc('FRA-HUB', 'Frankfurt MRO hub', 'mro_hub', 'DE', 'Europe', 50.033, 8.571, 9),
  loc('TLS-HUB', 'Toulouse MRO hub', 'mro_hub', 'FR', 'Europe', 43.629, 1.364, 6),
  loc('DFW-HUB', 'Dallas/Fort Worth MRO hub', 'mro_hub', 'US', 'North America', 32.897, -97.038, 8),
  loc('ATL-HUB', 'Atlanta MRO hub', 'mro_hub', 'US', 'North America', 33.637, -84.428, 8),
  loc('SIN-HUB', 'Singapore MRO hub', 'mro_hub', 'SG', 'Asia-Pacific', 1.364, 103.991, 8),
  loc('DXB-HUB', 'Dubai MRO hub', 'mro_hub', 'AE', 'Middle East', 25.253, 55.364, 6),
  loc('HKG-STR', 'Hong Kong stores', 'store', 'HK', 'Asia-Pacific', 22.308, 113.918, 4),
  loc('MIA-STR', 'Miami stores', 'store', 'US', 'North America', 25.793, -80.291, 4),
  loc('LHR-STR', 'London Heathrow stores', 'store', 'GB', 'Europe', 51.47, -0.454, 4),
  loc('MUC-LS', 'Munich line station', 'line_station', 'DE', 'Europe', 48.354, 11.786, 2),
  loc('JFK-LS', 'New York JFK line station', 'line_station', 'US', 'North America', 40.64, -73.779, 2),
];

export type AircraftBody = 'regional' | 'narrowbody' | 'widebody';

export interface DemoAircraftType {
  readonly code: string;
  readonly name: string;
  readonly manufacturer: string;
  readonly body: AircraftBody;
  readonly weight: number;
  /** Demo AOG cost per aircraft-day, USD (inside AOG_COST_PER_DAY_USD for its body). */
  readonly aogCostPerDay: number;
}

/** ICAO type designators of types in airline service. */
export const AIRCRAFT_TYPES: readonly DemoAircraftType[] = [
  { code: 'A20N', name: 'Airbus A320neo', manufacturer: 'Airbus', body: 'narrowbody', weight: 12, aogCostPerDay: 100_000 },
  { code: 'A21N', name: 'Airbus A321neo', manufacturer: 'Airbus', body: 'narrowbody', weight: 8, aogCostPerDay: 110_000 },
  { code: 'A319', name: 'Airbus A319', manufacturer: 'Airbus', body: 'narrowbody', weight: 4, aogCostPerDay: 80_000 },
  { code: 'B738', name: 'Boeing 737-800', manufacturer: 'Boeing', body: 'narrowbody', weight: 10, aogCostPerDay: 95_000 },
  { code: 'B38M', name: 'Boeing 737 MAX 8', manufacturer: 'Boeing', body: 'narrowbody', weight: 7, aogCostPerDay: 100_000 },
  { code: 'A359', name: 'Airbus A350-900', manufacturer: 'Airbus', body: 'widebody', weight: 4, aogCostPerDay: 300_000 },
  { code: 'A333', name: 'Airbus A330-300', manufacturer: 'Airbus', body: 'widebody', weight: 3, aogCostPerDay: 220_000 },
  { code: 'B789', name: 'Boeing 787-9', manufacturer: 'Boeing', body: 'widebody', weight: 4, aogCostPerDay: 280_000 },
  { code: 'B77W', name: 'Boeing 777-300ER', manufacturer: 'Boeing', body: 'widebody', weight: 3, aogCostPerDay: 350_000 },
  { code: 'E190', name: 'Embraer E190', manufacturer: 'Embraer', body: 'regional', weight: 4, aogCostPerDay: 45_000 },
  { code: 'AT76', name: 'ATR 72-600', manufacturer: 'ATR', body: 'regional', weight: 4, aogCostPerDay: 30_000 },
  { code: 'DH8D', name: 'De Havilland Dash 8-400', manufacturer: 'De Havilland Canada', body: 'regional', weight: 2, aogCostPerDay: 30_000 },
];

/**
 * Cost of one aircraft on ground per day, USD, by body type: the band the generator draws from.
 * Industry figures commonly quoted span roughly $10k–$150k per day for narrowbodies and several
 * hundred thousand for widebodies (lost revenue, recovery, compensation); demo data only.
 */
export const AOG_COST_PER_DAY_USD: Readonly<Record<AircraftBody, readonly [number, number]>> = {
  regional: [15_000, 60_000],
  narrowbody: [40_000, 150_000],
  widebody: [120_000, 450_000],
};

export interface DemoPartFamily {
  readonly ata: string;
  readonly name: string;
  readonly nouns: readonly string[];
  /** Share of parts that ground the aircraft when missing (MEL no-go). */
  readonly noGoShare: number;
}

/** ATA iSpec 2200 chapters with typical part nouns. */
export const PART_FAMILIES: readonly DemoPartFamily[] = [
  { ata: '21', name: 'Air conditioning', noGoShare: 0.2, nouns: ['PACK VALVE', 'AIR CYCLE MACHINE', 'TEMPERATURE SENSOR', 'RECIRCULATION FAN', 'DUCT CLAMP'] },
  { ata: '24', name: 'Electrical power', noGoShare: 0.35, nouns: ['GENERATOR CONTROL UNIT', 'BATTERY', 'TRANSFORMER RECTIFIER', 'CIRCUIT BREAKER', 'CONTACTOR'] },
  { ata: '25', name: 'Equipment and furnishings', noGoShare: 0.05, nouns: ['SEAT BELT', 'GALLEY INSERT', 'LIFE VEST', 'OVERHEAD BIN LATCH', 'CARPET PANEL'] },
  { ata: '27', name: 'Flight controls', noGoShare: 0.7, nouns: ['SERVO ACTUATOR', 'FLAP TRACK ROLLER', 'SPOILER ACTUATOR', 'CONTROL CABLE', 'TRIM MOTOR'] },
  { ata: '28', name: 'Fuel', noGoShare: 0.5, nouns: ['FUEL PUMP', 'FUEL QUANTITY PROBE', 'SHUTOFF VALVE', 'FUEL FILTER ELEMENT'] },
  { ata: '29', name: 'Hydraulic power', noGoShare: 0.6, nouns: ['HYDRAULIC PUMP', 'ACCUMULATOR', 'HYDRAULIC FILTER', 'PRESSURE TRANSDUCER', 'SEAL KIT'] },
  { ata: '32', name: 'Landing gear', noGoShare: 0.8, nouns: ['BRAKE ASSEMBLY', 'WHEEL ASSEMBLY', 'TIRE', 'SHOCK STRUT SEAL', 'STEERING ACTUATOR'] },
  { ata: '33', name: 'Lights', noGoShare: 0.15, nouns: ['LANDING LIGHT', 'NAVIGATION LIGHT', 'STROBE POWER SUPPLY', 'READING LIGHT'] },
  { ata: '34', name: 'Navigation', noGoShare: 0.55, nouns: ['AIR DATA MODULE', 'PITOT PROBE', 'ANGLE OF ATTACK SENSOR', 'RADIO ALTIMETER', 'GPS ANTENNA'] },
  { ata: '36', name: 'Pneumatic', noGoShare: 0.4, nouns: ['BLEED VALVE', 'PRECOOLER', 'CHECK VALVE', 'PRESSURE REGULATOR'] },
  { ata: '49', name: 'Airborne auxiliary power', noGoShare: 0.3, nouns: ['APU STARTER', 'APU IGNITER', 'APU FUEL CONTROL', 'APU OIL FILTER'] },
  { ata: '52', name: 'Doors', noGoShare: 0.3, nouns: ['DOOR SEAL', 'DOOR ACTUATOR', 'LATCH ASSEMBLY', 'PROXIMITY SWITCH'] },
  { ata: '72', name: 'Engine', noGoShare: 0.9, nouns: ['FAN BLADE', 'HPT BLADE', 'BEARING', 'COMBUSTOR LINER', 'BORESCOPE PLUG'] },
  { ata: '73', name: 'Engine fuel and control', noGoShare: 0.85, nouns: ['FUEL NOZZLE', 'FUEL METERING UNIT', 'FADEC CHANNEL', 'FUEL FLOW TRANSMITTER'] },
  { ata: '79', name: 'Oil', noGoShare: 0.6, nouns: ['OIL FILTER', 'OIL PUMP', 'CHIP DETECTOR', 'OIL PRESSURE SENSOR'] },
  { ata: '80', name: 'Starting', noGoShare: 0.75, nouns: ['STARTER VALVE', 'AIR TURBINE STARTER', 'IGNITION EXCITER', 'IGNITER PLUG'] },
];

export const SUPPLIER_NAME_STEMS: readonly string[] = [
  'Aero', 'Avia', 'Sky', 'Jet', 'Wing', 'Precision', 'Atlas', 'Meridian', 'Vector', 'Orbit', 'Summit', 'Polar',
  'Hansa', 'Falcon', 'Condor', 'Nordic', 'Pacific', 'Atlantic', 'Continental', 'Zenith', 'Apex', 'Horizon',
];
export const SUPPLIER_NAME_TRADES: readonly string[] = [
  'Components', 'Hydraulics', 'Avionics', 'Dynamics', 'Technics', 'Aerospace', 'Parts', 'Systems', 'Engineering',
  'Precision Works', 'Landing Systems', 'Power Systems', 'Seals', 'Castings', 'Electronics', 'Spares',
];
export const CONTACT_FIRST: readonly string[] = ['Anna', 'Ben', 'Chen', 'Dana', 'Elif', 'Felix', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kofi', 'Lena', 'Mateo', 'Nadia', 'Omar', 'Priya'];
export const CONTACT_LAST: readonly string[] = ['Adler', 'Brooks', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Hoffmann', 'Ito', 'Kim', 'Lopez', 'Meyer', 'Novak', 'Okafor', 'Patel', 'Rossi'];
