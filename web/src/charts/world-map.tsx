import { useEffect, useMemo, useRef } from 'react';
import { registerMap, use, type ComposeOption } from 'echarts/core';
import { MapChart, type MapSeriesOption } from 'echarts/charts';
import {
  TooltipComponent,
  VisualMapComponent,
  type TooltipComponentOption,
  type VisualMapComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries110m from 'world-atlas/countries-110m.json';
import { useChartPalette } from './chart-theme';
import { useEChart } from './use-echart';
import { NAME_TO_ALPHA2, NUMERIC_TO_ALPHA2 } from './world-map.codes';

use([MapChart, TooltipComponent, VisualMapComponent, CanvasRenderer]);

type MapOption = ComposeOption<MapSeriesOption | TooltipComponentOption | VisualMapComponentOption>;

/** One country's figures; `code` is ISO 3166-1 alpha-2. */
export interface CountryFigure {
  code: string;
  exposure: number;
  /** Part × location items at high or critical. */
  atRisk: number;
  items: number;
  worst: string;
}

const MAP_NAME = 'skyguard-world-110m';

const labels = new Map<string, string>();

type Ring = [number, number][];
/**
 * A planar projection draws a ring that jumps across the ±180° meridian as a band across the whole
 * map (Russia's Chukotka, Fiji). Those few slivers are left out; every other ring is kept.
 */
function dropAntimeridianRings<G extends { type: string }>(geometry: G): G {
  const crosses = (ring: Ring) => ring.some((p, i) => i > 0 && Math.abs(p[0] - ring[i - 1]![0]) > 180);
  const g = geometry as unknown as { type: string; coordinates: unknown };
  if (g.type === 'Polygon') {
    const rings = g.coordinates as Ring[];
    return (crosses(rings[0]!) ? { ...g, coordinates: [] } : geometry) as G;
  }
  if (g.type === 'MultiPolygon') {
    const polys = (g.coordinates as Ring[][]).filter((poly) => !crosses(poly[0]!));
    return { ...g, coordinates: polys } as unknown as G;
  }
  return geometry;
}

/**
 * Natural Earth 1:110m countries (world-atlas, public domain data, ISC package) converted once from
 * TopoJSON to GeoJSON, each feature named by its alpha-2 code so series data can use our codes.
 * Antarctica is dropped: no supplier is there and it takes a fifth of the height.
 */
const drawable: ReadonlySet<string> = (() => {
  const topo = countries110m as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const features = [];
  for (const f of feature(topo, topo.objects.countries).features) {
    const code = (f.id !== undefined ? NUMERIC_TO_ALPHA2.get(String(f.id)) : undefined) ?? NAME_TO_ALPHA2[f.properties.name];
    if (!code || code === 'AQ') continue;
    labels.set(code, f.properties.name);
    features.push({ ...f, geometry: dropAntimeridianRings(f.geometry), properties: { name: code } });
  }
  // ECharts' registerMap takes plain GeoJSON; its own typing is stricter than the geojson package's.
  registerMap(MAP_NAME, { type: 'FeatureCollection', features } as unknown as Parameters<typeof registerMap>[1]);
  return new Set(labels.keys());
})();

/** Whether a country is drawn at this scale (small states such as SG, HK, MT are not). */
export const isDrawable = (code: string): boolean => drawable.has(code);

export const countryName = (code: string): string => labels.get(code) ?? code;

/**
 * Choropleth of expected exposure by supplier country. Colour is on a log scale (exposures span
 * orders of magnitude; a linear scale shows one dark country and a pale world); the tooltip gives
 * the figures. Lazy: only the supply overview imports this chunk (ECharts map + the atlas).
 */
export default function WorldMap({
  data,
  money,
  onSelect,
  height = 360,
}: {
  data: readonly CountryFigure[];
  money: (n: number) => string;
  onSelect?: (code: string) => void;
  height?: number;
}) {
  const el = useRef<HTMLDivElement>(null);
  const select = useRef(onSelect);
  select.current = onSelect;
  const palette = useChartPalette();
  const byCode = useMemo(() => new Map(data.map((d) => [d.code, d])), [data]);
  const byCodeRef = useRef(byCode);
  byCodeRef.current = byCode;
  const chart = useEChart(el, (c) =>
    c.on('click', (p) => {
      const code = (p as { name?: string }).name;
      if (code && byCodeRef.current.has(code)) select.current?.(code);
    }),
  );
  const onMap = useMemo(() => data.filter((d) => drawable.has(d.code) && d.exposure > 0), [data]);


  useEffect(() => {
    const logs = onMap.map((d) => Math.log10(d.exposure));
    const min = logs.length ? Math.floor(Math.min(...logs)) : 0;
    const max = logs.length ? Math.ceil(Math.max(...logs)) : 1;
    const option: MapOption = {
      animation: false,
      tooltip: {
        trigger: 'item',
        backgroundColor: palette.surface,
        borderColor: palette.grid,
        textStyle: { color: palette.text },
        formatter: (p) => {
          const code = (p as { name: string }).name;
          const d = byCode.get(code);
          const name = countryName(code);
          if (!d) return `${name}<br/><span style="opacity:.7">no supplier here</span>`;
          return (
            `<strong>${name}</strong><br/>Expected exposure ${money(d.exposure)}` +
            `<br/>${d.atRisk.toLocaleString()} of ${d.items.toLocaleString()} items high or critical` +
            `<br/>Worst level: ${d.worst}`
          );
        },
      },
      visualMap: {
        type: 'continuous',
        min,
        max: max === min ? min + 1 : max,
        left: 8,
        bottom: 8,
        itemHeight: 110,
        calculable: false,
        text: [money(10 ** (max === min ? min + 1 : max)), money(10 ** min)],
        textStyle: { color: palette.muted },
        inRange: { color: ['#fde68a', '#f59e0b', '#dc2626', '#7f1d1d'] },
        formatter: (v) => money(10 ** Number(v)),
      },
      series: [
        {
          type: 'map',
          map: MAP_NAME,
          roam: false,
          // The map keeps its aspect inside this box; the legend sits in the bottom-left margin.
          left: 70,
          right: 4,
          top: 4,
          bottom: 4,
          aspectScale: 0.85,
          selectedMode: false,
          itemStyle: { areaColor: palette.grid, borderColor: palette.surface, borderWidth: 0.5 },
          emphasis: { label: { show: false }, itemStyle: { areaColor: palette.series[0] } },
          data: onMap.map((d) => ({ name: d.code, value: Math.log10(d.exposure) })),
        },
      ],
    };
    chart.current?.setOption(option, { notMerge: true });
  }, [onMap, byCode, palette, money]);

  return (
    <div
      ref={el}
      className="chart world-map"
      style={{ height }}
      role="img"
      aria-label="Expected exposure by supplier country (world map)"
      data-testid="world-map"
      data-countries={onMap.length}
      data-not-drawn={data
        .filter((d) => !drawable.has(d.code))
        .map((d) => d.code)
        .join(' ')}
    />
  );
}
