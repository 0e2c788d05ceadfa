/**
 * Thrust margin for multicopters: hover throttle above 70 % leaves little margin, and LogAnalyzer's
 * underpowered rule — throttle > 70 % with tilt < 20° while climbing slower than 0.5 m/s (fail) or
 * 1 m/s (warn), sustained.
 */
import type { Finding } from '../report/report.js';
import { compactRanges, median, round, samplesWithin, sustainedRuns, type Samples } from '../analysis/series-window.js';
import { finding, GROUND_SUPPRESSION, noSteadyFlight, th, type CheckContext, type FlightCheck } from './check.js';
import { valueAt } from '../signals/signal-series.js';

export const thrustMarginCheck: FlightCheck = {
  id: 'thrust.margin',
  family: 'thrust',
  title: 'Thrust margin',
  run(ctx: CheckContext): Finding[] {
    if (ctx.vehicleClass === 'ground') return [finding(this, { status: 'not_applicable', reason: 'Ground vehicle.', suppressions: [GROUND_SUPPRESSION] })];
    if (ctx.vehicleClass === 'fixed_wing') return [finding(this, { status: 'not_applicable', reason: 'Fixed-wing: lift comes from the wing, not thrust margin.', suppressions: [{ id: 'vehicle_class', reason: 'not a multicopter' }] })];
    if (ctx.phases.steady.length === 0) return [noSteadyFlight(this, ctx)];
    const s = ctx.signals;
    const thr = s.system?.throttle;
    if (!thr) return [finding(this, { status: 'insufficient_data', reason: 'No throttle / thrust command in the log.' })];
    const t = { th: th(ctx, 'thrust.throttle'), tilt: th(ctx, 'thrust.tilt'), cf: th(ctx, 'thrust.climb.fail'), cw: th(ctx, 'thrust.climb.warn'), hw: th(ctx, 'thrust.hover.warn') };
    const hoverWin = ctx.phases.hover.length ? ctx.phases.hover : ctx.phases.steady;
    const hoverThrottle = median(samplesWithin(thr, hoverWin).v);
    const w = samplesWithin(thr, ctx.phases.steady);
    // Per throttle sample: 1 = high throttle, level, climbing slower than the fail rate; 0.5 = slower than warn rate.
    const flags: Samples = { t: w.t, v: w.t.map((time, i) => {
      const roll = s.attitude.roll ? Math.abs(valueAt(s.attitude.roll, time)) * (180 / Math.PI) : 0;
      const pitch = s.attitude.pitch ? Math.abs(valueAt(s.attitude.pitch, time)) * (180 / Math.PI) : 0;
      const climb = s.position.vz ? -valueAt(s.position.vz, time) : NaN;
      if (!(w.v[i]! > t.th.value) || Math.max(roll, pitch) >= t.tilt.value || !Number.isFinite(climb)) return 0;
      return climb < t.cf.value ? 1 : climb < t.cw.value ? 0.5 : 0;
    }) };
    const failRuns = sustainedRuns(flags, (v) => v === 1, 1);
    const warnRuns = sustainedRuns(flags, (v) => v > 0, 1);
    const status = failRuns.length ? 'fail' : warnRuns.length || hoverThrottle > t.hw.value ? 'warn' : Number.isFinite(hoverThrottle) ? 'pass' : 'insufficient_data';
    return [
      finding(this, {
        status,
        reason: `Median ${ctx.phases.hover.length ? 'hover' : 'steady-flight'} throttle ${Number.isFinite(hoverThrottle) ? `${Math.round(hoverThrottle * 100)} %` : 'n/a'} (warn above ${t.hw.value * 100} %); ${failRuns.length + warnRuns.length ? `${warnRuns.length} period(s) of throttle > ${t.th.value * 100} % level flight without climbing` : 'no high-throttle period without climb'}.`,
        evidence: { values: { hoverThrottle: round(hoverThrottle), underpoweredPeriods: warnRuns.length }, thresholds: Object.values(t), signals: [thr.source, s.position.vz?.source].filter((x): x is string => !!x), timeRanges: compactRanges(warnRuns) },
      }),
    ];
  },
};
