/**
 * ArduPilot `ERR` (subsystem, error code) and `EV` (event id) numbers → stable names, from
 * ArduPilot's AP_Logger `LogErrorSubsystem`/`LogErrorCode` and `LogEvent` enums. Unknown numbers
 * keep their digits (`SUBSYS_42`) so a newer firmware never loses an event, it only loses its name.
 */
import type { FlightEventKind } from './flight-signals.js';

const SUBSYSTEMS: Readonly<Record<number, string>> = {
  1: 'MAIN',
  2: 'RADIO',
  3: 'COMPASS',
  4: 'OPTFLOW',
  5: 'FAILSAFE_RADIO',
  6: 'FAILSAFE_BATT',
  7: 'FAILSAFE_GPS',
  8: 'FAILSAFE_GCS',
  9: 'FAILSAFE_FENCE',
  10: 'FLIGHT_MODE',
  11: 'GPS',
  12: 'CRASH_CHECK',
  13: 'FLIP',
  14: 'AUTOTUNE',
  15: 'PARACHUTES',
  16: 'EKFCHECK',
  17: 'FAILSAFE_EKFINAV',
  18: 'BARO',
  19: 'CPU',
  20: 'FAILSAFE_ADSB',
  21: 'TERRAIN',
  22: 'NAVIGATION',
  23: 'FAILSAFE_TERRAIN',
  24: 'EKF_PRIMARY',
  25: 'THRUST_LOSS_CHECK',
  26: 'FAILSAFE_SENSORS',
  27: 'FAILSAFE_LEAK',
  28: 'PILOT_INPUT',
  29: 'FAILSAFE_VIBE',
  30: 'INTERNAL_ERROR',
  31: 'FAILSAFE_DEADRECKON',
};

/** Subsystem-specific codes; code 0 always means "resolved". */
const CODES: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  2: { 2: 'LATE_FRAME' },
  3: { 1: 'FAILED_TO_INITIALISE', 4: 'UNHEALTHY' },
  11: { 2: 'GLITCH' },
  12: { 1: 'CRASH', 2: 'LOSS_OF_CONTROL' },
  13: { 2: 'ABANDONED' },
  16: { 2: 'BAD_VARIANCE' },
  18: { 2: 'GLITCH', 3: 'BAD_DEPTH' },
  21: { 2: 'MISSING_TERRAIN_DATA' },
  22: {
    2: 'FAILED_TO_SET_DESTINATION',
    3: 'RESTARTED_RTL',
    4: 'FAILED_CIRCLE_INIT',
    5: 'DEST_OUTSIDE_FENCE',
  },
};

export interface DecodedError {
  readonly name: string;
  readonly kind: FlightEventKind;
  readonly detail: string;
}

/** Decodes one ERR record, e.g. (11, 2) → `GPS_GLITCH`, (7, 1) → `FAILSAFE_GPS`, (12, 1) → `CRASH_CHECK_CRASH`. */
export function decodeArduPilotError(subsys: number, code: number): DecodedError {
  const sub = SUBSYSTEMS[subsys] ?? `SUBSYS_${subsys}`;
  const detail = `ERR Subsys ${subsys} ECode ${code}`;
  if (code === 0) return { name: `${sub}_RESOLVED`, kind: 'resolved', detail };
  if (sub.startsWith('FAILSAFE_')) return { name: sub, kind: 'failsafe', detail };
  if (subsys === 10) return { name: `FLIGHT_MODE_CHANGE_FAILED_${code}`, kind: 'error', detail };
  if (subsys === 24) return { name: `EKF_PRIMARY_${code}`, kind: 'event', detail };
  const codeName =
    CODES[subsys]?.[code] ??
    (code === 1 ? 'FAILED_TO_INITIALISE' : code === 4 ? 'UNHEALTHY' : `ECODE_${code}`);
  return { name: `${sub}_${codeName}`, kind: subsys === 12 ? 'crash' : 'error', detail };
}

const EVENTS: Readonly<Record<number, string>> = {
  10: 'ARMED',
  11: 'DISARMED',
  15: 'AUTO_ARMED',
  16: 'TAKEOFF',
  17: 'LAND_COMPLETE_MAYBE',
  18: 'LAND_COMPLETE',
  19: 'LOST_GPS',
  21: 'FLIP_START',
  22: 'FLIP_END',
  25: 'SET_HOME',
  26: 'SET_SIMPLE_ON',
  27: 'SET_SIMPLE_OFF',
  28: 'NOT_LANDED',
  29: 'SET_SUPERSIMPLE_ON',
  30: 'AUTOTUNE_INITIALISED',
  31: 'AUTOTUNE_OFF',
  32: 'AUTOTUNE_RESTART',
  33: 'AUTOTUNE_SUCCESS',
  34: 'AUTOTUNE_FAILED',
  35: 'AUTOTUNE_REACHED_LIMIT',
  36: 'AUTOTUNE_PILOT_TESTING',
  37: 'AUTOTUNE_SAVEDGAINS',
  38: 'SAVE_TRIM',
  39: 'SAVEWP_ADD_WP',
  41: 'FENCE_ENABLE',
  42: 'FENCE_DISABLE',
  49: 'PARACHUTE_DISABLED',
  50: 'PARACHUTE_ENABLED',
  51: 'PARACHUTE_RELEASED',
  52: 'LANDING_GEAR_DEPLOYED',
  53: 'LANDING_GEAR_RETRACTED',
  54: 'MOTORS_EMERGENCY_STOPPED',
  55: 'MOTORS_EMERGENCY_STOP_CLEARED',
  56: 'MOTORS_INTERLOCK_DISABLED',
  57: 'MOTORS_INTERLOCK_ENABLED',
  58: 'ROTOR_RUNUP_COMPLETE',
  59: 'ROTOR_SPEED_BELOW_CRITICAL',
  60: 'EKF_ALT_RESET',
  61: 'LAND_CANCELLED_BY_PILOT',
  62: 'EKF_YAW_RESET',
  67: 'GPS_PRIMARY_CHANGED',
  73: 'LAND_REPO_ACTIVE',
  74: 'STANDBY_ENABLE',
  75: 'STANDBY_DISABLE',
};

export const EV_ARMED = 10;
export const EV_DISARMED = 11;
export const EV_LAND_COMPLETE = 18;
export const EV_NOT_LANDED = 28;

export function arduPilotEventName(id: number): string {
  return EVENTS[id] ?? `EVENT_${id}`;
}
