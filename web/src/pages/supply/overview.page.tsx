import { Suspense, lazy, useCallback, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import {
  getRiskSummary,
  RISK_LEVELS,
  type RiskGroup,
  type RiskSummary,
  type SummaryDimension,
} from '../../api/supply';
import type { ChartPalette } from '../../charts/chart-theme';
import SupplyChart, { axes, type SupplyChartOption } from '../../charts/supply-chart';
import type { CountryFigure } from '../../charts/world-map';
import { EmptyState, LoadingBlock, PageError, PageHeader } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useAsync, useTitle } from '../../lib/use-async';
import { LEVEL_COLOR, SupplyTabs, criticalityLabel, money } from './supply-format';
import './supply.css';

// ECharts' map series and the Natural Earth atlas load with this page only, in their own chunk.
const WorldMap = lazy(() => import('../../charts/world-map'));

const DIMENSIONS: readonly { key: SummaryDimension; label: string }[] = [
  { key: 'category', label: 'Category' },
  { key: 'criticality', label: 'Criticality' },
  { key: 'region', label: 'Supplier region' },
  { key: 'supplier', label: 'Supplier' },
  { key: 'location', label: 'Location' },
];

const groupName = (d: SummaryDimension, g: RiskGroup) =>
  d === 'criticality' ? criticalityLabel(g.key) : (g.label ?? g.key ?? 'none');

/** Horizontal bars: exposure per group, split by level. */
function breakdownOption(d: SummaryDimension, groups: readonly RiskGroup[]) {
  return (p: ChartPalette): SupplyChartOption => {
    const top = [...groups]
      .sort((a, b) => b.expectedExposure - a.expectedExposure)
      .slice(0, 10)
      .reverse();
    return {
      grid: { left: 130, right: 24, top: 8, bottom: 24 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => money(Number(v)) },
      xAxis: { type: 'value', ...axes(p), axisLabel: { color: p.muted, formatter: (v: number) => money(v) } },
      yAxis: {
        type: 'category',
        data: top.map((g) => groupName(d, g)),
        axisLabel: { color: p.text, width: 120, overflow: 'truncate' },
        axisLine: { lineStyle: { color: p.grid } },
      },
      series: [
        {
          type: 'bar',
          name: 'Expected exposure',
          data: top.map((g) => g.expectedExposure),
          itemStyle: { color: p.series[0] },
          barMaxWidth: 16,
        },
      ],
    };
  };
}

const worstLevel = (g: RiskGroup) => RISK_LEVELS.find((l) => g.byLevel[l] > 0) ?? 'low';

/** Supplier-country figures for the map and the table beside it (items without a supplier left out). */
function countryFigures(groups: readonly RiskGroup[]): CountryFigure[] {
  return groups
    .filter((g) => g.key)
    .map((g) => ({
      code: g.key!,
      exposure: g.expectedExposure,
      atRisk: g.byLevel.critical + g.byLevel.high,
      items: g.items,
      worst: worstLevel(g),
    }));
}

/**
 * The ranked list beside the map: exact figures, keyboard and screen-reader reachable (the map is a
 * canvas), and it names the small states the 1:110m map cannot draw (Singapore, Hong Kong, Malta…).
 */
function CountryTable({ data, truncated }: { data: readonly CountryFigure[]; truncated: boolean }) {
  const total = data.reduce((a, d) => a + d.exposure, 0) || 1;
  return (
    <div className="country-table">
      <table className="table compact" data-testid="country-table">
        <thead>
          <tr>
            <th scope="col">Supplier country</th>
            <th scope="col" className="num">
              Exposure
            </th>
            <th scope="col" className="num" title="Part × location items at high or critical">
              High+
            </th>
          </tr>
        </thead>
        <tbody>
          {[...data]
            .sort((a, b) => b.exposure - a.exposure)
            .slice(0, 12)
            .map((d) => (
              <tr key={d.code}>
                <td>
                  <span className="level-dot" style={{ background: LEVEL_COLOR[d.worst as keyof typeof LEVEL_COLOR] }} title={`worst level: ${d.worst}`} />
                  <Link to={`/supply/risk?country=${d.code}`}>{d.code}</Link>{' '}
                  <span className="muted small">{Math.round((d.exposure / total) * 100)} %</span>
                </td>
                <td className="num">{money(d.exposure)}</td>
                <td className="num">{d.atRisk.toLocaleString()}</td>
              </tr>
            ))}
        </tbody>
      </table>
      {data.length > 12 || truncated ? (
        <p className="muted small">Top 12 of {data.length}{truncated ? '+' : ''} countries.</p>
      ) : null}
    </div>
  );
}

