/**
 * `analyzeFlight`: canonical signals → versioned report. Vehicle type first (checks and thresholds
 * depend on the class), then phases, the check catalogue, the optional anomaly detector and the risk
 * score. Pure and deterministic: no clock, no I/O — the same signals and options give the same report.
 */
import type { FlightSignals } from '../signals/flight-signals.js';
import {
  REPORT_SCHEMA_VERSION,
  type AnomalyDetector,
  type AnomalyOutput,
  type Finding,
  type FlightReport,
  type LogSummary,
  type Severity,
} from '../report/report.js';
import { CHECKS, THRESHOLDS_VERSION, vehicleClassOf, type LogFacts } from '../checks/index.js';
import { detectPhases } from '../phases/flight-phases.js';
import { riskScore } from '../risk/risk-score.js';
import { detectVehicleType } from '../vehicle/vehicle-type.detector.js';
import { percentile, round, samplesWithin, totalS } from './series-window.js';

/** Bump when any check, threshold, phase rule or the risk formula changes the output for the same log. */
export const ENGINE_VERSION = `1.1.0+thresholds.${THRESHOLDS_VERSION}`;

export interface AnalyzeOptions {
  /** Decoder facts the signal model does not carry. */
  readonly log?: Partial<LogFacts> & { readonly formatVersion?: string; readonly warnings?: readonly string[] };
  readonly anomalyDetector?: AnomalyDetector;
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { critical: 0, high: 1, medium: 2, low: 3, none: 4 };
const STATUS_ORDER = { fail: 0, warn: 1, insufficient_data: 2, not_applicable: 3, pass: 4 } as const;

function runAnomaly(detector: AnomalyDetector | undefined, input: Parameters<AnomalyDetector>[0]): AnomalyOutput {
  if (!detector) return { section: { status: 'not_run', reason: 'no anomaly model configured' }, anomalies: [] };
  try {
    return detector(input);
  } catch (e) {
    return { section: { status: 'error', reason: e instanceof Error ? e.message : String(e) }, anomalies: [] };
  }
}

export function analyzeFlight(signals: FlightSignals, options: AnalyzeOptions = {}): FlightReport {
  const vehicle = detectVehicleType(signals);
  const vehicleClass = vehicleClassOf(vehicle.type);
  const phases = detectPhases(signals, vehicle);
  const log: LogFacts = {
    completeness: options.log?.completeness ?? 'unknown',
    dropouts: options.log?.dropouts ?? { count: 0, totalS: 0 },
  };
  const ctx = { signals, vehicle, vehicleClass, phases, log };
  const findings: Finding[] = CHECKS.flatMap((check) => check.run(ctx));
  findings.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const anomaly = runAnomaly(options.anomalyDetector, { signals, vehicle, phases: phases.segments });
  const range = signals.timeRange;
  const alt = samplesWithin(signals.position.altRel ?? signals.position.baroAlt, phases.flying);
  const tilt = samplesWithin(signals.attitude.roll, phases.flying).v.map((r) => Math.abs(r) * (180 / Math.PI));
  const summary: LogSummary = {
    format: signals.vehicle.logFormat,
    ...(options.log?.formatVersion ? { formatVersion: options.log.formatVersion } : {}),
    autopilot: signals.vehicle.autopilot,
    ...(signals.vehicle.firmware ? { firmware: signals.vehicle.firmware } : {}),
    ...(signals.vehicle.firmwareVersion ? { firmwareVersion: signals.vehicle.firmwareVersion } : {}),
    ...(signals.vehicle.hardware ? { hardware: signals.vehicle.hardware } : {}),
    startS: range ? round(range.start, 10) : null,
    endS: range ? round(range.end, 10) : null,
    durationS: range ? round(range.end - range.start) : null,
    completeness: log.completeness,
    dropouts: { count: log.dropouts.count, totalS: round(log.dropouts.totalS) ?? 0 },
    warnings: [...(options.log?.warnings ?? []), ...signals.missing].slice(0, 50),
  };
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    engineVersion: ENGINE_VERSION,
    thresholdsVersion: THRESHOLDS_VERSION,
    vehicle,
    phases: phases.segments,
    stats: {
      armedS: round(totalS(phases.armed)) ?? 0,
      flyingS: round(totalS(phases.flying)) ?? 0,
      maxAltitudeM: alt.v.length ? round(percentile(alt.v, 100)) : null,
      maxTiltDeg: tilt.length ? round(percentile(tilt, 100)) : null,
    },
    risk: riskScore(findings),
    findings,
    anomalies: anomaly.anomalies,
    anomalyModel: anomaly.section,
    log: summary,
  };
}
