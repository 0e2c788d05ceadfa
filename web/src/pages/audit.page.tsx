import { useEffect, useState, type FormEvent } from 'react';
import { useMe } from '../auth/session';
import { PERM } from '../auth/permissions';
import { useSearchParams } from 'react-router';
import { auditExportUrl, listAuditEvents, type AuditFilters } from '../api/endpoints';
import type { AuditEvent } from '../api/types';
import { Icon } from '../components/icons';
import { PagedListView } from '../components/paged-list';
import { Badge, EmptyState, PageHeader } from '../components/ui';
import { formatDateTime, formatLatency, isoToLocalInput, localInputToIso, timeZone } from '../lib/format';
import { usePagedList } from '../lib/use-paged-list';
import { useTitle } from '../lib/use-async';
import { AuditEventDrawer } from './audit-event-drawer';

const FILTER_KEYS = ['actor', 'action', 'status', 'from', 'to'] as const;
const STATUS_SUGGESTIONS = [
  '2xx',
  '3xx',
  '4xx',
  '5xx',
  '400',
  '401',
  '403',
  '404',
  '409',
  '422',
  '429',
  '500',
];

function filtersFrom(params: URLSearchParams): AuditFilters {
  const f: AuditFilters = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) f[k] = v;
  }
  return f;
}

function statusTone(status: number | null): 'ok' | 'warn' | 'danger' | 'neutral' {
  if (status === null) return 'neutral';
  if (status >= 500) return 'danger';
  if (status >= 400) return 'warn';
  return 'ok';
}

