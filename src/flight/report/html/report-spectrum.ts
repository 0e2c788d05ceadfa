/**
 * The report's spectrum: a Welch power spectrum per axis of the fastest gyro (body rates) or raw
 * accelerometer signal over steady flight, using the same estimator as the `spectral.peaks` check
 * (`welch` in `checks/spectral.check.ts`) so the plot shows what the check judged.
 */
import type { FlightReport, PhaseSegment } from '../report.js';
import type { FlightSignals, Interval, Signal } from '../../signals/flight-signals.js';
import { samplesWithin, subtract } from '../../analysis/series-window.js';
import { welch } from '../../checks/spectral.check.js';

/** Welch segment length used by `welch` (bins = N / 2). */
const N = 256;
/** Below this rate a spectrum shows nothing above a few hertz, where flight motion dominates. */
const MIN_RATE_HZ = 20;

export interface SpectrumResult {
  readonly kind: 'gyro' | 'accel';
  readonly rateHz: number;
  readonly window: string;
  readonly series: readonly { readonly label: string; readonly f: Float64Array; readonly db: Float64Array }[];
}

export function sampleRateHz(s: Signal): number {
  const d: number[] = [];
  for (let i = 1; i < Math.min(s.t.length, 501); i++) d.push(s.t[i]! - s.t[i - 1]!);
  d.sort((a, b) => a - b);
  const m = d[d.length >> 1];
  return m && m > 0 ? 1 / m : 0;
}

function union(phases: readonly PhaseSegment[], kinds: readonly string[]): Interval[] {
  return phases
    .filter((p) => kinds.includes(p.kind))
    .map((p) => ({ start: p.start, end: p.end }))
    .sort((a, b) => a.start - b.start);
}

/** The spectrum, or the reason there is none (plain text for the "not in this log" box). */
export function computeSpectrum(report: FlightReport, s: FlightSignals): SpectrumResult | string {
  const gyro = [s.rates.roll, s.rates.pitch, s.rates.yaw].filter((x): x is Signal => !!x);
  const accel = s.vibration.rawAccel;
  const groups = [
    { kind: 'gyro' as const, sigs: gyro },
    { kind: 'accel' as const, sigs: accel },
  ].filter((g) => g.sigs.length > 0);
  if (groups.length === 0) return 'no body-rate (gyro) or raw accelerometer signal in this log';
  const best = groups.map((g) => ({ ...g, rate: Math.min(...g.sigs.map(sampleRateHz)) })).sort((a, b) => b.rate - a.rate)[0]!;
  if (best.rate < MIN_RATE_HZ) return `gyro/accelerometer sampled at ${best.rate.toFixed(1)} Hz only (a spectrum needs ≥ ${MIN_RATE_HZ} Hz)`;
  const windows: [string, Interval[]][] = [
    ['steady flight', union(report.phases, ['hover', 'cruise'])],
    ['flight minus take-off and landing', subtract(union(report.phases, ['flying']), union(report.phases, ['takeoff', 'landing']))],
    ['whole flight', union(report.phases, ['flying'])],
  ];
  for (const [name, iv] of windows) {
    if (iv.length === 0) continue;
    const series = best.sigs.flatMap((sig) => {
      const w = samplesWithin(sig, iv);
      const psd = welch(w.t, w.v, best.rate);
      if (!psd) return [];
      const f = new Float64Array(psd.length - 1);
      const db = new Float64Array(psd.length - 1);
      for (let k = 1; k < psd.length; k++) {
        f[k - 1] = (k * best.rate) / N;
        db[k - 1] = 10 * Math.log10(Math.max(psd[k]!, 1e-20));
      }
      return [{ label: sig.source, f, db }];
    });
    if (series.length) return { kind: best.kind, rateHz: best.rate, window: name, series };
  }
  return `no ${N}-sample stretch of steady flight to compute a spectrum from (the vehicle never flew steadily, or flew too briefly)`;
}
