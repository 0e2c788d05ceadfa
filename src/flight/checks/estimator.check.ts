/**
 * Estimator health: innovation test ratios (> 1 = measurement rejected) sustained over time, per
 * estimator instance, and primary-instance switching (PX4 "primary EKF changed (filter fault)",
 * ArduPilot EKF lane switches), which flight-review-rs calls whipsaw when it repeats.
 */
import type { Finding } from '../report/report.js';
import { compactRanges, round, samplesWithin, sustainedRuns } from '../analysis/series-window.js';
import { finding, noSteadyFlight, th, type CheckContext, type FlightCheck } from './check.js';

export const innovationCheck: FlightCheck = {
  id: 'estimator.innovations',
  family: 'estimator',
  title: 'Estimator innovation test ratios',
  run(ctx: CheckContext): Finding[] {
    const est = ctx.signals.estimators;
    if (est.length === 0) return [finding(this, { status: 'insufficient_data', reason: 'No estimator status in the log.' })];
    const window = ctx.vehicleClass === 'ground' ? ctx.phases.armed : ctx.phases.steady;
    if (window.length === 0) return [noSteadyFlight(this, ctx)];
    const red = th(ctx, 'estimator.ratio.red');
    const warn = th(ctx, 'estimator.sustained.warn');
    const fail = th(ctx, 'estimator.sustained.fail');
    return est.map((e) => {
      let worst = { name: '', longest: 0, ranges: [] as { start: number; end: number }[] };
      const values: Record<string, number | null> = {};
      for (const r of e.testRatios) {
        // Old ArduPilot (EKF4 2014) ratios are scaled ×100 in some fields; a ratio never reaches 1e3 legitimately.
        const runs = sustainedRuns(samplesWithin(r, window), (v) => v > red.value && v < 1e3, 0);
        const longest = Math.max(0, ...runs.map((x) => x.end - x.start));
        values[`longest ${r.name} > 1 (s)`] = round(longest);
        if (longest > worst.longest) worst = { name: r.name, longest, ranges: runs };
      }
      const status = worst.longest >= fail.value ? 'fail' : worst.longest >= warn.value ? 'warn' : 'pass';
      return finding(this, {
        status,
        instance: est.length > 1 ? e.instance : undefined,
        reason: status === 'pass' ? `${e.source}: no innovation test ratio stayed above ${red.value} for ${warn.value} s.` : `${e.source}: ${worst.name} test ratio above ${red.value} for ${round(worst.longest, 3)} s continuously (warn ${warn.value} s, fail ${fail.value} s).`,
        evidence: { values, thresholds: [red, warn, fail], signals: e.testRatios.map((r) => r.source), timeRanges: compactRanges(worst.ranges.filter((x) => x.end - x.start >= 0.5)) },
      });
    });
  },
};

export const estimatorSwitchCheck: FlightCheck = {
  id: 'estimator.switching',
  family: 'estimator',
  title: 'Estimator faults and instance switching',
  run(ctx: CheckContext): Finding[] {
    const ev = ctx.signals.events.filter((e) => /^EKF_FAULT|^EKF_PRIMARY|^EKFCHECK|^FAILSAFE_EKFINAV/.test(e.name) && e.kind !== 'resolved');
    if (ctx.signals.estimators.length === 0 && ev.length === 0) return [finding(this, { status: 'insufficient_data', reason: 'No estimator data or estimator messages in the log.' })];
    const fail = th(ctx, 'estimator.switch.fail');
    const burst = Math.max(0, ...ev.map((e) => ev.filter((x) => x.time >= e.time && x.time <= e.time + 10).length));
    const variance = ev.filter((e) => /^EKFCHECK|^FAILSAFE_EKFINAV/.test(e.name));
    const status = burst >= fail.value || variance.length > 0 ? 'fail' : ev.length > 0 ? 'warn' : 'pass';
    return [
      finding(this, {
        status,
        reason: ev.length === 0 ? 'No estimator fault, variance error or primary-instance switch reported.' : `${ev.length} estimator fault/switch report(s) (${[...new Set(ev.map((e) => e.name))].join(', ')}); up to ${burst} within 10 s (fail from ${fail.value}, or any EKF variance error).`,
        evidence: { values: { reports: ev.length, maxIn10s: burst, varianceErrors: variance.length }, thresholds: [fail], signals: [...new Set(ev.map((e) => e.source))], timeRanges: compactRanges(ev.map((e) => ({ start: e.time, end: e.time, label: e.detail ?? e.name })), 1) },
      }),
    ];
  },
};
