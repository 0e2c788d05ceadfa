/**
 * Excess attitude and crash: sustained tilt beyond the vehicle's limit while flying (LogAnalyzer
 * ANGLE_MAX + 10°, beyond 90° = inverted) and the autopilot's own crash detection (ArduPilot ERR 12,
 * "crash" text). Judged over the whole flight — crashes happen in transients — but not in acro/flip
 * modes, where large angles are intended, and never for ground vehicles (a rover's board may sit at 90°).
 */
import type { Finding } from '../report/report.js';
import { compactRanges, round, subtract, sustainedRuns, type Samples } from '../analysis/series-window.js';
import { finding, GROUND_SUPPRESSION, th, type CheckContext, type FlightCheck } from './check.js';

const DEG = 180 / Math.PI;

export const crashCheck: FlightCheck = {
  id: 'crash.attitude',
  family: 'crash',
  title: 'Excess attitude / crash',
  run(ctx: CheckContext): Finding[] {
    const s = ctx.signals;
    const crashes = s.events.filter((e) => e.kind === 'crash');
    if (ctx.vehicleClass === 'ground') return [finding(this, { status: 'not_applicable', reason: 'Ground vehicle: attitude limits do not apply (board orientation may read as roll ±180°).', suppressions: [GROUND_SUPPRESSION] })];
    const acro = s.modes.filter((m) => /^(ACRO|FLIP|QACRO)$/.test(m.name) || (ctx.vehicleClass === 'fixed_wing' && m.name === 'MANUAL'));
    const window = subtract(ctx.phases.flying, acro);
    const suppressions = acro.length ? [{ id: 'acro_modes', reason: `excluded ${[...new Set(acro.map((m) => m.name))].join(', ')} (large attitude intended)` }] : [];
    const { roll, pitch } = s.attitude;
    const tilt: Samples<number[]> = { t: [], v: [] };
    if (roll && pitch && roll.t.length === pitch.t.length) {
      let k = 0;
      for (let i = 0; i < roll.t.length; i++) {
        const t = roll.t[i]!;
        while (k < window.length && window[k]!.end < t) k++;
        if (k >= window.length) break;
        if (t < window[k]!.start) continue;
        const r = Math.abs(roll.v[i]!) * DEG;
        const p = Math.abs(pitch.v[i]!) * DEG;
        if (Number.isFinite(r) && Number.isFinite(p)) {
          tilt.t.push(t);
          tilt.v.push(Math.max(r, p));
        }
      }
    }
    const warn = th(ctx, 'crash.tilt');
    const fail = th(ctx, 'crash.tilt.fail');
    const dur = th(ctx, 'crash.tilt.duration');
    const over = sustainedRuns(tilt, (v) => v > warn.value, dur.value);
    const inverted = sustainedRuns(tilt, (v) => v > fail.value, dur.value);
    const maxTilt = tilt.v.reduce((m, v) => Math.max(m, v), 0);
    if (tilt.v.length === 0 && crashes.length === 0)
      return [finding(this, { status: ctx.phases.flying.length ? 'insufficient_data' : 'insufficient_data', reason: ctx.phases.flying.length ? 'No attitude samples in flight.' : 'The vehicle never flew in this log.', suppressions })];
    const status = crashes.length || inverted.length ? 'fail' : over.length ? 'warn' : 'pass';
    const parts = [];
    if (crashes.length) parts.push(`autopilot reported ${crashes.map((c) => c.name).join(', ')}`);
    if (inverted.length) parts.push(`tilt beyond ${fail.value}° for ${round(inverted[0]!.end - inverted[0]!.start, 3)} s`);
    else if (over.length) parts.push(`tilt beyond ${warn.value}° for ${round(over[0]!.end - over[0]!.start, 3)} s`);
    return [
      finding(this, {
        status,
        severity: status === 'fail' ? 'critical' : 'medium',
        reason: status === 'pass' ? `Maximum sustained tilt in flight ${round(maxTilt, 3)}°, within ${warn.value}°.` : `${parts.join('; ')} (max tilt ${round(maxTilt, 3)}°).`,
        evidence: {
          values: { maxTiltDeg: round(maxTilt), crashReports: crashes.length, secondsBeyondLimit: round(over.reduce((a, r) => a + r.end - r.start, 0)) },
          thresholds: [warn, fail, dur],
          signals: [roll?.source, pitch?.source, ...crashes.map((c) => c.source)].filter((x): x is string => !!x),
          timeRanges: compactRanges([...over, ...crashes.map((c) => ({ start: c.time, end: c.time, label: c.name }))]),
        },
        suppressions,
      }),
    ];
  },
};
