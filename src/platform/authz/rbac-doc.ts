import { ALL_PERMISSIONS, ALL_ROLES, PERMISSIONS, ROLES } from './rbac.js';

/** Renders docs/security/rbac.md from the matrix in code, so the document can never drift from it. */
export function renderRbacDoc(routes: readonly { method: string; url: string; access: string }[]): string {
  const has = (role: (typeof ALL_ROLES)[number], p: string): boolean => (ROLES[role].permissions as readonly string[]).includes(p);
  const lines = [
    '# Roles and permissions',
    '',
    '<!-- Generated from src/platform/authz/rbac.ts by `npm run docs:rbac`; a test fails when this file is stale. -->',
    '',
    'Every route declares one permission (`resource:action`), `authenticated` (any signed-in caller) or `public`.',
    'A user may hold several roles; their permissions add up. An API key holds the scopes chosen at creation,',
    'intersected at every call with what its creator holds *now*, so a key never outlives its creator’s rights.',
    'The audit trail is readable only with `audit:read` — held by the auditor role alone (separation of duties:',
    'administrators change the system, auditors review it; the demo administrator holds both roles).',
    '',
    '## Roles',
    '',
    '| role | purpose |',
    '|---|---|',
    ...ALL_ROLES.map((r) => `| \`${r}\` | ${ROLES[r].description} |`),
    '',
    '## Matrix',
    '',
    `| permission | meaning | ${ALL_ROLES.join(' | ')} |`,
    `|---|---|${ALL_ROLES.map(() => ':-:').join('|')}|`,
    ...ALL_PERMISSIONS.map((p) => `| \`${p}\` | ${PERMISSIONS[p]} | ${ALL_ROLES.map((r) => (has(r, p) ? '✓' : '')).join(' | ')} |`),
    '',
    '## Routes',
    '',
    '| method | route | needs |',
    '|---|---|---|',
    ...[...routes].sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method)).map((r) => `| ${r.method} | \`${r.url}\` | \`${r.access}\` |`),
    '',
  ];
  return lines.join('\n');
}
