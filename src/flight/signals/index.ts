/**
 * `toFlightSignals`: the one entry point from a decoded log to the canonical signal model. Picks the
 * adapter from the file format and, for MAVLink telemetry, the autopilot the heartbeat declares.
 * Pure: no I/O, no clock; the same log always gives the same signals.
 */
import type { DecodedLog } from '../formats/decoded-log.js';
import { ardupilotSignals } from './ardupilot.adapter.js';
import { csvSignals } from './csv.adapter.js';
import type { FlightSignals } from './flight-signals.js';
import { mavlinkSignals } from './mavlink.adapter.js';
import { px4Signals } from './px4.adapter.js';
import { systemSignals } from './system-signals.js';

export function toFlightSignals(log: DecodedLog): FlightSignals {
  return { ...adapterSignals(log), system: systemSignals(log) };
}

function adapterSignals(log: DecodedLog): FlightSignals {
  switch (log.format) {
    case 'ulog':
      return px4Signals(log);
    case 'dataflash':
      return ardupilotSignals(log);
    case 'tlog':
      return mavlinkSignals(log);
    case 'csv':
      return csvSignals(log);
  }
}

export type * from './flight-signals.js';
export { quaternionToEuler } from './quaternion-euler.js';
export { px4NavStateName, ardupilotModeName } from './mode-names.table.js';
export { decodeArduPilotError, arduPilotEventName } from './ardupilot-codes.table.js';
export { valueAt } from './signal-series.js';
