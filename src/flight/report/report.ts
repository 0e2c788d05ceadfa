/**
 * The flight-analysis report: the one versioned JSON contract between the analysis engine
 * (`analyzeFlight`), its consumers (HTML/PDF renderer, API, CLI `--json`, dashboard) and stored
 * analyses.
 *
 * Stability rules (the renderer, stored rows and API clients depend on them):
 * - `schemaVersion` follows semver. Additive changes (a new optional field, a new enum member that
 *   consumers may ignore) bump the minor; anything that removes or renames a field bumps the major.
 * - `engineVersion` changes whenever the engine can produce a different report for the same log
 *   (a threshold, a check, the risk formula); stored analyses with an older engine version are
 *   re-analysed.
 * - All times are seconds on the log's own clock (the same clock as `FlightSignals`), never rebased;
 *   `log.startS` is the origin a renderer subtracts to show "takeoff at 5 s".
 * - Numbers are finite or `null` (JSON has no NaN); `values` never hold NaN.
 */
import type { FlightSignals } from '../signals/flight-signals.js';

/** Version of this JSON shape (semver). */
export const REPORT_SCHEMA_VERSION = '1.0.0';

export type VehicleType = 'multirotor' | 'fixed_wing' | 'vtol' | 'helicopter' | 'rover' | 'boat' | 'unknown';

/** How the vehicle type was decided. */
export type VehicleMethod = 'metadata' | 'behaviour' | 'none';

export interface VehicleEvidence {
  /** Where the fact came from, e.g. `param MAV_TYPE`, `firmware string`, `behaviour: airspeed vs climb`. */
  readonly source: string;
  /** The observed value as logged, e.g. `22`, `ArduCopter V4.1.3`. */
  readonly value: string | number | boolean;
  /** What the fact implies, e.g. `vtol (standard)`. */
  readonly implies: string;
  /** How much this fact weighed in the decision, 0–1. */
  readonly weight: number;
}

export interface VehicleReport {
  readonly type: VehicleType;
  /**
   * Finer kind: multirotor `quad`/`hexa`/`octo`/`tri`/`y6`/`coax`…; VTOL `standard`/`tiltrotor`/`tailsitter`;
   * fixed wing `plane`/`flying_wing`; absent when unknown.
   */
  readonly subtype?: string;
  /** Frame layout when known, e.g. `quad_x`, `quad_plus`, or the PX4 airframe id `4001`. */
  readonly frame?: string;
  readonly rotorCount?: number;
  /** 0–1: how sure the detector is (metadata agreeing ≈ 0.95+, behaviour only ≤ 0.8). */
  readonly confidence: number;
  readonly method: VehicleMethod;
  /** Ordered strongest first. */
  readonly evidence: readonly VehicleEvidence[];
}

export type PhaseKind =
  | 'armed'
  | 'flying'
  | 'takeoff'
  | 'landing'
  | 'hover'
  | 'cruise'
  /** VTOL in multicopter / fixed-wing flight, and the transitions between them. */
  | 'vtol_mc'
  | 'vtol_fw'
  | 'transition_to_fw'
  | 'transition_to_mc';

export interface PhaseSegment {
  readonly kind: PhaseKind;
  readonly start: number;
  readonly end: number;
  /** Which rule or signal produced it, e.g. `vehicle_land_detected.landed`, `armed ∧ throttle > 20 %`. */
  readonly source: string;
}

export type FindingStatus = 'pass' | 'warn' | 'fail' | 'not_applicable' | 'insufficient_data';

/** `none` for pass / not applicable / insufficient data. */
export type Severity = 'none' | 'low' | 'medium' | 'high' | 'critical';

export type CheckFamily =
  | 'vibration'
  | 'spectral'
  | 'battery'
  | 'power'
  | 'gps'
  | 'estimator'
  | 'compass'
  | 'motors'
  | 'thrust'
  | 'attitude'
  | 'crash'
  | 'rc'
  | 'failsafe'
  | 'logging'
  | 'truncation'
  | 'flight';

export interface ThresholdRef {
  /** e.g. `vibration.px4.warn`. Key into the thresholds table. */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Where the number comes from (tool and rule), e.g. `PX4 Flight Review vibration bands`. */
  readonly source: string;
}

export interface TimeRange {
  readonly start: number;
  readonly end: number;
  readonly label?: string;
}

export type EvidenceValue = number | string | boolean | null;

export interface FindingEvidence {
  /** Measured values named by what they are, e.g. `p95VibeZ: 12.3`. */
  readonly values: Readonly<Record<string, EvidenceValue>>;
  readonly thresholds: readonly ThresholdRef[];
  /** Signal sources used (`VIBE.VibeZ`, `vehicle_imu_status.accel_vibration_metric`). */
  readonly signals: readonly string[];
  readonly timeRanges: readonly TimeRange[];
}

