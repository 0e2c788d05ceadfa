import { useEffect, useState } from 'react';

/** Colours for canvas charts, read from the CSS variables so charts follow the light/dark theme. */
export interface ChartPalette {
  text: string;
  muted: string;
  grid: string;
  surface: string;
  series: string[];
  danger: string;
}

export function readPalette(): ChartPalette {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#1b2430'),
    muted: v('--text-muted', '#5b6675'),
    grid: v('--border', '#e2e6eb'),
    surface: v('--surface', '#ffffff'),
    series: [
      v('--chart-1', '#2563eb'),
      v('--chart-2', '#0d9488'),
      v('--chart-3', '#d97706'),
      v('--chart-4', '#7c3aed'),
    ],
    danger: v('--danger', '#dc2626'),
  };
}

/** Re-reads the palette whenever the theme changes (toggle or system setting). */
export function useChartPalette(): ChartPalette {
  const [palette, setPalette] = useState(readPalette);
  useEffect(() => {
    const update = () => setPalette(readPalette());
    const m = window.matchMedia('(prefers-color-scheme: dark)');
    window.addEventListener('skyguard:theme', update);
    m.addEventListener('change', update);
    return () => {
      window.removeEventListener('skyguard:theme', update);
      m.removeEventListener('change', update);
    };
  }, []);
  return palette;
}