/** Executive overview of supply risk: exposure, its trend, and where it sits. */
export default function SupplyOverviewPage() {
  useTitle('Supply risk');
  const state = useAsync(getRiskSummary, []);
  const [dim, setDim] = useState<SummaryDimension>('category');
  const s: RiskSummary | undefined = state.data;
  const navigate = useNavigate();
  const countries = useMemo(() => countryFigures(s?.breakdowns.country.groups ?? []), [s]);
  const openCountry = useCallback((code: string) => navigate(`/supply/risk?country=${code}`), [navigate]);
  const trend = useCallback(
    (p: ChartPalette): SupplyChartOption => ({
      legend: { top: 0, right: 8, textStyle: { color: p.muted } },
      xAxis: { type: 'time', ...axes(p), splitLine: { show: false } },
      yAxis: { type: 'value', ...axes(p), axisLabel: { color: p.muted, formatter: (v: number) => money(v) } },
      tooltip: { trigger: 'axis', valueFormatter: (v) => money(Number(v)) },
      series: [
        {
          type: 'line',
          name: 'Expected exposure',
          showSymbol: true,
          data: (s?.trend ?? []).map((t) => [t.at, t.expectedExposure]),
          lineStyle: { color: p.series[0], width: 2 },
          itemStyle: { color: p.series[0] },
          areaStyle: { color: p.series[0], opacity: 0.1 },
        },
      ],
    }),
    [s],
  );
  const breakdown = useCallback(
    (p: ChartPalette) => breakdownOption(dim, s?.breakdowns[dim].groups ?? [])(p),
    [s, dim],
  );

  const notYet = state.error instanceof ApiError && state.error.status === 404;
  return (
    <>
      <PageHeader
        title="Supply risk"
        subtitle="Stockout and AOG exposure of the spare-parts portfolio, in US dollars."
      />
      <SupplyTabs />
      {state.status === 'loading' ? (
        <LoadingBlock label="Loading the portfolio summary…" />
      ) : notYet ? (
        <EmptyState title="Risk scoring is not available on this server yet" />
      ) : state.status === 'error' ? (
        <PageError error={state.error} what="supply risk" onRetry={state.reload} />
      ) : !s || s.total.items === 0 ? (
        <EmptyState title="No risk scores yet">
          Import parts, stock, suppliers and demand on the <Link to="/supply/imports">Imports</Link> page; the
          portfolio is scored after each change.
        </EmptyState>
      ) : (
        <>
          <dl className="stats supply-stats" data-testid="supply-totals">
            <div>
              <dt>Expected exposure</dt>
              <dd>{money(s.total.expectedExposure)}</dd>
            </div>
            <div>
              <dt title="If every part that can fail did so at once (capped per fleet)">
                Concurrent upper bound
              </dt>
              <dd>{money(s.total.concurrentUpperBound)}</dd>
            </div>
            <div>
              <dt>Critical / high</dt>
              <dd>
                <span style={{ color: LEVEL_COLOR.critical }}>{s.total.byLevel.critical}</span> /{' '}
                <span style={{ color: LEVEL_COLOR.high }}>{s.total.byLevel.high}</span>
              </dd>
            </div>
            <div>
              <dt>Items scored</dt>
              <dd>
                {s.total.items.toLocaleString()}
                {s.total.refused ? <span className="muted small"> · {s.total.refused} refused</span> : null}
              </dd>
            </div>
          </dl>
          <div className="level-strip" aria-label="Items by level">
            {RISK_LEVELS.map((l) => (
              <Link
                key={l}
                to={`/supply/risk?level=${l}`}
                className="level-seg"
                style={{ flexGrow: Math.max(s.total.byLevel[l], 0.0001), background: LEVEL_COLOR[l] }}
                title={`${s.total.byLevel[l]} ${l}`}
              >
                {s.total.byLevel[l] > 0 ? `${l} ${s.total.byLevel[l]}` : ''}
              </Link>
            ))}
          </div>
          <div className="supply-grid">
            <section className="card">
              <div className="card-head">
                <div>
                  <h2>Exposure trend</h2>
                  <p className="muted small">
                    Full re-scores · last {s.lastRun ? formatDateTime(s.lastRun.startedAt) : '—'} · engine{' '}
                    {s.engineVersion}
                  </p>
                </div>
              </div>
              {s.trend.length ? (
                <Suspense fallback={<LoadingBlock />}>
                  <SupplyChart build={trend} height={220} ariaLabel="Expected exposure per full re-score" />
                </Suspense>
              ) : (
                <p className="muted">No full re-score yet.</p>
              )}
            </section>
            <section className="card">
              <div className="card-head stacked">
                <h2>Where the exposure sits</h2>
                <div className="segmented" role="group" aria-label="Breakdown">
                  {DIMENSIONS.map((d) => (
                    <button
                      key={d.key}
                      type="button"
                      aria-pressed={dim === d.key}
                      className={dim === d.key ? 'active' : ''}
                      onClick={() => setDim(d.key)}
                    >
                      {d.label}
                    </button>
                  ))}
                </div>
              </div>
              <Suspense fallback={<LoadingBlock />}>
                <SupplyChart build={breakdown} height={260} ariaLabel={`Exposure by ${dim}`} />
              </Suspense>
            </section>
          </div>
          <section className="card">
            <div className="card-head">
              <div>
                <h2>By supplier country</h2>
                <p className="muted small">
                  Expected exposure of the items replenished from each country (log colour scale); hover for
                  the figures, click to open that country&rsquo;s parts in the ranking.
                </p>
              </div>
            </div>
            <div className="map-layout">
              <Suspense fallback={<LoadingBlock label="Loading the map…" />}>
                <WorldMap data={countries} money={money} onSelect={openCountry} height={340} />
              </Suspense>
              <CountryTable data={countries} truncated={s.breakdowns.country.truncated} />
            </div>
          </section>
          <details className="card assumptions">
            <summary>How these totals are computed</summary>
            <ul className="small">
              {s.assumptions.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          </details>
        </>
      )}
    </>
  );
}
