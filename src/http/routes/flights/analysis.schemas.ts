import { Type } from 'typebox';
import type { AnalysisRow } from '../../../platform/flight-analysis/flight-analysis.repository.js';
import type { FleetRiskRow, RiskHistoryRow } from '../../../platform/flight-analysis/flight-risk.repository.js';
import { Uuid } from '../schemas.js';

const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
export const RISK_LEVELS = ['low', 'moderate', 'high', 'critical'] as const;
export const RiskLevel = Type.Unsafe<(typeof RISK_LEVELS)[number]>({ type: 'string', enum: [...RISK_LEVELS] });
const AnalysedVehicleType = Type.Unsafe<string>({ type: 'string', enum: ['multirotor', 'fixed_wing', 'vtol', 'helicopter', 'rover', 'boat', 'unknown'] });

export const AnalysisView = Type.Object({
  flightId: Uuid,
  analysisId: Uuid,
  engineVersion: Type.String(),
  schemaVersion: Type.String(),
  thresholdsVersion: Type.String(),
  anomalyModelVersion: Nullable(Type.String()),
  vehicleType: AnalysedVehicleType,
  riskScore: Type.Integer({ minimum: 0, maximum: 100 }),
  riskLevel: RiskLevel,
  analyzedAt: DateTime,
  reportSha256: Type.String({ description: 'SHA-256 of the canonical report JSON (the risk prediction in the audit trail names it)' }),
  stale: Type.Boolean({ description: 'Made by an older engine or anomaly model than this server runs; a re-analysis is queued' }),
  report: Type.Unknown({ description: 'The versioned flight report (src/flight/report/report.ts, docs/flight/analysis.md)' }),
});

export const analysisView = (a: AnalysisRow & { report: unknown }, stale: boolean) => ({
  flightId: a.flightId, analysisId: a.id, engineVersion: a.engineVersion, schemaVersion: a.schemaVersion,
  thresholdsVersion: a.thresholdsVersion, anomalyModelVersion: a.anomalyModelVersion, vehicleType: a.vehicleType,
  riskScore: a.riskScore, riskLevel: a.riskLevel, analyzedAt: a.createdAt.toISOString(), reportSha256: a.reportSha256, stale,
  report: a.report,
});

const Driver = Type.Object({
  findingId: Type.String(), check: Type.String(), title: Type.String(), severity: Type.String(), points: Type.Number(),
});

export const ReanalyzeResult = Type.Object({
  flightId: Uuid,
  queued: Type.Boolean(),
  engineVersion: Type.String({ description: 'The engine version the re-analysis runs with' }),
  current: Nullable(Type.Object({ engineVersion: Type.String(), anomalyModelVersion: Nullable(Type.String()), upToDate: Type.Boolean() })),
  clearedFailure: Type.Boolean({ description: 'A failed analysis with this engine was cleared so it is tried again' }),
});

export const RiskHistoryItem = Type.Object({
  flightId: Uuid,
  flightAt: Type.String({ format: 'date-time', description: 'UTC start of the flight when the log tells it, else its upload time' }),
  startedAt: Nullable(DateTime),
  originalName: Type.String(),
  riskScore: Type.Integer(),
  riskLevel: RiskLevel,
  vehicleType: AnalysedVehicleType,
  engineVersion: Type.String(),
  analyzedAt: DateTime,
  drivers: Type.Array(Driver, { description: 'Up to three findings that contribute most to the score' }),
});

export const riskHistoryItem = (r: RiskHistoryRow) => ({
  flightId: r.flightId, flightAt: r.flightAt.toISOString(), startedAt: r.startedAt?.toISOString() ?? null, originalName: r.originalName,
  riskScore: r.riskScore, riskLevel: r.riskLevel, vehicleType: r.vehicleType, engineVersion: r.engineVersion,
  analyzedAt: r.analyzedAt.toISOString(), drivers: [...r.drivers],
});

export const FleetRiskItem = Type.Object({
  rank: Type.Integer({ minimum: 1 }),
  aircraft: Type.Object({ id: Uuid, name: Type.String(), type: Type.String() }),
  analyzedFlights: Type.Integer(),
  latest: Type.Object({
    flightId: Uuid, flightAt: DateTime, originalName: Type.String(), riskScore: Type.Integer(), riskLevel: RiskLevel,
    vehicleType: AnalysedVehicleType, engineVersion: Type.String(), analyzedAt: DateTime, drivers: Type.Array(Driver),
  }),
});

export const fleetRiskItem = (r: FleetRiskRow, rank: number) => ({
  rank,
  aircraft: { id: r.aircraftId, name: r.aircraftName, type: r.aircraftType },
  analyzedFlights: r.analyzedFlights,
  latest: {
    flightId: r.flightId, flightAt: r.flightAt.toISOString(), originalName: r.originalName, riskScore: r.riskScore, riskLevel: r.riskLevel,
    vehicleType: r.vehicleType, engineVersion: r.engineVersion, analyzedAt: r.analyzedAt.toISOString(), drivers: [...r.drivers],
  },
});
