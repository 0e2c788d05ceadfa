import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { listUsers, type UserSort } from '../api/endpoints';
import type { User } from '../api/types';
import { useMe } from '../auth/session';
import { PERM } from '../auth/permissions';
import { Icon } from '../components/icons';
import {
  Badge,
  EmptyState,
  LoadingBlock,
  PageError,
  PageHeader,
  RoleList,
  ScrollSentinel,
  Spinner,
} from '../components/ui';
import { formatDate } from '../lib/format';
import { useRoleCatalogue } from '../lib/roles';
import { useDebounced } from '../lib/use-debounced';
import { usePagedList } from '../lib/use-paged-list';
import { useTitle } from '../lib/use-async';
import { CreateUserDialog, EditUserDialog } from './user-dialogs';

const SORTS: readonly UserSort[] = ['email', '-email', 'createdAt', '-createdAt'];
const PAGE = 50;

function SortHeader({
  label,
  field,
  sort,
  onSort,
}: {
  label: string;
  field: 'email' | 'createdAt';
  sort: UserSort;
  onSort: (s: UserSort) => void;
}) {
  const active = sort === field || sort === `-${field}`;
  const desc = sort === `-${field}`;
  const next: UserSort = active && !desc ? `-${field}` : field;
  return (
    <th aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'} scope="col">
      <button type="button" className="th-sort" onClick={() => onSort(next)}>
        {label}
        <Icon name={active ? (desc ? 'down' : 'up') : 'sort'} size={14} />
      </button>
    </th>
  );
}

/** Users admin: server-side search/filter/sort kept in the URL, keyset pages, create and edit. */
export default function UsersPage() {
  useTitle('Users');
  const me = useMe();
  const canWrite = me.can(PERM.usersWrite);
  const { roles } = useRoleCatalogue(me.can(PERM.rolesRead));
  const [params, setParams] = useSearchParams();
  const sortParam = params.get('sort') as UserSort | null;
  const sort: UserSort = sortParam && SORTS.includes(sortParam) ? sortParam : 'email';
  const role = params.get('role') ?? '';
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const debounced = useDebounced(search.trim());
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const setParam = (key: string, value: string) =>
    setParams(
      (p) => {
        if (value) p.set(key, value);
        else p.delete(key);
        return p;
      },
      { replace: key === 'q' },
    );

  useEffect(() => {
    if (debounced !== q) setParam('q', debounced);
  }, [debounced]);
  // Follow the URL when it changes from outside (back button, deep link), not while typing.
  useEffect(() => {
    setSearch((current) => (current.trim() === q ? current : q));
  }, [q]);

  const list = usePagedList<User>(JSON.stringify({ q, sort, role }), (cursor, signal) =>
    listUsers({ limit: PAGE, cursor, q: q || undefined, sort, role: role || undefined }, signal),
  );

  return (
    <>
      <PageHeader
        title="Users"
        subtitle="People who can sign in to this organisation, and what they may do."
        actions={
          canWrite ? (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              <Icon name="plus" /> New user
            </button>
          ) : null
        }
      />
      {notice ? (
        <div className="banner banner-ok" role="status">
          <Icon name="check" />
          <span className="banner-text">{notice}</span>
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => setNotice(null)}>
            <Icon name="close" size={16} />
          </button>
        </div>
      ) : null}
      <div className="toolbar" role="search">
        <div className="field inline grow">
          <label htmlFor="user-search">Search</label>
          <input
            id="user-search"
            type="search"
            placeholder="Name or email"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <div className="field inline">
          <label htmlFor="user-role">Role</label>
          <select id="user-role" value={role} onChange={(e) => setParam('role', e.target.value)}>
            <option value="">All roles</option>
            {roles.map((r) => (
              <option key={r.role} value={r.role}>
                {r.role}
              </option>
            ))}
          </select>
        </div>
        {list.loading && list.items.length > 0 ? <Spinner label="Updating…" /> : null}
      </div>

      {list.error && list.items.length === 0 ? (
        <PageError error={list.error} what="users" onRetry={list.reload} />
      ) : list.loading ? (
        <LoadingBlock label="Loading users…" />
      ) : list.items.length === 0 ? (
        <EmptyState title={q || role ? 'No users match these filters' : 'No users yet'}>
          {q || role
            ? 'Try another search or role.'
            : canWrite
              ? 'Create the first one with “New user”.'
              : null}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <SortHeader label="Email" field="email" sort={sort} onSort={(s) => setParam('sort', s)} />
                <th scope="col">Roles</th>
                <th scope="col">Status</th>
                <SortHeader
                  label="Created"
                  field="createdAt"
                  sort={sort}
                  onSort={(s) => setParam('sort', s)}
                />
                {canWrite ? (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {list.items.map((u) => (
                <tr key={u.id} className={u.disabled ? 'row-muted' : ''}>
                  <td>
                    <strong>{u.displayName || '—'}</strong>
                    {u.id === me.user.id ? <span className="muted small"> (you)</span> : null}
                  </td>
                  <td>{u.email}</td>
                  <td>
                    <RoleList roles={u.roles} />
                  </td>
                  <td>
                    {u.disabled ? <Badge tone="danger">Disabled</Badge> : <Badge tone="ok">Active</Badge>}
                  </td>
                  <td>{formatDate(u.createdAt)}</td>
                  {canWrite ? (
                    <td className="cell-actions">
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => setEditing(u)}
                        aria-label={`Edit ${u.email}`}
                      >
                        Edit
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          {list.error ? <PageError error={list.error} what="users" /> : null}
          {list.hasMore ? (
            <div className="load-more">
              <ScrollSentinel onVisible={list.loadMore} resetKey={list.items.length} />
              <button type="button" className="btn" onClick={list.loadMore} disabled={list.loadingMore}>
                {list.loadingMore ? 'Loading…' : 'Load more'}
              </button>
            </div>
          ) : (
            <p className="table-foot muted small">
              {list.items.length} user{list.items.length === 1 ? '' : 's'}
            </p>
          )}
        </div>
      )}

      {canWrite ? (
        <>
          <CreateUserDialog
            open={creating}
            roles={roles}
            onClose={() => setCreating(false)}
            onCreated={(u) => {
              setCreating(false);
              setNotice(`User ${u.email} was created.`);
              list.reload();
            }}
          />
          <EditUserDialog
            user={editing}
            roles={roles}
            isSelf={editing?.id === me.user.id}
            onClose={() => setEditing(null)}
            onSaved={(u) => {
              setEditing(null);
              setNotice(`Changes to ${u.email} were saved.`);
              list.update((x) => x.id === u.id, u);
            }}
          />
        </>
      ) : null}
    </>
  );
}
