/**
 * The one thresholds table every check reads, versioned and sourced. Each entry names where its
 * number comes from (see shared/reference/flight-log-analysis.md §2–3); `ours` marks numbers we chose
 * where no public tool gives one, with the reason. Per-class overrides apply to the vehicle class of
 * the analysed log. Changing any number bumps THRESHOLDS_VERSION (and so the engine version).
 */
import type { ThresholdRef, VehicleType } from '../report/report.js';

export const THRESHOLDS_VERSION = '1.0.0';

export type VehicleClass = 'multirotor' | 'fixed_wing' | 'vtol' | 'helicopter' | 'ground';

export function vehicleClassOf(type: VehicleType): VehicleClass {
  if (type === 'rover' || type === 'boat') return 'ground';
  if (type === 'unknown') return 'multirotor';
  return type;
}

interface Entry {
  readonly value: number;
  readonly unit: string;
  readonly source: string;
  readonly byClass?: Partial<Record<VehicleClass, number>>;
}

export const THRESHOLDS = {
  'vibration.px4.warn': { value: 4.905, unit: 'm/s²', source: 'PX4 Flight Review vibration bands (accel_vibration_metric, orange from g/2)' },
  'vibration.px4.fail': { value: 9.81, unit: 'm/s²', source: 'PX4 Flight Review vibration bands (red above g)' },
  'vibration.ap.warn': { value: 30, unit: 'm/s²', source: 'ArduPilot vibration guidance (VIBE < 30 ok), pymavlink #1185 default' },
  'vibration.ap.fail': { value: 60, unit: 'm/s²', source: 'ArduPilot vibration guidance (VIBE > 60 bad), pymavlink #1185 default' },
  'vibration.raw.xy.warn': { value: 1.5, unit: 'm/s² (2σ)', source: 'ArduPilot LogAnalyzer Vibration test (IMU AccX/Y 2σ in hover)' },
  'vibration.raw.xy.fail': { value: 3.0, unit: 'm/s² (2σ)', source: 'ArduPilot LogAnalyzer Vibration test' },
  'vibration.raw.z.warn': { value: 2.0, unit: 'm/s² (2σ)', source: 'ArduPilot LogAnalyzer Vibration test (IMU AccZ 2σ)' },
  'vibration.raw.z.fail': { value: 5.0, unit: 'm/s² (2σ)', source: 'ArduPilot LogAnalyzer Vibration test' },
  'clipping.warn': { value: 1, unit: 'count', source: 'reference §3: any clipping increase in flight = warn' },
  'clipping.fail': { value: 100, unit: 'count', source: 'ours: "repeated" clipping made concrete as ≥ 100 clipped samples in steady flight' },
  'spectral.peakRatio.warn': { value: 20, unit: 'x median PSD', source: 'ours: a single narrow peak 20× the band median above 20 Hz (Flight Review asks for a flat spectrum above ~20 Hz)' },
  'spectral.minRate': { value: 100, unit: 'Hz', source: 'PX4 Flight Review: spectra only for topics sampled ≥ 100 Hz' },
  'battery.cell.fail': { value: 3.3, unit: 'V/cell', source: 'PX4 flight-review-rs battery_brownout (< 3.3 V × cells while armed)' },
  'battery.cell.warn': { value: 3.5, unit: 'V/cell', source: 'ours: LiPo under load below 3.5 V/cell is near empty; warn before the brownout rule' },
  'battery.remaining.warn': { value: 0.15, unit: 'ratio', source: 'DroneKit-LA Battery analyzer (remaining < 15 %)' },
  'battery.warning.fail': { value: 2, unit: 'enum', source: 'PX4 battery_status.warning ≥ 2 = critical/emergency' },
  'power.vcc.fail': { value: 4.6, unit: 'V', source: 'ArduPilot LogAnalyzer VCC test (min < 4.6 V fail)' },
  'power.vcc.swing.warn': { value: 0.3, unit: 'V', source: 'ArduPilot LogAnalyzer VCC test (swing > 0.3 V warn)' },
  'gps.sats.warn': { value: 6, unit: 'count', source: 'ArduPilot LogAnalyzer GPS test (sats < 6 warn)' },
  'gps.sats.fail': { value: 5, unit: 'count', source: 'ArduPilot LogAnalyzer GPS test (sats < 5 fail)' },
  'gps.hdop.warn': { value: 3, unit: '', source: 'ArduPilot LogAnalyzer GPS test (HDOP > 3 warn)' },
  'gps.hdop.fail': { value: 10, unit: '', source: 'ArduPilot LogAnalyzer GPS test (HDOP > 10 fail)' },
  'gps.jamming.warn': { value: 80, unit: '', source: 'PX4 docs (Flight Review guide): jamming indicator ≥ ~80 too high' },
  'gps.glitch.fail': { value: 3, unit: 'count', source: 'ours: reference says any glitch in flight; three or more = a sustained GPS problem' },
  'estimator.ratio.red': { value: 1, unit: 'test ratio', source: 'PX4 ecl/EKF: test ratio > 1 = measurement rejected' },
  'estimator.sustained.warn': { value: 2, unit: 's', source: 'PX4 flight-review-rs ekf_failure (> 1 sustained ≥ 2 s warn)' },
  'estimator.sustained.fail': { value: 5, unit: 's', source: 'PX4 flight-review-rs ekf_failure (≥ 5 s critical)' },
  'estimator.switch.fail': { value: 3, unit: 'count in 10 s', source: 'PX4 flight-review-rs ekf_selector_whipsaw (rapid primary switching)' },
  'compass.fieldChange.warn': { value: 0.25, unit: 'ratio', source: 'ArduPilot LogAnalyzer Compass test (field change > 25 %)' },
  'compass.fieldChange.fail': { value: 0.35, unit: 'ratio', source: 'ArduPilot LogAnalyzer Compass test (> 35 %)' },
  'compass.offsets.warn': { value: 300, unit: 'mGauss', source: 'ArduPilot LogAnalyzer Compass test (offsets > 300 warn)' },
  'compass.offsets.fail': { value: 500, unit: 'mGauss', source: 'ArduPilot LogAnalyzer Compass test (> 500 fail)' },
  'motors.imbalance.warn': { value: 75, unit: 'µs', source: 'ArduPilot LogAnalyzer Motor Balance (spread > 75 µs warn)' },
  'motors.imbalance.fail': { value: 150, unit: 'µs', source: 'ArduPilot LogAnalyzer Motor Balance (> 150 µs fail)' },
  'motors.saturation.level': { value: 0.9, unit: 'of output range', source: 'flight-review-rs motor_failure "locked at max" (≥ 1900 of 1000–2000 µs)' },
  'motors.saturation.warn': { value: 2.5, unit: 's', source: 'ours: flight-review-rs uses a 50-sample window; 2.5 s of steady flight at max outside a manoeuvre' },
  'motors.failure.low': { value: 0.05, unit: 'of output range', source: 'flight-review-rs motor_failure (output drops to ~0 while armed), per instance and only while flying' },
  'thrust.throttle': { value: 0.7, unit: 'ratio', source: 'ArduPilot LogAnalyzer Thrust test (throttle > 70 %)' },
  'thrust.tilt': { value: 20, unit: 'deg', source: 'ArduPilot LogAnalyzer Thrust test (tilt < 20°)' },
  'thrust.climb.fail': { value: 0.5, unit: 'm/s', source: 'ArduPilot LogAnalyzer Thrust test (climb < 0.5 m/s fail)' },
  'thrust.climb.warn': { value: 1.0, unit: 'm/s', source: 'ArduPilot LogAnalyzer Thrust test (climb < 1 m/s warn)' },
  'thrust.hover.warn': { value: 0.7, unit: 'ratio', source: 'ours: hover throttle above 70 % leaves < 30 % margin (same 70 % as LogAnalyzer)' },
  'attitude.error.warn': { value: 5, unit: 'deg', source: 'DroneKit-LA Attitude Control (warn 5°)', byClass: { fixed_wing: 10 } },
  'attitude.error.fail': { value: 10, unit: 'deg', source: 'DroneKit-LA Attitude Control (fail 10°)', byClass: { fixed_wing: 20 } },
  'attitude.error.duration': { value: 0.25, unit: 's', source: 'DroneKit-LA Attitude Control (≥ 0.25 s)' },
  'crash.tilt': { value: 55, unit: 'deg', source: 'ArduPilot LogAnalyzer Pitch/Roll (ANGLE_MAX 45° default + 10°)', byClass: { fixed_wing: 90, vtol: 90 } },
  'crash.tilt.fail': { value: 90, unit: 'deg', source: 'ours: beyond 90° a multirotor is inverted (DroneKit-LA crash: beyond ANGLE_MAX with motors up)', byClass: { fixed_wing: 150, vtol: 150 } },
  'crash.tilt.duration': { value: 0.5, unit: 's', source: 'ours: sustained, not a single sample' },
  'rc.loss.warn': { value: 0.5, unit: 's', source: 'PX4 flight-review-rs rc_loss (≥ 0.5 s warn)' },
  'rc.loss.fail': { value: 5, unit: 's', source: 'PX4 flight-review-rs rc_loss (≥ 5 s critical)' },
  'logging.dropouts.warn': { value: 0.5, unit: 's', source: 'reference §3: total dropouts > ~0.5 s' },
  'logging.cpu.warn': { value: 0.9, unit: 'ratio', source: 'ours: PX4 cpuload above 90 % leaves no scheduler margin' },
  'logging.slowLoops.warn': { value: 0.06, unit: 'ratio', source: 'ArduPilot LogAnalyzer PM test (slow loops > 6 % warn)' },
  'logging.slowLoops.fail': { value: 0.1, unit: 'ratio', source: 'ArduPilot LogAnalyzer PM test (> 10 % fail)' },
  'truncation.altitude': { value: 3, unit: 'm', source: 'ArduPilot LogAnalyzer Brownout test (last altitude > 3 m while armed)' },
  'empty.throttle': { value: 0.2, unit: 'ratio', source: 'ArduPilot LogAnalyzer Empty test (throttle never above 20 %)' },
} as const satisfies Record<string, Entry>;

export type ThresholdName = keyof typeof THRESHOLDS;

/** The threshold for a vehicle class, as a reference the finding carries. */
export function thresholdFor(name: ThresholdName, cls: VehicleClass): ThresholdRef {
  const e: Entry = THRESHOLDS[name];
  const value = e.byClass?.[cls] ?? e.value;
  return { name, value, unit: e.unit, source: e.byClass?.[cls] !== undefined ? `${e.source} — ${cls} value` : e.source };
}
