import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { CRITICALITIES, exportUrl, listParts, type Part } from '../../api/supply';
import { Icon } from '../../components/icons';
import {
  EmptyState,
  LoadingBlock,
  PageError,
  PageHeader,
  ScrollSentinel,
  Spinner,
} from '../../components/ui';
import { formatDate } from '../../lib/format';
import { useDebounced } from '../../lib/use-debounced';
import { useTitle } from '../../lib/use-async';
import { usePagedList } from '../../lib/use-paged-list';
import { SupplyTabs, criticalityLabel, money } from './supply-format';
import './supply.css';

type SortKey = 'partNumber' | 'description' | 'criticality' | 'unitCost' | 'updatedAt';

function Th({
  label,
  field,
  sort,
  onSort,
  num,
}: {
  label: string;
  field: SortKey;
  sort: string;
  onSort: (s: string) => void;
  num?: boolean;
}) {
  const active = sort === field || sort === `-${field}`;
  const desc = sort === `-${field}`;
  return (
    <th
      scope="col"
      className={num ? 'num' : undefined}
      aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'}
    >
      <button type="button" className="th-sort" onClick={() => onSort(active && !desc ? `-${field}` : field)}>
        {label}
        <Icon name={active ? (desc ? 'down' : 'up') : 'sort'} size={14} />
      </button>
    </th>
  );
}

/** Inventory explorer: parts with server-side search, filters and sort in the URL; keyset pages. */
export default function InventoryPage() {
  useTitle('Inventory');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const sort = params.get('sort') ?? 'partNumber';
  const criticality = params.get('criticality') ?? '';
  const category = params.get('category') ?? '';
  const [search, setSearch] = useState(q);
  const debounced = useDebounced(search.trim());
  const set = (k: string, v: string) =>
    setParams(
      (p) => {
        if (v) p.set(k, v);
        else p.delete(k);
        return p;
      },
      { replace: k === 'q' },
    );
  useEffect(() => {
    if (debounced !== q) set('q', debounced);
  }, [debounced]);
  useEffect(() => {
    setSearch((cur) => (cur.trim() === q ? cur : q));
  }, [q]);
  const query = {
    q: q || undefined,
    sort,
    criticality: criticality || undefined,
    category: category || undefined,
  };
  const list = usePagedList<Part>(JSON.stringify(query), (cursor, signal) =>
    listParts({ ...query, limit: 50, cursor }, signal),
  );

  return (
    <>
      <PageHeader
        title="Inventory"
        subtitle="Spare parts, their criticality and cost; open a part for stock, demand, suppliers and risk."
        actions={
          <a className="btn" href={exportUrl('parts', query)} download>
            <Icon name="download" /> Export CSV
          </a>
        }
      />
      <SupplyTabs />
      <div className="toolbar" role="search">
        <div className="field inline grow">
          <label htmlFor="part-search">Search</label>
          <input
            id="part-search"
            type="search"
            placeholder="Part number or description"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <div className="field inline">
          <label htmlFor="part-crit">Criticality</label>
          <select id="part-crit" value={criticality} onChange={(e) => set('criticality', e.target.value)}>
            <option value="">Any</option>
            {CRITICALITIES.map((c) => (
              <option key={c} value={c}>
                {criticalityLabel(c)}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="part-cat">Category</label>
          <input
            id="part-cat"
            value={category}
            onChange={(e) => set('category', e.target.value)}
            placeholder="exact"
          />
        </div>
        {list.loading && list.items.length > 0 ? <Spinner label="Updating…" /> : null}
      </div>
      {list.error && list.items.length === 0 ? (
        <PageError error={list.error} what="parts" onRetry={list.reload} />
      ) : list.loading ? (
        <LoadingBlock label="Loading parts…" />
      ) : list.items.length === 0 ? (
        <EmptyState title={q || criticality || category ? 'No parts match' : 'No parts yet'}>
          {q || criticality || category ? (
            'Try another search.'
          ) : (
            <Link to="/supply/imports">Import parts</Link>
          )}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="parts-table">
            <thead>
              <tr>
                <Th label="Part number" field="partNumber" sort={sort} onSort={(s) => set('sort', s)} />
                <Th label="Description" field="description" sort={sort} onSort={(s) => set('sort', s)} />
                <th scope="col">Category</th>
                <Th label="Criticality" field="criticality" sort={sort} onSort={(s) => set('sort', s)} />
                <Th label="Unit cost" field="unitCost" sort={sort} onSort={(s) => set('sort', s)} num />
                <th scope="col" className="num">
                  AOG cost
                </th>
                <Th label="Updated" field="updatedAt" sort={sort} onSort={(s) => set('sort', s)} />
              </tr>
            </thead>
            <tbody>
              {list.items.map((p) => (
                <tr key={p.id}>
                  <td className="nowrap">
                    <Link to={`/supply/parts/${p.id}`}>{p.partNumber}</Link>
                  </td>
                  <td className="truncate cell-desc" title={p.description}>
                    {p.description}
                  </td>
                  <td>{p.category ?? <span className="muted">—</span>}</td>
                  <td>{criticalityLabel(p.criticality)}</td>
                  <td className="num">{money(p.unitCost)}</td>
                  <td className="num nowrap">
                    {p.aogCost === null
                      ? '—'
                      : `${money(p.aogCost)}/${p.aogCostUnit === 'hour' ? 'h' : 'day'}`}
                  </td>
                  <td className="nowrap">{formatDate(p.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.hasMore ? (
            <div className="load-more">
              <ScrollSentinel onVisible={list.loadMore} resetKey={list.items.length} />
              <button type="button" className="btn" onClick={list.loadMore} disabled={list.loadingMore}>
                {list.loadingMore ? 'Loading…' : 'Load more'}
              </button>
            </div>
          ) : (
            <p className="table-foot muted small">{list.items.length} parts</p>
          )}
        </div>
      )}
    </>
  );
}
