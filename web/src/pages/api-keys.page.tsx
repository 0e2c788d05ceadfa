import { useState } from 'react';
import { revokeApiKey, listApiKeys } from '../api/endpoints';
import type { ApiKey, ApiKeyWithSecret } from '../api/types';
import { useMe } from '../auth/session';
import { PERM } from '../auth/permissions';
import { ConfirmDialog } from '../components/dialog';
import { Icon } from '../components/icons';
import { PagedListView } from '../components/paged-list';
import { Badge, EmptyState, ErrorBanner, PageHeader } from '../components/ui';
import { formatDate, formatDateTime, formatRelative } from '../lib/format';
import { usePagedList } from '../lib/use-paged-list';
import { useTitle } from '../lib/use-async';
import { CreateApiKeyDialog, RotateApiKeyDialog, SecretDialog } from './api-key-dialogs';

type KeyStatus = 'active' | 'retiring' | 'expired' | 'revoked';

function keyStatus(k: ApiKey, now: number): KeyStatus {
  if (k.revokedAt && new Date(k.revokedAt).getTime() <= now) return 'revoked';
  if (k.expiresAt && new Date(k.expiresAt).getTime() <= now) return 'expired';
  // A rotated key keeps working until graceUntil, then stops: it has been replaced by a new key.
  if (k.graceUntil) return new Date(k.graceUntil).getTime() > now ? 'retiring' : 'expired';
  return 'active';
}

function StatusBadge({ k, now }: { k: ApiKey; now: number }) {
  const s = keyStatus(k, now);
  if (s === 'revoked') return <Badge tone="danger">Revoked</Badge>;
  if (s === 'expired') return <Badge tone="neutral">{k.graceUntil ? 'Replaced' : 'Expired'}</Badge>;
  if (s === 'retiring')
    return (
      <span
        className="status-stack"
        title={`Rotated: this secret is accepted until ${formatDateTime(k.graceUntil)}`}
      >
        <Badge tone="warn">Rotated</Badge>
        <span className="muted small nowrap">ends {formatRelative(k.graceUntil, now)}</span>
      </span>
    );
  return <Badge tone="ok">Active</Badge>;
}

function Scopes({ scopes }: { scopes: readonly string[] }) {
  const shown = scopes.length <= 2 ? scopes : scopes.slice(0, 1);
  return (
    <span className="chips scopes" title={scopes.join(', ')}>
      {shown.map((s) => (
        <code key={s} className="chip chip-code">
          {s}
        </code>
      ))}
      {scopes.length > shown.length ? (
        <span className="muted small">+{scopes.length - shown.length}</span>
      ) : null}
    </span>
  );
}

