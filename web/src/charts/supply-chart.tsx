import { useEffect, useRef } from 'react';
import { use, type ComposeOption } from 'echarts/core';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useEChart } from './use-echart';
import { useChartPalette, type ChartPalette } from './chart-theme';

use([
  LineChart,
  BarChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

export type SupplyChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
>;

/**
 * A themed ECharts canvas for the supply pages: the caller builds the option from the palette (so
 * light/dark follow), this owns init, resize and dispose. Tree-shaken to line + bar, lazy with the
 * supply pages only.
 */
export default function SupplyChart({
  build,
  height = 240,
  ariaLabel,
}: {
  build: (palette: ChartPalette) => SupplyChartOption;
  height?: number;
  ariaLabel: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useEChart(el);
  const palette = useChartPalette();

  useEffect(() => {
    const base: SupplyChartOption = {
      animation: false,
      textStyle: { color: palette.text, fontFamily: 'inherit' },
      grid: { left: 56, right: 16, top: 28, bottom: 28 },
      tooltip: {
        trigger: 'axis',
        backgroundColor: palette.surface,
        borderColor: palette.grid,
        textStyle: { color: palette.text },
      },
    };
    chart.current?.setOption({ ...base, ...build(palette) }, { notMerge: true });
  }, [build, palette]);

  return <div ref={el} className="chart" style={{ height }} role="img" aria-label={ariaLabel} />;
}

/** Shared axis styling for the supply charts. */
export function axes(p: ChartPalette) {
  return {
    axisLine: { lineStyle: { color: p.grid } },
    axisLabel: { color: p.muted, hideOverlap: true },
    splitLine: { lineStyle: { color: p.grid } },
  };
}
