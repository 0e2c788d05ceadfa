import { lazy, Suspense, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { requestsPerMinute } from '../api/endpoints';
import type { RequestsPerMinute } from '../api/types';
import { NAV } from '../components/app-frame';
import { Icon } from '../components/icons';
import { EmptyState, LoadingBlock, PageError, PageHeader, RoleList } from '../components/ui';
import { useMe } from '../auth/session';
import { PERM } from '../auth/permissions';
import { formatNumber, timeZone } from '../lib/format';
import { useAsync, useTitle } from '../lib/use-async';
import type { RequestsPoint } from '../charts/requests-chart';

const RequestsChart = lazy(() => import('../charts/requests-chart'));

const RANGES = { '1h': 60, '6h': 360, '24h': 1440 } as const;
type RangeKey = keyof typeof RANGES;

function greeting(now: Date): string {
  const h = now.getHours();
  return h < 12 ? 'Good morning' : h < 18 ? 'Good afternoon' : 'Good evening';
}

/** One point per minute across the window; minutes the server did not report had no requests. */
function fillMinutes(items: readonly RequestsPerMinute[], fromMs: number, toMs: number): RequestsPoint[] {
  const byMinute = new Map<number, RequestsPerMinute>();
  for (const it of items) {
    const t = Math.floor(new Date(it.minute).getTime() / 60_000) * 60_000;
    if (!Number.isNaN(t)) byMinute.set(t, it);
  }
  const out: RequestsPoint[] = [];
  for (let t = Math.floor(fromMs / 60_000) * 60_000; t <= toMs; t += 60_000) {
    const it = byMinute.get(t);
    out.push({ t, count: it?.count ?? 0, errors: it?.errors ?? 0 });
  }
  return out;
}

function RequestsPanel() {
  const [params, setParams] = useSearchParams();
  const rangeParam = params.get('range');
  const range: RangeKey = rangeParam === '1h' || rangeParam === '24h' ? rangeParam : '6h';

  const state = useAsync(
    async (signal) => {
      const to = Date.now();
      const from = to - RANGES[range] * 60_000;
      const res = await requestsPerMinute(
        { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
        signal,
      );
      return fillMinutes(res.items, from, to);
    },
    [range],
  );

  const totals = useMemo(() => {
    const pts = state.data ?? [];
    const count = pts.reduce((a, p) => a + p.count, 0);
    const errors = pts.reduce((a, p) => a + p.errors, 0);
    const peak = pts.reduce((a, p) => Math.max(a, p.count), 0);
    return { count, errors, peak, rate: count ? (errors / count) * 100 : 0 };
  }, [state.data]);

  return (
    <section className="card" aria-labelledby="rpm-title">
      <div className="card-head">
        <div>
          <h2 id="rpm-title">API requests per minute</h2>
          <p className="muted small">From the audit trail · times in {timeZone}</p>
        </div>
        <div className="segmented" role="group" aria-label="Time range">
          {(Object.keys(RANGES) as RangeKey[]).map((k) => (
            <button
              key={k}
              type="button"
              aria-pressed={range === k}
              className={range === k ? 'active' : ''}
              onClick={() => setParams((p) => (p.set('range', k), p), { replace: true })}
            >
              Last {k}
            </button>
          ))}
          <button
            type="button"
            className="icon-btn"
            aria-label="Refresh"
            title="Refresh"
            onClick={state.reload}
          >
            <Icon name="refresh" />
          </button>
        </div>
      </div>
      {state.status === 'error' ? (
        <PageError error={state.error} what="request statistics" onRetry={state.reload} />
      ) : state.status === 'loading' ? (
        <LoadingBlock label="Loading request statistics…" />
      ) : (
        <>
          <dl className="stats">
            <div>
              <dt>Requests</dt>
              <dd>{formatNumber(totals.count)}</dd>
            </div>
            <div>
              <dt>Errors</dt>
              <dd className={totals.errors ? 'text-danger' : ''}>{formatNumber(totals.errors)}</dd>
            </div>
            <div>
              <dt>Error rate</dt>
              <dd>{totals.rate.toFixed(1)}%</dd>
            </div>
            <div>
              <dt>Peak / minute</dt>
              <dd>{formatNumber(totals.peak)}</dd>
            </div>
          </dl>
          {totals.count === 0 ? (
            <EmptyState title="No API requests in this period">
              Requests appear here within a minute of being made.
            </EmptyState>
          ) : (
            <Suspense fallback={<LoadingBlock label="Loading chart…" />}>
              <RequestsChart points={state.data} />
            </Suspense>
          )}
        </>
      )}
    </section>
  );
}

export default function OverviewPage() {
  useTitle('Overview');
  const me = useMe();
  const shortcuts = NAV.filter((n) => n.to !== '/' && (!n.perm || me.can(n.perm)));
  return (
    <>
      <PageHeader
        title={`${greeting(new Date())}, ${me.user.displayName || me.user.email}`}
        subtitle={
          <>
            Signed in to <strong>{me.user.tenantSlug}</strong> as <RoleList roles={me.user.roles} />
          </>
        }
      />
      <div className="overview-grid">
        {me.can(PERM.auditRead) ? (
          <RequestsPanel />
        ) : (
          <section className="card">
            <h2>Activity</h2>
            <p className="muted">API activity charts are available to roles with audit access.</p>
          </section>
        )}
        <section className="card" aria-labelledby="shortcuts-title">
          <h2 id="shortcuts-title">Go to</h2>
          <ul className="shortcuts">
            {shortcuts.map((s) => (
              <li key={s.to}>
                <Link to={s.to}>
                  <Icon name={s.icon} />
                  <span>{s.label}</span>
                </Link>
              </li>
            ))}
          </ul>
          <p className="muted small">
            You hold {me.permissions.length} permission{me.permissions.length === 1 ? '' : 's'}. Flight-safety
            and supply views arrive here as they ship.
          </p>
        </section>
      </div>
    </>
  );
}