/** Audit log: filters in the URL, newest first, infinite scroll over keyset pages, detail drawer. */
export default function AuditPage() {
  useTitle('Audit log');
  const canExport = useMe().can(PERM.auditExport);
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const filterKey = JSON.stringify(filters);
  const selectedId = params.get('event');

  const [draft, setDraft] = useState(() => ({
    actor: filters.actor ?? '',
    action: filters.action ?? '',
    status: filters.status ?? '',
    from: isoToLocalInput(filters.from),
    to: isoToLocalInput(filters.to),
  }));
  useEffect(() => {
    setDraft({
      actor: filters.actor ?? '',
      action: filters.action ?? '',
      status: filters.status ?? '',
      from: isoToLocalInput(filters.from),
      to: isoToLocalInput(filters.to),
    });
    // Re-sync the form when the URL changes (back button, deep link).
  }, [filterKey]);

  const list = usePagedList<AuditEvent>(filterKey, (cursor, signal) =>
    listAuditEvents({ ...filters, limit: 50, cursor }, signal),
  );

  const [statusError, setStatusError] = useState<string | null>(null);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const status = draft.status.trim().toLowerCase();
    if (status && !/^([1-5]xx|[1-5][0-9]{2})$/.test(status)) {
      setStatusError('Use a class like 4xx or a code like 403.');
      return;
    }
    setStatusError(null);
    setParams(() => {
      const p = new URLSearchParams();
      const next: Record<string, string | undefined> = {
        actor: draft.actor.trim() || undefined,
        action: draft.action.trim() || undefined,
        status: draft.status.trim().toLowerCase() || undefined,
        from: localInputToIso(draft.from),
        to: localInputToIso(draft.to),
      };
      for (const [k, v] of Object.entries(next)) if (v) p.set(k, v);
      return p;
    });
  };

  const reset = () => setParams(new URLSearchParams());
  const openEvent = (id: string) =>
    setParams((p) => {
      p.set('event', id);
      return p;
    });
  const closeEvent = () =>
    setParams((p) => {
      p.delete('event');
      return p;
    });

  const selectedIndex = selectedId ? list.items.findIndex((e) => e.id === selectedId) : -1;
  const selected = selectedIndex >= 0 ? (list.items[selectedIndex] ?? null) : null;
  const hasFilters = Object.keys(filters).length > 0;

  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle={
          <>Every sign-in, change, denial and API call, hash-chained and append-only. Times in {timeZone}.</>
        }
        actions={
          canExport ? (
            <>
              <a
                className="btn"
                href={auditExportUrl('csv', filters)}
                download
                data-testid="audit-export-csv"
              >
                <Icon name="download" /> Export CSV
              </a>
              <a className="btn" href={auditExportUrl('json', filters)} download>
                <Icon name="download" /> JSON
              </a>
            </>
          ) : null
        }
      />
      <form className="toolbar filters" onSubmit={apply} role="search" aria-label="Filter audit events">
        <div className="field inline">
          <label htmlFor="f-actor">Actor</label>
          <input
            id="f-actor"
            value={draft.actor}
            onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
            placeholder="email, key or ID"
          />
        </div>
        <div className="field inline">
          <label htmlFor="f-action">Action</label>
          <input
            id="f-action"
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
            placeholder="api_key.* or exact"
            title="An exact action, or a prefix ending in * (e.g. api_key.*)"
          />
        </div>
        <div className={`field inline narrow${statusError ? ' field-invalid' : ''}`}>
          <label htmlFor="f-status">Status</label>
          <input
            id="f-status"
            aria-invalid={statusError ? true : undefined}
            aria-describedby={statusError ? 'f-status-err' : undefined}
            list="status-options"
            value={draft.status}
            onChange={(e) => setDraft({ ...draft, status: e.target.value })}
            placeholder="2xx, 403…"
          />
          <datalist id="status-options">
            {STATUS_SUGGESTIONS.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
          {statusError ? (
            <div id="f-status-err" className="field-error">
              {statusError}
            </div>
          ) : null}
        </div>
        <div className="field inline dt">
          <label htmlFor="f-from">From</label>
          <input
            id="f-from"
            type="datetime-local"
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </div>
        <div className="field inline dt">
          <label htmlFor="f-to">To</label>
          <input
            id="f-to"
            type="datetime-local"
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </div>
        <div className="toolbar-buttons">
          <button type="submit" className="btn btn-primary">
            Apply
          </button>
          {hasFilters ? (
            <button type="button" className="btn btn-ghost" onClick={reset}>
              Reset
            </button>
          ) : null}
        </div>
      </form>

      <PagedListView
        list={list}
        noun="audit events"
        what="the audit log"
        empty={
          <EmptyState title={hasFilters ? 'No events match these filters' : 'No audit events yet'}>
            {hasFilters ? 'Widen the time range or clear a filter.' : null}
          </EmptyState>
        }
        moreLabels={{ idle: 'Load older events', busy: 'Loading older events…' }}
        count={(n) => `End of the log · ${n} events shown`}
      >
        <table className="table table-clickable audit-table" data-testid="audit-table">
          <colgroup>
            <col className="c-time" />
            <col className="c-actor" />
            <col className="c-action" />
            <col />
            <col className="c-status" />
            <col className="c-latency" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Request</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Latency
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((ev) => (
              <tr
                key={ev.id}
                aria-selected={ev.id === selectedId}
                className={ev.id === selectedId ? 'row-selected' : ''}
              >
                <td className="nowrap">
                  <button
                    type="button"
                    className="row-link"
                    onClick={() => openEvent(ev.id)}
                    aria-label={`Open event ${ev.action} at ${formatDateTime(ev.occurredAt)}`}
                  >
                    {formatDateTime(ev.occurredAt)}
                  </button>
                </td>
                <td onClick={() => openEvent(ev.id)}>
                  <span className="actor">
                    <span className="truncate" title={ev.actorLabel ?? ev.actorId ?? undefined}>
                      {ev.actorLabel ?? ev.actorId ?? '—'}
                    </span>
                    <Badge>{ev.actorType.replace('_', ' ')}</Badge>
                  </span>
                </td>
                <td onClick={() => openEvent(ev.id)}>
                  <code className="action">{ev.action}</code>
                  {ev.target ? (
                    <div className="muted small truncate" title={ev.target}>
                      {ev.target}
                    </div>
                  ) : null}
                </td>
                <td
                  onClick={() => openEvent(ev.id)}
                  className="truncate"
                  title={ev.method ? `${ev.method} ${ev.route ?? ''}` : undefined}
                >
                  {ev.method ? (
                    <code>{`${ev.method} ${ev.route ?? ''}`}</code>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td onClick={() => openEvent(ev.id)}>
                  {ev.status !== null ? (
                    <Badge tone={statusTone(ev.status)}>{ev.status}</Badge>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td className="num nowrap" onClick={() => openEvent(ev.id)}>
                  {formatLatency(ev.latencyMs)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </PagedListView>
      <AuditEventDrawer
        event={selected}
        previous={selectedIndex >= 0 ? list.items[selectedIndex + 1] : undefined}
        notLoaded={Boolean(selectedId) && !list.loading && !selected}
        onClose={closeEvent}
      />
    </>
  );
}
