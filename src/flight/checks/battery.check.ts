/**
 * Battery: voltage per cell under load, state of charge, the autopilot's own battery warnings and
 * low-battery events. A monitor that is not connected (≈ 0 V, "Low Battery 0.05V", BATT_MONITOR = 0)
 * yields `not_applicable` with a suppression, never a finding.
 */
import type { Finding } from '../report/report.js';
import { percentile, round, samplesWithin } from '../analysis/series-window.js';
import { finding, th, type CheckContext, type FlightCheck } from './check.js';

/** LiPo full charge per cell, used to guess the cell count when the log does not give it. */
const FULL_CELL_V = 4.2;

export const batteryCheck: FlightCheck = {
  id: 'battery.state',
  family: 'battery',
  title: 'Battery state',
  run(ctx: CheckContext): Finding[] {
    const s = ctx.signals;
    if (s.batteries.length === 0) return [finding(this, { status: 'insufficient_data', reason: 'No battery monitor data in the log.' })];
    const window = ctx.phases.armed.length ? ctx.phases.armed : ctx.phases.flying;
    const lowEvents = s.events.filter((e) => e.kind === 'battery');
    return s.batteries.map((b) => {
      const instance = s.batteries.length > 1 ? b.instance : undefined;
      if (!b.connected)
        return finding(this, {
          status: 'not_applicable',
          instance,
          reason: `Battery monitor ${b.instance} is not measuring a pack (${b.connectedReason}).`,
          suppressions: [{ id: 'battery_disconnected', reason: b.connectedReason }],
        });
      if (window.length === 0) return finding(this, { status: 'insufficient_data', instance, reason: 'The vehicle was never armed; battery under load cannot be judged.' });
      const v = samplesWithin(b.voltage, window);
      const maxV = percentile(v.v, 99);
      const cells = b.cellCount ?? (Number.isFinite(maxV) ? Math.max(1, Math.ceil(maxV / FULL_CELL_V)) : NaN);
      const p5Cell = percentile(v.v, 5) / cells;
      const remMin = percentile(samplesWithin(b.remaining, window).v, 2);
      const warnMax = percentile(samplesWithin(b.warning, window).v, 100);
      const t = { cw: th(ctx, 'battery.cell.warn'), cf: th(ctx, 'battery.cell.fail'), rw: th(ctx, 'battery.remaining.warn'), wf: th(ctx, 'battery.warning.fail') };
      const reasons: string[] = [];
      let status: 'pass' | 'warn' | 'fail' = 'pass';
      let severity: 'medium' | 'high' | 'critical' = 'medium';
      if (p5Cell < t.cf.value) {
        status = 'fail';
        severity = 'critical';
        reasons.push(`voltage under load ${round(p5Cell, 3)} V/cell (p5) below ${t.cf.value}`);
      } else if (p5Cell < t.cw.value) {
        status = 'warn';
        reasons.push(`voltage under load ${round(p5Cell, 3)} V/cell (p5) below ${t.cw.value}`);
      }
      if (warnMax >= t.wf.value) {
        status = 'fail';
        if (severity !== 'critical') severity = 'high';
        reasons.push(`autopilot battery warning reached level ${warnMax} (critical/emergency)`);
      } else if (warnMax >= 1 && status === 'pass') {
        status = 'warn';
        reasons.push('autopilot raised a low-battery warning');
      }
      if (remMin < t.rw.value) {
        if (status === 'pass') status = 'warn';
        reasons.push(`state of charge fell to ${Math.round(remMin * 100)} % (below ${t.rw.value * 100} %)`);
      }
      if (lowEvents.length && status === 'pass') {
        status = 'warn';
        reasons.push(`low-battery message "${lowEvents[0]!.detail ?? lowEvents[0]!.name}"`);
      }
      return finding(this, {
        status,
        severity,
        instance,
        reason: status === 'pass' ? `Battery ${b.instance} stayed above ${t.cw.value} V/cell under load (p5 ${round(p5Cell, 3)} V/cell, ${Number.isFinite(cells) ? cells : '?'} cells).` : `Battery ${b.instance}: ${reasons.join('; ')}.`,
        evidence: {
          values: { cells: Number.isFinite(cells) ? cells : null, cellCountSource: b.cellCount ? 'log' : 'estimated from max voltage / 4.2 V', p5VoltsPerCell: round(p5Cell), minRemaining: round(remMin), maxWarning: round(warnMax), lowBatteryEvents: lowEvents.length },
          thresholds: Object.values(t),
          signals: [b.voltage?.source, b.remaining?.source, b.warning?.source].filter((x): x is string => !!x),
          timeRanges: lowEvents.slice(0, 5).map((e) => ({ start: e.time, end: e.time, label: e.detail ?? e.name })),
        },
      });
    });
  },
};
