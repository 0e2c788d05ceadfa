/**
 * A small pure SVG line plot for the flight report: several series on one time (or frequency) axis,
 * nice ticks with units, a legend, shaded time ranges (findings, anomalies), a phase strip along the
 * bottom and horizontal threshold lines. Output is a self-contained `<svg>` string (no ids, no scripts,
 * no external references), so any number of plots can sit in one HTML page and print to PDF.
 *
 * Why our own: the report must be one offline file a Chromium print can turn into a PDF; charting
 * libraries want a DOM or a browser at render time. Every string that reaches the markup is escaped.
 */
import { decimateMinMax } from './decimate.js';
import { escapeXml } from './escape.js';
import { formatTick, niceTicks } from './ticks.js';

export interface PlotSeries {
  readonly label: string;
  readonly t: ArrayLike<number>;
  readonly v: ArrayLike<number>;
  readonly color?: string;
  readonly dashed?: boolean;
}

export type BandKind = 'flying' | 'takeoff' | 'landing' | 'warn' | 'fail' | 'anomaly';

export interface PlotBand {
  readonly start: number;
  readonly end: number;
  readonly kind: BandKind;
  /** Shown as a tooltip on screen. */
  readonly label?: string;
}

export interface PlotLine {
  readonly y: number;
  readonly label: string;
  readonly kind: 'warn' | 'fail' | 'ref';
}

export interface LinePlotSpec {
  /** Accessible name of the figure. */
  readonly title: string;
  /** Y axis label including the unit, e.g. `altitude (m)`. */
  readonly yLabel: string;
  readonly xLabel?: string;
  readonly width?: number;
  readonly height?: number;
  /** X range in data units; default the series' extent. */
  readonly xDomain?: readonly [number, number];
  /** Subtracted from x for the axis labels (the log start, so the axis reads seconds since start). */
  readonly xOffset?: number;
  /** Fixes one or both ends of the y axis (e.g. 0 for counts). */
  readonly yMin?: number;
  readonly yMax?: number;
  readonly series: readonly PlotSeries[];
  readonly bands?: readonly PlotBand[];
  readonly lines?: readonly PlotLine[];
}

export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#666666', '#8C564B', '#17BECF', '#9467BD'];

const BAND_STYLE: Readonly<Record<BandKind, { fill: string; opacity: number; name: string }>> = {
  flying: { fill: '#4A90D9', opacity: 0.55, name: 'flying' },
  takeoff: { fill: '#2E9E4F', opacity: 0.9, name: 'take-off' },
  landing: { fill: '#8E44AD', opacity: 0.9, name: 'landing' },
  warn: { fill: '#F5A623', opacity: 0.2, name: 'warning range' },
  fail: { fill: '#D0021B', opacity: 0.16, name: 'failure range' },
  anomaly: { fill: '#7B3FB5', opacity: 0.13, name: 'unusual vs reference flights' },
};
const PHASE: ReadonlySet<BandKind> = new Set(['flying', 'takeoff', 'landing']);
const LINE_COLOR = { warn: '#C77700', fail: '#C0001A', ref: '#555555' } as const;

const FONT = 12;
const CHAR_W = 7.3;
const MARGIN = { left: 66, right: 14, bottom: 44 };
const MAX_BANDS = 300;

const f1 = (x: number): string => (Math.round(x * 10) / 10).toString();

interface LegendItem {
  readonly label: string;
  readonly swatch: string;
}

function layoutLegend(items: readonly LegendItem[], width: number): { svg: string; height: number } {
  let x = MARGIN.left;
  let row = 0;
  const parts: string[] = [];
  for (const it of items) {
    const w = 26 + Math.min(it.label.length, 48) * CHAR_W + 18;
    if (x + w > width - MARGIN.right && x > MARGIN.left) {
      row++;
      x = MARGIN.left;
    }
    const y = 14 + row * 18;
    const label = it.label.length > 48 ? `${it.label.slice(0, 47)}…` : it.label;
    parts.push(`<g transform="translate(${f1(x)},${y})">${it.swatch}<text x="26" y="4" font-size="${FONT}">${escapeXml(label)}</text></g>`);
    x += w;
  }
  return { svg: parts.join(''), height: items.length ? 14 + row * 18 + 12 : 6 };
}

