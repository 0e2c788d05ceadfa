/**
 * Flight phases: armed, flying, take-off, landing, hover/cruise and VTOL multicopter/fixed-wing
 * flight with the transitions between them. Checks read `steady` — flying time minus the take-off
 * and landing transients and a margin around VTOL transitions — so that ground time and transients
 * cannot raise findings (the main false-positive source in the public tools).
 */
import type { FlightSignals, Interval, Signal } from '../signals/flight-signals.js';
import type { PhaseSegment, VehicleReport } from '../report/report.js';
import { sustainedRuns, subtract, trim, type Samples } from '../analysis/series-window.js';

/** Seconds cut after take-off and before landing (a few seconds: LogAnalyzer / Flight Review practice). */
export const TRANSIENT_TRIM_S = 3;
/** Margin around a VTOL transition. */
const TRANSITION_MARGIN_S = 2;

export interface FlightPhases {
  readonly armed: readonly Interval[];
  /** False when the log does not say when it was armed. */
  readonly armedKnown: boolean;
  readonly flying: readonly Interval[];
  /** How flying was decided (signal-model rule, or inferred here from altitude/speed). */
  readonly flyingSource: string;
  readonly steady: readonly Interval[];
  readonly hover: readonly Interval[];
  readonly cruise: readonly Interval[];
  readonly vtolMc: readonly Interval[];
  readonly vtolFw: readonly Interval[];
  readonly transitions: readonly Interval[];
  readonly segments: readonly PhaseSegment[];
}

function samples(s: Signal | undefined): Samples<number[]> {
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

function speedSamples(s: FlightSignals): Samples<number[]> {
  if (s.position.groundSpeed) return samples(s.position.groundSpeed);
  const { vx, vy } = s.position;
  if (!vx || !vy || vx.t.length !== vy.t.length) return { t: [], v: [] };
  const out = samples(vx);
  const vyS = samples(vy);
  if (vyS.v.length !== out.v.length) return { t: [], v: [] };
  return { t: out.t, v: out.v.map((x, i) => Math.hypot(x, vyS.v[i]!)) };
}

/** Flying inferred from altitude (≥ 3 m above the start for ≥ 5 s) when the log has no landed state. */
function inferFlying(s: FlightSignals): Interval[] {
  const alt = samples(s.position.altRel ?? s.position.baroAlt);
  if (alt.t.length < 10) return [];
  const head = alt.v.slice(0, Math.max(5, Math.floor(alt.v.length * 0.02))).sort((a, b) => a - b);
  const base = head[Math.floor(head.length / 2)]!;
  return sustainedRuns(alt, (v) => v - base >= 3, 5);
}

function vtolIntervals(s: FlightSignals): { mc: Interval[]; fw: Interval[]; trans: Interval[]; source: string } {
  const state = s.system?.vtolState;
  const mc: Interval[] = [];
  const fw: Interval[] = [];
  const trans: Interval[] = [];
  if (state) {
    const st = samples(state);
    const push = (code: number, list: Interval[]): void => {
      list.push(...sustainedRuns(st, (v) => v === code, 0, Infinity));
    };
    push(3, mc);
    push(4, fw);
    push(1, trans);
    push(2, trans);
    return { mc, fw, trans, source: state.source };
  }
  for (const m of s.modes) (/^Q/.test(m.name) ? mc : fw).push({ start: m.start, end: m.end });
  return { mc, fw, trans, source: 'flight modes (Q-modes = multicopter)' };
}

export function detectPhases(s: FlightSignals, vehicle: VehicleReport): FlightPhases {
  const armed = s.armed ?? [];
  const ground = vehicle.type === 'rover' || vehicle.type === 'boat';
  let flying: readonly Interval[] = s.flying ?? [];
  let flyingSource = s.flyingSource ?? 'none';
  if (ground) {
    flying = [];
    flyingSource = 'ground vehicle: never flying';
  } else if (s.flying === undefined) {
    flying = inferFlying(s);
    flyingSource = 'inferred: altitude ≥ 3 m above start for ≥ 5 s (no landed state in log)';
  }
  const segments: PhaseSegment[] = [];
  const seg = (kind: PhaseSegment['kind'], list: readonly Interval[], source: string): void => {
    for (const iv of list) segments.push({ kind, start: iv.start, end: iv.end, source });
  };
  seg('armed', armed, s.armedSource ?? 'armed state');
  seg('flying', flying, flyingSource);
  for (const iv of flying) {
    const edge = Math.min(TRANSIENT_TRIM_S, (iv.end - iv.start) / 2);
    segments.push({ kind: 'takeoff', start: iv.start, end: iv.start + edge, source: `first ${TRANSIENT_TRIM_S} s of flight` });
    segments.push({ kind: 'landing', start: iv.end - edge, end: iv.end, source: `last ${TRANSIENT_TRIM_S} s of flight` });
  }
  let vtolMc: Interval[] = [];
  let vtolFw: Interval[] = [];
  let transitions: Interval[] = [];
  if (vehicle.type === 'vtol') {
    const v = vtolIntervals(s);
    const clip = (list: Interval[]): Interval[] =>
      list.flatMap((a) => flying.map((b) => ({ start: Math.max(a.start, b.start), end: Math.min(a.end, b.end) }))).filter((x) => x.end > x.start);
    vtolMc = clip(v.mc);
    vtolFw = clip(v.fw);
    transitions = clip(v.trans);
    seg('vtol_mc', vtolMc, v.source);
    seg('vtol_fw', vtolFw, v.source);
    seg('transition_to_fw', transitions, v.source);
  }
  const margin = transitions.map((t) => ({ start: t.start - TRANSITION_MARGIN_S, end: t.end + TRANSITION_MARGIN_S }));
  const steady = subtract(trim(flying, TRANSIENT_TRIM_S, TRANSIENT_TRIM_S), margin);
  let hover: Interval[] = [];
  let cruise: Interval[] = [];
  if (vehicle.type === 'fixed_wing') cruise = steady;
  else {
    const speed = speedSamples(s);
    if (speed.t.length > 0) {
      const inSteady = { t: [] as number[], v: [] as number[] };
      for (let i = 0; i < speed.t.length; i++)
        if (steady.some((iv) => speed.t[i]! >= iv.start && speed.t[i]! <= iv.end)) {
          inSteady.t.push(speed.t[i]!);
          inSteady.v.push(speed.v[i]!);
        }
      hover = sustainedRuns(inSteady, (v) => v < 2, 2);
      cruise = sustainedRuns(inSteady, (v) => v >= 2, 2);
      if (vehicle.type === 'vtol' && vtolFw.length) cruise = [...cruise, ...vtolFw];
    }
  }
  seg('hover', hover, 'steady flight, horizontal speed < 2 m/s');
  seg('cruise', cruise, vehicle.type === 'fixed_wing' ? 'steady fixed-wing flight' : 'steady flight, horizontal speed ≥ 2 m/s');
  segments.sort((a, b) => a.start - b.start || a.kind.localeCompare(b.kind));
  return { armed, armedKnown: s.armed !== undefined, flying, flyingSource, steady, hover, cruise, vtolMc, vtolFw, transitions, segments };
}
