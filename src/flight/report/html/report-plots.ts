/**
 * Which plots the report shows and what goes on each: signals converted to display units (degrees,
 * deg/s), the findings of the matching check families and the anomaly ranges shaded where they apply,
 * and the flight phases along the bottom. A section whose signals the log does not carry says so
 * with the signal model's own reason, instead of showing empty axes.
 */
import type { Finding, FlightReport } from '../report.js';
import type { FlightSignals, Signal } from '../../signals/flight-signals.js';
import { renderLinePlot, type LinePlotSpec, type PlotBand, type PlotLine, type PlotSeries } from '../svg/line-plot.svg.js';
import { computeSpectrum } from './report-spectrum.js';

export interface PlotFigure {
  /** Plain text (escaped when rendered). */
  readonly caption: string;
  readonly note?: string;
  readonly svg: string;
}

export type SectionId = 'altitude' | 'attitude' | 'rates' | 'vibration' | 'battery' | 'gps' | 'estimator' | 'motors' | 'spectrum';

export interface PlotSection {
  readonly id: SectionId;
  readonly title: string;
  readonly figures: readonly PlotFigure[];
  /** Set when the log lacks the signals: why (plain text). */
  readonly missing?: string;
}

const DEG = 180 / Math.PI;

/** Check families whose time ranges are shaded on each plot. */
const FAMILY_SECTIONS: Readonly<Record<Finding['family'], readonly SectionId[]>> = {
  vibration: ['vibration'],
  spectral: [],
  battery: ['battery'],
  power: ['battery'],
  gps: ['gps'],
  estimator: ['estimator'],
  compass: ['estimator'],
  motors: ['motors'],
  thrust: ['motors', 'altitude'],
  attitude: ['attitude', 'rates'],
  crash: ['attitude', 'altitude'],
  rc: ['altitude'],
  failsafe: ['altitude'],
  logging: ['altitude'],
  truncation: ['altitude'],
  flight: ['altitude'],
};

/** Anomaly-model features and the plot that shows the same quantity. */
const FEATURE_SECTION: Readonly<Record<string, SectionId>> = {
  attitude_error_deg: 'attitude',
  tilt_max_deg: 'attitude',
  rate_error_dps: 'rates',
  rate_rms_dps: 'rates',
  vibration_mps2: 'vibration',
  motor_spread: 'motors',
  motor_mean: 'motors',
  climb_rate_mps: 'altitude',
  voltage_sag_v: 'battery',
  gps_eph_m: 'gps',
  ekf_ratio_max: 'estimator',
  ground_speed_mps: 'altitude',
};

const scaled = (s: Signal, k: number): Signal => (k === 1 ? s : { ...s, v: s.v.map((x) => x * k) });

export function missingReason(s: FlightSignals, ...keys: string[]): string | undefined {
  const hit = s.missing.find((m) => keys.some((k) => m.startsWith(`${k}:`) || m.startsWith(`${k}.`)));
  return hit?.slice(hit.indexOf(':') + 1).trim();
}

/** Heading wraps (±180° / 0–360°) would draw full-height vertical lines; a wrap ends the line instead. */
function breakWraps(x: PlotSeries, period: number): PlotSeries {
  const t: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < x.t.length; i++) {
    if (i > 0 && Math.abs(x.v[i]! - x.v[i - 1]!) > period / 2) {
      t.push(x.t[i]!);
      v.push(NaN);
    }
    t.push(x.t[i]!);
    v.push(x.v[i]!);
  }
  return { ...x, t: Float64Array.from(t), v: Float64Array.from(v) };
}

function hasSampleIn(s: PlotSeries, start: number, end: number): boolean {
  for (let i = 0; i < s.t.length; i++) if (s.t[i]! >= start && s.t[i]! <= end && Number.isFinite(s.v[i]!)) return true;
  return false;
}

function fmtS(x: number, origin: number): string {
  return (x - origin).toFixed(1);
}

