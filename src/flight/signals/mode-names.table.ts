/**
 * Flight-mode numbers → names. Mode numbers mean different things per autopilot and per ArduPilot
 * vehicle (copter 5 = LOITER, plane 5 = FBWA, rover 4 = HOLD), so a name is only given when the
 * vehicle family is known; otherwise `MODE_<n>`.
 */
import type { ArduPilotFamily } from './flight-signals.js';

/** PX4 `vehicle_status.nav_state` (names of the era that used each number; freed slots keep the old name). */
const PX4_NAV_STATE: Readonly<Record<number, string>> = {
  0: 'MANUAL',
  1: 'ALTCTL',
  2: 'POSCTL',
  3: 'AUTO_MISSION',
  4: 'AUTO_LOITER',
  5: 'AUTO_RTL',
  6: 'POSITION_SLOW',
  7: 'AUTO_RTGS',
  8: 'AUTO_LANDENGFAIL',
  9: 'AUTO_LANDGPSFAIL',
  10: 'ACRO',
  12: 'DESCEND',
  13: 'TERMINATION',
  14: 'OFFBOARD',
  15: 'STAB',
  16: 'RATTITUDE',
  17: 'AUTO_TAKEOFF',
  18: 'AUTO_LAND',
  19: 'AUTO_FOLLOW_TARGET',
  20: 'AUTO_PRECLAND',
  21: 'ORBIT',
  22: 'AUTO_VTOL_TAKEOFF',
};

const COPTER: Readonly<Record<number, string>> = {
  0: 'STABILIZE',
  1: 'ACRO',
  2: 'ALT_HOLD',
  3: 'AUTO',
  4: 'GUIDED',
  5: 'LOITER',
  6: 'RTL',
  7: 'CIRCLE',
  9: 'LAND',
  11: 'DRIFT',
  13: 'SPORT',
  14: 'FLIP',
  15: 'AUTOTUNE',
  16: 'POSHOLD',
  17: 'BRAKE',
  18: 'THROW',
  19: 'AVOID_ADSB',
  20: 'GUIDED_NOGPS',
  21: 'SMART_RTL',
  22: 'FLOWHOLD',
  23: 'FOLLOW',
  24: 'ZIGZAG',
  25: 'SYSTEMID',
  26: 'AUTOROTATE',
  27: 'AUTO_RTL',
  28: 'TURTLE',
};

const PLANE: Readonly<Record<number, string>> = {
  0: 'MANUAL',
  1: 'CIRCLE',
  2: 'STABILIZE',
  3: 'TRAINING',
  4: 'ACRO',
  5: 'FBWA',
  6: 'FBWB',
  7: 'CRUISE',
  8: 'AUTOTUNE',
  10: 'AUTO',
  11: 'RTL',
  12: 'LOITER',
  13: 'TAKEOFF',
  14: 'AVOID_ADSB',
  15: 'GUIDED',
  16: 'INITIALISING',
  17: 'QSTABILIZE',
  18: 'QHOVER',
  19: 'QLOITER',
  20: 'QLAND',
  21: 'QRTL',
  22: 'QAUTOTUNE',
  23: 'QACRO',
  24: 'THERMAL',
  25: 'LOITER_ALT_QLAND',
};

const ROVER: Readonly<Record<number, string>> = {
  0: 'MANUAL',
  1: 'ACRO',
  2: 'LEARNING',
  3: 'STEERING',
  4: 'HOLD',
  5: 'LOITER',
  6: 'FOLLOW',
  7: 'SIMPLE',
  8: 'DOCK',
  9: 'CIRCLE',
  10: 'AUTO',
  11: 'RTL',
  12: 'SMART_RTL',
  15: 'GUIDED',
  16: 'INITIALISING',
};

const SUB: Readonly<Record<number, string>> = {
  0: 'STABILIZE',
  1: 'ACRO',
  2: 'ALT_HOLD',
  3: 'AUTO',
  4: 'GUIDED',
  7: 'CIRCLE',
  9: 'SURFACE',
  16: 'POSHOLD',
  19: 'MANUAL',
  20: 'MOTOR_DETECT',
};

const ARDUPILOT: Partial<Record<ArduPilotFamily, Readonly<Record<number, string>>>> = {
  copter: COPTER,
  plane: PLANE,
  rover: ROVER,
  sub: SUB,
};

export function px4NavStateName(state: number): string {
  return PX4_NAV_STATE[state] ?? `NAV_STATE_${state}`;
}

export function ardupilotModeName(family: ArduPilotFamily | undefined, mode: number): string {
  const table = family ? ARDUPILOT[family] : undefined;
  return table?.[mode] ?? `MODE_${mode}`;
}
