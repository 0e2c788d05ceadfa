import { useMemo } from 'react';
import { Link } from 'react-router';
import { CRITICALITIES, RISK_LEVELS, listRiskItems, type RiskItem } from '../../api/supply';
import { Icon } from '../../components/icons';
import { ListUpdating, PagedListView } from '../../components/paged-list';
import { SearchField } from '../../components/search-field';
import { SortableTh } from '../../components/sortable-th';
import { EmptyState, PageHeader } from '../../components/ui';
import { useTitle } from '../../lib/use-async';
import { usePagedList } from '../../lib/use-paged-list';
import { useUrlFilters } from '../../lib/use-url-filters';
import { LevelBadge, SupplyTabs, criticalityLabel, money, num, pct } from './supply-format';
import './supply.css';

const FILTERS = ['level', 'criticality', 'category', 'country', 'q', 'eventAffected'] as const;

/**
 * Column orders. The server ranks by score (keyset pages); the others order the rows loaded so far,
 * and the page says so while more pages exist.
 */
const SORTS = {
  score: { label: 'Score', key: (r: RiskItem) => r.score ?? -1 },
  probability: { label: 'P(stockout)', key: (r: RiskItem) => r.stockoutProbability ?? -1 },
  exposure: { label: 'Exposure', key: (r: RiskItem) => r.expectedExposure ?? -1 },
  leadTime: { label: 'Lead time', key: (r: RiskItem) => r.meanLeadTimeDays ?? -1 },
} as const;
type SortKey = keyof typeof SORTS;
const SORT_KEYS = Object.keys(SORTS) as SortKey[];

/** Ranked risk list: every part × location by score, filters in the URL, keyset pages. */
export default function RiskRankingPage() {
  useTitle('Risk ranking');
  const filters = useUrlFilters();
  const { set } = filters;
  const query: Record<string, string> = {};
  for (const k of FILTERS) {
    const v = filters.get(k);
    if (v) query[k] = v;
  }
  const list = usePagedList<RiskItem>(JSON.stringify(query), (cursor, signal) =>
    listRiskItems({ ...query, limit: 50, cursor }, signal),
  );
  const sort = SORT_KEYS.find((k) => k === filters.get('sort')) ?? 'score';
  const rows = useMemo(() => {
    if (sort === 'score') return list.items;
    const key = SORTS[sort].key;
    return [...list.items].sort((a, b) => key(b) - key(a));
  }, [list.items, sort]);
  const onSort = (k: SortKey) => set('sort', k === 'score' ? '' : k);

  return (
    <>
      <PageHeader title="Supply risk" subtitle="Every part at every location, highest risk first." />
      <SupplyTabs />
      <div className="toolbar" role="search">
        <SearchField id="risk-q" placeholder="Part number or description" />
        <div className="field inline">
          <label htmlFor="risk-level">Level</label>
          <select id="risk-level" value={query.level ?? ''} onChange={(e) => set('level', e.target.value)}>
            <option value="">Any level</option>
            {RISK_LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
            <option value="critical,high">high or critical</option>
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="risk-crit">Criticality</label>
          <select
            id="risk-crit"
            value={query.criticality ?? ''}
            onChange={(e) => set('criticality', e.target.value)}
          >
            <option value="">Any</option>
            {CRITICALITIES.map((c) => (
              <option key={c} value={c}>
                {criticalityLabel(c)}
              </option>
            ))}
          </select>
        </div>
        {query.country ? (
          <button type="button" className="btn btn-small" onClick={() => set('country', '')}>
            Supplier country {query.country} ✕
          </button>
        ) : null}
        <label className="checkbox small toolbar-check">
          <input
            type="checkbox"
            checked={query.eventAffected === 'true'}
            onChange={(e) => set('eventAffected', e.target.checked ? 'true' : '')}
          />
          <span>Hit by a risk event</span>
        </label>
        <ListUpdating list={list} />
      </div>
      <PagedListView
        list={list}
        noun="items"
        what="risk scores"
        loadingLabel="Loading the ranking…"
        empty={
          <EmptyState title="No scored items match">
            Clear a filter, or import data and wait for the next score.
          </EmptyState>
        }
        count={(n) => `${n} items`}
      >
        <table className="table" data-testid="risk-table">
          <thead>
            <tr>
              <th scope="col">Part</th>
              <th scope="col">Location</th>
              <th scope="col">Level</th>
              {SORT_KEYS.map((k) => (
                <SortableTh
                  key={k}
                  label={SORTS[k].label}
                  order={sort === k ? 'descending' : null}
                  onSort={() => onSort(k)}
                  num
                />
              ))}
              <th scope="col">Supplier</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={`${r.partId}/${r.locationId}`}
                data-criticality={r.criticality}
                data-exposure={r.expectedExposure ?? ''}
              >
                <td className="cell-part">
                  <Link to={`/supply/parts/${r.partId}?location=${r.locationId}`}>{r.partNumber}</Link>
                  <div className="muted small truncate" title={r.description}>
                    {criticalityLabel(r.criticality)} · {r.description}
                  </div>
                </td>
                <td>{r.locationCode}</td>
                <td className="nowrap">
                  <LevelBadge level={r.level} />
                  {r.eventAffected ? (
                    <span title="A risk event affects its supply" className="event-flag">
                      <Icon name="alert" size={14} />
                    </span>
                  ) : null}
                </td>
                <td className="num">{num(r.score, 0)}</td>
                <td className="num">{pct(r.stockoutProbability)}</td>
                <td className="num">{money(r.expectedExposure)}</td>
                <td className="num nowrap">
                  {r.meanLeadTimeDays === null ? '—' : `${num(r.meanLeadTimeDays, 0)} d`}
                </td>
                <td className="nowrap">
                  {r.supplier ? (
                    <span title={`${r.supplier.name} (${r.supplier.country})`}>
                      {r.supplier.code}
                      <div className="muted small">{r.supplier.country}</div>
                    </span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.hasMore && sort !== 'score' ? (
          <p className="table-foot muted small" data-testid="sort-note">
            Ordered by {SORTS[sort].label} among the {list.items.length} highest-scored rows loaded; the
            server ranks by score.
          </p>
        ) : null}
      </PagedListView>
    </>
  );
}
