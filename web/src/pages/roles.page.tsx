import { listRoles } from '../api/endpoints';
import { Icon } from '../components/icons';
import { EmptyState, LoadingBlock, PageError, PageHeader } from '../components/ui';
import { useAsync, useTitle } from '../lib/use-async';

/** Read-only role catalogue: each role's purpose and a permission × role matrix for reviews. */
export default function RolesPage() {
  useTitle('Roles');
  const state = useAsync((signal) => listRoles(signal).then((r) => r.items), []);

  if (state.status === 'loading') return <LoadingBlock label="Loading roles…" />;
  if (state.status === 'error') return <PageError error={state.error} what="roles" onRetry={state.reload} />;
  const roles = state.data;
  const perms = [...new Set(roles.flatMap((r) => r.permissions))].sort();

  return (
    <>
      <PageHeader
        title="Roles"
        subtitle="What each role may do. Roles are assigned to users on the Users page."
      />
      {roles.length === 0 ? (
        <EmptyState title="No roles defined" />
      ) : (
        <>
          <div className="role-cards">
            {roles.map((r) => (
              <section key={r.role} className="card role-card">
                <h2>{r.role}</h2>
                <p className="muted">{r.description || 'No description.'}</p>
                <p className="small muted">
                  {r.permissions.length} permission{r.permissions.length === 1 ? '' : 's'}
                </p>
              </section>
            ))}
          </div>
          <section className="card">
            <h2>Permission matrix</h2>
            <div className="table-wrap flush">
              <table className="table matrix">
                <thead>
                  <tr>
                    <th scope="col">Permission</th>
                    {roles.map((r) => (
                      <th key={r.role} scope="col" className="center">
                        {r.role}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {perms.map((p) => (
                    <tr key={p}>
                      <th scope="row">
                        <code>{p}</code>
                      </th>
                      {roles.map((r) => (
                        <td key={r.role} className="center">
                          {r.permissions.includes(p) ? (
                            <span className="text-ok" title={`${r.role} has ${p}`}>
                              <Icon name="check" size={16} />
                              <span className="sr-only">yes</span>
                            </span>
                          ) : (
                            <span className="muted" aria-label="no">
                              ·
                            </span>
                          )}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </>
  );
}
