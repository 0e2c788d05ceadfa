/**
 * ArduPilot state-like groups: EKF innovations, vibration, RC, ERR/EV events, modes, armed and
 * flying intervals.
 *
 * Arming: EV ARMED/DISARMED, ARM.ArmState (4.x) or STAT.Armed (3.8 plane). ArduPilot starts logging
 * at arming by default, so a first record that says "disarmed" means armed since the log start.
 * Flying: copter NOT_LANDED/LAND_COMPLETE events, STAT.isFlying, then armed ∧ throttle > 20 %
 * (LogAnalyzer's "Empty" bar), then armed ∧ motor outputs above 1250 µs (DroneKit-LA's threshold).
 */
import type { DecodedLog, DecodedSeries } from '../formats/decoded-log.js';
import type { EstimatorInstance, Interval, Signal } from './flight-signals.js';
import {
  arduPilotEventName,
  decodeArduPilotError,
  EV_ARMED,
  EV_DISARMED,
  EV_LAND_COMPLETE,
  EV_NOT_LANDED,
} from './ardupilot-codes.table.js';
import { ardupilotModeName } from './mode-names.table.js';
import type { SignalsDraft } from './signals-assembly.js';
import {
  allInstances,
  buildSignal,
  fieldSignal,
  findSeries,
  firstField,
  intersect,
  intervalsFromEdges,
  intervalsWhere,
  logTimeRange,
  numericColumn,
  segmentsFrom,
  tidyIntervals,
} from './signal-series.js';

const THROTTLE_FLYING = 0.2;
const MOTOR_FLYING_US = 1250;

/** Records logged before the first timestamped record have NaN time: they belong at the log start. */
function rows(s: DecodedSeries | undefined, start: number): { time: number; row: number }[] {
  if (!s) return [];
  return Array.from(s.timestamps, (t, row) => ({ time: Number.isFinite(t) ? t : start, row }));
}

function estimators(log: DecodedLog): EstimatorInstance[] {
  const topics = ['XKF4', 'NKF4', 'NKF9', 'EKF4'];
  return topics.flatMap((topic) =>
    allInstances(log, topic).map((s, k) => {
      const r = (f: string, name: string): Signal | undefined => fieldSignal(s, f, { name, unit: '1' });
      const mx = ['SMX', 'SMY', 'SMZ'].map((f) => numericColumn(s, f));
      const mag = mx.every(Boolean)
        ? buildSignal(
            s.timestamps,
            mx[0]!.map((v, i) => Math.max(Math.abs(v), Math.abs(mx[1]![i]!), Math.abs(mx[2]![i]!))),
            { name: 'mag', unit: '1', source: `${topic}.max(SMX,SMY,SMZ)` },
          )
        : r('SM', 'mag');
      const flags = ['FS', 'TS', 'SS', 'GPS']
        .map((f) => fieldSignal(s, f, { name: f, unit: 'bits' }))
        .filter((x): x is Signal => Boolean(x));
      return {
        instance: topic === 'NKF9' ? 1 : s.instance || k,
        source: `${topic}${s.instance ? `[${s.instance}]` : ''}`,
        testRatios: [r('SV', 'vel'), r('SP', 'pos'), r('SH', 'hgt'), mag, r('SVT', 'tas')].filter(
          (x): x is Signal => Boolean(x),
        ),
        flags,
      };
    }),
  );
}

function vibration(log: DecodedLog, d: SignalsDraft): void {
  const metrics: Signal[] = [];
  const clipping: Signal[] = [];
  for (const s of allInstances(log, 'VIBE')) {
    const imu = numericColumn(s, 'IMU')?.[0] ?? s.instance;
    for (const axis of ['X', 'Y', 'Z']) {
      const m = fieldSignal(s, `Vibe${axis}`, { name: `imu${imu}.vibe${axis}`, unit: 'm/s/s' });
      if (m) metrics.push(m);
    }
    for (const f of ['Clip', 'Clip0', 'Clip1', 'Clip2']) {
      const c = fieldSignal(s, f, {
        name: f === 'Clip' ? `imu${imu}.clip` : `imu${f.slice(4)}.clip`,
        unit: 'count',
      });
      if (c) clipping.push(c);
    }
  }
  const imu = findSeries(log, 'IMU', 0);
  const rawAccel =
    metrics.length > 0
      ? []
      : ['X', 'Y', 'Z']
          .map((a) => fieldSignal(imu, `Acc${a}`, { name: `accel${a}`, unit: 'm/s/s' }))
          .filter((x): x is Signal => Boolean(x));
  d.vibration = { metrics, clipping, rawAccel };
  if (metrics.length === 0 && rawAccel.length > 0)
    d.reasons.set(
      'vibration.metrics',
      'no VIBE message in this firmware era; raw IMU accel provided instead',
    );
}

function errorsAndEvents(log: DecodedLog, start: number, end: number, d: SignalsDraft): void {
  const err = findSeries(log, 'ERR');
  const sub = numericColumn(err, 'Subsys');
  const code = numericColumn(err, 'ECode');
  const rcEdges: { time: number; on: boolean }[] = [];
  if (sub && code)
    for (const { time, row } of rows(err, start)) {
      const e = decodeArduPilotError(sub[row]!, code[row]!);
      d.events.push({ time, kind: e.kind, name: e.name, source: 'ERR', detail: e.detail });
      if (sub[row] === 5 || sub[row] === 2) rcEdges.push({ time, on: code[row] !== 0 });
    }
  if (rcEdges.length > 0) {
    const lossIntervals = intervalsFromEdges(
      rcEdges.filter((e, i) => i > 0 || e.on),
      start,
      end,
    );
    d.rc = { ...d.rc, lossIntervals };
  }
  const ev = findSeries(log, 'EV');
  const id = numericColumn(ev, 'Id');
  if (id)
    for (const { time, row } of rows(ev, start))
      d.events.push({ time, kind: 'event', name: arduPilotEventName(id[row]!), source: 'EV' });
}

