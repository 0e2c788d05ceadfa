/**
 * Motor outputs per output group (PX4 `actuator_outputs` instance, ArduPilot RCOU): imbalance of the
 * hover medians (LogAnalyzer Motor Balance), saturation at the top of the range, and a motor dropping
 * to idle while the others carry the vehicle. Judged per instance and only over steady multicopter
 * flight — mixing instances is what made flight-review-rs call the esc_status log a "motor failure".
 */
import type { ActuatorInstance, Signal } from '../signals/flight-signals.js';
import type { Finding } from '../report/report.js';
import { compactRanges, median, percentile, percentiles, round, samplesWithin, sustainedRuns, totalS } from '../analysis/series-window.js';
import { finding, GROUND_SUPPRESSION, noSteadyFlight, th, type CheckContext, type FlightCheck } from './check.js';

export interface MotorGroup {
  readonly instance: ActuatorInstance;
  readonly motors: readonly Signal[];
  /** Output value at zero and full thrust, and the factor to µs-equivalent (1000 per full range). */
  readonly min: number;
  readonly max: number;
  readonly toUs: number;
}

/** Three motor checks share one context: the group is found once per analysis. */
const motorGroups = new WeakMap<CheckContext, MotorGroup | undefined>();

/** The output group and channels that drive the lift motors (moving channels at similar levels). */
export function motorGroup(ctx: CheckContext): MotorGroup | undefined {
  if (!motorGroups.has(ctx)) motorGroups.set(ctx, findMotorGroup(ctx));
  return motorGroups.get(ctx);
}

function findMotorGroup(ctx: CheckContext): MotorGroup | undefined {
  let best: MotorGroup | undefined;
  const want = ctx.vehicle.rotorCount;
  for (const inst of ctx.signals.actuators) {
    const moving = inst.channels.filter((c) => {
      const [p1, p99] = percentiles(c.v, [1, 99]) as [number, number];
      return p99 - p1 > 20;
    });
    if (moving.length < 2) continue;
    const motors = want && moving.length >= want ? moving.slice(0, want) : moving;
    const raw = inst.unit === 'raw';
    const top = Math.max(...motors.map((c) => percentile(c.v, 100)));
    // PWM: 1000–2000 µs. Raw ESC units: DShot 0–2047, UAVCAN 0–8191 — picked from the largest value seen.
    const [min, max] = raw ? [0, top > 2047 ? 8191 : 2047] : [1000, 2000];
    const group = { instance: inst, motors, min, max, toUs: 1000 / (max - min) };
    if (!best || motors.length > best.motors.length) best = group;
  }
  return best;
}

function applicability(check: Pick<FlightCheck, 'id' | 'family' | 'title'>, ctx: CheckContext): Finding | MotorGroup {
  if (ctx.vehicleClass === 'ground') return finding(check, { status: 'not_applicable', reason: 'Ground vehicle.', suppressions: [GROUND_SUPPRESSION] });
  if (ctx.vehicleClass === 'fixed_wing' || ctx.vehicleClass === 'helicopter')
    return finding(check, { status: 'not_applicable', reason: `Motor balance applies to multicopter lift motors, not to a ${ctx.vehicle.type.replace('_', '-')}.`, suppressions: [{ id: 'vehicle_class', reason: 'no multicopter lift motors' }] });
  if (ctx.phases.steady.length === 0) return noSteadyFlight(check, ctx);
  const g = motorGroup(ctx);
  if (!g || g.motors.length < 3) return finding(check, { status: 'insufficient_data', reason: 'No group of at least three moving motor outputs in the log.' });
  return g;
}

/** Multicopter time to judge motors on: hover if known, else steady flight (VTOL: its MC phase only). */
function motorWindow(ctx: CheckContext): readonly { start: number; end: number }[] {
  const base = ctx.phases.hover.length ? ctx.phases.hover : ctx.phases.steady;
  if (ctx.vehicleClass !== 'vtol') return base;
  return base.flatMap((a) => ctx.phases.vtolMc.map((b) => ({ start: Math.max(a.start, b.start), end: Math.min(a.end, b.end) }))).filter((x) => x.end > x.start);
}

/**
 * Quad-X outputs 1&2 and 3&4 are the diagonal pairs spinning the same way (PX4 and ArduPilot
 * numbering): each pair level but the pairs apart is a yaw-torque offset (reference: "opposite-pair
 * offset = yaw imbalance"); one motor alone apart is a thrust problem at that corner.
 */
export function quadPattern(meds: readonly number[]): 'yaw_pair' | 'single_motor' | 'mixed' | 'n/a' {
  if (meds.length !== 4) return 'n/a';
  const [a, b, c, d] = meds as [number, number, number, number];
  const within = Math.max(Math.abs(a - b), Math.abs(c - d));
  const between = Math.abs((a + b) / 2 - (c + d) / 2);
  if (between > 2 * within) return 'yaw_pair';
  const mean = (a + b + c + d) / 4;
  const dev = meds.map((m) => Math.abs(m - mean)).sort((x, y) => y - x);
  return dev[0]! > 2 * dev[1]! ? 'single_motor' : 'mixed';
}

