import { useCallback, useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import {
  getPart,
  getPartRisk,
  listAllOf,
  listDemand,
  listOffers,
  type DemandRow,
  type LiveRisk,
  type PartRiskLocation,
} from '../../api/supply';
import type { ChartPalette } from '../../charts/chart-theme';
import SupplyChart, { axes, type SupplyChartOption } from '../../charts/supply-chart';
import { Badge, EmptyState, LoadingBlock, PageError, PageHeader } from '../../components/ui';
import { useAsync, useTitle } from '../../lib/use-async';
import { LEVEL_COLOR, LevelBadge, SupplyTabs, criticalityLabel, money, num, pct } from './supply-format';
import './supply.css';

/**
 * Monthly demand (YYYY-MM) of one location, or summed over all when `locationId` is null, with
 * every month of the history present: months without a demand row are zero demand (the rows hold
 * non-zero months only), so intermittency shows as gaps on a true time axis. The history runs
 * `months` months up to `lastMonth` when the engine says so, else from the first to the last row.
 */
function monthly(
  rows: readonly DemandRow[],
  locationId: string | null,
  span: { lastMonth: string; months: number } | null,
): { period: string; quantity: number }[] {
  const by = new Map<string, number>();
  for (const r of rows) {
    if (locationId && r.locationId !== locationId) continue;
    const period = r.period.slice(0, 7);
    by.set(period, (by.get(period) ?? 0) + r.quantity);
  }
  const seen = [...by.keys()].sort();
  const last = span?.lastMonth ?? seen.at(-1);
  const first = span ? addMonths(span.lastMonth, 1 - span.months) : seen[0];
  if (!first || !last) return [];
  const out: { period: string; quantity: number }[] = [];
  for (let m = first; m <= last && out.length < 600; m = addMonths(m, 1)) out.push({ period: m, quantity: by.get(m) ?? 0 });
  return out;
}

function addMonths(period: string, n: number): string {
  const [y, m] = period.split('-').map(Number);
  const d = new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

function RiskPanel({ loc, live }: { loc: PartRiskLocation; live: LiveRisk }) {
  const { risk, explanation, policy, leadTime, stockProjection } = live;
  const maxAbs = Math.max(...explanation.contributions.map((c) => Math.abs(c.points)), 1);
  const ltChart = useCallback(
    (p: ChartPalette): SupplyChartOption => ({
      grid: { left: 44, right: 12, top: 12, bottom: 28 },
      xAxis: { type: 'category', data: leadTime.points.map((x) => `${Math.round(x.days)} d`), ...axes(p) },
      yAxis: {
        type: 'value',
        ...axes(p),
        axisLabel: { color: p.muted, formatter: (v: number) => `${Math.round(v * 100)}%` },
      },
      tooltip: { trigger: 'axis', valueFormatter: (v) => pct(Number(v)) },
      series: [
        {
          type: 'bar',
          name: 'Probability',
          data: leadTime.points.map((x) => x.probability),
          itemStyle: { color: p.series[1] },
          barMaxWidth: 28,
        },
      ],
    }),
    [leadTime],
  );
  const projChart = useCallback(
    (p: ChartPalette): SupplyChartOption => ({
      grid: { left: 44, right: 44, top: 24, bottom: 28 },
      legend: { top: 0, right: 4, textStyle: { color: p.muted } },
      xAxis: { type: 'category', data: stockProjection.map((x) => `+${x.month} mo`), ...axes(p) },
      yAxis: [
        { type: 'value', ...axes(p), name: 'units', nameTextStyle: { color: p.muted } },
        {
          type: 'value',
          min: 0,
          max: 1,
          ...axes(p),
          splitLine: { show: false },
          axisLabel: { color: p.muted, formatter: (v: number) => `${Math.round(v * 100)}%` },
        },
      ],
      series: [
        {
          type: 'line',
          name: 'Expected available',
          data: stockProjection.map((x) => x.expectedAvailable),
          itemStyle: { color: p.series[0] },
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { color: p.muted, type: 'dashed' },
            label: { show: false },
            data: [{ yAxis: 0 }],
          },
        },
        {
          type: 'line',
          name: 'P(stockout)',
          yAxisIndex: 1,
          data: stockProjection.map((x) => x.stockoutProbability),
          itemStyle: { color: p.danger },
        },
      ],
    }),
    [stockProjection],
  );
  return (
    <div className="risk-panel" data-testid="part-risk">
      <dl className="stats">
        <div>
          <dt>Risk at {loc.locationCode}</dt>
          <dd>
            {Math.round(risk.score)} <LevelBadge level={risk.level} />
          </dd>
        </div>
        <div>
          <dt>P(stockout) over lead time</dt>
          <dd>{pct(risk.stockoutProbability)}</dd>
        </div>
        <div>
          <dt>Expected exposure</dt>
          <dd>{money(risk.expectedExposure)}</dd>
        </div>
        <div>
          <dt>Expected AOG days</dt>
          <dd>{num(risk.expectedAogDays, 2)}</dd>
        </div>
      </dl>
      <div className="supply-grid">
        <section>
          <h3>Why this score</h3>
          <p className="small">{explanation.summary}</p>
          <ul className="factor-list" data-testid="explanation">
            {explanation.contributions.map((c) => (
              <li key={c.factor} data-testid="contribution" title={`Compared with: ${c.neutral}`}>
                <span className="factor-name">{c.factor.replace(/_/g, ' ')}</span>
                <span className="factor-bar-wrap">
                  <span
                    className={`factor-bar ${c.points >= 0 ? 'up' : 'down'}`}
                    style={{ width: `${(Math.abs(c.points) / maxAbs) * 50}%` }}
                  />
                </span>
                <span className="num small">
                  {c.points >= 0 ? '+' : ''}
                  {c.points.toFixed(1)}
                </span>
              </li>
            ))}
          </ul>
          <p className="muted small">
            Baseline {explanation.baselineScore.toFixed(1)} + factors = {explanation.score.toFixed(1)}{' '}
            (Shapley attribution).
          </p>
          {explanation.events.length ? (
            <>
              <h3>Risk events involved</h3>
              <ul className="small">
                {explanation.events.map((e) => (
                  <li key={e.eventId}>
                    <strong>{e.name}</strong> ({e.type}, {e.status}) · P(impact) {pct(e.impactProbability, 0)}{' '}
                    · +{num(e.meanDelayDays, 1)} d mean delay
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
        <section>
          <h3>Policy advice</h3>
          <table className="table compact" data-testid="policy-advice">
            <thead>
              <tr>
                <th scope="col" />
                <th scope="col" className="num">
                  Today
                </th>
                <th scope="col" className="num">
                  Recommended
                </th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Reorder point</th>
                <td className="num">
                  {policy.currentReorderPointSet ? (
                    policy.current.reorderPoint
                  ) : (
                    <span className="muted">not set</span>
                  )}
                </td>
                <td className="num">
                  <strong>{policy.recommended.reorderPoint}</strong>
                </td>
              </tr>
              <tr>
                <th scope="row">Safety stock</th>
                <td className="num">{num(policy.current.safetyStock)}</td>
                <td className="num">{num(policy.recommended.safetyStock)}</td>
              </tr>
              <tr>
                <th scope="row">Cycle service level</th>
                <td className="num">{pct(policy.current.cycleServiceLevel)}</td>
                <td className="num">{pct(policy.recommended.cycleServiceLevel)}</td>
              </tr>
              <tr>
                <th scope="row">Expected exposure</th>
                <td className="num">{money(policy.current.expectedExposure)}</td>
                <td className="num">{money(policy.recommended.expectedExposure)}</td>
              </tr>
            </tbody>
          </table>
          <p className="small">
            Target {pct(policy.target, 0)} {policy.basis === 'fill_rate' ? 'fill rate' : 'cycle service'} for
            a {criticalityLabel(policy.criticality)} part; change in exposure{' '}
            <strong className={policy.expectedExposureChange < 0 ? 'text-ok' : 'text-danger'}>
              {money(policy.expectedExposureChange)}
            </strong>
            .
          </p>
        </section>
      </div>
      <div className="supply-grid">
        <section>
          <h3>Lead time (event-adjusted)</h3>
          <p className="muted small">
            Mean {num(leadTime.meanDays, 0)} d · P10–P90 {num(leadTime.p10, 0)}–{num(leadTime.p90, 0)} d ·
            offer {num(leadTime.stages.offerMeanDays, 0)} d → with supplier delays{' '}
            {num(leadTime.stages.withSupplierDelayMeanDays, 0)} d → with events{' '}
            {num(leadTime.stages.withEventsMeanDays, 0)} d
            {leadTime.supplier
              ? ` · on time ${pct(leadTime.supplier.onTimeProbability, 0)} of ${leadTime.supplier.deliveries} deliveries`
              : ''}
          </p>
          <SupplyChart build={ltChart} height={180} ariaLabel="Lead-time distribution" />
        </section>
        <section>
          <h3>Stock projection (no new order)</h3>
          <SupplyChart
            build={projChart}
            height={200}
            ariaLabel="Expected available stock and stockout probability by month"
          />
        </section>
      </div>
    </div>
  );
}

/** One part: stock by location, demand history with the forecast, suppliers, and its risk. */
export default function PartPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const part = useAsync((signal) => getPart(id, signal), [id]);
  useTitle(part.data ? part.data.partNumber : 'Part');
  const demand = useAsync((signal) => listAllOf(listDemand, { partId: id }, signal, 5000), [id]);
  const offers = useAsync((signal) => listAllOf(listOffers, { partId: id }, signal, 200), [id]);
  const risk = useAsync(
    (signal) =>
      getPartRisk(id, signal).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
    [id],
  );
  const locs = risk.data?.locations ?? [];
  const locId = params.get('location') ?? locs[0]?.locationId ?? null;
  const loc = locs.find((l) => l.locationId === locId) ?? locs[0];
  const live = loc && loc.live.status === 'scored' ? (loc.live as LiveRisk) : null;
  // The engine's history ends with the month before the score was computed.
  const span = live && risk.data
    ? { lastMonth: addMonths(risk.data.computedAt.slice(0, 7), -1), months: live.forecast.historyMonths }
    : null;
  const spanKey = span ? `${span.lastMonth}/${span.months}` : '';
  const series = useMemo(
    () => monthly(demand.data ?? [], loc?.locationId ?? null, span),
    // `span` is a fresh object each render; spanKey carries its value.
    [demand.data, loc?.locationId, spanKey],
  );

  const demandChart = useCallback(
    (p: ChartPalette): SupplyChartOption => {
      const last = series.at(-1)?.period;
      const horizon = live && last ? live.forecast.horizon : [];
      const future = horizon.map((h) => addMonths(last!, h.month));
      const cats = [...series.map((s) => s.period), ...future];
      const pad = (n: number) => new Array<null>(n).fill(null);
      return {
        legend: {
          top: 0,
          right: 8,
          textStyle: { color: p.muted },
          data: ['Demand', 'P10–P90', 'Forecast mean'],
        },
        tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '—' : num(Number(v), 2)) },
        grid: { left: 44, right: 16, top: 28, bottom: 28 },
        xAxis: { type: 'category', data: cats, ...axes(p) },
        yAxis: { type: 'value', ...axes(p), minInterval: 1 },
        series: [
          {
            type: 'bar',
            name: 'Demand',
            data: [...series.map((s) => s.quantity), ...pad(future.length)],
            itemStyle: { color: p.series[0] },
            barMaxWidth: 10,
          },
          {
            type: 'line',
            name: 'P10',
            data: [...pad(series.length), ...horizon.map((h) => h.perPeriod.p10)],
            lineStyle: { opacity: 0 },
            stack: 'band',
            symbol: 'none',
            tooltip: { show: false },
          },
          {
            type: 'line',
            name: 'P10–P90',
            data: [...pad(series.length), ...horizon.map((h) => h.perPeriod.p90 - h.perPeriod.p10)],
            lineStyle: { opacity: 0 },
            itemStyle: { color: p.series[2] },
            areaStyle: { color: p.series[2], opacity: 0.25 },
            stack: 'band',
            symbol: 'none',
          },
          {
            type: 'line',
            name: 'Forecast mean',
            data: [...pad(series.length), ...horizon.map((h) => h.perPeriod.mean)],
            itemStyle: { color: p.series[2] },
            symbol: 'none',
          },
        ],
      };
    },
    [series, live],
  );

  if (part.status === 'loading') return <LoadingBlock label="Loading part…" />;
  if (part.status === 'error') return <PageError error={part.error} what="this part" onRetry={part.reload} />;
  const pt = part.data;
  return (
    <>
      <nav className="crumbs small" aria-label="Breadcrumb">
        <Link to="/supply/parts">Inventory</Link> <span aria-hidden="true">/</span>
      </nav>
      <PageHeader
        title={pt.partNumber}
        subtitle={
          <span className="flight-subtitle">
            <span>{pt.description}</span>
            <Badge
              tone={pt.criticality === 'no_go' ? 'danger' : pt.criticality === 'go_if' ? 'warn' : 'neutral'}
            >
              {criticalityLabel(pt.criticality)}
            </Badge>
            {pt.category ? <span>{pt.category}</span> : null}
            <span>unit {money(pt.unitCost)}</span>
            {pt.aogCost !== null ? (
              <span title={pt.aogCostSource ?? undefined}>
                AOG {money(pt.aogCost)}/{pt.aogCostUnit === 'hour' ? 'h' : 'day'}
              </span>
            ) : null}
          </span>
        }
      />
      <SupplyTabs />
      <div className="supply-grid part-top">
        <section className="card">
          <h2>Stock by location</h2>
          {pt.stock.length === 0 ? (
            <p className="muted">No stock records.</p>
          ) : (
            <div className="table-scroll">
            <table className="table compact" data-testid="part-stock">
              <thead>
                <tr>
                  <th scope="col">Location</th>
                  <th scope="col" className="num">
                    On hand
                  </th>
                  <th scope="col" className="num">
                    Reserved
                  </th>
                  <th scope="col" className="num">
                    On order
                  </th>
                  <th scope="col" className="num">
                    Reorder pt
                  </th>
                  <th scope="col" className="num">
                    Safety
                  </th>
                </tr>
              </thead>
              <tbody>
                {pt.stock.map((s) => (
                  <tr key={s.locationId}>
                    <td>{s.locationCode}</td>
                    <td className="num">{s.onHand}</td>
                    <td className="num">{s.reserved}</td>
                    <td className="num">{s.onOrder}</td>
                    <td className="num">{s.reorderPoint ?? '—'}</td>
                    <td className="num">{s.safetyStock ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          )}
          {pt.aircraftTypes.length ? (
            <p className="small">
              Can ground:{' '}
              {pt.aircraftTypes
                .map(
                  (t) =>
                    `${t.code} (${t.fleetSize} in fleet${t.essentiality ? `, ${criticalityLabel(t.essentiality)}` : ''})`,
                )
                .join(', ')}
            </p>
          ) : null}
        </section>
        <section className="card">
          <h2>Suppliers</h2>
          {offers.status === 'loading' ? (
            <LoadingBlock />
          ) : (offers.data ?? []).length === 0 ? (
            <p className="muted">No offers.</p>
          ) : (
            <table className="table compact" data-testid="part-offers">
              <thead>
                <tr>
                  <th scope="col">Supplier</th>
                  <th scope="col" className="num">
                    Price
                  </th>
                  <th scope="col" className="num">
                    MOQ
                  </th>
                  <th scope="col" className="num">
                    Lead time
                  </th>
                </tr>
              </thead>
              <tbody>
                {(offers.data ?? []).map((o) => (
                  <tr key={o.id}>
                    <td>
                      <Link to={`/supply/suppliers?q=${encodeURIComponent(o.supplierCode)}`}>
                        {o.supplierCode}
                      </Link>
                      {o.preferred ? <Badge tone="info">preferred</Badge> : null}
                    </td>
                    <td className="num">{money(o.price)}</td>
                    <td className="num">{o.moq ?? '—'}</td>
                    <td className="num nowrap">
                      {o.leadTimeMeanDays === null
                        ? '—'
                        : `${num(o.leadTimeMeanDays, 0)} ± ${num(o.leadTimeSdDays ?? 0, 0)} d`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <section className="card">
        <div className="card-head">
          <div>
            <h2>Demand history{live ? ' and forecast' : ''}</h2>
            <p className="muted small" data-testid="forecast-method">
              {loc ? `At ${loc.locationCode}` : 'All locations'}, units per month
              {live ? (
                <>
                  {' · '}
                  <span title="Syntetos–Boylan–Croston class: ADI = periods per non-zero demand, CV² = squared coefficient of variation of the non-zero sizes">
                    {live.forecast.classification.class} demand (ADI{' '}
                    {live.forecast.classification.adi === null ? '∞' : num(live.forecast.classification.adi, 2)}, CV²{' '}
                    {num(live.forecast.classification.cv2, 2)}, {live.forecast.classification.demands} of{' '}
                    {live.forecast.classification.periods} months with demand)
                  </span>
                  {` · forecast ${live.forecast.method}, band P10–P90`}
                </>
              ) : null}
            </p>
          </div>
        </div>
        {demand.status === 'loading' ? (
          <LoadingBlock />
        ) : series.length === 0 ? (
          <p className="muted">No demand recorded.</p>
        ) : (
          <SupplyChart build={demandChart} height={240} ariaLabel="Monthly demand and forecast" />
        )}
      </section>
      <section className="card">
        <div className="card-head">
          <h2>Risk</h2>
          {locs.length > 1 ? (
            <div className="field inline">
              <label htmlFor="risk-loc" className="sr-only">
                Location
              </label>
              <select
                id="risk-loc"
                value={loc?.locationId ?? ''}
                onChange={(e) => setParams((p) => (p.set('location', e.target.value), p), { replace: true })}
              >
                {locs.map((l) => (
                  <option key={l.locationId} value={l.locationId}>
                    {l.locationCode}
                    {l.stored?.level ? ` · ${l.stored.level}` : ''}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
        </div>
        {risk.status === 'loading' ? (
          <LoadingBlock label="Computing the risk…" />
        ) : risk.status === 'error' ? (
          <PageError error={risk.error} what="this part’s risk" onRetry={risk.reload} />
        ) : !loc ? (
          <EmptyState title="Not scored">This part has no stock position to score.</EmptyState>
        ) : live ? (
          <RiskPanel loc={loc} live={live} />
        ) : loc.live.status === 'refused' ? (
          <p className="small">
            The engine refused this item: <code>{loc.live.code}</code> ({loc.live.field}: {loc.live.rule}).
          </p>
        ) : null}
        {risk.data?.openAlerts.length ? (
          <p className="small">
            <span style={{ color: LEVEL_COLOR.high }}>●</span> {risk.data.openAlerts.length} open alert(s) —{' '}
            <Link to="/supply/alerts">see the inbox</Link>
          </p>
        ) : null}
      </section>
    </>
  );
}
