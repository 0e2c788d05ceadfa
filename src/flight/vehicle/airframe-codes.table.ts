/**
 * Airframe code tables used by the metadata detector. Sources: MAVLink `MAV_TYPE` enum
 * (common.xml), PX4 `CA_AIRFRAME` / `VT_TYPE` parameter docs, PX4 airframe id ranges
 * (ROMFS init.d/airframes, as Flight Review maps SYS_AUTOSTART), ArduPilot `FRAME_CLASS` /
 * `FRAME_TYPE` / Rover `FRAME_CLASS` parameter docs. Summarised in shared/reference/flight-log-analysis.md §4.
 */
import type { VehicleType } from '../report/report.js';

export interface AirframeKind {
  readonly type: VehicleType;
  readonly subtype?: string;
  readonly rotorCount?: number;
}

export const MAV_TYPE: Readonly<Record<number, AirframeKind>> = {
  1: { type: 'fixed_wing', subtype: 'plane' },
  2: { type: 'multirotor', subtype: 'quad', rotorCount: 4 },
  3: { type: 'multirotor', subtype: 'coax', rotorCount: 2 },
  4: { type: 'helicopter', subtype: 'single_rotor' },
  10: { type: 'rover', subtype: 'ground_rover' },
  11: { type: 'boat', subtype: 'surface_boat' },
  12: { type: 'boat', subtype: 'submarine' },
  13: { type: 'multirotor', subtype: 'hexa', rotorCount: 6 },
  14: { type: 'multirotor', subtype: 'octo', rotorCount: 8 },
  15: { type: 'multirotor', subtype: 'tri', rotorCount: 3 },
  19: { type: 'vtol', subtype: 'tailsitter', rotorCount: 2 },
  20: { type: 'vtol', subtype: 'tailsitter', rotorCount: 4 },
  21: { type: 'vtol', subtype: 'tiltrotor' },
  22: { type: 'vtol', subtype: 'standard' },
  23: { type: 'vtol', subtype: 'tailsitter' },
  24: { type: 'vtol', subtype: 'tiltwing' },
  25: { type: 'vtol' },
  29: { type: 'multirotor', subtype: 'dodeca', rotorCount: 12 },
  35: { type: 'multirotor', subtype: 'deca', rotorCount: 10 },
};

export const CA_AIRFRAME: Readonly<Record<number, AirframeKind>> = {
  0: { type: 'multirotor' },
  1: { type: 'fixed_wing', subtype: 'plane' },
  2: { type: 'vtol', subtype: 'standard' },
  3: { type: 'vtol', subtype: 'tiltrotor' },
  4: { type: 'vtol', subtype: 'tailsitter' },
  5: { type: 'rover', subtype: 'ackermann' },
  6: { type: 'rover', subtype: 'differential' },
  7: { type: 'multirotor', subtype: 'tilting' },
  9: { type: 'helicopter', subtype: 'single_rotor' },
  10: { type: 'helicopter', subtype: 'coax' },
};

/** PX4 `VT_TYPE`. */
export const VT_TYPE: Readonly<Record<number, string>> = { 0: 'tailsitter', 1: 'tiltrotor', 2: 'standard' };

