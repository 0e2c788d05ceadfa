/**
 * What every adapter shares: the draft it fills, the battery-connected judgement, events read from
 * logged text, and the final step that turns undefined groups into explicit `missing` entries.
 * Keeping the `missing` bookkeeping here means an adapter cannot forget to explain a gap: anything it
 * leaves undefined is listed, with the adapter's reason when it gave one.
 */
import type { DecodedLog } from '../formats/decoded-log.js';
import type {
  AxisSignals,
  BatteryInstance,
  FlightEvent,
  FlightSignals,
  LogMessage,
  Signal,
} from './flight-signals.js';
import { logTimeRange } from './signal-series.js';

/** An adapter's result before `missing` and the time range are settled. */
type Mutable<T> = T extends readonly (infer U)[] ? U[] : T;
export type SignalsDraft = { -readonly [K in keyof FlightSignals]: Mutable<FlightSignals[K]> } & {
  /** Adapter-specific reasons by `missing` path (e.g. `gps` → "vehicle_gps_position not logged"). */
  readonly reasons: Map<string, string>;
};

/** Below this a "battery voltage" is a floating ADC pin, not a pack (ArduPilot "Low Battery 0.05V"). */
export const CONNECTED_MIN_V = 1;

export function emptyDraft(log: DecodedLog, vehicle: FlightSignals['vehicle']): SignalsDraft {
  return {
    vehicle,
    parameters: log.parameters,
    attitude: {},
    attitudeSetpoint: {},
    rates: {},
    rateSetpoint: {},
    position: {},
    actuators: [],
    esc: [],
    batteries: [],
    gps: [],
    estimators: [],
    vibration: { metrics: [], clipping: [], rawAccel: [] },
    rc: { channels: [], lossIntervals: [] },
    events: [],
    modes: [],
    messages: logMessages(log),
    missing: [],
    reasons: new Map(),
  };
}

export function logMessages(log: DecodedLog): LogMessage[] {
  const start = logTimeRange(log)?.start ?? NaN;
  return log.messages.map((m) => ({
    // Text before the first timed record (ArduPilot boot banner) is placed at the log start.
    time: Number.isFinite(m.time) ? m.time : start,
    ...(m.severity !== undefined ? { severity: m.severity } : {}),
    text: m.text.trim(),
  }));
}

