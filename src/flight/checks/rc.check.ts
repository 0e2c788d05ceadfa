/** RC link loss while armed (flight-review-rs rc_loss: ≥ 0.5 s warn, ≥ 5 s critical). */
import type { Finding } from '../report/report.js';
import { compactRanges, round } from '../analysis/series-window.js';
import { finding, th, type CheckContext, type FlightCheck } from './check.js';

export const rcLossCheck: FlightCheck = {
  id: 'rc.loss',
  family: 'rc',
  title: 'RC link loss',
  run(ctx: CheckContext): Finding[] {
    const rc = ctx.signals.rc;
    const events = ctx.signals.events.filter((e) => e.kind === 'rc_loss' || e.name === 'FAILSAFE_RADIO');
    if (rc.channels.length === 0 && !rc.lost && events.length === 0) return [finding(this, { status: 'insufficient_data', reason: 'No RC input in the log.' })];
    const armed = ctx.phases.armedKnown ? ctx.phases.armed : [{ start: -Infinity, end: Infinity }];
    const losses = rc.lossIntervals
      .flatMap((l) => armed.map((a) => ({ start: Math.max(l.start, a.start), end: Math.min(l.end, a.end) })))
      .filter((l) => l.end > l.start);
    const longest = Math.max(0, ...losses.map((l) => l.end - l.start));
    const warn = th(ctx, 'rc.loss.warn');
    const fail = th(ctx, 'rc.loss.fail');
    const status = longest >= fail.value ? 'fail' : longest >= warn.value || events.length ? 'warn' : 'pass';
    return [
      finding(this, {
        status,
        severity: status === 'fail' ? 'critical' : 'medium',
        reason: status === 'pass' ? 'No RC loss while armed.' : `RC link lost while armed: longest ${round(longest, 3)} s, ${losses.length} interval(s), ${events.length} loss report(s) (warn ${warn.value} s, fail ${fail.value} s).`,
        evidence: { values: { longestS: round(longest), intervals: losses.length, reports: events.length }, thresholds: [warn, fail], signals: [rc.lost?.source, ...events.map((e) => e.source)].filter((x): x is string => !!x), timeRanges: compactRanges([...losses, ...events.map((e) => ({ start: e.time, end: e.time, label: e.name }))]) },
      }),
    ];
  },
};
