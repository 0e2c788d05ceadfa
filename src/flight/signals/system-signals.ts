/**
 * Signals the analysis checks need that the per-autopilot adapters did not carry: board supply
 * voltage, CPU load / slow loops, magnetometer field strength, commanded throttle, airspeed and the
 * PX4 VTOL state. Read straight from the decoded log by topic name so the adapters stay untouched;
 * every field is optional and an absent topic simply leaves it undefined.
 */
import type { DecodedLog, DecodedSeries } from '../formats/decoded-log.js';
import type { Signal, SystemSignals } from './flight-signals.js';
import { allInstances, buildSignal, fieldSignal, firstField, firstSeries, numericColumn } from './signal-series.js';

/** Euclidean norm of three columns as one signal (NaN when a component is missing). */
function normSignal(series: DecodedSeries, fields: readonly string[], name: string, unit: string): Signal | undefined {
  const cols = fields.map((f) => numericColumn(series, f));
  if (cols.some((c) => !c)) return undefined;
  const [x, y, z] = cols as Float64Array[];
  const v = new Float64Array(series.timestamps.length);
  for (let i = 0; i < v.length; i++) v[i] = Math.hypot(x![i]!, y![i]!, z![i]!);
  const source = `${series.topic}${series.instance ? `[${series.instance}]` : ''}.|${fields.join(',')}|`;
  return buildSignal(series.timestamps, v, { name, unit, source, map: (n) => (n > 0 ? n : NaN) });
}

/** PX4 VTOL state as `vtol_vehicle_status.vehicle_vtol_state` numbers: 1 →FW, 2 →MC, 3 MC, 4 FW. */
function px4VtolState(log: DecodedLog): Signal | undefined {
  const s = firstSeries(log, ['vtol_vehicle_status']);
  if (!s) return undefined;
  if (numericColumn(s, 'vehicle_vtol_state')) return fieldSignal(s, 'vehicle_vtol_state', { name: 'vtolState', unit: 'enum' });
  const rw = numericColumn(s, 'vtol_in_rw_mode');
  const trans = numericColumn(s, 'vtol_in_trans_mode');
  const toFw = numericColumn(s, 'in_transition_to_fw');
  if (!rw) return undefined;
  const v = new Float64Array(rw.length);
  for (let i = 0; i < v.length; i++) {
    if (trans?.[i] || toFw?.[i]) v[i] = toFw?.[i] ? 1 : 2;
    else v[i] = rw[i] ? 3 : 4;
  }
  return buildSignal(s.timestamps, v, { name: 'vtolState', unit: 'enum', source: 'vtol_vehicle_status.vtol_in_rw_mode/trans' });
}

function px4System(log: DecodedLog): SystemSignals {
  const power = firstSeries(log, ['system_power']);
  const cpu = firstSeries(log, ['cpuload']);
  const thrust = firstSeries(log, ['vehicle_thrust_setpoint']);
  const controls = firstSeries(log, ['actuator_controls_0']);
  const airspeed = firstSeries(log, ['airspeed_validated', 'airspeed']);
  const asField = firstField(airspeed, ['true_airspeed_m_s', 'indicated_airspeed_m_s']);
  const throttle = thrust
    ? fieldSignal(thrust, 'xyz[2]', { name: 'throttle', unit: 'norm', map: (v) => -v })
    : fieldSignal(controls, 'control[3]', { name: 'throttle', unit: 'norm' });
  return {
    boardVoltage: fieldSignal(power, 'voltage5v_v', { name: 'boardVoltage', unit: 'V', map: (v) => (v > 0.5 ? v : NaN) }),
    cpuLoad: fieldSignal(cpu, 'load', { name: 'cpuLoad', unit: 'ratio' }),
    magField: allInstances(log, 'vehicle_magnetometer').flatMap((s) => normSignal(s, ['magnetometer_ga[0]', 'magnetometer_ga[1]', 'magnetometer_ga[2]'], 'magField', 'G') ?? []),
    throttle,
    airspeed: asField ? fieldSignal(airspeed, asField, { name: 'airspeed', unit: 'm/s' }) : undefined,
    vtolState: px4VtolState(log),
  };
}

function ardupilotSystem(log: DecodedLog): SystemSignals {
  const powr = firstSeries(log, ['POWR']);
  const curr = firstSeries(log, ['CURR']);
  const pm = firstSeries(log, ['PM']);
  const ctun = firstSeries(log, ['CTUN']);
  const arsp = firstSeries(log, ['ARSP']);
  const vccSeries = numericColumn(powr, 'Vcc') ? powr : curr;
  const nlon = numericColumn(pm, 'NLon');
  const nloop = numericColumn(pm, 'NLoop');
  let slowLoops: Signal | undefined;
  if (pm && nlon && nloop) {
    const v = new Float64Array(nlon.length);
    for (let i = 0; i < v.length; i++) v[i] = nloop[i]! > 0 ? nlon[i]! / nloop[i]! : NaN;
    slowLoops = buildSignal(pm.timestamps, v, { name: 'slowLoops', unit: 'ratio', source: 'PM.NLon/NLoop' });
  }
  const thField = firstField(ctun, ['ThO', 'ThrOut']);
  // CTUN.ThO is 0–1 on 3.4+; ThrOut is 0–1000 on 2014 copters and 0–100 % on planes.
  const thScale = thField === 'ThO' ? 1 : Math.max(...(numericColumn(ctun, thField ?? '') ?? [0])) > 100 ? 1000 : 100;
  return {
    boardVoltage: fieldSignal(vccSeries, 'Vcc', {
      name: 'boardVoltage',
      unit: 'V',
      // 2014 CURR.Vcc is in mV; zeros mean "not measured".
      map: (v) => (v > 100 ? v / 1000 : v > 0.5 ? v : NaN),
    }),
    slowLoops,
    magField: allInstances(log, 'MAG').flatMap((s) => normSignal(s, ['MagX', 'MagY', 'MagZ'], 'magField', 'mGauss') ?? []),
    throttle: thField ? fieldSignal(ctun, thField, { name: 'throttle', unit: 'norm', map: (v) => v / thScale }) : undefined,
    airspeed: fieldSignal(arsp, 'Airspeed', { name: 'airspeed', unit: 'm/s' }),
  };
}

/** The extra system signals for a decoded log (empty object for formats without them). */
export function systemSignals(log: DecodedLog): SystemSignals {
  if (log.format === 'ulog') return px4System(log);
  if (log.format === 'dataflash') return ardupilotSystem(log);
  return { magField: [] };
}
