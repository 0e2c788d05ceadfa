/**
 * The role → permission matrix: the single source of truth for who may do what. Every route names
 * one permission from PERMISSIONS; docs/security/rbac.md is generated from this table by a test that
 * fails when the two disagree.
 */
export const PERMISSIONS = {
  'users:read': 'List and view users of the tenant',
  'users:write': 'Create users, change their roles, disable them',
  'roles:read': 'View roles and their permissions',
  'apikeys:read': 'List your own API keys',
  'apikeys:write': 'Create, rotate and revoke your own API keys',
  'apikeys:admin': "List, rotate and revoke any API key of the tenant",
  'audit:read': 'Search the audit trail and its statistics',
  'audit:export': 'Export the audit trail (CSV/JSON with hash fields)',
  'aircraft:read': 'View the aircraft registry',
  'aircraft:write': 'Register and edit aircraft',
  'flights:read': 'View flights, signals, analyses and reports',
  'flights:write': 'Upload, re-analyse and delete flights',
  'supply:read': 'View parts, stock, suppliers, demand, risk events and risk scores',
  'supply:write': 'Edit supply data and send inventory events',
  'imports:write': 'Import supply data files',
  'alerts:read': 'View alerts',
  'alerts:write': 'Acknowledge and resolve alerts',
  'procurement:read': 'View purchase orders',
  'procurement:write': 'Draft purchase orders',
  'procurement:approve': 'Approve or reject purchase orders',
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

const OWN_KEYS: Permission[] = ['apikeys:read', 'apikeys:write'];
const READ_ENGINES: Permission[] = ['aircraft:read', 'flights:read', 'supply:read', 'alerts:read', 'procurement:read'];

export const ROLES = {
  admin: {
    description: 'Administers the tenant: users, roles, keys, and every engine (not the audit trail: that is the auditor’s)',
    permissions: ALL_PERMISSIONS.filter((p) => !p.startsWith('audit:')),
  },
  operator: {
    description: 'Fleet operator: aircraft, flights and alerts; reads supply',
    permissions: [...OWN_KEYS, ...READ_ENGINES, 'aircraft:write', 'flights:write', 'alerts:write'],
  },
  pilot: {
    description: 'Uploads and reviews flights of the fleet',
    permissions: [...OWN_KEYS, 'aircraft:read', 'flights:read', 'flights:write', 'alerts:read'],
  },
  analyst: {
    description: 'Safety / MRO analyst: reads everything operational, imports supply data',
    permissions: [...OWN_KEYS, ...READ_ENGINES, 'supply:write', 'imports:write'],
  },
  procurement: {
    description: 'Buys parts: supply data, alerts and purchase orders',
    permissions: [...OWN_KEYS, 'supply:read', 'alerts:read', 'alerts:write', 'procurement:read', 'procurement:write'],
  },
  executive: {
    description: 'Reads every engine’s results and approves purchase orders',
    permissions: [...OWN_KEYS, ...READ_ENGINES, 'procurement:approve'],
  },
  auditor: {
    description: 'Reads and exports the audit trail; sees users and roles',
    permissions: [...OWN_KEYS, 'audit:read', 'audit:export', 'users:read', 'roles:read'],
  },
} as const satisfies Record<string, { description: string; permissions: readonly Permission[] }>;

export type Role = keyof typeof ROLES;
export const ALL_ROLES = Object.keys(ROLES) as Role[];

export const isRole = (r: string): r is Role => Object.hasOwn(ROLES, r);
export const isPermission = (p: string): p is Permission => Object.hasOwn(PERMISSIONS, p);

export function permissionsOf(roles: readonly string[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const r of roles) if (isRole(r)) for (const p of ROLES[r].permissions) out.add(p);
  return out;
}
