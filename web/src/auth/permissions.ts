/** Permission strings (`resource:action`) the dashboard knows how to use. */
export const PERM = {
  usersRead: 'users:read',
  usersWrite: 'users:write',
  rolesRead: 'roles:read',
  apiKeysRead: 'apikeys:read',
  apiKeysWrite: 'apikeys:write',
  /** See and manage every key of the tenant, not only one's own. */
  apiKeysAdmin: 'apikeys:admin',
  auditRead: 'audit:read',
  auditExport: 'audit:export',
} as const;

export type KnownPermission = (typeof PERM)[keyof typeof PERM];

/**
 * True when the permission list grants `perm`. Besides exact matches it accepts `resource:*` and
 * `*` wildcards in case the server ever sends them; it never grants more than the server said.
 */
export function hasPermission(perms: readonly string[], perm: string): boolean {
  if (perms.includes(perm) || perms.includes('*')) return true;
  const [resource] = perm.split(':');
  return perms.includes(`${resource}:*`);
}
