/**
 * Failsafes and autopilot errors not already judged by a dedicated family (GPS glitches, estimator,
 * battery level, RC, crash and clipping have their own checks). Any failsafe in flight fails; a fence
 * breach alone only warns (LogAnalyzer Event/Failsafe).
 */
import type { Finding } from '../report/report.js';
import { compactRanges, contains } from '../analysis/series-window.js';
import { finding, type CheckContext, type FlightCheck } from './check.js';

const OWNED_ELSEWHERE = /^(GPS_|EKF|FAILSAFE_EKFINAV|ACCEL_CLIPPING|CRASH|RC_LOST|FAILSAFE_RADIO)/;

export const failsafeCheck: FlightCheck = {
  id: 'failsafe.events',
  family: 'failsafe',
  title: 'Failsafes and errors',
  run(ctx: CheckContext): Finding[] {
    const s = ctx.signals;
    const armed = ctx.phases.armedKnown ? ctx.phases.armed : [{ start: -Infinity, end: Infinity }];
    const failsafes = s.events.filter((e) => e.kind === 'failsafe' && !/^FAILSAFE_RADIO/.test(e.name) && contains(armed, e.time));
    const errors = s.events.filter((e) => e.kind === 'error' && !OWNED_ELSEWHERE.test(e.name) && contains(armed, e.time));
    const onlyFence = failsafes.length > 0 && failsafes.every((e) => /FENCE/.test(e.name));
    const ground = ctx.vehicleClass === 'ground';
    const status = failsafes.length && !onlyFence && !ground ? 'fail' : failsafes.length || errors.length ? 'warn' : 'pass';
    const names = [...new Set([...failsafes, ...errors].map((e) => e.detail ? `${e.name} ("${e.detail}")` : e.name))];
    return [
      finding(this, {
        status,
        severity: status === 'fail' ? 'high' : 'medium',
        reason: status === 'pass' ? 'No failsafe or unhandled autopilot error while armed.' : `${failsafes.length} failsafe(s) and ${errors.length} error(s) while armed: ${names.slice(0, 5).join(', ')}.`,
        evidence: { values: { failsafes: failsafes.length, errors: errors.length }, thresholds: [], signals: [...new Set([...failsafes, ...errors].map((e) => e.source))], timeRanges: compactRanges([...failsafes, ...errors].map((e) => ({ start: e.time, end: e.time, label: e.name })), 1) },
        suppressions: ground && failsafes.length ? [{ id: 'ground_vehicle', reason: 'a ground vehicle failsafe stops the vehicle: warn, not fail' }] : [],
      }),
    ];
  },
};
