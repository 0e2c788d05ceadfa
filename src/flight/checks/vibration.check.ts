/**
 * Vibration level and accelerometer clipping over steady flight. Levels are judged on the p95 of
 * the in-flight metric, not the maximum: the prop-cut pair in shared/flightlogs shows single-sample
 * maxima point the wrong way. PX4 metric and ArduPilot VIBE have different bands; logs with neither
 * (2014 ArduPilot) fall back to LogAnalyzer's 2σ of raw accel in hover.
 */
import type { Finding } from '../report/report.js';
import { compactRanges, percentile, round, samplesWithin, stdDev, sustainedRuns, type SignalWindow } from '../analysis/series-window.js';
import { finding, noSteadyFlight, th, type CheckContext, type FlightCheck } from './check.js';

/** Below this the raw accel spread measures motion, not vibration. */
const RAW_MIN_RATE_HZ = 40;

function rawRate(sig: { t: Float64Array }): number {
  const n = Math.min(sig.t.length, 2000);
  return n > 1 ? (n - 1) / (sig.t[n - 1]! - sig.t[0]!) : 0;
}

export const vibrationLevelCheck: FlightCheck = {
  id: 'vibration.level',
  family: 'vibration',
  title: 'Vibration level',
  run(ctx: CheckContext): Finding[] {
    const s = ctx.signals;
    if (ctx.phases.steady.length === 0) return [noSteadyFlight(this, ctx)];
    const metrics = s.vibration.metrics;
    if (metrics.length > 0) {
      const px4 = s.vehicle.autopilot === 'px4' || metrics.some((m) => m.source.includes('accel_vibration_metric'));
      const warn = th(ctx, px4 ? 'vibration.px4.warn' : 'vibration.ap.warn');
      const fail = th(ctx, px4 ? 'vibration.px4.fail' : 'vibration.ap.fail');
      let worst: SignalWindow & { p95: number; source: string } = { p95: -Infinity, source: '', t: new Float64Array(0), v: new Float64Array(0) };
      const values: Record<string, number | null> = {};
      for (const m of metrics) {
        const w = samplesWithin(m, ctx.phases.steady);
        const p95 = percentile(w.v, 95);
        values[`p95 ${m.source}`] = round(p95);
        if (p95 > worst.p95) worst = { p95, source: m.source, ...w };
      }
      if (!Number.isFinite(worst.p95)) return [noSteadyFlight(this, ctx)];
      const status = worst.p95 > fail.value ? 'fail' : worst.p95 > warn.value ? 'warn' : 'pass';
      const ranges = compactRanges(sustainedRuns(worst, (v) => v > warn.value, 1));
      return [
        finding(this, {
          status,
          reason: `In-flight p95 vibration ${round(worst.p95, 3)} m/s² on ${worst.source} (warn above ${warn.value}, fail above ${fail.value}).`,
          evidence: { values: { ...values, worstP95: round(worst.p95) }, thresholds: [warn, fail], signals: metrics.map((m) => m.source), timeRanges: ranges },
        }),
      ];
    }
    const raw = s.vibration.rawAccel;
    if (raw.length < 3) return [finding(this, { status: 'insufficient_data', reason: 'No vibration metric and no raw accelerometer axes in the log.' })];
    // LogAnalyzer's raw fallback is a copter-in-hover method: elsewhere the spread is manoeuvring, not vibration.
    const rate = rawRate(raw[0]!);
    if (ctx.vehicleClass !== 'multirotor' || ctx.phases.hover.length === 0 || rate < RAW_MIN_RATE_HZ)
      return [
        finding(this, {
          status: 'insufficient_data',
          reason: `No vibration metric in this log, and the raw-accelerometer fallback needs a multicopter in hover sampled at ≥ ${RAW_MIN_RATE_HZ} Hz (here: ${ctx.vehicle.type}, ${round(rate, 3)} Hz, ${ctx.phases.hover.length ? 'hover found' : 'no hover'}).`,
          evidence: { values: { rawRateHz: round(rate) }, signals: raw.map((a) => a.source) },
        }),
      ];
    const window = ctx.phases.hover;
    const sigma = raw.slice(0, 3).map((a) => 2 * stdDev(samplesWithin(a, window).v));
    const [x, y, z] = sigma as [number, number, number];
    const xy = Math.max(x, y);
    const t = { xw: th(ctx, 'vibration.raw.xy.warn'), xf: th(ctx, 'vibration.raw.xy.fail'), zw: th(ctx, 'vibration.raw.z.warn'), zf: th(ctx, 'vibration.raw.z.fail') };
    if (!Number.isFinite(xy) || !Number.isFinite(z)) return [noSteadyFlight(this, ctx)];
    const status = xy > t.xf.value || z > t.zf.value ? 'fail' : xy > t.xw.value || z > t.zw.value ? 'warn' : 'pass';
    return [
      finding(this, {
        status,
        // Raw-accel spread also contains manoeuvres, so it is weaker evidence than a vibration metric.
        severity: status === 'fail' ? 'medium' : 'low',
        reason: `No vibration metric in this log; raw accelerometer 2σ over hover is X/Y ${round(xy, 3)}, Z ${round(z, 3)} m/s² (LogAnalyzer bands XY ${t.xw.value}/${t.xf.value}, Z ${t.zw.value}/${t.zf.value}).`,
        evidence: { values: { twoSigmaX: round(x), twoSigmaY: round(y), twoSigmaZ: round(z) }, thresholds: Object.values(t), signals: raw.map((a) => a.source), timeRanges: window.slice(0, 10) },
        suppressions: [{ id: 'raw_accel_fallback', reason: 'judged from raw accelerometer spread (includes manoeuvres), severity capped at medium' }],
      }),
    ];
  },
};

export const clippingCheck: FlightCheck = {
  id: 'vibration.clipping',
  family: 'vibration',
  title: 'Accelerometer clipping',
  run(ctx: CheckContext): Finding[] {
    const clip = ctx.signals.vibration.clipping;
    if (ctx.phases.steady.length === 0) return [noSteadyFlight(this, ctx)];
    if (clip.length === 0) return [finding(this, { status: 'insufficient_data', reason: 'The log has no clipping counters.' })];
    const warn = th(ctx, 'clipping.warn');
    const fail = th(ctx, 'clipping.fail');
    let total = 0;
    const ranges = [];
    const values: Record<string, number | null> = {};
    for (const c of clip) {
      let inc = 0;
      for (const iv of ctx.phases.steady) {
        const w = samplesWithin(c, [iv]);
        if (w.v.length < 2) continue;
        // Counters are cumulative; a reset (new boot) is not a negative count.
        for (let i = 1; i < w.v.length; i++) {
          const d = w.v[i]! - w.v[i - 1]!;
          if (d > 0) {
            inc += d;
            ranges.push({ start: w.t[i - 1]!, end: w.t[i]! });
          }
        }
      }
      values[c.source] = inc;
      total += inc;
    }
    const status = total >= fail.value ? 'fail' : total >= warn.value ? 'warn' : 'pass';
    return [
      finding(this, {
        status,
        severity: status === 'fail' ? 'high' : 'medium',
        reason: `${total} clipped accelerometer samples during steady flight (warn from ${warn.value}, fail from ${fail.value}).`,
        evidence: { values: { ...values, total }, thresholds: [warn, fail], signals: clip.map((c) => c.source), timeRanges: compactRanges(ranges, 2) },
      }),
    ];
  },
};
