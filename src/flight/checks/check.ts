/**
 * What a check is and what it gets: the signals, the decided vehicle and phases, and the thresholds
 * for the vehicle class. A check returns one finding per subject (per instance where data is per
 * instance) and always returns something — a check that cannot judge says `not_applicable` or
 * `insufficient_data` with the reason, never nothing (LogAnalyzer's NA/UNKNOWN).
 */
import type { FlightSignals } from '../signals/flight-signals.js';
import type { CheckFamily, Finding, FindingEvidence, FindingStatus, Severity, Suppression, ThresholdRef, VehicleReport } from '../report/report.js';
import type { FlightPhases } from '../phases/flight-phases.js';
import { thresholdFor, type ThresholdName, type VehicleClass } from './thresholds.table.js';

export interface LogFacts {
  readonly completeness: 'complete' | 'truncated' | 'corrupt_recovered' | 'unknown';
  readonly dropouts: { readonly count: number; readonly totalS: number };
}

export interface CheckContext {
  readonly signals: FlightSignals;
  readonly vehicle: VehicleReport;
  readonly vehicleClass: VehicleClass;
  readonly phases: FlightPhases;
  readonly log: LogFacts;
}

export interface FlightCheck {
  readonly id: string;
  readonly family: CheckFamily;
  readonly title: string;
  run(ctx: CheckContext): Finding[];
}

export interface FindingInput {
  readonly status: FindingStatus;
  readonly severity?: Severity;
  readonly reason: string;
  readonly instance?: string | number;
  readonly title?: string;
  readonly evidence?: Partial<FindingEvidence>;
  readonly suppressions?: readonly Suppression[];
}

export const th = (ctx: CheckContext, name: ThresholdName): ThresholdRef => thresholdFor(name, ctx.vehicleClass);

/** Builds a finding with the check's identity; severity defaults by status (warn → medium, fail → high). */
export function finding(check: Pick<FlightCheck, 'id' | 'family' | 'title'>, input: FindingInput): Finding {
  const severity: Severity =
    input.severity ?? (input.status === 'fail' ? 'high' : input.status === 'warn' ? 'medium' : 'none');
  return {
    id: input.instance === undefined ? check.id : `${check.id}:${input.instance}`,
    check: check.id,
    family: check.family,
    status: input.status,
    severity: input.status === 'warn' || input.status === 'fail' ? severity : 'none',
    title: input.title ?? check.title,
    reason: input.reason,
    evidence: {
      values: input.evidence?.values ?? {},
      thresholds: input.evidence?.thresholds ?? [],
      signals: input.evidence?.signals ?? [],
      timeRanges: input.evidence?.timeRanges ?? [],
    },
    suppressions: input.suppressions ?? [],
  };
}

export const GROUND_SUPPRESSION: Suppression = { id: 'ground_vehicle', reason: 'ground or water vehicle: flight checks do not apply' };

/** Standard result when a check needs steady flight and the log has none. */
export function noSteadyFlight(check: Pick<FlightCheck, 'id' | 'family' | 'title'>, ctx: CheckContext): Finding {
  if (ctx.vehicleClass === 'ground') return finding(check, { status: 'not_applicable', reason: 'Ground vehicle.', suppressions: [GROUND_SUPPRESSION] });
  const flew = ctx.phases.flying.length > 0;
  return finding(check, {
    status: 'insufficient_data',
    reason: flew
      ? 'The flight is too short to judge once take-off and landing transients are excluded.'
      : 'The vehicle never flew in this log.',
    suppressions: [{ id: 'transients_excluded', reason: 'take-off/landing transients are excluded from steady-flight checks' }],
  });
}
