import { exportUrl, listRiskEvents, listSuppliers, type RiskEvent, type Supplier } from '../../api/supply';
import { Icon } from '../../components/icons';
import { PagedListView } from '../../components/paged-list';
import { SearchField } from '../../components/search-field';
import { Badge, EmptyState, PageHeader } from '../../components/ui';
import { formatDate } from '../../lib/format';
import { useTitle } from '../../lib/use-async';
import { usePagedList } from '../../lib/use-paged-list';
import { useUrlFilters } from '../../lib/use-url-filters';
import { SupplyTabs, pct } from './supply-format';
import './supply.css';

/** Suppliers: search by code or name, filter by country/region. */
export function SuppliersPage() {
  useTitle('Suppliers');
  const filters = useUrlFilters();
  const q = filters.get('q');
  const country = filters.get('country');
  const query = { q: q || undefined, country: country || undefined };
  const list = usePagedList<Supplier>(JSON.stringify(query), (cursor, signal) =>
    listSuppliers({ ...query, limit: 50, cursor }, signal),
  );
  return (
    <>
      <PageHeader
        title="Suppliers"
        actions={
          <a className="btn" href={exportUrl('suppliers', query)} download>
            <Icon name="download" /> Export CSV
          </a>
        }
      />
      <SupplyTabs />
      <div className="toolbar" role="search">
        <SearchField id="sup-q" placeholder="Code or name" />
        <div className="field inline narrow">
          <label htmlFor="sup-country">Country</label>
          <input
            id="sup-country"
            placeholder="e.g. DE"
            maxLength={2}
            value={country}
            onChange={(e) => filters.set('country', e.target.value.toUpperCase())}
          />
        </div>
      </div>
      <PagedListView list={list} noun="suppliers" empty={<EmptyState title="No suppliers match" />}>
        <table className="table" data-testid="suppliers-table">
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Name</th>
              <th scope="col">Country</th>
              <th scope="col">Region</th>
              <th scope="col">Ports of origin</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((s) => (
              <tr key={s.id}>
                <td className="nowrap">
                  <code>{s.code}</code>
                </td>
                <td>{s.name}</td>
                <td>{s.country}</td>
                <td>{s.region ?? '—'}</td>
                <td className="truncate">{s.portsOfOrigin?.join(', ') || '—'}</td>
                <td>{s.active ? <Badge tone="ok">active</Badge> : <Badge>inactive</Badge>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </PagedListView>
    </>
  );
}

/** Risk events: disruptions that can stretch lead times; open ones first by start. */
export function RiskEventsPage() {
  useTitle('Risk events');
  const filters = useUrlFilters();
  const open = filters.get('open') === 'true';
  const type = filters.get('type');
  const query = { open: open ? 'true' : undefined, type: type || undefined };
  const list = usePagedList<RiskEvent>(JSON.stringify(query), (cursor, signal) =>
    listRiskEvents({ ...query, limit: 50, cursor }, signal),
  );
  return (
    <>
      <PageHeader
        title="Risk events"
        subtitle="Port disruptions, strikes, weather, geopolitics and supplier failures that can delay replenishment."
      />
      <SupplyTabs />
      <div className="toolbar">
        <div className="field inline">
          <label htmlFor="ev-type">Type</label>
          <select id="ev-type" value={type} onChange={(e) => filters.set('type', e.target.value)}>
            <option value="">Any type</option>
            {['port_disruption', 'strike', 'weather', 'geopolitical', 'supplier_failure', 'other'].map(
              (t) => (
                <option key={t} value={t}>
                  {t.replace('_', ' ')}
                </option>
              ),
            )}
          </select>
        </div>
        <label className="checkbox small toolbar-check">
          <input
            type="checkbox"
            checked={open}
            onChange={(e) => filters.set('open', e.target.checked ? 'true' : '')}
          />
          <span>Still ongoing</span>
        </label>
      </div>
      <PagedListView list={list} noun="risk events" empty={<EmptyState title="No risk events" />}>
        <table className="table" data-testid="risk-events-table">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Type</th>
              <th scope="col">Where</th>
              <th scope="col">From</th>
              <th scope="col">Until</th>
              <th
                scope="col"
                className="num"
                title="Severity: the share of shipments through an affected country, port or supplier held by the event (0–1; 100 % = full closure)"
              >
                Shipments held
              </th>
              <th
                scope="col"
                className="num"
                title="The chance that an announced event happens (100 % once it has started)"
              >
                Likelihood
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((e) => (
              <tr key={e.id}>
                <td className="cell-event">
                  <strong>{e.title}</strong>
                  {e.source ? (
                    <div className="muted small">
                      {e.source}
                      {e.sourceId ? ` ${e.sourceId}` : ''}
                    </div>
                  ) : null}
                </td>
                <td>{e.type.replaceAll('_', ' ')}</td>
                <td
                  className="truncate cell-where"
                  title={[...e.countries, ...e.ports, ...e.regions].join(', ')}
                >
                  {[...e.countries, ...e.ports, ...e.regions].join(', ') || '—'}
                </td>
                <td className="nowrap">{formatDate(e.startsAt)}</td>
                <td className="nowrap">
                  {e.actualEndAt ? (
                    formatDate(e.actualEndAt)
                  ) : e.expectedEndAt ? (
                    `~${formatDate(e.expectedEndAt)}`
                  ) : (
                    <Badge tone="warn">ongoing</Badge>
                  )}
                </td>
                <td className="num">{pct(e.severity, 0)}</td>
                <td className="num">{pct(e.probability, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </PagedListView>
    </>
  );
}
