import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { exportUrl, listRiskEvents, listSuppliers, type RiskEvent, type Supplier } from '../../api/supply';
import { Icon } from '../../components/icons';
import { Badge, EmptyState, LoadingBlock, PageError, PageHeader, ScrollSentinel } from '../../components/ui';
import { formatDate } from '../../lib/format';
import { useDebounced } from '../../lib/use-debounced';
import { useTitle } from '../../lib/use-async';
import { usePagedList } from '../../lib/use-paged-list';
import { SupplyTabs, pct } from './supply-format';
import './supply.css';

function useSearchParam(name: string) {
  const [params, setParams] = useSearchParams();
  const value = params.get(name) ?? '';
  const [draft, setDraft] = useState(value);
  const settled = useDebounced(draft.trim());
  useEffect(() => {
    if (settled !== value)
      setParams(
        (p) => {
          if (settled) p.set(name, settled);
          else p.delete(name);
          return p;
        },
        { replace: true },
      );
  }, [settled]);
  return { value, draft, setDraft, params, setParams };
}

/** Suppliers: search by code or name, filter by country/region. */
export function SuppliersPage() {
  useTitle('Suppliers');
  const { value: q, draft, setDraft, params, setParams } = useSearchParam('q');
  const country = params.get('country') ?? '';
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
        <div className="field inline grow">
          <label htmlFor="sup-q">Search</label>
          <input
            id="sup-q"
            type="search"
            placeholder="Code or name"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        </div>
        <div className="field inline narrow">
          <label htmlFor="sup-country">Country</label>
          <input
            id="sup-country"
            placeholder="e.g. DE"
            maxLength={2}
            value={country}
            onChange={(e) =>
              setParams(
                (p) => (
                  e.target.value ? p.set('country', e.target.value.toUpperCase()) : p.delete('country'),
                  p
                ),
              )
            }
          />
        </div>
      </div>
      {list.error && list.items.length === 0 ? (
        <PageError error={list.error} what="suppliers" onRetry={list.reload} />
      ) : list.loading ? (
        <LoadingBlock />
      ) : list.items.length === 0 ? (
        <EmptyState title="No suppliers match" />
      ) : (
        <div className="table-wrap">
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
          {list.hasMore ? (
            <div className="load-more">
              <ScrollSentinel onVisible={list.loadMore} resetKey={list.items.length} />
            </div>
          ) : null}
        </div>
      )}
    </>
  );
}

/** Risk events: disruptions that can stretch lead times; open ones first by start. */
export function RiskEventsPage() {
  useTitle('Risk events');
  const [params, setParams] = useSearchParams();
  const open = params.get('open') === 'true';
  const type = params.get('type') ?? '';
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
          <select
            id="ev-type"
            value={type}
            onChange={(e) =>
              setParams((p) => (e.target.value ? p.set('type', e.target.value) : p.delete('type'), p))
            }
          >
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
            onChange={(e) =>
              setParams((p) => (e.target.checked ? p.set('open', 'true') : p.delete('open'), p))
            }
          />
          <span>Still ongoing</span>
        </label>
      </div>
      {list.error && list.items.length === 0 ? (
        <PageError error={list.error} what="risk events" onRetry={list.reload} />
      ) : list.loading ? (
        <LoadingBlock />
      ) : list.items.length === 0 ? (
        <EmptyState title="No risk events" />
      ) : (
        <div className="table-wrap">
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
                  <td className="truncate cell-where" title={[...e.countries, ...e.ports, ...e.regions].join(', ')}>
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
          {list.hasMore ? (
            <div className="load-more">
              <ScrollSentinel onVisible={list.loadMore} resetKey={list.items.length} />
            </div>
          ) : null}
        </div>
      )}
    </>
  );
}
