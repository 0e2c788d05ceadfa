import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useChartPalette } from './chart-theme';

/** One flight signal as the signals endpoint returns it: its own timestamps, nulls are gaps. */
export interface PlotSignal {
  name: string;
  unit: string | null;
  t: readonly number[];
  v: readonly (number | null)[];
}

export interface ShadedRange {
  start: number;
  end: number;
}

export interface SignalPlotProps {
  signals: readonly PlotSignal[];
  /** The shared x window in log-clock seconds; every plot on the page shows the same one. */
  window: readonly [number, number];
  /** Log-clock second shown as 0:00 (the flight's start). */
  origin: number;
  /** Time ranges to shade (the selected finding's evidence). */
  shaded?: readonly ShadedRange[];
  height?: number;
  /** Plots with the same key share the cursor. */
  syncKey?: string;
  /** Drag-select: zoom to [from, to]. */
  onZoom(from: number, to: number): void;
  /** Shift-drag or Ctrl/⌘-wheel: move or scale the window (called continuously). */
  onPan(from: number, to: number): void;
  /** Double-click: back to the whole flight. */
  onReset(): void;
  ariaLabel: string;
}

/** "1:05", "-0:03", "12.5s" for short spans: time since the flight started. */
export function formatFlightTime(s: number, span = Infinity): string {
  const sign = s < 0 ? '-' : '';
  const a = Math.abs(s);
  if (span < 20 && a < 60) return `${sign}${a.toFixed(span < 2 ? 2 : 1)}s`;
  const m = Math.floor(a / 60);
  const sec = a - m * 60;
  const secText = span < 20 ? sec.toFixed(1).padStart(4, '0') : Math.floor(sec).toString().padStart(2, '0');
  return `${sign}${m}:${secText}`;
}

/** uPlot's JoinNullMode.Retain: explicit nulls stay gaps, alignment holes are bridged. */
const RETAIN = 1 as uPlot.JoinNullMode;

/**
 * Several flight signals on one uPlot canvas with a controlled x window, so a page can stack plots on
 * a shared time axis and re-fetch each zoomed window from the server at the plot's pixel width.
 * Signals are outer-joined on their timestamps (each keeps its own rate); units get their own scale,
 * the first two with an axis (left, right).
 */