/** Judges whether a battery monitor measures a pack: a voltage that never reaches 1 V is a floating input. */
export function judgeBatteryVoltage(voltage: Signal | undefined): { connected: boolean; reason: string } {
  if (!voltage) return { connected: false, reason: 'no voltage measurement logged' };
  let max = -Infinity;
  let min = Infinity;
  for (const v of voltage.v)
    if (Number.isFinite(v)) {
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
  if (!(max >= CONNECTED_MIN_V))
    return {
      connected: false,
      reason: `${voltage.source} never reaches ${CONNECTED_MIN_V} V (max ${max.toFixed(2)} V): monitor not connected`,
    };
  return { connected: true, reason: `${voltage.source} ${min.toFixed(2)}–${max.toFixed(2)} V` };
}

const TEXT_EVENTS: readonly { re: RegExp; kind: FlightEvent['kind']; name: string }[] = [
  { re: /failsafe (ended|cleared|deactivated)/i, kind: 'resolved', name: 'FAILSAFE_ENDED' },
  { re: /failsafe/i, kind: 'failsafe', name: 'FAILSAFE' },
  {
    re: /(low|critical|dangerous|emergency)\s+battery|battery (level )?(low|critical|dangerous|emergency)/i,
    kind: 'battery',
    name: 'LOW_BATTERY',
  },
  { re: /crash/i, kind: 'crash', name: 'CRASH' },
  { re: /(rc|radio|manual control) (lost|loss)|lost (rc|radio)/i, kind: 'rc_loss', name: 'RC_LOST' },
  { re: /ekf.*(fault|fail)|primary ekf changed/i, kind: 'error', name: 'EKF_FAULT' },
  { re: /clipping/i, kind: 'error', name: 'ACCEL_CLIPPING' },
];

/**
 * Events read from logged text. Battery complaints are dropped when no battery monitor is connected,
 * because they then describe a floating input, not a pack.
 */
export function textEvents(
  messages: readonly LogMessage[],
  batteries: readonly BatteryInstance[],
): FlightEvent[] {
  const anyConnected = batteries.some((b) => b.connected);
  const out: FlightEvent[] = [];
  for (const m of messages) {
    const hit = TEXT_EVENTS.find((e) => e.re.test(m.text));
    if (!hit || !Number.isFinite(m.time)) continue;
    if (hit.kind === 'battery' && batteries.length > 0 && !anyConnected) continue;
    out.push({ time: m.time, kind: hit.kind, name: hit.name, source: 'text', detail: m.text });
  }
  return out;
}

const axesPresent = (a: AxisSignals): boolean => Boolean(a.roll ?? a.pitch ?? a.yaw);

/** Settles the time range and the `missing` list. */
export function finishSignals(log: DecodedLog, draft: SignalsDraft): FlightSignals {
  const { reasons, ...signals } = draft;
  const missing: string[] = [];
  const need = (path: string, present: boolean, fallback: string): void => {
    if (!present) missing.push(`${path}: ${reasons.get(path) ?? fallback}`);
  };
  for (const axis of ['roll', 'pitch', 'yaw'] as const)
    need(`attitude.${axis}`, Boolean(signals.attitude[axis]), 'no attitude estimate in log');
  need('attitudeSetpoint', axesPresent(signals.attitudeSetpoint), 'no attitude setpoint in log');
  need('rates', axesPresent(signals.rates), 'no body rates in log');
  need('rateSetpoint', axesPresent(signals.rateSetpoint), 'no rate setpoint in log');
  const p = signals.position;
  need('position.local', Boolean(p.x ?? p.z ?? p.vx), 'no local position estimate in log');
  need('position.global', Boolean(p.lat && p.lon), 'no global position in log');
  need('position.baroAlt', Boolean(p.baroAlt), 'no barometric altitude in log');
  need('actuators', signals.actuators.length > 0, 'no motor/actuator outputs in log');
  need('esc', signals.esc.length > 0, 'no ESC telemetry in log');
  need('batteries', signals.batteries.length > 0, 'no battery monitor data in log');
  need('gps', signals.gps.length > 0, 'no GPS receiver data in log');
  need('estimators', signals.estimators.length > 0, 'no estimator test ratios in log');
  need(
    'vibration',
    signals.vibration.metrics.length + signals.vibration.rawAccel.length > 0,
    'no vibration metric or raw accelerometer in log',
  );
  need('rc', signals.rc.channels.length > 0 || Boolean(signals.rc.lost), 'no RC input in log');
  need('modes', signals.modes.length > 0, 'no flight-mode record in log');
  need('armed', signals.armed !== undefined, 'no arming state in log');
  need(
    'flying',
    signals.flying !== undefined,
    'no landed state, throttle or motor output to tell flight from ground',
  );
  need('messages', signals.messages.length > 0, 'no logged text');
  for (const [path, reason] of reasons)
    if (!missing.some((m) => m.startsWith(`${path}:`)) && path.includes('.') && !path.startsWith('attitude.'))
      missing.push(`${path}: ${reason}`);
  // The ULog header's start time is when logging began; other formats use the robust series range.
  const whole = logTimeRange(log);
  const headerStart = Number(log.info.get('start_time_s'));
  const timeRange =
    whole && Number.isFinite(headerStart) && headerStart < whole.end
      ? { start: headerStart, end: whole.end }
      : whole;
  const events = [...signals.events].sort((a, b) => a.time - b.time);
  return { ...signals, events, ...(timeRange ? { timeRange } : {}), missing };
}
