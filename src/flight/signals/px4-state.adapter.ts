/**
 * PX4 state-like groups: estimator test ratios and flags, vibration, RC, failsafe events, flight
 * modes, armed and flying intervals.
 *
 * "Flying" follows Flight Review: `vehicle_land_detected.landed == 0`, kept only inside armed time
 * (the land detector can report not-landed on a bench), falling back to the armed intervals.
 */
import type { DecodedLog, DecodedSeries } from '../formats/decoded-log.js';
import type { EstimatorInstance, FlightEvent, Interval, Signal } from './flight-signals.js';
import { px4NavStateName } from './mode-names.table.js';
import type { SignalsDraft } from './signals-assembly.js';
import {
  allInstances,
  fieldSignal,
  findSeries,
  firstSeries,
  intersect,
  intervalsWhere,
  logTimeRange,
  numericColumn,
  segmentsFrom,
} from './signal-series.js';

const TEST_RATIOS: readonly [string, string][] = [
  ['vel_test_ratio', 'vel'],
  ['pos_test_ratio', 'pos'],
  ['hgt_test_ratio', 'hgt'],
  ['mag_test_ratio', 'mag'],
  ['hdg_test_ratio', 'hdg'],
  ['tas_test_ratio', 'tas'],
  ['hagl_test_ratio', 'hagl'],
  ['beta_test_ratio', 'beta'],
];
const FLAGS = [
  'filter_fault_flags',
  'innovation_check_flags',
  'gps_check_fail_flags',
  'solution_status_flags',
  'health_flags',
  'timeout_flags',
];

function estimators(log: DecodedLog): EstimatorInstance[] {
  return allInstances(log, 'estimator_status').map((s) => ({
    instance: s.instance,
    source: `estimator_status[${s.instance}]`,
    testRatios: TEST_RATIOS.map(([f, name]) => fieldSignal(s, f, { name, unit: '1' })).filter(
      (x): x is Signal => Boolean(x),
    ),
    flags: FLAGS.map((f) => fieldSignal(s, f, { name: f, unit: 'bits' })).filter((x): x is Signal =>
      Boolean(x),
    ),
  }));
}

function vibration(log: DecodedLog, d: SignalsDraft): void {
  const metrics: Signal[] = [];
  const clipping: Signal[] = [];
  for (const s of allInstances(log, 'vehicle_imu_status')) {
    const m = fieldSignal(s, 'accel_vibration_metric', {
      name: `imu${s.instance}.accelVibration`,
      unit: 'm/s/s',
    });
    if (m) metrics.push(m);
    const axes = [0, 1, 2].map((i) => numericColumn(s, `accel_clipping[${i}]`));
    if (axes.every(Boolean)) {
      const total = axes[0]!.map((v, i) => v + axes[1]![i]! + axes[2]![i]!);
      const c = fieldSignal({ ...s, columns: new Map([['total', total]]) }, 'total', {
        name: `imu${s.instance}.accelClipping`,
        unit: 'count',
        source: `vehicle_imu_status[${s.instance}].accel_clipping[0..2]`,
      });
      if (c) clipping.push(c);
    }
  }
  const sc = findSeries(log, 'sensor_combined');
  const rawAccel = ['x', 'y', 'z']
    .map((axis, i) =>
      fieldSignal(sc, `accelerometer_m_s2[${i}]`, { name: `accel${axis.toUpperCase()}`, unit: 'm/s/s' }),
    )
    .filter((x): x is Signal => Boolean(x));
  d.vibration = { metrics, clipping, rawAccel };
}

function rc(log: DecodedLog, d: SignalsDraft, end: number): void {
  const s = findSeries(log, 'input_rc', 0);
  if (!s) return;
  const count = numericColumn(s, 'channel_count');
  const n = Math.min(18, count ? Math.max(...count) : 18);
  const channels: Signal[] = [];
  for (let ch = 0; ch < n; ch++) {
    const sig = fieldSignal(s, `values[${ch}]`, { name: `ch${ch + 1}`, unit: 'us' });
    if (sig) channels.push(sig);
  }
  const lostCol = numericColumn(s, 'rc_lost');
  const fsCol = numericColumn(s, 'rc_failsafe');
  const lostValues = lostCol ?? fsCol;
  const lost = lostValues
    ? fieldSignal(
        { ...s, columns: new Map([['lost', lostValues.map((v, i) => (v || (fsCol?.[i] ?? 0) ? 1 : 0))]]) },
        'lost',
        { name: 'rcLost', unit: 'bool', source: 'input_rc.rc_lost|rc_failsafe' },
      )
    : undefined;
  d.rc = {
    channels,
    ...(fieldSignal(s, 'rssi', { name: 'rssi', unit: '1' })
      ? { rssi: fieldSignal(s, 'rssi', { name: 'rssi', unit: '1' })! }
      : {}),
    ...(lost ? { lost } : {}),
    lossIntervals: lost ? intervalsWhere(lost, (v) => v > 0, end) : [],
  };
}