function extent(series: readonly { t: ArrayLike<number>; v: ArrayLike<number> }[], key: 't' | 'v'): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    const a = s[key];
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      if (!Number.isFinite(x) || !Number.isFinite(s.v[i]!)) continue;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  return [lo, hi];
}

/** The SVG markup of one plot. Series without a finite sample are drawn as "no data" (never bare axes). */
export function renderLinePlot(spec: LinePlotSpec): string {
  const W = spec.width ?? 900;
  const H = spec.height ?? 240;
  const xDomain = spec.xDomain ?? extent(spec.series, 't');
  const [x0, x1raw] = xDomain;
  const x1 = x1raw > x0 ? x1raw : x0 + 1;
  const plotW = W - MARGIN.left - MARGIN.right;
  const decimated = spec.series.map((s, i) => ({
    s,
    color: s.color ?? PALETTE[i % PALETTE.length]!,
    ...decimateMinMax(s.t, s.v, { x0, x1, buckets: plotW }),
  }));
  const drawn = decimated.filter((d) => d.v.some((x) => Number.isFinite(x)));
  const aria = `role="img" aria-label="${escapeXml(spec.title)}"`;
  if (drawn.length === 0 || !Number.isFinite(x0)) {
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} 48" width="100%" class="plot plot-empty" ${aria}><text x="${W / 2}" y="28" text-anchor="middle" font-size="13" fill="#666">no data in this range</text></svg>`;
  }
  const bands = (spec.bands ?? []).filter((b) => b.end >= x0 && b.start <= x1).slice(0, MAX_BANDS);
  const lines = spec.lines ?? [];
  const legendItems: LegendItem[] = [
    ...drawn.map((d) => ({
      label: d.s.label,
      swatch: `<line x1="0" y1="0" x2="20" y2="0" stroke="${d.color}" stroke-width="2.5"${d.s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
    })),
    ...lines.map((l) => ({ label: l.label, swatch: `<line x1="0" y1="0" x2="20" y2="0" stroke="${LINE_COLOR[l.kind]}" stroke-width="1.5" stroke-dasharray="2 3"/>` })),
    ...[...new Set(bands.map((b) => b.kind))].map((k) => ({
      label: BAND_STYLE[k].name,
      swatch: `<rect x="0" y="-5" width="20" height="10" fill="${BAND_STYLE[k].fill}" fill-opacity="${PHASE.has(k) ? BAND_STYLE[k].opacity : Math.min(1, BAND_STYLE[k].opacity * 2.5)}"/>`,
    })),
  ];
  const legend = layoutLegend(legendItems, W);
  const top = legend.height + 4;
  const plotH = H - top - MARGIN.bottom;

  let [lo, hi] = extent(drawn, 'v');
  for (const l of lines) {
    lo = Math.min(lo, l.y);
    hi = Math.max(hi, l.y);
  }
  if (spec.yMin !== undefined) lo = spec.yMin;
  if (spec.yMax !== undefined) hi = spec.yMax;
  // A flat series on a fixed floor (a zero clipping counter) reads best as floor … floor + 1.
  if (hi - lo < 1e-9 && spec.yMin !== undefined) hi = lo + Math.max(1, Math.abs(lo) * 0.1);
  const pad = (hi - lo) * 0.04;
  const yt = niceTicks(spec.yMin ?? lo - pad, spec.yMax ?? hi + pad, Math.max(3, Math.round(plotH / 40)));
  const xt = niceTicks(x0 - (spec.xOffset ?? 0), x1 - (spec.xOffset ?? 0), Math.max(4, Math.round(plotW / 90)));
  const off = spec.xOffset ?? 0;
  const px = (x: number): number => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
  const py = (y: number): number => top + plotH - ((Math.min(yt.max, Math.max(yt.min, y)) - yt.min) / (yt.max - yt.min)) * plotH;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" class="plot" ${aria} font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif">`,
    `<rect x="${MARGIN.left}" y="${top}" width="${plotW}" height="${plotH}" fill="#fff" stroke="#bbb"/>`,
  ];
  for (const b of bands.filter((x) => !PHASE.has(x.kind))) {
    const a = px(Math.max(x0, b.start));
    const w = Math.max(1.5, px(Math.min(x1, b.end)) - a);
    const st = BAND_STYLE[b.kind];
    out.push(`<rect x="${f1(a)}" y="${top}" width="${f1(w)}" height="${plotH}" fill="${st.fill}" fill-opacity="${st.opacity}">${b.label ? `<title>${escapeXml(b.label)}</title>` : ''}</rect>`);
  }
  for (const v of yt.values) {
    const y = f1(py(v));
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${y}" dy="4" text-anchor="end" font-size="${FONT}" fill="#333">${formatTick(v, yt.step)}</text>`);
  }
  for (const v of xt.values) {
    if (v + off < x0 - 1e-9 || v + off > x1 + 1e-9) continue;
    const x = f1(px(v + off));
    out.push(`<line x1="${x}" x2="${x}" y1="${top}" y2="${top + plotH}" stroke="#eee"/>`);
    out.push(`<text x="${x}" y="${top + plotH + 22}" text-anchor="middle" font-size="${FONT}" fill="#333">${formatTick(v, xt.step)}</text>`);
  }
  for (const b of bands.filter((x) => PHASE.has(x.kind))) {
    const a = px(Math.max(x0, b.start));
    const w = Math.max(1.5, px(Math.min(x1, b.end)) - a);
    const st = BAND_STYLE[b.kind];
    const y = top + plotH + 1;
    out.push(`<rect x="${f1(a)}" y="${y}" width="${f1(w)}" height="${b.kind === 'flying' ? 5 : 7}" fill="${st.fill}" fill-opacity="${st.opacity}">${b.label ? `<title>${escapeXml(b.label)}</title>` : ''}</rect>`);
  }
  for (const l of lines) {
    if (l.y < yt.min || l.y > yt.max) continue;
    const y = f1(py(l.y));
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="${LINE_COLOR[l.kind]}" stroke-width="1.3" stroke-dasharray="2 3"><title>${escapeXml(l.label)}</title></line>`);
  }
  for (const d of drawn) {
    // Runs of ≥ 2 samples are lines; a lone sample between gaps is drawn as a dot so it stays visible.
    const lineParts: string[] = [];
    const dots: string[] = [];
    let run: string[] = [];
    const endRun = (): void => {
      if (run.length === 1) dots.push(`${run[0]!}l0.01 0`);
      else if (run.length > 1) lineParts.push(run.join(''));
      run = [];
    };
    for (let i = 0; i < d.t.length; i++) {
      const v = d.v[i]!;
      if (!Number.isFinite(v)) endRun();
      else run.push(`${run.length ? 'L' : 'M'}${f1(px(d.t[i]!))} ${f1(py(v))}`);
    }
    endRun();
    const dash = d.s.dashed ? ' stroke-dasharray="5 3"' : '';
    if (lineParts.length) out.push(`<path d="${lineParts.join('')}" fill="none" stroke="${d.color}" stroke-width="1.4" stroke-linejoin="round"${dash}/>`);
    if (dots.length) out.push(`<path d="${dots.join('')}" fill="none" stroke="${d.color}" stroke-width="4" stroke-linecap="round"/>`);
  }
  out.push(
    legend.svg,
    `<text x="${MARGIN.left + plotW / 2}" y="${H - 6}" text-anchor="middle" font-size="${FONT}" fill="#333">${escapeXml(spec.xLabel ?? 'time since log start (s)')}</text>`,
    `<text transform="translate(14,${f1(top + plotH / 2)}) rotate(-90)" text-anchor="middle" font-size="${FONT}" fill="#333">${escapeXml(spec.yLabel)}</text>`,
    '</svg>',
  );
  return out.join('');
}
