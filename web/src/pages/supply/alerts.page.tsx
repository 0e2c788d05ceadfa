import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/client';
import { SUPPLY_PERM, acknowledgeAlert, listAlerts, resolveAlert, type Alert } from '../../api/supply';
import { useMe } from '../../auth/session';
import { PagedListView } from '../../components/paged-list';
import { Badge, EmptyState, ErrorBanner, PageHeader } from '../../components/ui';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useTitle } from '../../lib/use-async';
import { usePagedList } from '../../lib/use-paged-list';
import { useUrlFilters } from '../../lib/use-url-filters';
import { LevelBadge, SupplyTabs, money, pct } from './supply-format';
import './supply.css';

const STATUSES = [
  { key: 'unresolved', label: 'Unresolved' },
  { key: 'open', label: 'Open' },
  { key: 'acknowledged', label: 'Acknowledged' },
  { key: 'resolved', label: 'Resolved' },
] as const;

/** Alerts inbox: parts that crossed into a higher risk level; acknowledge, then resolve. */
export default function AlertsPage() {
  useTitle('Alerts');
  const canWrite = useMe().can(SUPPLY_PERM.alertsWrite);
  const filters = useUrlFilters();
  const status = filters.get('status') || 'unresolved';
  const list = usePagedList<Alert>(status, (cursor, signal) =>
    listAlerts({ status, limit: 50, cursor }, signal),
  );
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const act = async (a: Alert, action: 'ack' | 'resolve') => {
    setBusy(a.id);
    setError(null);
    try {
      const next = action === 'ack' ? await acknowledgeAlert(a.id) : await resolveAlert(a.id);
      list.update((x) => x.id === a.id, { ...a, ...next });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <PageHeader
        title="Alerts"
        subtitle="Raised when a part crosses into a higher risk level (with hysteresis, one per part and location)."
      />
      <SupplyTabs />
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Status">
          {STATUSES.map((s) => (
            <button
              key={s.key}
              type="button"
              aria-pressed={status === s.key}
              className={status === s.key ? 'active' : ''}
              onClick={() => filters.set('status', s.key)}
            >
              {s.label}
            </button>
          ))}
        </div>
      </div>
      {error ? <ErrorBanner error={error} /> : null}
      <PagedListView
        list={list}
        noun="alerts"
        empty={
          <EmptyState icon="check" title={status === 'resolved' ? 'No resolved alerts' : 'Inbox zero'}>
            {status === 'resolved' ? null : 'No part has crossed into a higher risk level.'}
          </EmptyState>
        }
        ul={{ className: 'alert-list', testId: 'alerts-list' }}
      >
        {list.items.map((a) => (
          <li
            key={a.id}
            className={`alert-item alert-${a.status}`}
            data-testid="alert"
            data-alert-id={a.id}
            data-status={a.status}
          >
            <div className="alert-main">
              <div className="alert-title">
                <LevelBadge level={a.level} />
                <span className="muted small">from {a.previousLevel}</span>
                <Link to={`/supply/parts/${a.partId}?location=${a.locationId}`}>
                  <strong>{a.partNumber}</strong>
                </Link>
                <span className="muted">at {a.locationCode}</span>
                {a.status !== 'open' ? (
                  <Badge tone={a.status === 'resolved' ? 'ok' : 'info'}>{a.status}</Badge>
                ) : null}
              </div>
              <p className="alert-reason">{a.reason}</p>
              <div className="muted small">
                Score {Math.round(a.score)} · P(stockout) {pct(a.stockoutProbability)} · exposure{' '}
                {money(a.expectedExposure)} · raised{' '}
                <span title={formatDateTime(a.raisedAt)}>{formatRelative(a.raisedAt)}</span> by {a.trigger}
                {a.acknowledgedAt ? ` · acknowledged ${formatRelative(a.acknowledgedAt)}` : ''}
                {a.resolvedAt
                  ? ` · resolved ${formatRelative(a.resolvedAt)}${a.resolution ? ` (${a.resolution})` : ''}`
                  : ''}
              </div>
            </div>
            {canWrite && a.status !== 'resolved' ? (
              <div className="alert-actions">
                {a.status === 'open' ? (
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={busy === a.id}
                    onClick={() => void act(a, 'ack')}
                  >
                    Acknowledge
                  </button>
                ) : null}
                <button
                  type="button"
                  className="btn btn-small btn-primary"
                  disabled={busy === a.id}
                  onClick={() => void act(a, 'resolve')}
                >
                  Resolve
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </PagedListView>
    </>
  );
}