/** API keys: list, create (secret shown once), rotate with a grace period, revoke. */
export default function ApiKeysPage() {
  useTitle('API keys');
  const me = useMe();
  const canWrite = me.can(PERM.apiKeysWrite);
  const seesAll = me.can(PERM.apiKeysAdmin);
  const list = usePagedList<ApiKey>('api-keys', (cursor, signal) =>
    listApiKeys({ limit: 50, cursor }, signal),
  );
  const [creating, setCreating] = useState(false);
  const [rotating, setRotating] = useState<ApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [revokeBusy, setRevokeBusy] = useState(false);
  const [revokeError, setRevokeError] = useState<unknown>(null);
  const [secret, setSecret] = useState<(ApiKeyWithSecret & { rotated: boolean }) | null>(null);
  const now = Date.now();

  const doRevoke = async () => {
    if (!revoking) return;
    setRevokeBusy(true);
    setRevokeError(null);
    try {
      const { apiKey } = await revokeApiKey(revoking.id);
      list.update((k) => k.id === apiKey.id, apiKey);
      setRevoking(null);
    } catch (err) {
      setRevokeError(err);
    } finally {
      setRevokeBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        title="API keys"
        subtitle={
          <>
            Keys let systems (ERP, telemetry uploaders, scripts) call the Skyguard API. Each key holds only
            the scopes chosen for it, and never more than its creator currently holds.
            {seesAll ? ' You see every key of the organisation.' : ' You see the keys you created.'}
          </>
        }
        actions={
          canWrite ? (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              <Icon name="plus" /> Create API key
            </button>
          ) : null
        }
      />
      <PagedListView
        list={list}
        noun="API keys"
        empty={
          <EmptyState icon="key" title="No API keys yet">
            {canWrite
              ? 'Create one for each system that calls the API, so each can be revoked on its own.'
              : null}
          </EmptyState>
        }
      >
        <table className="table compact" data-testid="api-keys-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key ID</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created / expires</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              {canWrite ? (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {list.items.map((k) => {
              const status = keyStatus(k, now);
              return (
                <tr
                  key={k.id}
                  className={status === 'revoked' || status === 'expired' ? 'row-muted' : ''}
                  data-key-name={k.name}
                >
                  <td className="cell-name">
                    <strong>{k.name}</strong>
                    {seesAll ? (
                      <span className="muted small block" title={k.createdBy}>
                        by {k.createdBy === me.user.id ? 'you' : <code>{k.createdBy.slice(0, 8)}</code>}
                      </span>
                    ) : null}
                  </td>
                  <td>
                    <code>{k.publicId}</code>
                  </td>
                  <td>
                    <Scopes scopes={k.scopes} />
                  </td>
                  <td className="nowrap">
                    <span className="block" title={formatDateTime(k.createdAt)}>
                      {formatDate(k.createdAt)}
                    </span>
                    <span className="muted small block" title={formatDateTime(k.expiresAt)}>
                      {k.expiresAt ? `expires ${formatDate(k.expiresAt)}` : 'never expires'}
                    </span>
                  </td>
                  <td className="nowrap" title={formatDateTime(k.lastUsedAt)}>
                    {k.lastUsedAt ? formatRelative(k.lastUsedAt, now) : 'Never'}
                  </td>
                  <td>
                    <StatusBadge k={k} now={now} />
                  </td>
                  {canWrite ? (
                    <td className="cell-actions">
                      {status === 'active' || status === 'retiring' ? (
                        <>
                          {status === 'active' ? (
                            <button
                              type="button"
                              className="btn btn-small"
                              onClick={() => setRotating(k)}
                              aria-label={`Rotate ${k.name}`}
                            >
                              Rotate
                            </button>
                          ) : null}
                          <button
                            type="button"
                            className="btn btn-small btn-danger-ghost"
                            onClick={() => {
                              setRevokeError(null);
                              setRevoking(k);
                            }}
                            aria-label={`Revoke ${k.name}`}
                          >
                            Revoke
                          </button>
                        </>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </PagedListView>

      {canWrite ? (
        <>
          <CreateApiKeyDialog
            open={creating}
            myPermissions={me.permissions}
            onClose={() => setCreating(false)}
            onCreated={(r) => {
              setCreating(false);
              setSecret({ ...r, rotated: false });
              list.reload();
            }}
          />
          <RotateApiKeyDialog
            apiKey={rotating}
            onClose={() => setRotating(null)}
            onRotated={(r) => {
              setRotating(null);
              setSecret({ ...r, rotated: true });
              list.reload();
            }}
          />
          <ConfirmDialog
            open={revoking !== null}
            title={`Revoke “${revoking?.name ?? ''}”?`}
            confirmLabel="Revoke key"
            danger
            busy={revokeBusy}
            onConfirm={() => void doRevoke()}
            onClose={() => setRevoking(null)}
          >
            <p>
              Every request made with this key will be refused from now on, including during a rotation grace
              period. This cannot be undone.
            </p>
            <ErrorBanner error={revokeError} />
          </ConfirmDialog>
          <SecretDialog result={secret} onClose={() => setSecret(null)} />
        </>
      ) : null}
    </>
  );
}