export function buildPlotSections(report: FlightReport, s: FlightSignals): PlotSection[] {
  const start = report.log.startS ?? s.timeRange?.start;
  const end = report.log.endS ?? s.timeRange?.end;
  const ids: [SectionId, string][] = [
    ['altitude', 'Altitude'],
    ['attitude', 'Attitude vs setpoint'],
    ['rates', 'Body rates vs setpoint'],
    ['vibration', 'Vibration'],
    ['battery', 'Battery'],
    ['gps', 'GPS'],
    ['estimator', 'Estimator test ratios'],
    ['motors', 'Motor / actuator outputs'],
    ['spectrum', 'Spectrum'],
  ];
  if (start === undefined || end === undefined || start === null || end === null) {
    return ids.map(([id, title]) => ({ id, title, figures: [], missing: 'the log has no timed samples' }));
  }
  const origin = start;
  const phaseBands: PlotBand[] = report.phases
    .filter((p) => p.kind === 'flying' || p.kind === 'takeoff' || p.kind === 'landing')
    .map((p) => ({ start: p.start, end: p.end, kind: p.kind as 'flying' | 'takeoff' | 'landing', label: `${p.kind} ${fmtS(p.start, origin)}–${fmtS(p.end, origin)} s (${p.source})` }));
  const bandsFor = (id: SectionId): PlotBand[] => {
    const out: PlotBand[] = [...phaseBands];
    for (const f of report.findings) {
      if ((f.status !== 'warn' && f.status !== 'fail') || !FAMILY_SECTIONS[f.family].includes(id)) continue;
      for (const r of f.evidence.timeRanges) out.push({ start: r.start, end: r.end, kind: f.status, label: `${f.title} (${f.status}): ${f.reason}` });
    }
    for (const a of report.anomalies) {
      const top = a.attributions.filter((x) => x.contribution >= 0.25).map((x) => FEATURE_SECTION[x.feature]);
      if (id === 'altitude' || top.includes(id)) {
        out.push({ start: a.start, end: a.end, kind: 'anomaly', label: `unusual compared with reference flights (score ${a.score.toFixed(2)}): ${a.attributions.map((x) => x.feature).join(', ')}` });
      }
    }
    return out;
  };
  /** '' when no series has a valid sample inside the log's time range (rendered as a "not in this log" box). */
  const plot = (id: SectionId, spec: Omit<LinePlotSpec, 'xDomain' | 'xOffset' | 'bands'> & { height?: number }): string =>
    spec.series.some((x) => hasSampleIn(x, start, end)) ? renderLinePlot({ ...spec, xDomain: [start, end], xOffset: origin, bands: bandsFor(id) }) : '';
  const series = (sig: Signal, label: string, k = 1, extra: Partial<PlotSeries> = {}): PlotSeries => {
    const x = scaled(sig, k);
    return { label, t: x.t, v: x.v, ...extra };
  };

  const sections: PlotSection[] = [];
  const add = (id: SectionId, figures: PlotFigure[], missing: string | undefined): void => {
    const title = ids.find(([i]) => i === id)![1];
    sections.push(figures.length ? { id, title, figures } : { id, title, figures, missing: missing ?? 'not in this log' });
  };

  // Altitude
  const p = s.position;
  const alt = p.altRel ? { sig: p.altRel, what: 'above home' } : p.baroAlt ? { sig: p.baroAlt, what: 'barometric' } : p.altMsl ? { sig: p.altMsl, what: 'above mean sea level' } : undefined;
  add(
    'altitude',
    alt ? [{ caption: `Altitude ${alt.what}`, note: `source ${alt.sig.source}`, svg: plot('altitude', { title: 'Altitude', yLabel: 'altitude (m)', series: [series(alt.sig, `altitude ${alt.what}`)] }) }] : [],
    missingReason(s, 'position.altRel', 'position.baroAlt', 'position') ?? 'no altitude signal in this log',
  );

  // Attitude and rates: one figure per axis, actual solid and setpoint dashed in the same colour.
  const axes = (id: 'attitude' | 'rates', actual: typeof s.attitude, setpoint: typeof s.attitude, unit: string, k: number): PlotFigure[] =>
    (['roll', 'pitch', 'yaw'] as const).flatMap((axis, i) => {
      const a = actual[axis];
      if (!a) return [];
      const sp = setpoint[axis];
      const color = ['#0072B2', '#D55E00', '#009E73'][i]!;
      return [
        {
          caption: `${axis[0]!.toUpperCase()}${axis.slice(1)}${id === 'rates' ? ' rate' : ''}`,
          note: sp ? `${a.source} vs setpoint ${sp.source}` : `${a.source}; setpoint not in this log`,
          svg: plot(id, {
            title: `${axis} ${id}`,
            yLabel: `${axis} (${unit})`,
            height: 200,
            series: [series(a, axis, k, { color }), ...(sp ? [series(sp, `${axis} setpoint`, k, { color: '#333333', dashed: true })] : [])].map((x) =>
              id === 'attitude' && axis === 'yaw' ? breakWraps(x, 360) : x,
            ),
          }),
        },
      ];
    });
  add('attitude', axes('attitude', s.attitude, s.attitudeSetpoint, 'deg', DEG), missingReason(s, 'attitude'));
  add('rates', axes('rates', s.rates, s.rateSetpoint, 'deg/s', DEG), missingReason(s, 'rates'));

  // Vibration: the autopilot's metric with the thresholds the check used; else raw accel.
  const vib = s.vibration;
  const vibFinding = report.findings.find((f) => f.check === 'vibration.level');
  const vibLines: PlotLine[] = (vibFinding?.evidence.thresholds ?? [])
    .filter((t) => /\.(warn|fail)$/.test(t.name) && !t.name.includes('.raw.'))
    .map((t) => ({ y: t.value, kind: t.name.endsWith('.fail') ? 'fail' : 'warn', label: `${t.name.endsWith('.fail') ? 'fail' : 'warn'} ${t.value} ${t.unit}` }));
  const vibFigs: PlotFigure[] = [];
  if (vib.metrics.length) {
    vibFigs.push({ caption: 'Vibration metric', note: 'dotted lines: the thresholds the vibration check used', svg: plot('vibration', { title: 'Vibration', yLabel: 'vibration (m/s²)', yMin: 0, series: vib.metrics.map((m) => series(m, m.source)), lines: vibLines }) });
  } else if (vib.rawAccel.length) {
    vibFigs.push({ caption: 'Raw accelerometer', note: 'no vibration metric in this log; raw acceleration shown instead', svg: plot('vibration', { title: 'Raw accelerometer', yLabel: 'acceleration (m/s²)', series: vib.rawAccel.map((m) => series(m, m.source)) }) });
  }
  if (vib.clipping.length) {
    vibFigs.push({ caption: 'Accelerometer clipping (cumulative count)', svg: plot('vibration', { title: 'Clipping', yLabel: 'clipping (count)', yMin: 0, height: 180, series: vib.clipping.map((m) => series(m, m.source)) }) });
  }
  add('vibration', vibFigs, missingReason(s, 'vibration'));

  // Battery: voltage and current per instance.
  add(
    'battery',
    s.batteries.flatMap((b) => {
      const name = `Battery ${b.instance}${b.connected ? '' : ' (monitor not connected)'}`;
      const figs: PlotFigure[] = [];
      if (b.voltage) figs.push({ caption: `${name}: voltage`, note: b.connected ? undefined : b.connectedReason, svg: plot('battery', { title: `${name} voltage`, yLabel: 'voltage (V)', height: 200, series: [series(b.voltage, b.voltage.source)] }) });
      if (b.current) figs.push({ caption: `${name}: current`, svg: plot('battery', { title: `${name} current`, yLabel: 'current (A)', height: 200, series: [series(b.current, b.current.source, 1, { color: '#D55E00' })] }) });
      if (!figs.length) figs.push({ caption: name, svg: '', note: 'no voltage or current signal' });
      return figs;
    }),
    missingReason(s, 'batteries'),
  );

  // GPS: satellites; accuracy (eph in m, HDOP unitless) per receiver.
  add(
    'gps',
    s.gps.flatMap((g) => {
      const figs: PlotFigure[] = [];
      const name = `GPS ${g.instance}${g.hasFix ? '' : ' (never had a 3-D fix)'}`;
      if (g.satellites) figs.push({ caption: `${name}: satellites used`, svg: plot('gps', { title: `${name} satellites`, yLabel: 'satellites (count)', yMin: 0, height: 190, series: [series(g.satellites, g.satellites.source)] }) });
      const acc = [g.eph && series(g.eph, `eph (m) ${g.eph.source}`, 1, { color: '#D55E00' }), g.hdop && series(g.hdop, `HDOP ${g.hdop.source}`, 1, { color: '#009E73' })].filter((x): x is PlotSeries => !!x);
      if (acc.length) figs.push({ caption: `${name}: accuracy`, note: 'eph in metres and HDOP (unitless) share the axis; gaps = no fix or no valid value', svg: plot('gps', { title: `${name} accuracy`, yLabel: 'eph (m) / HDOP', yMin: 0, height: 190, series: acc }) });
      return figs;
    }),
    missingReason(s, 'gps'),
  );

  // Estimator: all test ratios per instance against the rejection limit 1.
  add(
    'estimator',
    s.estimators
      .filter((e) => e.testRatios.length > 0)
      .map((e) => ({
        caption: `Estimator ${e.instance} test ratios`,
        note: `${e.source}; above 1 the measurement is rejected`,
        svg: plot('estimator', { title: `Estimator ${e.instance}`, yLabel: 'test ratio', yMin: 0, series: e.testRatios.map((r) => series(r, r.name)), lines: [{ y: 1, kind: 'fail', label: 'rejection limit 1' }] }),
      })),
    missingReason(s, 'estimators') ?? 'no estimator test ratios in this log',
  );

  // Motors / actuator outputs per group.
  add(
    'motors',
    s.actuators.map((a) => ({
      caption: `Output group ${a.instance}`,
      note: `${a.source}, ${a.channels.length} channel${a.channels.length === 1 ? '' : 's'}`,
      svg: plot('motors', { title: `Output group ${a.instance}`, yLabel: `output (${a.unit === 'us' ? 'µs' : a.unit})`, series: a.channels.map((c, i) => series(c, c.name || `ch${i + 1}`)) }),
    })),
    missingReason(s, 'actuators'),
  );

  // Spectrum (frequency axis; no time bands).
  const spec = computeSpectrum(report, s);
  add(
    'spectrum',
    typeof spec === 'string'
      ? []
      : [
          {
            caption: `${spec.kind === 'gyro' ? 'Gyro (body rate)' : 'Accelerometer'} power spectrum, ${spec.window}`,
            note: `Welch, Hann 256, 50 % overlap; sampled at ${spec.rateHz.toFixed(0)} Hz, so it shows up to ${(spec.rateHz / 2).toFixed(0)} Hz`,
            svg: renderLinePlot({ title: 'Spectrum', xLabel: 'frequency (Hz)', yLabel: 'power (dB)', xDomain: [0, spec.rateHz / 2], series: spec.series.map((x) => ({ label: x.label, t: x.f, v: x.db })) }),
          },
        ],
    typeof spec === 'string' ? spec : undefined,
  );
  return sections;
}
