/**
 * The stored summary of a decoded flight: what the flights list and the flight page show without
 * touching signals. Built from the inspection (the same figures `skyguard flight inspect` prints),
 * the canonical signals and the decoded log. Pure: no clock, no I/O.
 */
import type { DecodedLog, LogFormat } from '../formats/decoded-log.js';
import type { LogInspection } from '../inspect/log-inspection.sink.js';
import type { FlightSignals, Interval, VehicleInfo } from '../signals/flight-signals.js';

export type VehicleTypeHint = 'multirotor' | 'fixed_wing' | 'vtol' | 'helicopter' | 'rover' | 'boat' | 'submarine' | 'unknown';

/** Lists in the summary are capped so a hostile or enormous log cannot bloat the row. */
export const SUMMARY_LIST_CAP = 500;

export interface FlightSummary {
  readonly format: LogFormat;
  readonly formatVersion: string;
  readonly completeness: LogInspection['completeness'];
  readonly autopilot: VehicleInfo['autopilot'];
  readonly firmware: string | null;
  readonly firmwareVersion: string | null;
  readonly hardware: string | null;
  readonly vehicleType: VehicleTypeHint;
  /** What the log declares (MAV_TYPE, frame parameters, info keys) — evidence for the type hint. */
  readonly vehicleHints: Readonly<Record<string, string | number | boolean>>;
  /** The log's span in log-clock seconds (not rebased), as `skyguard flight inspect` reports it. */
  readonly timeRange: Interval | null;
  /** The span the canonical signals cover (may be shorter: a log can record long after landing). */
  readonly signalTimeRange: Interval | null;
  readonly durationS: number | null;
  /** UTC start (ISO 8601) when the log carries absolute time (GPS/UTC stamps, tlog host clock). */
  readonly startedAt: string | null;
  readonly armed: readonly Interval[] | null;
  readonly flying: readonly Interval[] | null;
  readonly modes: readonly { start: number; end: number; name: string }[];
  readonly events: readonly { time: number; kind: string; name: string; detail?: string }[];
  readonly messages: { readonly count: number; readonly notable: LogInspection['notableMessages'] };
  readonly topics: readonly { topic: string; instance: number; records: number }[];
  readonly parameters: number;
  readonly dropouts: LogInspection['dropouts'];
  readonly warnings: LogInspection['warnings'];
  readonly signalCount: number;
  /** `path: reason` for every canonical signal group the log does not provide. */
  readonly missing: readonly string[];
}

const MAV_TYPE_HINT: Readonly<Record<number, VehicleTypeHint>> = {
  1: 'fixed_wing', 2: 'multirotor', 3: 'multirotor', 4: 'helicopter', 10: 'rover', 11: 'boat', 12: 'submarine',
  13: 'multirotor', 14: 'multirotor', 15: 'multirotor', 19: 'vtol', 20: 'vtol', 21: 'vtol', 22: 'vtol', 23: 'vtol',
  24: 'vtol', 25: 'vtol', 29: 'multirotor',
};

/** The vehicle type the log declares (not the analysis engine's detection, which weighs behaviour too). */
export function vehicleTypeHint(v: VehicleInfo): VehicleTypeHint {
  const d = v.declared;
  if (d.isVtol || (d.vtType !== undefined && d.vtType > 0) || (d.qEnable !== undefined && d.qEnable > 0)) return 'vtol';
  if (v.ardupilotFamily) {
    const family: Record<string, VehicleTypeHint> = { copter: 'multirotor', plane: 'fixed_wing', rover: 'rover', sub: 'submarine', blimp: 'unknown', tracker: 'unknown' };
    if (v.ardupilotFamily === 'copter' && d.frameClass === 6) return 'helicopter';
    return family[v.ardupilotFamily] ?? 'unknown';
  }
  if (d.mavType !== undefined) return MAV_TYPE_HINT[d.mavType] ?? 'unknown';
  if (d.sysidSwType !== undefined) return ({ 0: 'fixed_wing', 10: 'multirotor', 20: 'rover' } as Record<number, VehicleTypeHint>)[d.sysidSwType] ?? 'unknown';
  return 'unknown';
}

