/**
 * Compass: field-strength change over steady flight per magnetometer (LogAnalyzer: > 25 % warn,
 * > 35 % fail — current-induced interference or a failing sensor) and ArduPilot offset length from
 * COMPASS_OFS_* parameters (> 300 warn, > 500 fail mGauss).
 */
import type { Finding } from '../report/report.js';
import { median, percentile, round, samplesWithin } from '../analysis/series-window.js';
import { finding, noSteadyFlight, th, type CheckContext, type FlightCheck } from './check.js';

export const compassCheck: FlightCheck = {
  id: 'compass.field',
  family: 'compass',
  title: 'Compass field and offsets',
  run(ctx: CheckContext): Finding[] {
    const mags = ctx.signals.system?.magField ?? [];
    const p = ctx.signals.parameters;
    const ofs = ['', '2', '3']
      .map((k) => [p.get(`COMPASS_OFS${k}_X`), p.get(`COMPASS_OFS${k}_Y`), p.get(`COMPASS_OFS${k}_Z`)])
      .filter((v): v is [number, number, number] => v.every((x) => x !== undefined))
      .map((v) => Math.hypot(...v));
    if (mags.length === 0 && ofs.length === 0) return [finding(this, { status: 'insufficient_data', reason: 'No magnetometer data or compass offsets in the log.' })];
    const window = ctx.vehicleClass === 'ground' ? ctx.phases.armed : ctx.phases.steady;
    if (mags.length && window.length === 0 && ofs.length === 0) return [noSteadyFlight(this, ctx)];
    const t = { cw: th(ctx, 'compass.fieldChange.warn'), cf: th(ctx, 'compass.fieldChange.fail'), ow: th(ctx, 'compass.offsets.warn'), of: th(ctx, 'compass.offsets.fail') };
    const changes = mags.map((m) => {
      const v = samplesWithin(m, window).v;
      return v.length > 10 ? (percentile(v, 99) - percentile(v, 1)) / median(v) : NaN;
    });
    const change = Math.max(...changes.filter(Number.isFinite), -Infinity);
    const offset = Math.max(...ofs, -Infinity);
    const fail = change > t.cf.value || offset > t.of.value;
    const warn = change > t.cw.value || offset > t.ow.value;
    // Offsets alone are a calibration observation, not an in-flight event: lower severity.
    const offsetsOnly = !(change > t.cw.value);
    const values: Record<string, number | null> = { maxFieldChange: round(change), maxOffsetLength: round(offset) };
    return [
      finding(this, {
        status: fail ? 'fail' : warn ? 'warn' : Number.isFinite(change) || Number.isFinite(offset) ? 'pass' : 'insufficient_data',
        severity: offsetsOnly ? (fail ? 'medium' : 'low') : fail ? 'high' : 'medium',
        reason: `Field strength varied by ${Number.isFinite(change) ? `${Math.round(change * 100)} %` : 'n/a'} in flight (p1–p99 over median; warn ${t.cw.value * 100} %, fail ${t.cf.value * 100} %); largest offset vector ${Number.isFinite(offset) ? round(offset, 3) : 'n/a'} (warn ${t.ow.value}, fail ${t.of.value}).`,
        evidence: { values, thresholds: Object.values(t), signals: mags.map((m) => m.source), timeRanges: [] },
      }),
    ];
  },
};
