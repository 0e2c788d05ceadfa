/**
 * The canonical signal model: one typed view of a flight whatever autopilot or file format wrote it.
 *
 * The analysis engine (vehicle type, checks, anomaly model) reads only this, so that per-autopilot
 * quirks — topic names per firmware era, multi-instance topics, sentinels, unit conventions — are
 * settled once, in the adapters, instead of in every check (the failure that killed LogAnalyzer and
 * DroneKit-LA, see shared/reference/flight-log-analysis.md).
 *
 * Invariants every adapter keeps:
 * - Signals are read-only: a signal may share its arrays with the decoded log and with other
 *   signals of the same series (no copy when the log is already clean and ordered).
 * - A {@link Signal} is never empty. Its `t` is finite, ascending (sorted if the log was not),
 *   in seconds on the log's own clock (not rebased). `v` is in the unit named by `unit` (SI, angles
 *   in rad); `NaN` in `v` means "no valid value at this sample" (e.g. a GPS eph sentinel), never 0.
 * - Absent data is `undefined` (or an empty list) **and** named in `missing` with a reason; an
 *   adapter never fills a gap with zeros.
 * - Multi-instance data stays per instance (actuator outputs, batteries, GPS, estimators, IMUs).
 */
import type { LogFormat } from '../formats/decoded-log.js';

/** One time series. `source` names where it came from, e.g. `ATT.Roll`, `vehicle_attitude.q→roll`. */
export interface Signal {
  readonly name: string;
  readonly unit: string;
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly source: string;
}

/** A closed time span in log seconds. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

export type Autopilot = 'px4' | 'ardupilot' | 'unknown';

/** ArduPilot vehicle family, from the firmware string (ArduCopter, APM:Plane, ArduRover …). */
export type ArduPilotFamily = 'copter' | 'plane' | 'rover' | 'sub' | 'tracker' | 'blimp';

/** What the log itself declares about the airframe; the vehicle-type detector weighs these. */
export interface DeclaredVehicle {
  readonly mavType?: number;
  readonly sysAutostart?: number;
  readonly vtType?: number;
  readonly caAirframe?: number;
  readonly frameClass?: number;
  readonly frameType?: number;
  /** ArduCopter before 3.5: `FRAME` (0 plus, 1 X …). */
  readonly frame?: number;
  readonly qEnable?: number;
  /** ArduPilot `SYSID_SW_TYPE` (0 plane, 10 copter, 20 rover) in old logs. */
  readonly sysidSwType?: number;
  /** PX4 `vehicle_status.is_vtol` ever true. */
  readonly isVtol?: boolean;
  /** ArduPilot "Frame: QUAD/X" text. */
  readonly frameText?: string;
}

export interface VehicleInfo {
  readonly autopilot: Autopilot;
  readonly logFormat: LogFormat;
  /** Full firmware string as logged, e.g. `ArduCopter V4.1.3 (2fb939a1)` or a PX4 git hash. */
  readonly firmware?: string;
  /** Dotted version, e.g. `4.1.3`, `1.16.0-rc`. */
  readonly firmwareVersion?: string;
  readonly hardware?: string;
  readonly ardupilotFamily?: ArduPilotFamily;
  readonly declared: DeclaredVehicle;
}

/** Roll/pitch/yaw (rad) or body rates (rad/s) — the same three axes. */
export interface AxisSignals {
  readonly roll?: Signal;
  readonly pitch?: Signal;
  readonly yaw?: Signal;
}

export interface PositionSignals {
  /** Local NED position (m) relative to the estimator origin. */
  readonly x?: Signal;
  readonly y?: Signal;
  readonly z?: Signal;
  /** NED velocity (m/s). */
  readonly vx?: Signal;
  readonly vy?: Signal;
  readonly vz?: Signal;
  /** Degrees. */
  readonly lat?: Signal;
  readonly lon?: Signal;
  /** Altitude above mean sea level (m). */
  readonly altMsl?: Signal;
  /** Altitude above home / origin, up positive (m). */
  readonly altRel?: Signal;
  /** Barometric altitude (m). */
  readonly baroAlt?: Signal;
  /** Horizontal ground speed (m/s). */
  readonly groundSpeed?: Signal;
}

/** One output group (PX4 `actuator_outputs` instance, ArduPilot `RCOU`, MAVLink SERVO_OUTPUT_RAW port). */
export interface ActuatorInstance {
  readonly instance: number;
  readonly source: string;
  /** `us` for PWM, `raw` for other ESC protocols, `norm` for normalised commands. */
  readonly unit: string;
  /** Channel index is the position in this list (channel 1 / output[0] first); non-constant first-n channels. */
  readonly channels: readonly Signal[];
}

export interface EscTelemetry {
  /** 0-based ESC index. */
  readonly index: number;
  readonly rpm?: Signal;
  readonly current?: Signal;
  readonly voltage?: Signal;
  readonly temperature?: Signal;
}

export interface BatteryInstance {
  readonly instance: number;
  /** Whether a monitor is really measuring a pack; a disconnected monitor must not raise findings. */
  readonly connected: boolean;
  readonly connectedReason: string;
  readonly voltage?: Signal;
  readonly current?: Signal;
  /** Consumed charge (mAh). */
  readonly consumed?: Signal;
  /** State of charge 0–1. */
  readonly remaining?: Signal;
  readonly temperature?: Signal;
  /** PX4 `battery_status.warning` (0 none, 1 low, 2 critical, 3 emergency, 4 failed). */
  readonly warning?: Signal;
  readonly cellCount?: number;
}