const GPS_EPOCH_S = Date.UTC(1980, 0, 6) / 1000;
/** GPS − UTC leap seconds by the UTC date they took effect (only those since GPS logging on drones). */
const LEAP_SECONDS: readonly [number, number][] = [
  [Date.UTC(2017, 0, 1) / 1000, 18], [Date.UTC(2015, 6, 1) / 1000, 17], [Date.UTC(2012, 6, 1) / 1000, 16], [0, 15],
];
const gpsToUtc = (week: number, ms: number): number => {
  const gps = GPS_EPOCH_S + week * 604_800 + ms / 1000;
  return gps - (LEAP_SECONDS.find(([from]) => gps - 18 >= from)?.[1] ?? 15);
};
/** Plausible UTC seconds for a flight log: 2005 … 2100. */
const plausible = (utc: number): boolean => utc > 1.1e9 && utc < 4.1e9;

/**
 * UTC of the log-clock instant `start`, from the first valid absolute time the log carries: PX4
 * `time_utc_usec`, ArduPilot GPS week + milliseconds, or a tlog's host timestamps (Unix time).
 */
export function utcStartOf(log: DecodedLog, start: number): Date | null {
  if (log.format === 'tlog') return plausible(start) ? new Date(start * 1000) : null;
  for (const s of log.series) {
    const utc = s.columns.get('time_utc_usec');
    const week = s.columns.get('GWk') ?? s.columns.get('Week');
    const ms = s.columns.get('GMS') ?? s.columns.get('TimeMS');
    for (let i = 0; i < s.timestamps.length; i++) {
      let at: number | undefined;
      if (utc instanceof Float64Array && utc[i]! > 0) at = utc[i]! / 1e6;
      else if (week instanceof Float64Array && ms instanceof Float64Array && week[i]! > 1000 && ms[i]! > 0) at = gpsToUtc(week[i]!, ms[i]!);
      if (at === undefined || !Number.isFinite(s.timestamps[i])) continue;
      const utcStart = at - (s.timestamps[i]! - start);
      if (plausible(utcStart)) return new Date(Math.round(utcStart * 1000));
      break;
    }
  }
  return null;
}

function vehicleHintsOf(inspection: LogInspection, v: VehicleInfo): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = { ...inspection.vehicleHints };
  for (const [k, value] of Object.entries(v.declared)) if (value !== undefined) out[k] = value as string | number | boolean;
  if (v.ardupilotFamily) out.ardupilotFamily = v.ardupilotFamily;
  return out;
}

export function buildFlightSummary(log: DecodedLog, inspection: LogInspection, signals: FlightSignals, signalCount: number): FlightSummary {
  const range = inspection.startS !== null && inspection.endS !== null ? { start: inspection.startS, end: inspection.endS } : signals.timeRange;
  const v = signals.vehicle;
  const started = range ? utcStartOf(log, range.start) : null;
  return {
    format: log.format,
    formatVersion: log.formatVersion,
    completeness: log.completeness,
    autopilot: v.autopilot,
    firmware: v.firmware ?? null,
    firmwareVersion: v.firmwareVersion ?? null,
    hardware: v.hardware ?? null,
    vehicleType: vehicleTypeHint(v),
    vehicleHints: vehicleHintsOf(inspection, v),
    timeRange: range ?? null,
    signalTimeRange: signals.timeRange ?? null,
    durationS: range ? range.end - range.start : null,
    startedAt: started ? started.toISOString() : null,
    armed: signals.armed ? signals.armed.slice(0, SUMMARY_LIST_CAP) : null,
    flying: signals.flying ? signals.flying.slice(0, SUMMARY_LIST_CAP) : null,
    modes: signals.modes.slice(0, SUMMARY_LIST_CAP).map((m) => ({ start: m.start, end: m.end, name: m.name })),
    events: signals.events.slice(0, SUMMARY_LIST_CAP).map((e) => ({ time: e.time, kind: e.kind, name: e.name, ...(e.detail ? { detail: e.detail } : {}) })),
    messages: { count: inspection.messages, notable: inspection.notableMessages },
    topics: inspection.topics.slice(0, 2000).map((t) => ({ topic: t.topic, instance: t.instance, records: t.records })),
    parameters: inspection.parameters,
    dropouts: inspection.dropouts,
    warnings: inspection.warnings,
    signalCount,
    missing: signals.missing.slice(0, SUMMARY_LIST_CAP),
  };
}
