import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from '../db/pool.js';
import type { TenantClient } from '../db/with-tenant.js';
import { withTenant } from '../db/with-tenant.js';
import { permissionsOf } from '../authz/rbac.js';
import type { Principal } from './principal.js';

export interface SessionPolicy {
  readonly idleMinutes: number;
  readonly absoluteHours: number;
}

const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();
// last_seen_at is refreshed at most this often, so reads do not turn into a write per request.
const TOUCH_EVERY_MS = 60_000;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Starts a session; returns the bearer token (only its SHA-256 is stored). */
export async function createSession(
  db: TenantClient,
  s: { tenantId: string; userId: string; ip: string | null; userAgent: string | null; now: Date; policy: SessionPolicy },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(s.now.getTime() + s.policy.absoluteHours * 3_600_000);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO sessions (tenant_id, user_id, token_hash, created_at, last_seen_at, expires_at, ip, user_agent)
     VALUES ($1, $2, $3, $4, $4, $5, $6, $7) RETURNING id`,
    [s.tenantId, s.userId, hashToken(token), s.now, expiresAt, s.ip, s.userAgent?.slice(0, 512) ?? null],
  );
  return { id: rows[0]!.id, token, expiresAt };
}

/**
 * Resolves a session token to its principal, or null when it is unknown, revoked, idle too long,
 * past its absolute expiry, or its user is disabled.
 */
export async function resolveSession(pool: Pool, token: string, now: Date, policy: SessionPolicy): Promise<Principal | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const tokenHash = hashToken(token);
  const tenant = await pool.query<{ t: string | null }>('SELECT skyguard_private.tenant_of_session($1) AS t', [tokenHash]);
  const tenantId = tenant.rows[0]?.t;
  if (!tenantId) return null;
  return withTenant(pool, { tenantId }, async (db) => {
    const { rows } = await db.query<{
      id: string; user_id: string; last_seen_at: Date; expires_at: Date; revoked_at: Date | null;
      email: string; display_name: string; roles: string[]; disabled: boolean; slug: string;
    }>(
      `SELECT s.id, s.user_id, s.last_seen_at, s.expires_at, s.revoked_at, u.email, u.display_name, u.roles, u.disabled, t.slug
       FROM sessions s JOIN users u ON u.id = s.user_id JOIN tenants t ON t.id = s.tenant_id WHERE s.token_hash = $1`,
      [tokenHash],
    );
    const s = rows[0];
    if (!s || s.revoked_at || s.disabled || s.expires_at <= now) return null;
    if (now.getTime() - s.last_seen_at.getTime() > policy.idleMinutes * 60_000) return null;
    if (now.getTime() - s.last_seen_at.getTime() > TOUCH_EVERY_MS) {
      await db.query('UPDATE sessions SET last_seen_at = $2 WHERE id = $1', [s.id, now]);
    }
    return {
      tenantId, tenantSlug: s.slug, actorType: 'user', userId: s.user_id, email: s.email, displayName: s.display_name,
      roles: s.roles, permissions: permissionsOf(s.roles), authMethod: 'session', sessionId: s.id,
      credentialExpiresAt: s.expires_at,
    } satisfies Principal;
  });
}

export async function revokeSession(db: TenantClient, userId: string, sessionId: string, now: Date): Promise<boolean> {
  const r = await db.query('UPDATE sessions SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL', [sessionId, userId, now]);
  return (r.rowCount ?? 0) > 0;
}

export async function revokeOtherSessions(db: TenantClient, userId: string, keepSessionId: string | undefined, now: Date): Promise<number> {
  const r = await db.query(
    'UPDATE sessions SET revoked_at = $3 WHERE user_id = $1 AND id IS DISTINCT FROM $2 AND revoked_at IS NULL AND expires_at > $3',
    [userId, keepSessionId ?? null, now],
  );
  return r.rowCount ?? 0;
}

export interface SessionView {
  id: string; createdAt: Date; lastSeenAt: Date; expiresAt: Date; ip: string | null; userAgent: string | null;
}

export async function listActiveSessions(db: TenantClient, userId: string, now: Date, policy: SessionPolicy): Promise<SessionView[]> {
  const { rows } = await db.query<SessionView>(
    `SELECT id, created_at AS "createdAt", last_seen_at AS "lastSeenAt", expires_at AS "expiresAt", ip, user_agent AS "userAgent"
     FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at > $3 ORDER BY last_seen_at DESC`,
    [userId, now, new Date(now.getTime() - policy.idleMinutes * 60_000)],
  );
  return rows;
}
