/**
 * Attitude tracking: error between attitude setpoint and estimate over steady flight, sustained
 * (DroneKit-LA: warn 5°, fail 10° for ≥ 0.25 s). Manual/acro modes have no attitude setpoint worth
 * judging and are excluded. Vehicles that steer by tilting their thrust axis are judged on the tilt
 * error (see attitude-reference.ts: yaw-independent, and for PX4 against the configured attitude
 * response); fixed-wing aircraft, whose roll and pitch loops are separate, per axis.
 */
import type { Signal } from '../signals/flight-signals.js';
import type { Finding, Suppression } from '../report/report.js';
import {
  compactRanges,
  round,
  subtract,
  sustainedRuns,
  totalS,
  type Samples,
} from '../analysis/series-window.js';
import { MAX_SETPOINT_AGE_S, px4AttitudeResponse, tiltTrackingError } from './attitude-reference.js';
import {
  finding,
  GROUND_SUPPRESSION,
  noSteadyFlight,
  th,
  type CheckContext,
  type FlightCheck,
} from './check.js';

/** Modes where the pilot commands surfaces or rates directly. */
export const UNSTABILISED_MODES = /^(MANUAL|ACRO|FLIP|TRAINING|SPORT|RATTITUDE|QACRO)$/;

const DEG = 180 / Math.PI;

/** |setpoint − actual| in degrees at each actual sample inside the windows (setpoint held as a step). */
export function trackingError(
  actual: Signal,
  setpoint: Signal,
  windows: readonly { start: number; end: number }[],
): Samples {
  const t: number[] = [];
  const v: number[] = [];
  let j = 0;
  let k = 0;
  for (let i = 0; i < actual.t.length; i++) {
    const ti = actual.t[i]!;
    while (k < windows.length && windows[k]!.end < ti) k++;
    if (k >= windows.length) break;
    if (ti < windows[k]!.start) continue;
    while (j + 1 < setpoint.t.length && setpoint.t[j + 1]! <= ti) j++;
    if (setpoint.t[j]! > ti || ti - setpoint.t[j]! > MAX_SETPOINT_AGE_S) continue;
    let d = actual.v[i]! - setpoint.v[j]!;
    if (!Number.isFinite(d)) continue;
    d = Math.atan2(Math.sin(d), Math.cos(d));
    t.push(ti);
    v.push(Math.abs(d) * DEG);
  }
  return { t, v };
}

export const attitudeTrackingCheck: FlightCheck = {
  id: 'attitude.tracking',
  family: 'attitude',
  title: 'Attitude tracking',
  run(ctx: CheckContext): Finding[] {
    if (ctx.vehicleClass === 'ground')
      return [
        finding(this, {
          status: 'not_applicable',
          reason: 'Ground vehicle.',
          suppressions: [GROUND_SUPPRESSION],
        }),
      ];
    if (ctx.phases.steady.length === 0) return [noSteadyFlight(this, ctx)];
    const s = ctx.signals;
    const unstab = s.modes.filter((m) => UNSTABILISED_MODES.test(m.name));
    const window = subtract(ctx.phases.steady, unstab);
    const suppressions: Suppression[] = unstab.length
      ? [
          {
            id: 'manual_modes',
            reason: `excluded ${[...new Set(unstab.map((m) => m.name))].join(', ')} time (no attitude setpoint to track)`,
          },
        ]
      : [];
    const axes = (['roll', 'pitch'] as const).filter((a) => s.attitude[a] && s.attitudeSetpoint[a]);
    if (axes.length === 0)
      return [
        finding(this, {
          status: 'insufficient_data',
          reason: 'No attitude setpoint in the log.',
          suppressions,
        }),
      ];
    if (window.length === 0)
      return [
        finding(this, {
          status: 'not_applicable',
          reason: 'All steady flight was in manual/acro modes.',
          suppressions,
        }),
      ];
    const warn = th(ctx, 'attitude.error.warn');
    const fail = th(ctx, 'attitude.error.fail');
    const dur = th(ctx, 'attitude.error.duration');
    const byTilt = ctx.vehicleClass !== 'fixed_wing' && axes.length === 2;
    const response = byTilt && s.vehicle.autopilot === 'px4' ? px4AttitudeResponse(s.parameters) : undefined;
    const errors: [string, Samples][] = byTilt
      ? [['tilt', tiltTrackingError(s.attitude, s.attitudeSetpoint, window, response)]]
      : axes.map((a) => [a, trackingError(s.attitude[a]!, s.attitudeSetpoint[a]!, window)]);
    if (response) {
      suppressions.push({
        id: 'configured_response',
        reason: `PX4 logs the unshaped setpoint: it was passed through the attitude loop's configured response (gain ${round(response.gain)}/s, rate cap ${round(response.rateMax * DEG)}°/s; ${response.source}) before comparing`,
      });
    }
    const values: Record<string, number | null> = response
      ? { referenceGainPerS: round(response.gain), referenceRateMaxDegS: round(response.rateMax * DEG) }
      : {};
    let warnRuns: { start: number; end: number }[] = [];
    let failS = 0;
    let warnS = 0;
    let n = 0;
    for (const [a, err] of errors) {
      n += err.v.length;
      const wr = sustainedRuns(err, (v) => v > warn.value, dur.value, 1);
      const fr = sustainedRuns(err, (v) => v > fail.value, dur.value, 1);
      values[`${a}Above${warn.value}degS`] = round(totalS(wr));
      values[`${a}Above${fail.value}degS`] = round(totalS(fr));
      warnRuns = warnRuns.concat(wr);
      failS += totalS(fr);
      warnS += totalS(wr);
    }
    const signalsUsed = (byTilt ? (['roll', 'pitch', 'yaw'] as const) : axes)
      .flatMap((a) => [s.attitude[a]?.source, s.attitudeSetpoint[a]?.source])
      .filter((x) => x !== undefined);
    if (n < 10)
      return [
        finding(this, {
          status: 'insufficient_data',
          reason: 'Too few attitude/setpoint pairs in steady flight.',
          suppressions,
        }),
      ];
    // One second in total above the band (made of ≥ 0.25 s runs) — single overshoots are normal.
    const status = failS >= 1 ? 'fail' : warnS >= 1 ? 'warn' : 'pass';
    return [
      finding(this, {
        status,
        severity: status === 'fail' ? 'high' : 'medium',
        reason: `${byTilt ? 'Tilt (thrust-axis)' : 'Roll/pitch'} error above ${warn.value}° for ${round(warnS, 3)} s and above ${fail.value}° for ${round(failS, 3)} s of steady flight (runs ≥ ${dur.value} s; warn/fail from 1 s in total).`,
        evidence: {
          values,
          thresholds: [warn, fail, dur],
          signals: signalsUsed,
          timeRanges: compactRanges(warnRuns),
        },
        suppressions,
      }),
    ];
  },
};
