/**
 * Tilt tracking error: the angle between the thrust axis the controller was asked for and the one the
 * vehicle had. A multirotor steers by tilting its thrust axis; its yaw is controlled last and more
 * slowly (PX4 weights yaw down, MC_YAW_WEIGHT). Comparing ZYX roll and pitch instead reads yaw lag in a
 * turn as roll/pitch error, because both angles are measured in the (lagging) yawed frame.
 *
 * PX4 logs the position controller's raw, unshaped attitude setpoint, and its attitude loop answers it
 * as a proportional controller on the thrust-axis error (gain MC_ROLL_P/MC_PITCH_P, 1/s) whose rate is
 * capped at MC_ROLLRATE_MAX/MC_PITCHRATE_MAX. A healthy vehicle therefore trails a fast setpoint by
 * exactly that configured response. For PX4 the setpoint is first passed through that response (the
 * reference model), so the check judges the vehicle against what its own configuration asks of it.
 * ArduPilot logs the already shaped target (ATT.DesRoll/DesPitch after input shaping): no model there.
 */
import type { AxisSignals, Signal } from '../signals/flight-signals.js';
import type { Samples } from '../analysis/series-window.js';

const DEG = 180 / Math.PI;
/** A setpoint older than this is stale (setpoint topics stop or slow down in some modes). */
export const MAX_SETPOINT_AGE_S = 0.5;

type Vec3 = readonly [number, number, number];

/** Body z axis in the world (NED) frame for ZYX Euler angles (rad). */
export function thrustAxis(roll: number, pitch: number, yaw: number): Vec3 {
  const cr = Math.cos(roll);
  return [
    Math.cos(yaw) * Math.sin(pitch) * cr + Math.sin(yaw) * Math.sin(roll),
    Math.sin(yaw) * Math.sin(pitch) * cr - Math.cos(yaw) * Math.sin(roll),
    Math.cos(pitch) * cr,
  ];
}

const angleBetween = (a: Vec3, b: Vec3): number =>
  Math.acos(Math.max(-1, Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2])));

/** The attitude loop's configured response to a setpoint change. */
export interface AttitudeResponse {
  /** Proportional gain on the tilt error, 1/s (the loop's time constant is its inverse). */
  readonly gain: number;
  /** Largest tilt rate the loop commands, rad/s. */
  readonly rateMax: number;
  /** Where the numbers came from, for the evidence. */
  readonly source: string;
}

/** PX4 defaults (PX4 parameter reference: MC_ROLL_P/MC_PITCH_P 6.5, MC_ROLLRATE_MAX/MC_PITCHRATE_MAX 220°/s). */
const PX4_DEFAULT_GAIN = 6.5;
const PX4_DEFAULT_RATE_MAX_DEG_S = 220;

/** The slower of the roll and pitch loops bounds how fast the thrust axis can follow in any direction. */
export function px4AttitudeResponse(parameters: ReadonlyMap<string, number>): AttitudeResponse {
  const fromLog = (name: string, fallback: number): { value: number; logged: boolean } => {
    const v = parameters.get(name);
    return v !== undefined && Number.isFinite(v) && v > 0
      ? { value: v, logged: true }
      : { value: fallback, logged: false };
  };
  const gains = [fromLog('MC_ROLL_P', PX4_DEFAULT_GAIN), fromLog('MC_PITCH_P', PX4_DEFAULT_GAIN)];
  const rates = [
    fromLog('MC_ROLLRATE_MAX', PX4_DEFAULT_RATE_MAX_DEG_S),
    fromLog('MC_PITCHRATE_MAX', PX4_DEFAULT_RATE_MAX_DEG_S),
  ];
  const logged = [...gains, ...rates].every((p) => p.logged);
  return {
    gain: Math.min(gains[0]!.value, gains[1]!.value),
    rateMax: Math.min(rates[0]!.value, rates[1]!.value) / DEG,
    source: logged
      ? 'log parameters MC_ROLL_P/MC_PITCH_P, MC_ROLLRATE_MAX/MC_PITCHRATE_MAX'
      : 'PX4 defaults where the log has no MC_*_P / MC_*RATE_MAX parameter',
  };
}

/** Rotates unit vector `from` towards `to` by `step` rad along the great circle (slerp). */
function rotateTowards(from: Vec3, to: Vec3, angle: number, step: number): Vec3 {
  if (angle < 1e-9) return to;
  const a = Math.sin(angle - step) / Math.sin(angle);
  const b = Math.sin(step) / Math.sin(angle);
  return [a * from[0] + b * to[0], a * from[1] + b * to[1], a * from[2] + b * to[2]];
}

/** Step-holds a signal at increasing times; NaN where it has no sample from the last 0.5 s. */
function heldReader(signal: Signal | undefined): (t: number) => number {
  let j = 0;
  return (t) => {
    if (!signal || signal.t.length === 0) return NaN;
    while (j + 1 < signal.t.length && signal.t[j + 1]! <= t) j++;
    const age = t - signal.t[j]!;
    return age < 0 || age > MAX_SETPOINT_AGE_S ? NaN : signal.v[j]!;
  };
}

/**
 * Tilt error in degrees at each attitude sample inside the windows. Needs roll and pitch of both the
 * attitude and the setpoint; yaw is optional (a missing setpoint yaw means "the actual yaw", a missing
 * attitude yaw a common zero). With a response, the setpoint's thrust axis is first filtered through it.
 */
export function tiltTrackingError(
  actual: AxisSignals,
  setpoint: AxisSignals,
  windows: readonly { start: number; end: number }[],
  response?: AttitudeResponse,
): Samples {
  const roll = actual.roll!;
  const actualPitch = heldReader(actual.pitch);
  const setRoll = heldReader(setpoint.roll);
  const setPitch = heldReader(setpoint.pitch);
  const setYaw = heldReader(setpoint.yaw);
  const actualYaw = heldReader(actual.yaw);
  const t: number[] = [];
  const v: number[] = [];
  let reference: Vec3 | undefined;
  let lastT = NaN;
  let k = 0;
  for (let i = 0; i < roll.t.length; i++) {
    const ti = roll.t[i]!;
    while (k < windows.length && windows[k]!.end < ti) k++;
    if (k >= windows.length) break;
    const yaw = actual.yaw ? actualYaw(ti) : 0;
    const desiredRoll = setRoll(ti);
    const desiredPitch = setPitch(ti);
    const desiredYaw = setYaw(ti);
    if (ti < windows[k]!.start || !Number.isFinite(desiredRoll + desiredPitch)) {
      reference = undefined;
      continue;
    }
    const desired = thrustAxis(desiredRoll, desiredPitch, Number.isFinite(desiredYaw) ? desiredYaw : yaw);
    if (!response || !reference || ti - lastT > MAX_SETPOINT_AGE_S) reference = desired;
    else {
      // Exact discretisation of the proportional loop, then its rate cap: stable at any sample interval.
      const dt = ti - lastT;
      const angle = angleBetween(reference, desired);
      reference = rotateTowards(
        reference,
        desired,
        angle,
        Math.min(angle * (1 - Math.exp(-response.gain * dt)), response.rateMax * dt),
      );
    }
    lastT = ti;
    const error = angleBetween(thrustAxis(roll.v[i]!, actualPitch(ti), yaw), reference) * DEG;
    if (!Number.isFinite(error)) continue;
    t.push(ti);
    v.push(error);
  }
  return { t, v };
}
