/**
 * Truncation: the log ends while the vehicle is still armed and flying (power loss, brownout, SD card
 * pulled). LogAnalyzer's Brownout test adds "last altitude > 3 m"; without an altitude we still warn.
 */
import type { Finding } from '../report/report.js';
import { round } from '../analysis/series-window.js';
import { finding, GROUND_SUPPRESSION, th, type CheckContext, type FlightCheck } from './check.js';

/** How close to the last sample the flight must end to count as "ended in flight". */
const END_MARGIN_S = 0.5;

function lastValue(sig: { t: Float64Array; v: Float64Array } | undefined): number {
  if (!sig) return NaN;
  for (let i = sig.v.length - 1; i >= 0; i--) if (Number.isFinite(sig.v[i])) return sig.v[i]!;
  return NaN;
}

export const truncationCheck: FlightCheck = {
  id: 'truncation.in_flight',
  family: 'truncation',
  title: 'Log ended in flight',
  run(ctx: CheckContext): Finding[] {
    const s = ctx.signals;
    if (ctx.vehicleClass === 'ground') return [finding(this, { status: 'not_applicable', reason: 'Ground vehicle.', suppressions: [GROUND_SUPPRESSION] })];
    const end = s.timeRange?.end;
    const lastFlight = ctx.phases.flying[ctx.phases.flying.length - 1];
    if (end === undefined || !lastFlight) return [finding(this, { status: ctx.phases.flying.length ? 'insufficient_data' : 'pass', reason: 'The log does not end in flight (no flight recorded).', evidence: { values: { completeness: ctx.log.completeness } } })];
    const alt = th(ctx, 'truncation.altitude');
    const endedFlying = end - lastFlight.end <= END_MARGIN_S;
    const lastArmed = ctx.phases.armed[ctx.phases.armed.length - 1];
    const endedArmed = ctx.phases.armedKnown ? !!lastArmed && end - lastArmed.end <= END_MARGIN_S : endedFlying;
    const lastAlt = lastValue(s.position.altRel ?? s.position.baroAlt);
    const high = lastAlt > alt.value;
    const status = endedFlying && endedArmed ? (high || !Number.isFinite(lastAlt) ? 'fail' : 'warn') : 'pass';
    return [
      finding(this, {
        status,
        severity: status === 'fail' ? 'high' : 'medium',
        reason:
          status === 'pass'
            ? `The flight ended ${round(end - lastFlight.end, 3)} s before the end of the log (landed${ctx.phases.armedKnown ? ' and disarmed' : ''}).`
            : `The log ends while armed and flying${Number.isFinite(lastAlt) ? `, last altitude ${round(lastAlt, 3)} m` : ''} (fail above ${alt.value} m): the recording stopped in the air or right after an uncommanded descent.`,
        evidence: { values: { logEnd: round(end, 8), flightEnd: round(lastFlight.end, 8), lastAltitudeM: round(lastAlt), completeness: ctx.log.completeness }, thresholds: [alt], signals: [s.flyingSource ?? 'flying', (s.position.altRel ?? s.position.baroAlt)?.source].filter((x): x is string => !!x), timeRanges: status === 'pass' ? [] : [{ start: Math.max(lastFlight.start, end - 5), end, label: 'end of log' }] },
      }),
    ];
  },
};
