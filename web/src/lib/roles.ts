import { listRoles } from '../api/endpoints';
import type { RoleInfo } from '../api/types';
import { useAsync } from './use-async';

/** The roles Skyguard ships; used for pickers when the user may not read /v1/roles. */
export const KNOWN_ROLES = [
  'admin',
  'operator',
  'pilot',
  'analyst',
  'procurement',
  'executive',
  'auditor',
] as const;

/** Role catalogue from the server when allowed, otherwise the known names without descriptions. */
export function useRoleCatalogue(canRead: boolean): { roles: RoleInfo[]; loading: boolean } {
  const state = useAsync(
    (signal) => (canRead ? listRoles(signal).then((r) => r.items) : Promise.resolve<RoleInfo[]>([])),
    [canRead],
  );
  const fallback = KNOWN_ROLES.map((role) => ({ role, description: '', permissions: [] }));
  if (!canRead || state.status === 'error') return { roles: fallback, loading: false };
  return { roles: state.data ?? [], loading: state.status === 'loading' };
}
