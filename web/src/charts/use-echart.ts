import { useEffect, useRef, type RefObject } from 'react';
import { init, type ECharts } from 'echarts/core';

/**
 * An ECharts instance bound to `el` for the component's lifetime: created on mount (canvas renderer),
 * resized with its container, disposed on unmount. `onInit` wires instance events (clicks) once.
 */
export function useEChart(el: RefObject<HTMLDivElement | null>, onInit?: (chart: ECharts) => void): RefObject<ECharts | null> {
  const chart = useRef<ECharts | null>(null);
  const initRef = useRef(onInit);
  useEffect(() => {
    if (!el.current) return;
    const c = init(el.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    initRef.current?.(c);
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [el]);
  return chart;
}
