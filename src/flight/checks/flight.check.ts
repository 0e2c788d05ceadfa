/**
 * Empty / never flew: a bench log or a log armed without take-off is reported as "no flight", never
 * as a healthy flight (LogAnalyzer Empty, DroneKit-LA Ever Armed / Ever Flew).
 */
import type { Finding } from '../report/report.js';
import { percentile, round, samplesWithin, totalS } from '../analysis/series-window.js';
import { finding, GROUND_SUPPRESSION, th, type CheckContext, type FlightCheck } from './check.js';

export const neverFlewCheck: FlightCheck = {
  id: 'flight.activity',
  family: 'flight',
  title: 'Flight activity',
  run(ctx: CheckContext): Finding[] {
    const p = ctx.phases;
    if (ctx.vehicleClass === 'ground') return [finding(this, { status: 'not_applicable', reason: 'Ground vehicle: flight activity does not apply.', suppressions: [GROUND_SUPPRESSION] })];
    const thr = th(ctx, 'empty.throttle');
    const maxThrottle = percentile(samplesWithin(ctx.signals.system?.throttle, p.armed).v, 99);
    const values = { armedS: round(totalS(p.armed)), flyingS: round(totalS(p.flying)), p99Throttle: round(maxThrottle), flyingSource: p.flyingSource };
    if (p.armedKnown && p.armed.length === 0)
      return [finding(this, { status: 'insufficient_data', reason: 'Never armed: a bench or hand-held recording. There is no flight to assess — this is not a healthy-flight verdict.', evidence: { values, signals: [ctx.signals.armedSource ?? 'armed'] } })];
    if (p.flying.length === 0)
      return [
        finding(this, {
          status: 'warn',
          severity: 'low',
          reason: `${p.armedKnown ? `Armed for ${values.armedS} s but never` : 'Never'} flew${Number.isFinite(maxThrottle) ? ` (throttle p99 ${Math.round(maxThrottle * 100)} %, LogAnalyzer "Empty" below ${thr.value * 100} %)` : ''}: no flight to assess.`,
          evidence: { values, thresholds: [thr], signals: [ctx.signals.flyingSource ?? p.flyingSource] },
        }),
      ];
    return [finding(this, { status: 'pass', reason: `Flew ${values.flyingS} s in ${p.flying.length} flight(s) (${p.flyingSource}).`, evidence: { values, thresholds: [thr], timeRanges: p.flying.slice(0, 10) } })];
  },
};