/** Rising edges (0 → non-zero after the first sample) of a flag column, as events. */
function risingEdges(
  s: DecodedSeries,
  field: string,
  make: (time: number, value: number) => FlightEvent,
): FlightEvent[] {
  const col = numericColumn(s, field);
  if (!col) return [];
  const out: FlightEvent[] = [];
  for (let i = 1; i < col.length; i++) {
    const prev = col[i - 1]!;
    const cur = col[i]!;
    if (Number.isFinite(s.timestamps[i]) && cur > prev && cur > 0) out.push(make(s.timestamps[i]!, cur));
  }
  return out;
}

const BATTERY_WARNING = ['none', 'low', 'critical', 'emergency', 'failed', 'unhealthy', 'charging'];

function events(log: DecodedLog): FlightEvent[] {
  const out: FlightEvent[] = [];
  const status = findSeries(log, 'vehicle_status');
  if (status) {
    out.push(
      ...risingEdges(status, 'failsafe', (time) => ({
        time,
        kind: 'failsafe',
        name: 'FAILSAFE',
        source: 'vehicle_status.failsafe',
      })),
    );
    out.push(
      ...risingEdges(status, 'rc_signal_lost', (time) => ({
        time,
        kind: 'rc_loss',
        name: 'RC_LOST',
        source: 'vehicle_status.rc_signal_lost',
      })),
    );
  }
  const flags = findSeries(log, 'failsafe_flags');
  for (const field of flags?.fields ?? []) {
    if (field.name.startsWith('mode_req_') || !flags) continue;
    const kind: FlightEvent['kind'] =
      field.name === 'manual_control_signal_lost'
        ? 'rc_loss'
        : field.name.startsWith('battery')
          ? 'battery'
          : 'failsafe';
    out.push(
      ...risingEdges(flags, field.name, (time) => ({
        time,
        kind,
        name: field.name,
        source: `failsafe_flags.${field.name}`,
      })),
    );
  }
  for (const b of allInstances(log, 'battery_status'))
    out.push(
      ...risingEdges(b, 'warning', (time, v) => ({
        time,
        kind: 'battery',
        name: `battery_warning_${BATTERY_WARNING[v] ?? v}`,
        source: `battery_status[${b.instance}].warning`,
      })),
    );
  return out;
}

function armedIntervals(log: DecodedLog, end: number): { intervals?: Interval[]; source?: string } {
  const aa = findSeries(log, 'actuator_armed');
  const armed = fieldSignal(aa, 'armed', { name: 'armed', unit: 'bool' });
  if (armed) return { intervals: intervalsWhere(armed, (v) => v > 0, end), source: 'actuator_armed.armed' };
  const state = fieldSignal(findSeries(log, 'vehicle_status'), 'arming_state', {
    name: 'arming_state',
    unit: 'enum',
  });
  if (state)
    return {
      intervals: intervalsWhere(state, (v) => v === 2, end),
      source: 'vehicle_status.arming_state == ARMED',
    };
  return {};
}

/** Adds the PX4 state groups to a draft. */
export function addPx4State(log: DecodedLog, d: SignalsDraft): void {
  const end = logTimeRange(log)?.end ?? 0;
  d.estimators = estimators(log);
  if (d.estimators.length === 0 && findSeries(log, 'ekf2_innovations'))
    d.reasons.set('estimators', 'only ekf2_innovations (raw innovations without test ratios) logged');
  vibration(log, d);
  rc(log, d, end);
  d.events.push(...events(log));
  const status = findSeries(log, 'vehicle_status');
  const nav = numericColumn(status, 'nav_state');
  if (status && nav) {
    const changes = Array.from(nav, (mode, i) => ({ time: status.timestamps[i]!, mode }));
    d.modes = segmentsFrom(changes, end, px4NavStateName);
  }
  const armed = armedIntervals(log, end);
  if (armed.intervals) {
    d.armed = armed.intervals;
    d.armedSource = armed.source!;
  }
  const landed = fieldSignal(firstSeries(log, ['vehicle_land_detected']), 'landed', {
    name: 'landed',
    unit: 'bool',
  });
  if (landed) {
    const air = intervalsWhere(landed, (v) => v === 0, end);
    d.flying = d.armed ? intersect(air, d.armed) : air;
    d.flyingSource = `vehicle_land_detected.landed == 0${d.armed ? ' ∧ armed' : ''}`;
  } else if (d.armed) {
    d.flying = d.armed;
    d.flyingSource = `armed (${d.armedSource}); no land detector logged`;
  }
}
