import { useState } from 'react';
import { listSessions, revokeOtherSessions, revokeSession } from '../api/endpoints';
import type { SessionInfo } from '../api/types';
import { useMe } from '../auth/session';
import { ConfirmDialog } from '../components/dialog';
import { Icon } from '../components/icons';
import {
  Badge,
  EmptyState,
  ErrorBanner,
  LoadingBlock,
  NoticeBanner,
  PageError,
  PageHeader,
  RoleList,
} from '../components/ui';
import { formatDateTime, formatRelative, timeZone } from '../lib/format';
import { useAsync, useTitle } from '../lib/use-async';
import { describeUserAgent } from '../lib/user-agent';

/** Profile and sign-in sessions: everyone signed in may see and end their own sessions. */
export default function ProfilePage() {
  useTitle('Profile');
  const me = useMe();
  const sessions = useAsync((signal) => listSessions(signal).then((r) => r.items), []);
  const [confirmOthers, setConfirmOthers] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const now = Date.now();

  const endOne = async (s: SessionInfo) => {
    setBusy(s.id);
    setError(null);
    setNotice(null);
    try {
      await revokeSession(s.id);
      setNotice(`Signed out ${describeUserAgent(s.userAgent)}.`);
      sessions.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const endOthers = async () => {
    setBusy('others');
    setError(null);
    setNotice(null);
    try {
      const { revoked } = await revokeOtherSessions();
      setNotice(
        revoked === 0
          ? 'There were no other sessions.'
          : `Signed out ${revoked} other session${revoked === 1 ? '' : 's'}.`,
      );
      setConfirmOthers(false);
      sessions.reload();
    } catch (err) {
      setError(err);
      setConfirmOthers(false);
    } finally {
      setBusy(null);
    }
  };

  const others = sessions.data?.filter((s) => !s.current).length ?? 0;

  return (
    <>
      <PageHeader title="Profile & sessions" subtitle="Your account and the places you are signed in." />
      <section className="card profile-card">
        <dl className="kv two-col">
          <div className="kv-row">
            <dt>Name</dt>
            <dd>{me.user.displayName || '—'}</dd>
          </div>
          <div className="kv-row">
            <dt>Email</dt>
            <dd>{me.user.email}</dd>
          </div>
          <div className="kv-row">
            <dt>Organisation</dt>
            <dd>{me.user.tenantSlug}</dd>
          </div>
          <div className="kv-row">
            <dt>Roles</dt>
            <dd>
              <RoleList roles={me.user.roles} />
            </dd>
          </div>
          <div className="kv-row">
            <dt>Time zone</dt>
            <dd>{timeZone}</dd>
          </div>
        </dl>
        <details className="perm-details">
          <summary>
            {me.permissions.length} permission{me.permissions.length === 1 ? '' : 's'} granted by your roles
          </summary>
          <div className="chips wrap">
            {[...me.permissions].sort().map((p) => (
              <code key={p} className="chip chip-code">
                {p}
              </code>
            ))}
          </div>
        </details>
      </section>

      <section className="card" aria-labelledby="sessions-title">
        <div className="card-head">
          <div>
            <h2 id="sessions-title">Sessions</h2>
            <p className="muted small">
              If you see a session you do not recognise, sign it out and tell your administrator.
            </p>
          </div>
          <button
            type="button"
            className="btn"
            onClick={() => setConfirmOthers(true)}
            disabled={others === 0 || busy !== null}
          >
            <Icon name="logout" /> Sign out other sessions
          </button>
        </div>
        <NoticeBanner notice={notice} />
        <ErrorBanner error={error} />
        {sessions.status === 'loading' ? (
          <LoadingBlock label="Loading sessions…" />
        ) : sessions.status === 'error' ? (
          <PageError error={sessions.error} what="your sessions" onRetry={sessions.reload} />
        ) : sessions.data.length === 0 ? (
          <EmptyState title="No active sessions" />
        ) : (
          <div className="table-wrap flush">
            <table className="table" data-testid="sessions-table">
              <thead>
                <tr>
                  <th scope="col">Device</th>
                  <th scope="col">IP address</th>
                  <th scope="col">Signed in</th>
                  <th scope="col">Last active</th>
                  <th scope="col">Expires</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {sessions.data.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <span title={s.userAgent ?? ''}>{describeUserAgent(s.userAgent)}</span>{' '}
                      {s.current ? <Badge tone="info">This session</Badge> : null}
                    </td>
                    <td>{s.ip ?? '—'}</td>
                    <td className="nowrap">{formatDateTime(s.createdAt)}</td>
                    <td title={formatDateTime(s.lastSeenAt)}>{formatRelative(s.lastSeenAt, now)}</td>
                    <td className="nowrap">{formatDateTime(s.expiresAt)}</td>
                    <td className="cell-actions">
                      {s.current ? null : (
                        <button
                          type="button"
                          className="btn btn-small"
                          onClick={() => void endOne(s)}
                          disabled={busy !== null}
                        >
                          {busy === s.id ? 'Signing out…' : 'Sign out'}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <ConfirmDialog
        open={confirmOthers}
        title="Sign out all other sessions?"
        confirmLabel={`Sign out ${others} session${others === 1 ? '' : 's'}`}
        danger
        busy={busy === 'others'}
        onConfirm={() => void endOthers()}
        onClose={() => setConfirmOthers(false)}
      >
        <p>
          Every other browser signed in to your account will have to sign in again. This session stays signed
          in.
        </p>
      </ConfirmDialog>
    </>
  );
}