export interface Suppression {
  /** Stable id, e.g. `battery_disconnected`, `no_gps_fitted`, `ground_vehicle`, `takeoff_landing_trim`. */
  readonly id: string;
  readonly reason: string;
}

export interface Finding {
  /** Unique within the report: `<check>` or `<check>:<instance>`. */
  readonly id: string;
  /** Stable check id, e.g. `vibration.level`, `motors.imbalance`. */
  readonly check: string;
  readonly family: CheckFamily;
  readonly status: FindingStatus;
  readonly severity: Severity;
  readonly title: string;
  /** One or two sentences a pilot can read: what was seen against which rule. */
  readonly reason: string;
  readonly evidence: FindingEvidence;
  readonly suppressions: readonly Suppression[];
}

export type RiskLevel = 'low' | 'moderate' | 'high' | 'critical';

export interface RiskContribution {
  readonly findingId: string;
  readonly check: string;
  readonly title: string;
  readonly severity: Severity;
  /** Points this finding adds before the 0–100 cap (see docs/flight/analysis.md). */
  readonly points: number;
  /** Share of the total points, 0–1. */
  readonly share: number;
}

export interface RiskReport {
  /** 0–100, integer. */
  readonly score: number;
  readonly level: RiskLevel;
  /** Findings driving the score, largest contribution first. */
  readonly contributions: readonly RiskContribution[];
  /** Short statement of the formula, e.g. `100·(1 − Π(1 − wᵢ))`. */
  readonly formula: string;
}

export interface AnomalyAttribution {
  readonly feature: string;
  /** Share of the anomaly score this feature explains, 0–1. */
  readonly contribution: number;
  readonly value?: number;
  /** Typical value for this vehicle class (the model's healthy baseline). */
  readonly baseline?: number;
}

export interface AnomalyRange {
  readonly start: number;
  readonly end: number;
  /** Model score, 0–1 (higher = more unusual). */
  readonly score: number;
  readonly attributions: readonly AnomalyAttribution[];
}

export interface AnomalySection {
  readonly status: 'ok' | 'not_run' | 'not_applicable' | 'insufficient_data' | 'error';
  readonly reason?: string;
  readonly modelId?: string;
  readonly modelVersion?: string;
  readonly vehicleClass?: string;
}

export interface LogSummary {
  readonly format: string;
  readonly formatVersion?: string;
  readonly autopilot: string;
  readonly firmware?: string;
  readonly firmwareVersion?: string;
  readonly hardware?: string;
  readonly startS: number | null;
  readonly endS: number | null;
  readonly durationS: number | null;
  readonly completeness: 'complete' | 'truncated' | 'corrupt_recovered' | 'unknown';
  readonly dropouts: { readonly count: number; readonly totalS: number };
  /** Decoder warnings and signal-model gaps worth telling the reader (bounded). */
  readonly warnings: readonly string[];
}

export interface FlightStats {
  readonly armedS: number;
  readonly flyingS: number;
  readonly maxAltitudeM: number | null;
  readonly maxTiltDeg: number | null;
}

export interface FlightReport {
  readonly schemaVersion: string;
  readonly engineVersion: string;
  /** Version of the thresholds table the checks used. */
  readonly thresholdsVersion: string;
  readonly vehicle: VehicleReport;
  readonly phases: readonly PhaseSegment[];
  readonly stats: FlightStats;
  readonly risk: RiskReport;
  /** Every check's result, including pass / not applicable / insufficient data, most severe first. */
  readonly findings: readonly Finding[];
  /** Time ranges the anomaly model found unusual (empty when it did not run). */
  readonly anomalies: readonly AnomalyRange[];
  readonly anomalyModel: AnomalySection;
  readonly log: LogSummary;
}

/** What the analysis hands an anomaly detector: the signals plus what the engine already decided. */
export interface AnomalyInput {
  readonly signals: FlightSignals;
  readonly vehicle: VehicleReport;
  readonly phases: readonly PhaseSegment[];
}

export interface AnomalyOutput {
  readonly section: AnomalySection;
  readonly anomalies: readonly AnomalyRange[];
}

/**
 * Port for the unsupervised anomaly model. Pure and synchronous (the model is loaded by the caller
 * and closed over), so `analyzeFlight` stays pure; a throwing detector yields `anomalyModel.status = 'error'`.
 */
export type AnomalyDetector = (input: AnomalyInput) => AnomalyOutput;
