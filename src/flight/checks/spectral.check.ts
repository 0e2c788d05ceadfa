/**
 * Spectral peaks: a Welch power spectrum (Hann, 256 samples, 50 % overlap) of the body rates — or raw
 * accel when rates are slow — over steady flight. Flight Review expects a flat spectrum above ~20 Hz;
 * a single strong narrow peak there points at a mechanical resonance (loose arm, landing gear, prop).
 * Only computed for signals sampled ≥ 100 Hz (median interval), as Flight Review does.
 */
import type { Signal } from '../signals/flight-signals.js';
import type { Finding } from '../report/report.js';
import { mean, median, round, samplesWithin } from '../analysis/series-window.js';
import { finding, GROUND_SUPPRESSION, noSteadyFlight, th, type CheckContext, type FlightCheck } from './check.js';

const N = 256;

/**
 * Twiddle factors of the radix-2 stages for N points, stage by stage (len = 2, 4, …, N; k < len/2),
 * each computed with the same expression the butterflies used to evaluate inline, so precomputing
 * them changes no bit of the spectrum.
 */
const TWIDDLE_RE = new Float64Array(N);
const TWIDDLE_IM = new Float64Array(N);
for (let len = 2, at = 0; len <= N; len <<= 1) {
  const ang = (-2 * Math.PI) / len;
  for (let k = 0; k < len / 2; k++, at++) {
    TWIDDLE_RE[at] = Math.cos(ang * k);
    TWIDDLE_IM[at] = Math.sin(ang * k);
  }
}

const HANN = Float64Array.from({ length: N }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (N - 1)));

/** In-place iterative radix-2 FFT of N points. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const r = re[i]!;
      re[i] = re[j]!;
      re[j] = r;
      const m = im[i]!;
      im[i] = im[j]!;
      im[j] = m;
    }
  }
  for (let len = 2, stage = 0; len <= n; stage += len / 2, len <<= 1)
    for (let i = 0; i < n; i += len)
      for (let k = 0; k < len / 2; k++) {
        const wr = TWIDDLE_RE[stage + k]!;
        const wi = TWIDDLE_IM[stage + k]!;
        const a = i + k;
        const b = a + len / 2;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
}

/** Welch PSD over contiguous segments; returns per-bin mean power and the sample rate. */
export function welch(t: Float64Array, v: Float64Array, rate: number): Float64Array | undefined {
  const psd = new Float64Array(N / 2);
  const re = new Float64Array(N);
  const im = new Float64Array(N);
  let count = 0;
  for (let start = 0; start + N <= v.length; start += N / 2) {
    // Skip windows that straddle a gap (dropout or a phase boundary).
    if (t[start + N - 1]! - t[start]! > (1.5 * N) / rate) continue;
    const seg = v.subarray(start, start + N);
    const m = mean(seg);
    for (let i = 0; i < N; i++) re[i] = (seg[i]! - m) * HANN[i]!;
    im.fill(0);
    fft(re, im);
    for (let k = 0; k < N / 2; k++) psd[k] = psd[k]! + re[k]! ** 2 + im[k]! ** 2;
    count++;
  }
  if (count === 0) return undefined;
  return psd.map((x) => x / count);
}

function sampleRate(s: Signal): number {
  const d: number[] = [];
  for (let i = 1; i < Math.min(s.t.length, 2000); i++) d.push(s.t[i]! - s.t[i - 1]!);
  const m = median(d);
  return m > 0 ? 1 / m : 0;
}

export const spectralCheck: FlightCheck = {
  id: 'spectral.peaks',
  family: 'spectral',
  title: 'Spectral peaks',
  run(ctx: CheckContext): Finding[] {
    if (ctx.vehicleClass === 'ground') return [finding(this, { status: 'not_applicable', reason: 'Ground vehicle.', suppressions: [GROUND_SUPPRESSION] })];
    if (ctx.phases.steady.length === 0) return [noSteadyFlight(this, ctx)];
    const minRate = th(ctx, 'spectral.minRate');
    const peakTh = th(ctx, 'spectral.peakRatio.warn');
    const s = ctx.signals;
    const candidates = [s.rates.roll, s.rates.pitch, s.rates.yaw, ...s.vibration.rawAccel].filter((x): x is Signal => !!x);
    const fast = candidates.filter((c) => sampleRate(c) >= minRate.value);
    if (fast.length === 0) return [finding(this, { status: 'insufficient_data', reason: `No rate or accelerometer signal sampled at ≥ ${minRate.value} Hz (Flight Review's minimum for a spectrum).`, evidence: { thresholds: [minRate] } })];
    let worst = { ratio: 0, freq: NaN, source: '', hf: NaN };
    for (const sig of fast) {
      const rate = sampleRate(sig);
      const w = samplesWithin(sig, ctx.phases.steady);
      const psd = welch(w.t, w.v, rate);
      if (!psd) continue;
      const binHz = rate / N;
      const from = Math.ceil(20 / binHz);
      const band = Array.from(psd.slice(from));
      if (band.length < 8) continue;
      const med = median(band);
      const peak = Math.max(...band);
      const ratio = med > 0 ? peak / med : 0;
      const hf = mean(Array.from(psd.slice(Math.ceil(40 / binHz))).map(Math.sqrt));
      if (ratio > worst.ratio) worst = { ratio, freq: (from + band.indexOf(peak)) * binHz, source: sig.source, hf };
    }
    if (!worst.source) return [finding(this, { status: 'insufficient_data', reason: 'Steady flight too short for a 256-sample spectrum.' })];
    const status = worst.ratio > peakTh.value ? 'warn' : 'pass';
    return [
      finding(this, {
        status,
        severity: 'low',
        reason: `Strongest narrow peak above 20 Hz: ${round(worst.freq, 3)} Hz on ${worst.source}, ${round(worst.ratio, 3)}× the band median (warn above ${peakTh.value}×).`,
        evidence: { values: { peakHz: round(worst.freq), peakToMedian: round(worst.ratio), meanAmplitudeAbove40Hz: round(worst.hf) }, thresholds: [minRate, peakTh], signals: fast.map((f) => f.source), timeRanges: [] },
      }),
    ];
  },
};