function armed(log: DecodedLog, start: number, end: number): { intervals?: Interval[]; source?: string } {
  const edges: { time: number; on: boolean }[] = [];
  const sources: string[] = [];
  const ev = findSeries(log, 'EV');
  const id = numericColumn(ev, 'Id');
  if (id)
    for (const { time, row } of rows(ev, start))
      if (id[row] === EV_ARMED || id[row] === EV_DISARMED) edges.push({ time, on: id[row] === EV_ARMED });
  if (edges.length > 0) sources.push('EV ARMED/DISARMED');
  for (const [topic, field] of [
    ['ARM', 'ArmState'],
    ['STAT', 'Armed'],
  ] as const) {
    const s = findSeries(log, topic);
    const col = numericColumn(s, field);
    if (!col) continue;
    sources.push(`${topic}.${field}`);
    for (const { time, row } of rows(s, start)) edges.push({ time, on: col[row]! > 0 });
  }
  if (edges.length === 0) return {};
  return { intervals: intervalsFromEdges(edges, start, end), source: sources.join(' + ') };
}

function throttle(log: DecodedLog, family: string | undefined): Signal | undefined {
  const ctun = findSeries(log, 'CTUN');
  const f = firstField(ctun, ['ThO', 'ThrOut']);
  if (!f) return undefined;
  // ThO is 0–1 (3.4+); ThrOut is 0–1000 on 2014 copters and 0–100 % on planes/rovers.
  const scale = f === 'ThO' ? 1 : family === 'copter' ? 1000 : 100;
  return fieldSignal(ctun, f, { name: 'throttle', unit: '1', map: (v) => Math.abs(v) / scale });
}

function flying(log: DecodedLog, d: SignalsDraft, start: number, end: number): void {
  const family = d.vehicle.ardupilotFamily;
  const within = (list: Interval[]): Interval[] =>
    tidyIntervals(d.armed ? intersect(list, d.armed) : list, 1, 0.5);
  const ev = findSeries(log, 'EV');
  const id = numericColumn(ev, 'Id');
  const landEdges = id
    ? rows(ev, start)
        .filter(({ row }) => id[row] === EV_NOT_LANDED || id[row] === EV_LAND_COMPLETE)
        .map(({ time, row }) => ({ time, on: id[row] === EV_NOT_LANDED }))
    : [];
  if (family === 'copter' && landEdges.length > 0) {
    d.flying = within(intervalsFromEdges(landEdges, start, end));
    d.flyingSource = 'EV NOT_LANDED/LAND_COMPLETE';
    return;
  }
  const stat = fieldSignal(findSeries(log, 'STAT'), 'isFlying', { name: 'isFlying', unit: 'bool' });
  if (stat) {
    d.flying = within(intervalsWhere(stat, (v) => v > 0, end));
    d.flyingSource = 'STAT.isFlying';
    return;
  }
  if (!d.armed) return;
  const thr = throttle(log, family);
  if (thr && family !== 'rover') {
    d.flying = within(intervalsWhere(thr, (v) => v > THROTTLE_FLYING, end));
    d.flyingSource = `armed ∧ ${thr.source} > ${THROTTLE_FLYING * 100} %`;
    return;
  }
  const out = d.actuators[0];
  if (out && out.channels.length > 0) {
    const ch = out.channels.slice(0, 4);
    const mean = ch[0]!.v.map((_, i) => ch.reduce((a, c) => a + (c.v[i] ?? NaN), 0) / ch.length);
    const sig = buildSignal(ch[0]!.t, mean, { name: 'motorMean', unit: 'us', source: `${out.source} mean` });
    if (sig) {
      d.flying = within(intervalsWhere(sig, (v) => v > MOTOR_FLYING_US, end));
      d.flyingSource = `armed ∧ ${out.source} mean of first ${ch.length} outputs > ${MOTOR_FLYING_US} µs`;
    }
  }
}

/** Adds the ArduPilot state groups to a draft. */
export function addArduPilotState(log: DecodedLog, d: SignalsDraft): void {
  const range = logTimeRange(log);
  const start = range?.start ?? 0;
  const end = range?.end ?? 0;
  d.estimators = estimators(log);
  vibration(log, d);
  const rcin = findSeries(log, 'RCIN');
  const channels = (rcin?.fields ?? [])
    .filter((f) => /^C\d+$/.test(f.name))
    .map((f) => fieldSignal(rcin, f.name, { name: `ch${f.name.slice(1)}`, unit: 'us' }))
    .filter((x): x is Signal => Boolean(x));
  d.rc = { channels, lossIntervals: [] };
  errorsAndEvents(log, start, end, d);
  const mode = findSeries(log, 'MODE');
  const num = numericColumn(mode, firstField(mode, ['ModeNum', 'Mode']) ?? 'Mode');
  if (mode && num)
    d.modes = segmentsFrom(
      rows(mode, start).map(({ time, row }) => ({ time, mode: num[row]! })),
      end,
      (m) => ardupilotModeName(d.vehicle.ardupilotFamily, m),
    );
  const a = armed(log, start, end);
  if (a.intervals) {
    d.armed = a.intervals;
    d.armedSource = a.source!;
  }
  flying(log, d, start, end);
}
