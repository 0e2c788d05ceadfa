import { hash } from 'node:crypto';
import type { Principal } from './principal.js';

interface Entry {
  readonly principal: Principal;
  readonly validUntil: number;
  /** From then on a request that hits the entry also starts a background lookup (never, when the credential's own expiry ends the entry). */
  readonly refreshFrom: number;
}

/**
 * Resolved credentials (session token or API key → principal) kept for a few seconds, so an
 * authenticated request does not pay the database round trips of authentication every time.
 *
 * Safety rules: only successful resolutions are cached; an entry never outlives its credential's own
 * expiry; a tenant's entries are dropped on any successful mutation through this instance and on a
 * `skyguard_credentials` notification from the database (any instance, the CLI, SQL); and while that
 * notification channel is down the cache is switched off, so a revocation can never be missed for
 * longer than the database takes to deliver a notification.
 *
 * Lookups are single-flight per credential, and a credential still in use near the end of its entry's TTL is
 * looked up again in the background while the entry keeps serving: under load hundreds of requests are in
 * flight with the same key, and without this every one of them would wait for (or run) the lookup at each
 * expiry.
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Principal | null>>();
  /** Bumped by every invalidation: a lookup that started before one must not be cached after it. */
  private generation = 0;
  private enabled = false;

  constructor(
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 50_000,
    private readonly refreshAheadMs = Math.min(1_000, ttlMs / 5),
  ) {}

  /**
   * Tokens are looked up by their SHA-256, so raw secrets are never kept as map keys. This runs on every
   * authenticated request: the one-shot `hash` costs a third of a `createHash` object's update and digest.
   */
  static keyOf(kind: 'session' | 'api_key', token: string): string {
    return `${kind}:${hash('sha256', token, 'base64url')}`;
  }

  get(key: string, now: Date): Principal | undefined {
    return this.live(key, now)?.principal;
  }

  private live(key: string, now: Date): Entry | undefined {
    if (!this.enabled) return undefined;
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.validUntil <= now.getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /**
   * The cached principal, synchronously (no promise for the common case), or the one database lookup
   * shared by every request that asks for the same credential while it runs. A hit in the last
   * `refreshAheadMs` of a TTL-bound entry starts that lookup in the background; if it fails, the entry
   * simply expires and the next request's own lookup reports the failure.
   */
  resolve(key: string, now: Date, lookup: () => Promise<Principal | null>): Principal | Promise<Principal | null> {
    const hit = this.live(key, now);
    if (hit) {
      if (now.getTime() >= hit.refreshFrom && !this.loading.has(key)) this.load(key, now, lookup).catch(() => undefined);
      return hit.principal;
    }
    return this.loading.get(key) ?? this.load(key, now, lookup);
  }

  private load(key: string, now: Date, lookup: () => Promise<Principal | null>): Promise<Principal | null> {
    const generation = this.generation;
    const pending = lookup()
      .then((principal) => {
        if (!principal) this.entries.delete(key); // revoked or expired since it was cached
        else if (generation === this.generation) this.set(key, principal, now, principal.credentialExpiresAt ?? null);
        return principal;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, pending);
    return pending;
  }

  set(key: string, principal: Principal, now: Date, credentialExpiresAt: Date | null): void {
    if (!this.enabled) return;
    if (!this.entries.delete(key) && this.entries.size >= this.maxEntries) {
      // Drop the oldest insertion (Map keeps insertion order): cheap and good enough for a 5 s cache.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    const byTtl = now.getTime() + this.ttlMs;
    const byCredential = credentialExpiresAt?.getTime() ?? Infinity;
    this.entries.set(key, byTtl <= byCredential
      ? { principal, validUntil: byTtl, refreshFrom: byTtl - this.refreshAheadMs }
      : { principal, validUntil: byCredential, refreshFrom: Infinity });
  }

  invalidateTenant(tenantId: string): void {
    this.generation++;
    for (const [k, e] of this.entries) if (e.principal.tenantId === tenantId) this.entries.delete(k);
  }

  /** On when the invalidation channel is live, off (and empty) when it is not. */
  setEnabled(on: boolean): void {
    this.enabled = on;
    if (!on) {
      this.generation++;
      this.entries.clear();
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