export default function SignalPlot({
  signals,
  window: xWindow,
  origin,
  shaded = [],
  height = 220,
  syncKey,
  onZoom,
  onPan,
  onReset,
  ariaLabel,
}: SignalPlotProps) {
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const palette = useChartPalette();
  const cb = useRef({ onZoom, onPan, onReset });
  cb.current = { onZoom, onPan, onReset };
  const win = useRef(xWindow);
  win.current = xWindow;
  const shadeRef = useRef(shaded);
  shadeRef.current = shaded;
  const originRef = useRef(origin);
  originRef.current = origin;

  const data = useMemo<uPlot.AlignedData>(() => {
    if (signals.length === 0) return [[]];
    const tables = signals.map((s) => [s.t, s.v] as unknown as uPlot.AlignedData);
    if (tables.length === 1) return tables[0]!;
    return uPlot.join(
      tables,
      signals.map(() => [RETAIN, RETAIN]),
    );
  }, [signals]);
  const dataRef = useRef(data);
  dataRef.current = data;

  const layoutKey = signals.map((s) => `${s.name}|${s.unit ?? ''}`).join(';');

  useEffect(() => {
    const host = el.current;
    if (!host) return;
    const units = [...new Set(signals.map((s) => s.unit ?? ''))];
    const scaleOf = (unit: string | null) => `u:${unit ?? ''}`;
    const axisStyle = {
      stroke: palette.muted,
      grid: { stroke: palette.grid, width: 1 },
      ticks: { stroke: palette.grid, width: 1 },
    };
    let pan: { x0: number; from: number; to: number } | null = null;

    const opts: uPlot.Options = {
      width: Math.max(host.clientWidth, 200),
      height,
      scales: {
        x: { time: false, auto: false, range: () => [win.current[0], win.current[1]] },
      },
      cursor: {
        ...(syncKey ? { sync: { key: syncKey } } : {}),
        drag: { x: true, y: false, setScale: false },
        bind: {
          mousedown: (u, _targ, handler) => (e) => {
            if (!e.shiftKey) return handler(e);
            const [from, to] = win.current;
            pan = { x0: e.clientX, from, to };
            const move = (ev: MouseEvent) => {
              if (!pan) return;
              const perPx = (pan.to - pan.from) / Math.max(u.over.clientWidth, 1);
              const d = (ev.clientX - pan.x0) * perPx;
              cb.current.onPan(pan.from - d, pan.to - d);
            };
            const up = () => {
              pan = null;
              document.removeEventListener('mousemove', move);
              document.removeEventListener('mouseup', up);
            };
            document.addEventListener('mousemove', move);
            document.addEventListener('mouseup', up);
            return null;
          },
          dblclick: () => () => {
            cb.current.onReset();
            return null;
          },
        },
      },
      legend: { live: true },
      axes: [
        {
          ...axisStyle,
          values: (_u, splits) => {
            const span = win.current[1] - win.current[0];
            return splits.map((v) => formatFlightTime(v - originRef.current, span));
          },
        },
        ...units.slice(0, 2).map(
          (unit, i) =>
            ({
              ...axisStyle,
              scale: scaleOf(unit),
              side: i === 0 ? 3 : 1,
              label: unit || undefined,
              labelSize: unit ? 18 : 0,
              size: 56,
              grid: { ...axisStyle.grid, show: i === 0 },
            }) satisfies uPlot.Axis,
        ),
      ],
      series: [
        {
          label: 'Time',
          value: (_u, v) => (v == null ? '—' : formatFlightTime(v - originRef.current, 10)),
        },
        ...signals.map((s, i) => ({
          label: s.unit ? `${s.name} (${s.unit})` : s.name,
          scale: scaleOf(s.unit),
          stroke: palette.series[i % palette.series.length] ?? palette.text,
          width: 1.25,
          spanGaps: false,
          points: { show: false },
          value: (_u: uPlot, v: number | null) =>
            v == null ? '—' : Math.abs(v) >= 1000 ? v.toFixed(0) : Number(v.toPrecision(4)).toString(),
        })),
      ],
      hooks: {
        setSelect: [
          (u) => {
            const { left, width } = u.select;
            if (width > 3) {
              const from = u.posToVal(left, 'x');
              const to = u.posToVal(left + width, 'x');
              cb.current.onZoom(Math.min(from, to), Math.max(from, to));
            }
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
        drawAxes: [
          (u) => {
            const ranges = shadeRef.current;
            if (ranges.length === 0) return;
            const ctx = u.ctx;
            const { top, height: h, left, width: w } = u.bbox;
            ctx.save();
            ctx.fillStyle = palette.danger;
            ctx.globalAlpha = 0.14;
            for (const r of ranges) {
              const x0 = Math.max(u.valToPos(r.start, 'x', true), left);
              const x1 = Math.min(u.valToPos(r.end, 'x', true), left + w);
              if (x1 >= x0) ctx.fillRect(x0, top, Math.max(x1 - x0, 2), h);
            }
            ctx.restore();
          },
        ],
      },
    };
    const u = new uPlot(opts, dataRef.current, host);
    plot.current = u;
    const wheel = (e: WheelEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      e.preventDefault();
      const [from, to] = win.current;
      const rect = u.over.getBoundingClientRect();
      const at = u.posToVal(e.clientX - rect.left, 'x');
      const k = e.deltaY > 0 ? 1.25 : 0.8;
      cb.current.onPan(at - (at - from) * k, at + (to - at) * k);
    };
    u.over.addEventListener('wheel', wheel, { passive: false });
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(host.clientWidth, 200), height }));
    ro.observe(host);
    return () => {
      ro.disconnect();
      u.over.removeEventListener('wheel', wheel);
      u.destroy();
      plot.current = null;
    };
    // Rebuilt on layout or theme change only; data and window changes are pushed below.
  }, [layoutKey, height, syncKey, palette]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  useEffect(() => {
    plot.current?.setScale('x', { min: xWindow[0], max: xWindow[1] });
  }, [xWindow[0], xWindow[1]]);

  const shadeKey = shaded.map((r) => `${r.start}-${r.end}`).join(',');
  useEffect(() => {
    plot.current?.redraw(false, false);
  }, [shadeKey]);

  return <div ref={el} className="ts-chart signal-plot" role="img" aria-label={ariaLabel} />;
}
