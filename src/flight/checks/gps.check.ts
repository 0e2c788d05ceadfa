/**
 * GPS quality (satellites, HDOP, jamming over steady flight) and GPS glitches. A receiver that never
 * had a fix means the vehicle flew without GPS (manual or vision navigation): the quality check is
 * then not applicable — eph 4294967.5 / fix 0 is "no GPS", not "a huge error".
 */
import type { Finding } from '../report/report.js';
import { percentile, round, samplesWithin } from '../analysis/series-window.js';
import { finding, GROUND_SUPPRESSION, noSteadyFlight, th, type CheckContext, type FlightCheck } from './check.js';

export const gpsQualityCheck: FlightCheck = {
  id: 'gps.quality',
  family: 'gps',
  title: 'GPS quality',
  run(ctx: CheckContext): Finding[] {
    const gps = ctx.signals.gps;
    if (gps.length === 0 || gps.every((g) => !g.hasFix))
      return [
        finding(this, {
          status: 'not_applicable',
          reason: gps.length === 0 ? 'No GPS receiver data: flown without GPS.' : 'The GPS receiver never had a 3-D fix: flown without GPS (manual or vision navigation).',
          suppressions: [{ id: 'no_gps', reason: 'GPS is not the navigation source in this log' }],
        }),
      ];
    const window = ctx.vehicleClass === 'ground' ? ctx.phases.armed : ctx.phases.steady;
    if (window.length === 0) return [noSteadyFlight(this, ctx)];
    return gps
      .filter((g) => g.hasFix)
      .map((g) => {
        const sats = percentile(samplesWithin(g.satellites, window).v, 5);
        const hdop = percentile(samplesWithin(g.hdop, window).v, 95);
        const jam = percentile(samplesWithin(g.jamming, window).v, 95);
        const t = { sw: th(ctx, 'gps.sats.warn'), sf: th(ctx, 'gps.sats.fail'), hw: th(ctx, 'gps.hdop.warn'), hf: th(ctx, 'gps.hdop.fail'), jw: th(ctx, 'gps.jamming.warn') };
        const fail = sats < t.sf.value || hdop > t.hf.value;
        const warn = sats < t.sw.value || hdop > t.hw.value || jam >= t.jw.value;
        const status = fail ? 'fail' : warn ? 'warn' : !Number.isFinite(sats) && !Number.isFinite(hdop) ? 'insufficient_data' : 'pass';
        return finding(this, {
          status,
          instance: gps.length > 1 ? g.instance : undefined,
          reason: `In flight: p5 satellites ${round(sats, 3) ?? 'n/a'}, p95 HDOP ${round(hdop, 3) ?? 'n/a'}, p95 jamming ${round(jam, 3) ?? 'n/a'} (warn below ${t.sw.value} sats / above HDOP ${t.hw.value} / jamming ≥ ${t.jw.value}).`,
          evidence: { values: { p5Satellites: round(sats), p95Hdop: round(hdop), p95Jamming: round(jam) }, thresholds: Object.values(t), signals: [g.satellites?.source, g.hdop?.source, g.jamming?.source].filter((x): x is string => !!x), timeRanges: [] },
        });
      });
  },
};

export const gpsGlitchCheck: FlightCheck = {
  id: 'gps.glitch',
  family: 'gps',
  title: 'GPS glitches',
  run(ctx: CheckContext): Finding[] {
    const glitches = ctx.signals.events.filter((e) => /^GPS_GLITCH|^LOST_GPS/.test(e.name));
    if (ctx.signals.gps.length === 0 && glitches.length === 0)
      return [finding(this, { status: 'not_applicable', reason: 'No GPS in this log.', suppressions: [{ id: 'no_gps', reason: 'GPS is not the navigation source' }] })];
    if (ctx.vehicleClass === 'ground' && glitches.length === 0) return [finding(this, { status: 'pass', reason: 'No GPS glitch reported.', suppressions: [GROUND_SUPPRESSION] })];
    const fail = th(ctx, 'gps.glitch.fail');
    const status = glitches.length >= fail.value ? 'fail' : glitches.length > 0 ? 'warn' : 'pass';
    return [
      finding(this, {
        status,
        reason: glitches.length ? `${glitches.length} GPS glitch report(s) from the autopilot, first at ${round(glitches[0]!.time - (ctx.signals.timeRange?.start ?? 0), 3)} s.` : 'No GPS glitch reported by the autopilot.',
        evidence: { values: { glitches: glitches.length }, thresholds: [fail], signals: [...new Set(glitches.map((e) => e.source))], timeRanges: glitches.slice(0, 10).map((e) => ({ start: e.time, end: e.time, label: e.name })) },
      }),
    ];
  },
};
