/** Logging and system health: dropouts, CPU load / slow loops, NaNs in flight-critical signals, decode damage. */
import type { Finding } from '../report/report.js';
import { percentile, round, samplesWithin } from '../analysis/series-window.js';
import { finding, th, type CheckContext, type FlightCheck } from './check.js';

export const loggingHealthCheck: FlightCheck = {
  id: 'logging.health',
  family: 'logging',
  title: 'Logging and system health',
  run(ctx: CheckContext): Finding[] {
    const s = ctx.signals;
    const window = ctx.phases.armed.length ? ctx.phases.armed : ctx.phases.flying.length ? ctx.phases.flying : s.timeRange ? [s.timeRange] : [];
    const t = { dw: th(ctx, 'logging.dropouts.warn'), cw: th(ctx, 'logging.cpu.warn'), sw: th(ctx, 'logging.slowLoops.warn'), sf: th(ctx, 'logging.slowLoops.fail') };
    const cpu = percentile(samplesWithin(s.system?.cpuLoad, window).v, 95);
    const slow = percentile(samplesWithin(s.system?.slowLoops, window).v, 95);
    let nan = 0;
    for (const sig of [s.attitude.roll, s.attitude.pitch]) if (sig) for (let i = 0; i < sig.v.length; i++) if (Number.isNaN(sig.v[i]!) && window.some((w) => sig.t[i]! >= w.start && sig.t[i]! <= w.end)) nan++;
    const reasons: string[] = [];
    let status: 'pass' | 'warn' | 'fail' = 'pass';
    if (ctx.log.dropouts.totalS > t.dw.value) {
      status = 'warn';
      reasons.push(`${ctx.log.dropouts.count} logging dropouts totalling ${round(ctx.log.dropouts.totalS, 3)} s`);
    }
    if (cpu > t.cw.value) {
      status = 'warn';
      reasons.push(`CPU load p95 ${Math.round(cpu * 100)} %`);
    }
    if (slow > t.sf.value) {
      status = 'fail';
      reasons.push(`slow scheduler loops p95 ${Math.round(slow * 100)} %`);
    } else if (slow > t.sw.value) {
      if (status === 'pass') status = 'warn';
      reasons.push(`slow scheduler loops p95 ${Math.round(slow * 100)} %`);
    }
    if (nan > 0) {
      status = 'fail';
      reasons.push(`${nan} NaN attitude samples while armed`);
    }
    if (ctx.log.completeness === 'corrupt_recovered') {
      if (status === 'pass') status = 'warn';
      reasons.push('corrupt bytes were skipped while decoding');
    }
    return [
      finding(this, {
        status,
        severity: status === 'fail' ? 'medium' : 'low',
        reason: status === 'pass' ? `Dropouts ${round(ctx.log.dropouts.totalS, 3)} s, CPU p95 ${Number.isFinite(cpu) ? `${Math.round(cpu * 100)} %` : 'not logged'}, slow loops p95 ${Number.isFinite(slow) ? `${round(slow * 100, 3)} %` : 'not logged'}, no NaN attitude.` : `${reasons.join('; ')}.`,
        evidence: { values: { dropouts: ctx.log.dropouts.count, dropoutS: round(ctx.log.dropouts.totalS), cpuP95: round(cpu), slowLoopsP95: round(slow), nanAttitudeSamples: nan, completeness: ctx.log.completeness }, thresholds: Object.values(t), signals: [s.system?.cpuLoad?.source, s.system?.slowLoops?.source].filter((x): x is string => !!x), timeRanges: [] },
      }),
    ];
  },
};
