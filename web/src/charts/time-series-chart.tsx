import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useChartPalette } from './chart-theme';

export interface TimeSeries {
  label: string;
  /** One value per timestamp; null leaves a gap (e.g. a dropped sensor sample). */
  values: ArrayLike<number | null>;
  unit?: string;
  /** CSS colour; defaults to the theme's chart palette in order. */
  color?: string;
  /** Series that share a scale share a y axis; a second scale gets an axis on the right. */
  scale?: string;
}

export interface TimeSeriesChartProps {
  /** Ascending timestamps in seconds: epoch seconds when `timeMode` is "absolute", else seconds from start. */
  time: ArrayLike<number>;
  series: readonly TimeSeries[];
  height?: number;
  timeMode?: 'absolute' | 'relative';
  /** Charts with the same key share cursor and selection (stacked flight-signal plots). */
  syncKey?: string;
  /** Accessible description of what is plotted. */
  ariaLabel: string;
}

function formatRelativeSeconds(s: number): string {
  const sign = s < 0 ? '-' : '';
  const a = Math.abs(s);
  const m = Math.floor(a / 60);
  const sec = a - m * 60;
  return m > 0 ? `${sign}${m}:${sec.toFixed(0).padStart(2, '0')}` : `${sign}${sec.toFixed(a < 10 ? 1 : 0)}s`;
}

/**
 * Dense time series with uPlot (hundreds of thousands of points stay fluid), sized to its container
 * and coloured from the theme. Meant for flight signals: pass typed arrays straight through.
 * The plot is rebuilt only when the series layout changes; new values of the same layout are pushed
 * with setData so zoom stays cheap.
 */
export default function TimeSeriesChart({
  time,
  series,
  height = 260,
  timeMode = 'absolute',
  syncKey,
  ariaLabel,
}: TimeSeriesChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const palette = useChartPalette();

  const layoutKey = series
    .map((s) => `${s.label}|${s.unit ?? ''}|${s.scale ?? ''}|${s.color ?? ''}`)
    .join(';');
  const data = useMemo<uPlot.AlignedData>(
    () => [time, ...series.map((s) => s.values)] as unknown as uPlot.AlignedData,
    [time, series],
  );
  const dataRef = useRef(data);
  dataRef.current = data;

  useEffect(() => {
    const host = el.current;
    if (!host) return;
    const scales = [...new Set(series.map((s) => s.scale ?? 'y'))];
    const axisStyle = {
      stroke: palette.muted,
      grid: { stroke: palette.grid, width: 1 },
      ticks: { stroke: palette.grid, width: 1 },
    };
    const opts: uPlot.Options = {
      width: Math.max(host.clientWidth, 200),
      height,
      scales: { x: { time: timeMode === 'absolute' } },
      cursor: syncKey ? { sync: { key: syncKey, setSeries: true } } : {},
      legend: { live: true },
      axes: [
        timeMode === 'absolute'
          ? { ...axisStyle }
          : { ...axisStyle, values: (_u, splits) => splits.map(formatRelativeSeconds) },
        ...scales.map((scale, i) => {
          const unit = series.find((s) => (s.scale ?? 'y') === scale)?.unit;
          return {
            ...axisStyle,
            scale,
            side: i === 0 ? 3 : 1,
            label: unit,
            grid: { ...axisStyle.grid, show: i === 0 },
          } satisfies uPlot.Axis;
        }),
      ],
      series: [
        {
          label: timeMode === 'absolute' ? 'Time' : 'Time (s)',
          value:
            timeMode === 'relative' ? (_u, v) => (v == null ? '—' : formatRelativeSeconds(v)) : undefined,
        },
        ...series.map((s, i) => ({
          label: s.unit ? `${s.label} (${s.unit})` : s.label,
          scale: s.scale ?? 'y',
          stroke: s.color ?? palette.series[i % palette.series.length] ?? palette.text,
          width: 1.5,
          spanGaps: false,
          points: { show: false },
        })),
      ],
    };
    const u = new uPlot(opts, dataRef.current, host);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(host.clientWidth, 200), height }));
    ro.observe(host);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Rebuild on layout or theme change only; data updates go through setData below.
  }, [layoutKey, height, timeMode, syncKey, palette]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div ref={el} className="ts-chart" role="img" aria-label={ariaLabel} />;
}
