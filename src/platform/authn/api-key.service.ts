import type { Pool } from '../db/pool.js';
import type { TenantClient } from '../db/with-tenant.js';
import { withTenant } from '../db/with-tenant.js';
import type { Permission } from '../authz/rbac.js';
import { isPermission, permissionsOf } from '../authz/rbac.js';
import { AppError, badRequest, notFound } from '../../shared/app-error.js';
import { generateApiKeyToken, hmacSecret, parseApiKeyToken, secretMatches } from './api-key-token.js';
import type { Principal } from './principal.js';

export interface ApiKeyView {
  id: string; name: string; publicId: string; scopes: string[]; createdAt: Date; expiresAt: Date | null;
  lastUsedAt: Date | null; revokedAt: Date | null; graceUntil: Date | null; createdBy: string;
}

const VIEW = `id, name, public_id AS "publicId", scopes, created_at AS "createdAt", expires_at AS "expiresAt",
  last_used_at AS "lastUsedAt", revoked_at AS "revokedAt", grace_until AS "graceUntil", created_by AS "createdBy"`;
const LAST_USED_EVERY_MS = 60_000;
const MAX_EXPIRY_DAYS = 3650;

/** A key can never hold more than its creator: every scope must be a permission the creator has now. */
function checkScopes(creator: Principal, scopes: readonly string[]): Permission[] {
  if (scopes.length === 0) throw badRequest('VALIDATION_FAILED', 'scopes must name at least one permission', { field: 'scopes', rule: 'minItems' });
  const unknown = scopes.filter((s) => !isPermission(s));
  if (unknown.length) throw badRequest('VALIDATION_FAILED', `unknown scopes: ${unknown.join(', ')}`, { field: 'scopes', rule: 'enum' });
  const beyond = scopes.filter((s) => !creator.permissions.has(s as Permission));
  if (beyond.length) throw new AppError('SCOPE_EXCEEDS_CREATOR', 403, `a key cannot hold permissions you do not have: ${beyond.join(', ')}`);
  return [...new Set(scopes)] as Permission[];
}

export async function createApiKey(
  db: TenantClient,
  creator: Principal,
  input: { name: string; scopes: readonly string[]; expiresInDays?: number | undefined },
  pepper: string,
  now: Date,
): Promise<{ apiKey: ApiKeyView; secret: string }> {
  const scopes = checkScopes(creator, input.scopes);
  if (input.expiresInDays !== undefined && !(input.expiresInDays >= 1 && input.expiresInDays <= MAX_EXPIRY_DAYS)) {
    throw badRequest('VALIDATION_FAILED', `expiresInDays must be from 1 to ${MAX_EXPIRY_DAYS}`, { field: 'expiresInDays', rule: 'range' });
  }
  const key = generateApiKeyToken();
  const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null;
  const { rows } = await db.query<ApiKeyView>(
    `INSERT INTO api_keys (tenant_id, public_id, secret_hmac, name, scopes, created_by, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${VIEW}`,
    [creator.tenantId, key.publicId, hmacSecret(pepper, key.secret), input.name, scopes, creator.userId, now, expiresAt],
  );
  return { apiKey: rows[0]!, secret: key.token };
}

