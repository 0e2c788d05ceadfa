/** Board supply rail: LogAnalyzer's VCC test (minimum and swing while armed). */
import type { Finding } from '../report/report.js';
import { percentile, round, samplesWithin } from '../analysis/series-window.js';
import { finding, th, type CheckContext, type FlightCheck } from './check.js';

export const boardPowerCheck: FlightCheck = {
  id: 'power.board',
  family: 'power',
  title: 'Board supply voltage',
  run(ctx: CheckContext): Finding[] {
    const vcc = ctx.signals.system?.boardVoltage;
    if (!vcc) return [finding(this, { status: 'insufficient_data', reason: 'The log has no board supply voltage.' })];
    const window = ctx.phases.armed.length ? ctx.phases.armed : ctx.phases.flying;
    if (window.length === 0) return [finding(this, { status: 'insufficient_data', reason: 'The vehicle was never armed.' })];
    const w = samplesWithin(vcc, window);
    if (w.v.length < 3) return [finding(this, { status: 'insufficient_data', reason: 'Too few board voltage samples while armed.' })];
    const min = percentile(w.v, 1);
    const swing = percentile(w.v, 99) - min;
    const fail = th(ctx, 'power.vcc.fail');
    const warn = th(ctx, 'power.vcc.swing.warn');
    const status = min < fail.value ? 'fail' : swing > warn.value ? 'warn' : 'pass';
    return [
      finding(this, {
        status,
        severity: status === 'fail' ? 'high' : 'low',
        reason: `Board supply p1 ${round(min, 3)} V, swing ${round(swing, 3)} V while armed (fail below ${fail.value} V, warn above ${warn.value} V swing).`,
        evidence: { values: { p1Volts: round(min), swingVolts: round(swing) }, thresholds: [fail, warn], signals: [vcc.source], timeRanges: [] },
      }),
    ];
  },
};
