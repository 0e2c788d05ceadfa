import { Link } from 'react-router';
import { CRITICALITIES, exportUrl, listParts, type Part } from '../../api/supply';
import { Icon } from '../../components/icons';
import { ListUpdating, PagedListView } from '../../components/paged-list';
import { SearchField } from '../../components/search-field';
import { FieldSortTh } from '../../components/sortable-th';
import { EmptyState, PageHeader } from '../../components/ui';
import { formatDate } from '../../lib/format';
import { useTitle } from '../../lib/use-async';
import { usePagedList } from '../../lib/use-paged-list';
import { useUrlFilters } from '../../lib/use-url-filters';
import { SupplyTabs, criticalityLabel, money } from './supply-format';
import './supply.css';

/** Inventory explorer: parts with server-side search, filters and sort in the URL; keyset pages. */
export default function InventoryPage() {
  useTitle('Inventory');
  const filters = useUrlFilters();
  const q = filters.get('q');
  const sort = filters.get('sort') || 'partNumber';
  const criticality = filters.get('criticality');
  const category = filters.get('category');
  const setSort = (s: string) => filters.set('sort', s);
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
        <SearchField id="part-search" placeholder="Part number or description" />
        <div className="field inline">
          <label htmlFor="part-crit">Criticality</label>
          <select
            id="part-crit"
            value={criticality}
            onChange={(e) => filters.set('criticality', e.target.value)}
          >
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
            onChange={(e) => filters.set('category', e.target.value)}
            placeholder="exact"
          />
        </div>
        <ListUpdating list={list} />
      </div>
      <PagedListView
        list={list}
        noun="parts"
        empty={
          <EmptyState title={q || criticality || category ? 'No parts match' : 'No parts yet'}>
            {q || criticality || category ? (
              'Try another search.'
            ) : (
              <Link to="/supply/imports">Import parts</Link>
            )}
          </EmptyState>
        }
        count={(n) => `${n} parts`}
      >
        <table className="table" data-testid="parts-table">
          <thead>
            <tr>
              <FieldSortTh label="Part number" field="partNumber" sort={sort} onSort={setSort} />
              <FieldSortTh label="Description" field="description" sort={sort} onSort={setSort} />
              <th scope="col">Category</th>
              <FieldSortTh label="Criticality" field="criticality" sort={sort} onSort={setSort} />
              <FieldSortTh label="Unit cost" field="unitCost" sort={sort} onSort={setSort} num />
              <th scope="col" className="num">
                AOG cost
              </th>
              <FieldSortTh label="Updated" field="updatedAt" sort={sort} onSort={setSort} />
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
                  {p.aogCost === null ? '—' : `${money(p.aogCost)}/${p.aogCostUnit === 'hour' ? 'h' : 'day'}`}
                </td>
                <td className="nowrap">{formatDate(p.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </PagedListView>
    </>
  );
}
