import { Type } from 'typebox';
import { AIRCRAFT_TYPES, type AircraftRow, type AircraftType as AircraftTypeName } from '../../../platform/flights/aircraft.repository.js';
import { FLIGHT_STATUSES, type FlightRow, type FlightStatus as FlightStatusName } from '../../../platform/flights/flight.repository.js';
import { Uuid } from '../schemas.js';

const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const AircraftType = Type.Unsafe<AircraftTypeName>({ type: 'string', enum: [...AIRCRAFT_TYPES] });
export const VEHICLE_TYPES = ['multirotor', 'fixed_wing', 'vtol', 'helicopter', 'rover', 'boat', 'submarine', 'unknown'] as const;

export const AircraftView = Type.Object({
  id: Uuid, name: Type.String(), serialNumber: Nullable(Type.String()), type: AircraftType, notes: Type.String(),
  flightCount: Type.Integer(), createdAt: DateTime, updatedAt: DateTime,
});

const name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const serialNumber = Type.String({ minLength: 1, maxLength: 100 });
const notes = Type.String({ maxLength: 4000 });

export const CreateAircraft = Type.Object({
  name, serialNumber: Type.Optional(Nullable(serialNumber)), type: Type.Optional(AircraftType), notes: Type.Optional(notes),
}, { additionalProperties: false });

export const PatchAircraft = Type.Object({
  name: Type.Optional(name), serialNumber: Type.Optional(Nullable(serialNumber)), type: Type.Optional(AircraftType), notes: Type.Optional(notes),
}, { additionalProperties: false, minProperties: 1 });

export const aircraftView = (a: AircraftRow) => ({
  id: a.id, name: a.name, serialNumber: a.serialNumber, type: a.type, notes: a.notes, flightCount: a.flightCount,
  createdAt: a.createdAt.toISOString(), updatedAt: a.updatedAt.toISOString(),
});

export const FlightStatus = Type.Unsafe<FlightStatusName>({ type: 'string', enum: [...FLIGHT_STATUSES] });

export const FlightView = Type.Object({
  id: Uuid,
  aircraftId: Nullable(Uuid),
  status: FlightStatus,
  format: Nullable(Type.String()),
  detection: Type.String({ description: 'Why the format was recognised (or what the first bytes looked like)' }),
  originalName: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String(), offset: Nullable(Type.Integer()) })),
  vehicleType: Nullable(Type.String()),
  startedAt: Nullable(DateTime),
  durationS: Nullable(Type.Number()),
  uploadedAt: DateTime,
  uploadedBy: Nullable(Uuid),
  decodedAt: Nullable(DateTime),
  updatedAt: DateTime,
  summary: Type.Unknown({ description: 'Decoded facts (see docs/flight/api.md); {} until decoded' }),
});

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
export const flightView = (f: FlightRow) => ({
  id: f.id, aircraftId: f.aircraftId, status: f.status, format: f.format, detection: f.detection, originalName: f.originalName,
  sizeBytes: f.sizeBytes, sha256: f.blobSha256, error: f.error, vehicleType: f.vehicleType, startedAt: iso(f.startedAt),
  durationS: f.durationS, uploadedAt: f.uploadedAt.toISOString(), uploadedBy: f.uploadedBy, decodedAt: iso(f.decodedAt),
  updatedAt: f.updatedAt.toISOString(), summary: f.summary,
});

export const UploadResult = Type.Object({ flight: FlightView, duplicate: Type.Boolean() });
