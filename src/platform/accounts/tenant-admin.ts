import type { Pool } from '../db/pool.js';
import { withTenant } from '../db/with-tenant.js';
import { appendAuditEvents } from '../audit/audit-chain.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../authn/password.js';
import { createApiKey } from '../authn/api-key.service.js';
import { isRole, permissionsOf } from '../authz/rbac.js';
import { AppError, badRequest, conflict, notFound } from '../../shared/app-error.js';
import { findUserByEmail, insertUser, type UserRow } from './user.repository.js';

/**
 * Administrative operations run by an operator (CLI, demo seeding) rather than a signed-in user.
 * They act as the `system` actor and are audited like everything else.
 */
export interface Tenant {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
}

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** Tenants are created with the owner pool: the runtime role may only read the tenants table. */
export async function createTenant(ownerPool: Pool, slug: string, name: string): Promise<Tenant> {
  if (!SLUG.test(slug)) throw badRequest('VALIDATION_FAILED', 'tenant slug must be 2–63 of a-z, 0-9 and -, starting with a letter or digit', { field: 'slug', rule: 'pattern' });
  try {
    const { rows } = await ownerPool.query<Tenant>('INSERT INTO tenants (slug, name) VALUES ($1, $2) RETURNING id, slug, name', [slug, name]);
    return rows[0]!;
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw conflict('TENANT_EXISTS', `tenant ${slug} already exists`);
    throw e;
  }
}

export async function findTenant(pool: Pool, slug: string): Promise<Tenant | undefined> {
  const { rows } = await pool.query<Tenant>('SELECT id, slug, name FROM tenants WHERE slug = $1', [slug]);
  return rows[0];
}

export async function requireTenant(pool: Pool, slug: string): Promise<Tenant> {
  const t = await findTenant(pool, slug);
  if (!t) throw notFound(`Tenant ${slug}`);
  return t;
}

const systemEvent = (tenantId: string, action: string, target: string, details: Record<string, unknown>, now: Date) => ({
  tenantId, occurredAt: now, actorType: 'system' as const, actorId: 'cli', actorLabel: 'operator (CLI)', action, target, details,
});

export async function createUserAsSystem(
  appPool: Pool,
  tenant: Tenant,
  u: { email: string; displayName: string; password: string; roles: readonly string[] },
  now: Date,
): Promise<UserRow> {
  const badRoles = u.roles.filter((r) => !isRole(r));
  if (u.roles.length === 0 || badRoles.length) throw badRequest('VALIDATION_FAILED', `unknown roles: ${badRoles.join(', ') || '(none given)'}`, { field: 'roles', rule: 'enum' });
  if (u.password.length < MIN_PASSWORD_LENGTH) throw badRequest('VALIDATION_FAILED', `password must have at least ${MIN_PASSWORD_LENGTH} characters`, { field: 'password', rule: 'minLength' });
  if (!/^[^\s@]+@[^\s@]+$/.test(u.email)) throw badRequest('VALIDATION_FAILED', 'email is not an address', { field: 'email', rule: 'format' });
  const passwordHash = await hashPassword(u.password);
  return withTenant(appPool, { tenantId: tenant.id }, async (db) => {
    if (await findUserByEmail(db, u.email)) throw conflict('EMAIL_TAKEN', `user ${u.email} already exists in ${tenant.slug}`);
    const user = await insertUser(db, { tenantId: tenant.id, email: u.email, displayName: u.displayName, passwordHash, roles: u.roles });
    await appendAuditEvents(db, tenant.id, [systemEvent(tenant.id, 'user.created', user.id, { email: user.email, roles: user.roles }, now)]);
    return user;
  });
}

export async function createApiKeyAsSystem(
  appPool: Pool,
  tenant: Tenant,
  k: { userEmail: string; name: string; scopes: readonly string[]; expiresInDays?: number | undefined },
  pepper: string,
  now: Date,
): Promise<{ id: string; secret: string }> {
  return withTenant(appPool, { tenantId: tenant.id }, async (db) => {
    const user = await findUserByEmail(db, k.userEmail);
    if (!user) throw notFound(`User ${k.userEmail}`);
    if (user.disabled) throw new AppError('USER_DISABLED', 409, `user ${k.userEmail} is disabled`);
    const creator = {
      tenantId: tenant.id, tenantSlug: tenant.slug, actorType: 'user' as const, userId: user.id, email: user.email,
      displayName: user.displayName, roles: user.roles, permissions: permissionsOf(user.roles), authMethod: 'session' as const,
    };
    const scopes = k.scopes.length ? k.scopes : [...creator.permissions];
    const r = await createApiKey(db, creator, { name: k.name, scopes, expiresInDays: k.expiresInDays }, pepper, now);
    await appendAuditEvents(db, tenant.id, [systemEvent(tenant.id, 'api_key.created', r.apiKey.id, { name: k.name, publicId: r.apiKey.publicId, scopes: r.apiKey.scopes, forUser: user.id }, now)]);
    return { id: r.apiKey.id, secret: r.secret };
  });
}
