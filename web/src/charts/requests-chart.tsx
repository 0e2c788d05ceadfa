import { useEffect, useRef } from 'react';
import { use, type ComposeOption } from 'echarts/core';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useEChart } from './use-echart';
import { useChartPalette } from './chart-theme';
import { formatTime } from '../lib/format';

// Tree-shaken ECharts: only what this chart uses is bundled (and only in this lazy chunk).
use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type Option = ComposeOption<
  LineSeriesOption | BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

export interface RequestsPoint {
  /** Epoch milliseconds of the minute. */
  t: number;
  count: number;
  errors: number;
}

/** API requests per minute (line) with errors per minute (bars), in the viewer's time zone. */
export default function RequestsChart({
  points,
  height = 300,
}: {
  points: readonly RequestsPoint[];
  height?: number;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useEChart(el);
  const palette = useChartPalette();

  useEffect(() => {
    const option: Option = {
      animation: false,
      textStyle: { color: palette.text, fontFamily: 'inherit' },
      grid: { left: 48, right: 16, top: 36, bottom: 32 },
      legend: { top: 0, right: 8, textStyle: { color: palette.muted }, itemWidth: 14, itemHeight: 8 },
      tooltip: {
        trigger: 'axis',
        backgroundColor: palette.surface,
        borderColor: palette.grid,
        textStyle: { color: palette.text },
        valueFormatter: (v) => String(v),
      },
      xAxis: {
        type: 'time',
        axisLine: { lineStyle: { color: palette.grid } },
        axisLabel: { color: palette.muted, formatter: (v: number) => formatTime(v), hideOverlap: true },
        splitLine: { show: false },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { color: palette.muted },
        splitLine: { lineStyle: { color: palette.grid } },
      },
      series: [
        {
          name: 'Requests',
          type: 'line',
          showSymbol: false,
          smooth: false,
          lineStyle: { width: 2, color: palette.series[0] },
          itemStyle: { color: palette.series[0] },
          areaStyle: { color: palette.series[0], opacity: 0.12 },
          data: points.map((p) => [p.t, p.count]),
        },
        {
          name: 'Errors (4xx/5xx)',
          type: 'bar',
          barMaxWidth: 6,
          itemStyle: { color: palette.danger },
          data: points.map((p) => [p.t, p.errors]),
        },
      ],
    };
    chart.current?.setOption(option, { notMerge: true });
  }, [points, palette]);

  return (
    <div
      ref={el}
      className="chart"
      style={{ height }}
      role="img"
      aria-label="Chart of API requests and errors per minute"
    />
  );
}