export interface GpsInstance {
  readonly instance: number;
  /** True when some sample has a 3-D fix or better; sentinel values never count as a fix. */
  readonly hasFix: boolean;
  /** 0–1 no fix, 2 2-D, 3 3-D, 4 DGPS, 5 RTK float, 6 RTK fixed (MAVLink GPS_FIX_TYPE). */
  readonly fixType?: Signal;
  readonly satellites?: Signal;
  /** Horizontal / vertical accuracy (m); NaN where the receiver had no fix or sent a sentinel. */
  readonly eph?: Signal;
  readonly epv?: Signal;
  readonly hdop?: Signal;
  readonly vdop?: Signal;
  readonly speedAccuracy?: Signal;
  readonly jamming?: Signal;
  readonly noise?: Signal;
}

/** One estimator instance: normalised innovation test ratios (> 1 = rejected) and status bitfields. */
export interface EstimatorInstance {
  readonly instance: number;
  readonly source: string;
  /** Named `vel`, `pos`, `hgt`, `mag`, `tas`, `hagl`, `beta`, `hdg`. */
  readonly testRatios: readonly Signal[];
  /** Raw bitfields/flags (filter_fault_flags, innovation_check_flags, EKF4.FS/SS …). */
  readonly flags: readonly Signal[];
}

export interface VibrationSignals {
  /** Per IMU: PX4 `accel_vibration_metric`, ArduPilot VIBE X/Y/Z (m/s²). */
  readonly metrics: readonly Signal[];
  /** Cumulative clipping counters. */
  readonly clipping: readonly Signal[];
  /** Raw accelerometer axes (m/s²) for logs without a vibration metric (2σ in hover, LogAnalyzer style). */
  readonly rawAccel: readonly Signal[];
}

export interface RcSignals {
  /** Channel 1 first (µs). */
  readonly channels: readonly Signal[];
  readonly rssi?: Signal;
  /** 1 while the link is lost / in RC failsafe, 0 otherwise. */
  readonly lost?: Signal;
  readonly lossIntervals: readonly Interval[];
}

export type FlightEventKind = 'failsafe' | 'error' | 'resolved' | 'event' | 'rc_loss' | 'battery' | 'crash';

export interface FlightEvent {
  readonly time: number;
  readonly kind: FlightEventKind;
  /** Stable machine name, e.g. `GPS_GLITCH`, `FAILSAFE_BATT`, `ARMED`, `battery_warning`. */
  readonly name: string;
  readonly source: string;
  readonly detail?: string;
}

export interface ModeSegment {
  readonly start: number;
  readonly end: number;
  readonly mode: number;
  readonly name: string;
}

export interface LogMessage {
  readonly time: number;
  /** Syslog 0 (emergency) … 7 (debug) when the log gives it. */
  readonly severity?: number;
  readonly text: string;
}

/** Board and controller health signals (read by `systemSignals`, absent fields = not logged). */
export interface SystemSignals {
  /** Flight-controller supply rail (V): PX4 `system_power.voltage5v_v`, ArduPilot `POWR.Vcc` / 2014 `CURR.Vcc`. */
  readonly boardVoltage?: Signal;
  /** PX4 `cpuload.load`, 0–1. */
  readonly cpuLoad?: Signal;
  /** ArduPilot `PM.NLon / PM.NLoop`: share of scheduler loops that overran, 0–1. */
  readonly slowLoops?: Signal;
  /** Magnetic field strength per magnetometer (PX4 Gauss, ArduPilot as logged — only relative changes are used). */
  readonly magField: readonly Signal[];
  /** Collective thrust / throttle command, 0–1. */
  readonly throttle?: Signal;
  readonly airspeed?: Signal;
  /** PX4 VTOL state: 1 transition to FW, 2 transition to MC, 3 multicopter, 4 fixed wing. */
  readonly vtolState?: Signal;
}

export interface FlightSignals {
  readonly vehicle: VehicleInfo;
  readonly parameters: ReadonlyMap<string, number>;
  /** First/last sample time over the extracted signals (robust to stray timestamps). */
  readonly timeRange?: Interval;
  readonly attitude: AxisSignals;
  readonly attitudeSetpoint: AxisSignals;
  readonly rates: AxisSignals;
  readonly rateSetpoint: AxisSignals;
  readonly position: PositionSignals;
  /** Only instances that carry data (all-zero / `noutputs == 0` instances are dropped). */
  readonly actuators: readonly ActuatorInstance[];
  readonly esc: readonly EscTelemetry[];
  readonly batteries: readonly BatteryInstance[];
  readonly gps: readonly GpsInstance[];
  readonly estimators: readonly EstimatorInstance[];
  readonly vibration: VibrationSignals;
  readonly rc: RcSignals;
  /** Failsafes, decoded errors and events, time-ordered. */
  readonly events: readonly FlightEvent[];
  readonly modes: readonly ModeSegment[];
  /** `undefined` when the log cannot tell; `[]` when it tells the vehicle was never armed. */
  readonly armed?: readonly Interval[];
  readonly armedSource?: string;
  readonly flying?: readonly Interval[];
  readonly flyingSource?: string;
  readonly messages: readonly LogMessage[];
  /** Board/controller health extras; optional so adapters and hand-built signals need not provide it. */
  readonly system?: SystemSignals;
  /** `path: reason` for every group or signal the log does not provide. */
  readonly missing: readonly string[];
}