export const motorImbalanceCheck: FlightCheck = {
  id: 'motors.imbalance',
  family: 'motors',
  title: 'Motor output imbalance',
  run(ctx: CheckContext): Finding[] {
    const g = applicability(this, ctx);
    if (!('motors' in g)) return [g];
    const window = motorWindow(ctx);
    const meds = g.motors.map((m) => median(samplesWithin(m, window).v));
    if (meds.some((m) => !Number.isFinite(m))) return [finding(this, { status: 'insufficient_data', reason: 'No motor samples in hover/steady flight.' })];
    const spreadUs = (Math.max(...meds) - Math.min(...meds)) * g.toUs;
    const mean = meds.reduce((a, b) => a + b, 0) / meds.length;
    const outlier = meds.reduce((bi, m, i) => (Math.abs(m - mean) > Math.abs(meds[bi]! - mean) ? i : bi), 0);
    const warn = th(ctx, 'motors.imbalance.warn');
    const fail = th(ctx, 'motors.imbalance.fail');
    const status = spreadUs > fail.value ? 'fail' : spreadUs > warn.value ? 'warn' : 'pass';
    const pattern = quadPattern(meds);
    const values: Record<string, number | string | null> = { spreadUs: round(spreadUs), outlierMotor: outlier + 1, pattern };
    meds.forEach((m, i) => (values[`motor${i + 1}Median`] = round(m)));
    return [
      finding(this, {
        status,
        // A diagonal-pair (yaw) offset is common and flyable; a single motor working harder is not.
        severity: status === 'fail' ? 'high' : pattern === 'yaw_pair' ? 'low' : 'medium',
        instance: g.instance.instance,
        reason: `${pattern === 'yaw_pair' ? 'Diagonal motor pairs differ (yaw-torque imbalance: a twisted/tilted motor or yaw trim). ' : ''}${ctx.phases.hover.length ? 'Hover' : 'Steady-flight'} median outputs differ by ${round(spreadUs, 3)} µs-equivalent across ${g.motors.length} motors; motor ${outlier + 1} is furthest from the mean (warn above ${warn.value}, fail above ${fail.value}). A lasting offset points to a damaged prop, a weak motor, CG offset or a tilted motor.`,
        evidence: { values, thresholds: [warn, fail], signals: g.motors.map((m) => `${g.instance.source}.${m.name}`), timeRanges: compactRanges(window) },
      }),
    ];
  },
};

export const motorSaturationCheck: FlightCheck = {
  id: 'motors.saturation',
  family: 'motors',
  title: 'Motor saturation',
  run(ctx: CheckContext): Finding[] {
    const g = applicability(this, ctx);
    if (!('motors' in g)) return [g];
    const level = th(ctx, 'motors.saturation.level');
    const warn = th(ctx, 'motors.saturation.warn');
    const top = g.min + level.value * (g.max - g.min);
    const runs = g.motors.flatMap((m) => sustainedRuns(samplesWithin(m, motorWindow(ctx)), (v) => v >= top, warn.value));
    const sat = totalS(compactRanges(runs, 0.5, 1000));
    const share = sat / Math.max(1e-9, totalS(motorWindow(ctx)));
    const status = share > 0.25 ? 'fail' : sat >= warn.value ? 'warn' : 'pass';
    return [
      finding(this, {
        status,
        instance: g.instance.instance,
        reason: `Motors at ≥ ${Math.round(level.value * 100)} % of range for ${round(sat, 3)} s of steady flight (${Math.round(share * 100)} %; warn from ${warn.value} s sustained, fail above 25 % of the time). Long saturation outside full-throttle manoeuvres means overweight or underpowered.`,
        evidence: { values: { saturatedS: round(sat), share: round(share) }, thresholds: [level, warn], signals: g.motors.map((m) => `${g.instance.source}.${m.name}`), timeRanges: compactRanges(runs) },
      }),
    ];
  },
};

export const motorFailureCheck: FlightCheck = {
  id: 'motors.failure',
  family: 'motors',
  title: 'Motor output failure',
  run(ctx: CheckContext): Finding[] {
    const g = applicability(this, ctx);
    if (!('motors' in g)) return [g];
    const low = th(ctx, 'motors.failure.low');
    const floor = g.min + low.value * (g.max - g.min);
    const window = motorWindow(ctx);
    const series = g.motors.map((m) => samplesWithin(m, window));
    const ranges: { start: number; end: number; label: string }[] = [];
    series.forEach((s, i) => {
      for (const r of sustainedRuns(s, (v) => v <= floor, 0.3)) {
        // Only a failure when the other motors are carrying the vehicle at the same time.
        const others = series.filter((_, j) => j !== i).map((o) => median(samplesWithin({ ...g.motors[0]!, t: o.t, v: o.v }, [r]).v));
        if (others.some((o) => o > g.min + 0.3 * (g.max - g.min))) ranges.push({ ...r, label: `motor ${i + 1} at idle` });
      }
    });
    return [
      finding(this, {
        status: ranges.length ? 'fail' : 'pass',
        severity: 'critical',
        instance: g.instance.instance,
        reason: ranges.length ? `${ranges[0]!.label} for ${round(ranges[0]!.end - ranges[0]!.start, 3)} s while the other motors carried the vehicle in flight.` : `No motor of output group ${g.instance.instance} dropped to idle while flying.`,
        evidence: { values: { events: ranges.length }, thresholds: [low], signals: g.motors.map((m) => `${g.instance.source}.${m.name}`), timeRanges: ranges.slice(0, 10) },
        suppressions: [{ id: 'per_instance', reason: 'outputs judged within one output group only, during steady flight' }],
      }),
    ];
  },
};
