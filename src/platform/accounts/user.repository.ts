import type { TenantClient } from '../db/with-tenant.js';

export interface UserRow {
  readonly id: string;
  readonly tenantId: string;
  readonly email: string;
  readonly displayName: string;
  readonly roles: string[];
  readonly disabled: boolean;
  readonly createdAt: Date;
  readonly passwordHash: string | null;
}

const COLUMNS = `id, tenant_id AS "tenantId", email, display_name AS "displayName", roles, disabled,
  created_at AS "createdAt", password_hash AS "passwordHash"`;

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export async function findUserByEmail(db: TenantClient, email: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE email = $1`, [normaliseEmail(email)]);
  return rows[0];
}

/** The account linked to an OpenID Connect identity, if any. */
export async function findUserByOidcIdentity(db: TenantClient, issuer: string, subject: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2`, [issuer, subject]);
  return rows[0];
}

/** Whether the account is linked to any OpenID Connect identity. */
export async function hasOidcIdentity(db: TenantClient, id: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM users WHERE id = $1 AND oidc_subject IS NOT NULL', [id]);
  return rows.length > 0;
}

export async function linkOidcIdentity(db: TenantClient, id: string, issuer: string, subject: string): Promise<void> {
  await db.query('UPDATE users SET oidc_issuer = $2, oidc_subject = $3, updated_at = now() WHERE id = $1', [id, issuer, subject]);
}

export async function getUser(db: TenantClient, id: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0];
}

export async function insertUser(
  db: TenantClient,
  u: { tenantId: string; email: string; displayName: string; passwordHash: string | null; roles: readonly string[] },
): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (tenant_id, email, display_name, password_hash, roles) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [u.tenantId, normaliseEmail(u.email), u.displayName, u.passwordHash, u.roles],
  );
  return rows[0]!;
}

export async function updateUser(
  db: TenantClient,
  id: string,
  patch: { displayName?: string | undefined; roles?: readonly string[] | undefined; disabled?: boolean | undefined },
): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `UPDATE users SET display_name = coalesce($2, display_name), roles = coalesce($3, roles),
       disabled = coalesce($4, disabled), updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, patch.displayName ?? null, patch.roles ?? null, patch.disabled ?? null],
  );
  return rows[0];
}

export type UserSort = 'email' | '-email' | 'createdAt' | '-createdAt';

/**
 * Keyset pagination: the cursor is the sort value and id of the last row, so a page costs one
 * index range scan however deep the user pages, and inserts never shift pages.
 */
export async function listUsers(
  db: TenantClient,
  opts: { limit: number; cursor?: { v: string; id: string } | undefined; q?: string | undefined; role?: string | undefined; sort: UserSort },
): Promise<UserRow[]> {
  const desc = opts.sort.startsWith('-');
  const column = opts.sort.endsWith('email') ? 'email' : 'created_at';
  const cmp = desc ? '<' : '>';
  const params: unknown[] = [];
  const where: string[] = [];
  if (opts.q) {
    params.push(`%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(email ILIKE $${params.length} OR display_name ILIKE $${params.length})`);
  }
  if (opts.role) {
    params.push(opts.role);
    where.push(`$${params.length} = ANY(roles)`);
  }
  if (opts.cursor) {
    params.push(column === 'created_at' ? new Date(opts.cursor.v) : opts.cursor.v, opts.cursor.id);
    where.push(`(${column}, id) ${cmp} ($${params.length - 1}, $${params.length})`);
  }
  params.push(opts.limit);
  const { rows } = await db.query<UserRow>(
    `SELECT ${COLUMNS} FROM users ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY ${column} ${desc ? 'DESC' : 'ASC'}, id ${desc ? 'DESC' : 'ASC'} LIMIT $${params.length}`,
    params,
  );
  return rows;
}
