import { useState } from 'react';
import { listUsers, type UserSort } from '../api/endpoints';
import type { User } from '../api/types';
import { useMe } from '../auth/session';
import { PERM } from '../auth/permissions';
import { Icon } from '../components/icons';
import { ListUpdating, PagedListView } from '../components/paged-list';
import { SearchField } from '../components/search-field';
import { FieldSortTh } from '../components/sortable-th';
import { Badge, EmptyState, NoticeBanner, PageHeader, RoleList } from '../components/ui';
import { formatDate } from '../lib/format';
import { useRoleCatalogue } from '../lib/roles';
import { usePagedList } from '../lib/use-paged-list';
import { useUrlFilters } from '../lib/use-url-filters';
import { useTitle } from '../lib/use-async';
import { CreateUserDialog, EditUserDialog } from './user-dialogs';

const SORTS: readonly UserSort[] = ['email', '-email', 'createdAt', '-createdAt'];
const PAGE = 50;

/** Users admin: server-side search/filter/sort kept in the URL, keyset pages, create and edit. */
export default function UsersPage() {
  useTitle('Users');
  const me = useMe();
  const canWrite = me.can(PERM.usersWrite);
  const { roles } = useRoleCatalogue(me.can(PERM.rolesRead));
  const filters = useUrlFilters();
  const sort = SORTS.find((s) => s === filters.get('sort')) ?? 'email';
  const role = filters.get('role');
  const q = filters.get('q');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const setSort = (s: string) => filters.set('sort', s);

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
      <NoticeBanner notice={notice} onDismiss={() => setNotice(null)} />
      <div className="toolbar" role="search">
        <SearchField id="user-search" placeholder="Name or email" />
        <div className="field inline">
          <label htmlFor="user-role">Role</label>
          <select id="user-role" value={role} onChange={(e) => filters.set('role', e.target.value)}>
            <option value="">All roles</option>
            {roles.map((r) => (
              <option key={r.role} value={r.role}>
                {r.role}
              </option>
            ))}
          </select>
        </div>
        <ListUpdating list={list} />
      </div>

      <PagedListView
        list={list}
        noun="users"
        empty={
          <EmptyState title={q || role ? 'No users match these filters' : 'No users yet'}>
            {q || role
              ? 'Try another search or role.'
              : canWrite
                ? 'Create the first one with “New user”.'
                : null}
          </EmptyState>
        }
        count={(n) => `${n} user${n === 1 ? '' : 's'}`}
      >
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <FieldSortTh label="Email" field="email" sort={sort} onSort={setSort} />
              <th scope="col">Roles</th>
              <th scope="col">Status</th>
              <FieldSortTh label="Created" field="createdAt" sort={sort} onSort={setSort} />
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
      </PagedListView>

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