/** Resolves a presented token to its principal, or null (unknown, wrong secret, revoked, expired, past grace, creator disabled). */
export async function resolveApiKey(pool: Pool, token: string, pepper: string, now: Date): Promise<Principal | null> {
  const parsed = parseApiKeyToken(token);
  if (!parsed) return null;
  const tenant = await pool.query<{ t: string | null }>('SELECT skyguard_private.tenant_of_api_key($1) AS t', [parsed.publicId]);
  const tenantId = tenant.rows[0]?.t;
  if (!tenantId) return null;
  return withTenant(pool, { tenantId }, async (db) => {
    const { rows } = await db.query<{
      id: string; secret_hmac: Buffer; scopes: string[]; expires_at: Date | null; revoked_at: Date | null; grace_until: Date | null;
      last_used_at: Date | null; user_id: string; email: string; display_name: string; roles: string[]; disabled: boolean; slug: string;
    }>(
      `SELECT k.id, k.secret_hmac, k.scopes, k.expires_at, k.revoked_at, k.grace_until, k.last_used_at,
              u.id AS user_id, u.email, u.display_name, u.roles, u.disabled, t.slug
       FROM api_keys k JOIN users u ON u.id = k.created_by JOIN tenants t ON t.id = k.tenant_id WHERE k.public_id = $1`,
      [parsed.publicId],
    );
    const k = rows[0];
    if (!k || !secretMatches(pepper, parsed.secret, k.secret_hmac) || k.disabled) return null;
    if (k.revoked_at || (k.expires_at && k.expires_at <= now) || (k.grace_until && k.grace_until <= now)) return null;
    if (!k.last_used_at || now.getTime() - k.last_used_at.getTime() > LAST_USED_EVERY_MS) {
      await db.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [k.id, now]);
    }
    const creatorNow = permissionsOf(k.roles);
    const effective = new Set(k.scopes.filter((s): s is Permission => isPermission(s) && creatorNow.has(s)));
    return {
      tenantId, tenantSlug: k.slug, actorType: 'api_key', userId: k.user_id, email: k.email, displayName: k.display_name,
      roles: k.roles, permissions: effective, authMethod: 'api_key', apiKeyId: k.id, apiKeyPublicId: parsed.publicId,
      credentialExpiresAt: earliest(k.expires_at, k.grace_until),
    } satisfies Principal;
  });
}

const earliest = (a: Date | null, b: Date | null): Date | null => (a && b ? (a < b ? a : b) : (a ?? b));

/** Keys the caller may manage: their own, or every key of the tenant with apikeys:admin. */
async function findManageable(db: TenantClient, actor: Principal, id: string): Promise<{ id: string; name: string; scopes: string[]; expires_at: Date | null; revoked_at: Date | null }> {
  const { rows } = await db.query<{ id: string; name: string; scopes: string[]; expires_at: Date | null; revoked_at: Date | null; created_by: string }>(
    'SELECT id, name, scopes, expires_at, revoked_at, created_by FROM api_keys WHERE id = $1',
    [id],
  );
  const k = rows[0];
  if (!k || (k.created_by !== actor.userId && !actor.permissions.has('apikeys:admin'))) throw notFound('API key');
  return k;
}

export async function revokeApiKey(db: TenantClient, actor: Principal, id: string, now: Date): Promise<ApiKeyView> {
  await findManageable(db, actor, id);
  const { rows } = await db.query<ApiKeyView>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING ${VIEW}`,
    [id, now],
  );
  return rows[0]!;
}

/**
 * Issues a successor with the same name and scopes (re-checked against the rotating user) and lets
 * the old key live until `now + graceSeconds`, so deployments can switch without downtime.
 */
export async function rotateApiKey(
  db: TenantClient, actor: Principal, id: string, graceSeconds: number, pepper: string, now: Date,
): Promise<{ apiKey: ApiKeyView; secret: string; previous: ApiKeyView }> {
  const old = await findManageable(db, actor, id);
  if (old.revoked_at) throw new AppError('API_KEY_REVOKED', 409, 'a revoked key cannot be rotated');
  const remainingDays = old.expires_at ? Math.max(1, Math.ceil((old.expires_at.getTime() - now.getTime()) / 86_400_000)) : undefined;
  const next = await createApiKey(db, actor, { name: old.name, scopes: old.scopes, expiresInDays: remainingDays }, pepper, now);
  const { rows } = await db.query<ApiKeyView>(
    `UPDATE api_keys SET grace_until = $2, replaced_by = $3 WHERE id = $1 RETURNING ${VIEW}`,
    [id, new Date(now.getTime() + graceSeconds * 1000), next.apiKey.id],
  );
  return { ...next, previous: rows[0]! };
}

export async function listApiKeys(
  db: TenantClient, actor: Principal, opts: { limit: number; cursor?: { v: string; id: string } | undefined },
): Promise<ApiKeyView[]> {
  const all = actor.permissions.has('apikeys:admin');
  const params: unknown[] = [all ? null : actor.userId];
  let cursor = '';
  if (opts.cursor) {
    params.push(new Date(opts.cursor.v), opts.cursor.id);
    cursor = 'AND (created_at, id) < ($2, $3)';
  }
  params.push(opts.limit);
  const { rows } = await db.query<ApiKeyView>(
    `SELECT ${VIEW} FROM api_keys WHERE ($1::uuid IS NULL OR created_by = $1) ${cursor}
     ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return rows;
}