/** PX4 SYS_AUTOSTART id ranges (airframe families in ROMFS init.d/airframes). */
const AUTOSTART_RANGES: readonly (readonly [number, number, AirframeKind])[] = [
  [2000, 2999, { type: 'fixed_wing', subtype: 'plane' }],
  [3000, 3999, { type: 'fixed_wing', subtype: 'flying_wing' }],
  [4000, 4999, { type: 'multirotor', subtype: 'quad', rotorCount: 4 }],
  [5000, 5999, { type: 'multirotor', subtype: 'quad', rotorCount: 4 }],
  [6000, 6999, { type: 'multirotor', subtype: 'hexa', rotorCount: 6 }],
  [7000, 7999, { type: 'multirotor', subtype: 'hexa', rotorCount: 6 }],
  [8000, 8999, { type: 'multirotor', subtype: 'octo', rotorCount: 8 }],
  [9000, 9999, { type: 'multirotor', subtype: 'octo', rotorCount: 8 }],
  [10000, 10999, { type: 'multirotor', subtype: 'quad', rotorCount: 4 }],
  [11000, 11999, { type: 'multirotor', subtype: 'hexa', rotorCount: 6 }],
  [12000, 12999, { type: 'multirotor', subtype: 'octo', rotorCount: 8 }],
  [13000, 13999, { type: 'vtol' }],
  [14000, 14999, { type: 'multirotor', subtype: 'tri', rotorCount: 3 }],
  [16000, 16999, { type: 'helicopter', subtype: 'single_rotor' }],
  [50000, 59999, { type: 'rover' }],
  [60000, 60999, { type: 'boat', subtype: 'surface_boat' }],
];

export function autostartKind(id: number): AirframeKind | undefined {
  return AUTOSTART_RANGES.find(([lo, hi]) => id >= lo && id <= hi)?.[2];
}

/** ArduCopter `FRAME_CLASS`. */
export const AP_COPTER_FRAME_CLASS: Readonly<Record<number, AirframeKind>> = {
  1: { type: 'multirotor', subtype: 'quad', rotorCount: 4 },
  2: { type: 'multirotor', subtype: 'hexa', rotorCount: 6 },
  3: { type: 'multirotor', subtype: 'octo', rotorCount: 8 },
  4: { type: 'multirotor', subtype: 'octaquad', rotorCount: 8 },
  5: { type: 'multirotor', subtype: 'y6', rotorCount: 6 },
  6: { type: 'helicopter', subtype: 'single_rotor' },
  7: { type: 'multirotor', subtype: 'tri', rotorCount: 3 },
  8: { type: 'multirotor', subtype: 'single', rotorCount: 1 },
  9: { type: 'multirotor', subtype: 'coax', rotorCount: 2 },
  10: { type: 'multirotor', subtype: 'bicopter', rotorCount: 2 },
  11: { type: 'helicopter', subtype: 'dual' },
  12: { type: 'multirotor', subtype: 'dodecahexa', rotorCount: 12 },
  13: { type: 'helicopter', subtype: 'heli_quad' },
  14: { type: 'multirotor', subtype: 'deca', rotorCount: 10 },
};

/** ArduCopter `FRAME_TYPE` (and pre-3.5 `FRAME`) layout names. */
export const AP_FRAME_TYPE: Readonly<Record<number, string>> = { 0: 'plus', 1: 'x', 2: 'v', 3: 'h', 4: 'v_tail', 5: 'a_tail', 10: 'y6b', 11: 'y6f', 12: 'bf_x', 13: 'dji_x', 14: 'cw_x' };

/** ArduRover `FRAME_CLASS`. */
export const AP_ROVER_FRAME_CLASS: Readonly<Record<number, AirframeKind>> = {
  1: { type: 'rover', subtype: 'ground_rover' },
  2: { type: 'boat', subtype: 'surface_boat' },
  3: { type: 'rover', subtype: 'balance_bot' },
};

/** "Frame: QUAD/X" text → rotor count. */
export const FRAME_TEXT_ROTORS: Readonly<Record<string, AirframeKind>> = {
  QUAD: { type: 'multirotor', subtype: 'quad', rotorCount: 4 },
  HEXA: { type: 'multirotor', subtype: 'hexa', rotorCount: 6 },
  OCTA: { type: 'multirotor', subtype: 'octo', rotorCount: 8 },
  OCTAQUAD: { type: 'multirotor', subtype: 'octaquad', rotorCount: 8 },
  Y6: { type: 'multirotor', subtype: 'y6', rotorCount: 6 },
  TRI: { type: 'multirotor', subtype: 'tri', rotorCount: 3 },
  HELI: { type: 'helicopter', subtype: 'single_rotor' },
};
