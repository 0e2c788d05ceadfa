/**
 * Flight-dynamics features the behaviour fallback reads when a log carries no usable metadata
 * (CSV exports, trimmed logs): how high and how fast the vehicle went, whether it hovered, and how
 * many output channels move together like lift motors.
 */
import type { FlightSignals, Signal } from '../signals/flight-signals.js';
import { median, percentile, percentiles, sustainedRuns, type Samples } from '../analysis/series-window.js';

export interface BehaviourFeatures {
  /** Altitude span (p98 − p2) over the log, m; NaN without an altitude signal. */
  readonly altitudeSpanM: number;
  /** p95 of horizontal speed, m/s. */
  readonly speedP95: number;
  /** Seconds spent clearly airborne (≥ 2 m above the start) and nearly still (< 1.5 m/s). */
  readonly hoverS: number;
  /** Seconds airborne and fast (> 8 m/s). */
  readonly fastAirborneS: number;
  /** Seconds on the ground level (< 1.5 m up) moving > 1 m/s. */
  readonly groundMovingS: number;
  /** Output channels that behave like lift motors: active, at similar levels, moving together. */
  readonly liftChannels: number;
  readonly outputChannels: number;
  /** Median tilt (max of |roll|, |pitch|), deg: no aircraft flies minutes at 60°+, a sideways-mounted rover board does. */
  readonly tiltMedianDeg: number;
  /** Lowest commanded throttle: below zero means reverse, which only ground and water vehicles have. */
  readonly throttleMin: number;
  readonly hasAirspeed: boolean;
  readonly durationS: number;
}

function all(s: Signal | undefined): Samples<number[]> {
  const t: number[] = [];
  const v: number[] = [];
  if (s)
    for (let i = 0; i < s.t.length; i++)
      if (Number.isFinite(s.v[i])) {
        t.push(s.t[i]!);
        v.push(s.v[i]!);
      }
  return { t, v };
}

/** Altitude up-positive: relative altitude, else baro, else −z. */
function altitude(s: FlightSignals): Samples<number[]> {
  if (s.position.altRel) return all(s.position.altRel);
  if (s.position.baroAlt) return all(s.position.baroAlt);
  const z = all(s.position.z);
  return { t: z.t, v: z.v.map((x) => -x) };
}

function speed(s: FlightSignals): Samples<number[]> {
  if (s.position.groundSpeed) return all(s.position.groundSpeed);
  const vx = s.position.vx;
  const vy = s.position.vy;
  if (!vx || !vy || vx.t.length !== vy.t.length) return { t: [], v: [] };
  const t: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < vx.t.length; i++) {
    const h = Math.hypot(vx.v[i]!, vy.v[i]!);
    if (Number.isFinite(h)) {
      t.push(vx.t[i]!);
      v.push(h);
    }
  }
  return { t, v };
}

/** Value of samples nearest at or before `t` (samples sorted). */
function at(sm: Samples, t: number, cursor: { i: number }): number {
  while (cursor.i + 1 < sm.t.length && sm.t[cursor.i + 1]! <= t) cursor.i++;
  return sm.t.length && sm.t[cursor.i]! <= t + 1 ? sm.v[cursor.i]! : NaN;
}

function durationWhere(base: Samples<number[]>, pred: (i: number) => boolean, minS: number): number {
  const flags: Samples = { t: base.t, v: base.t.map((_, i) => (pred(i) ? 1 : 0)) };
  return sustainedRuns(flags, (x) => x === 1, minS).reduce((sum, r) => sum + r.end - r.start, 0);
}

function liftChannels(s: FlightSignals): { lift: number; total: number } {
  let best = { lift: 0, total: 0 };
  for (const inst of s.actuators) {
    // Channels that never move (servos at trim, unused outputs at their disarmed value) are not motors.
    // p1, p75, p99 of each channel.
    const levels = inst.channels.map((c) => percentiles(c.v, [1, 75, 99]) as [number, number, number]);
    const moving = levels.filter(([p1, , p99]) => p99 - p1 > 20);
    const meds = moving.map(([, p75]) => p75);
    const active = meds.filter((m) => Number.isFinite(m));
    const ref = median(active);
    const span = Math.max(0, ...moving.map(([, , p99]) => p99)) - Math.min(Infinity, ...moving.map(([p1]) => p1));
    // Lift motors sit within 15 % of the group's span of each other at cruise level.
    const lift = active.filter((m) => Math.abs(m - ref) <= 0.15 * Math.max(span, 1)).length;
    if (lift > best.lift) best = { lift, total: moving.length };
  }
  return best;
}

export function behaviourFeatures(s: FlightSignals): BehaviourFeatures {
  const alt = altitude(s);
  const spd = speed(s);
  const base = alt.t.length ? percentile(alt.v.slice(0, Math.max(5, Math.floor(alt.v.length * 0.05))), 50) : NaN;
  const cur = { i: 0 };
  const spdAtAlt = alt.t.map((t) => at(spd, t, cur));
  const up = (i: number): number => alt.v[i]! - base;
  const roll = all(s.attitude.roll);
  const pcur = { i: 0 };
  const pitch = all(s.attitude.pitch);
  const tilt = roll.t.map((t, i) => Math.max(Math.abs(roll.v[i]!), Math.abs(at(pitch, t, pcur)) || 0) * (180 / Math.PI));
  const range = s.timeRange;
  const { lift, total } = liftChannels(s);
  return {
    altitudeSpanM: alt.t.length ? percentile(alt.v, 98) - percentile(alt.v, 2) : NaN,
    speedP95: spd.t.length ? percentile(spd.v, 95) : NaN,
    hoverS: durationWhere(alt, (i) => up(i) >= 2 && spdAtAlt[i]! < 1.5, 2),
    fastAirborneS: durationWhere(alt, (i) => up(i) >= 2 && spdAtAlt[i]! > 8, 2),
    groundMovingS: durationWhere(alt, (i) => Math.abs(up(i)) < 1.5 && spdAtAlt[i]! > 1, 2),
    liftChannels: lift,
    outputChannels: total,
    tiltMedianDeg: tilt.length ? percentile(tilt, 50) : NaN,
    throttleMin: s.system?.throttle ? percentile(all(s.system.throttle).v, 1) : NaN,
    hasAirspeed: s.system?.airspeed !== undefined,
    durationS: range ? range.end - range.start : 0,
  };
}
