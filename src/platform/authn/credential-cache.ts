import { hash } from 'node:crypto';
import type { Principal } from './principal.js';

interface Entry {
  readonly principal: Principal;
  readonly validUntil: number;
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
  ) {}

  /**
   * Tokens are looked up by their SHA-256, so raw secrets are never kept as map keys. This runs on every
   * authenticated request: the one-shot `hash` costs a third of a `createHash` object's update and digest.
   */
  static keyOf(kind: 'session' | 'api_key', token: string): string {
    return `${kind}:${hash('sha256', token, 'base64url')}`;
  }

  get(key: string, now: Date): Principal | undefined {
    if (!this.enabled) return undefined;
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.validUntil <= now.getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.principal;
  }

  /**
   * The cached principal, or one database lookup shared by every request that asks for the same
   * credential while it runs: when a hot key's entry expires under load, hundreds of in-flight
   * requests would otherwise all query the database at once.
   */
  resolve(key: string, now: Date, lookup: () => Promise<Principal | null>): Promise<Principal | null> {
    const hit = this.get(key, now);
    if (hit) return Promise.resolve(hit);
    let pending = this.loading.get(key);
    if (!pending) {
      const generation = this.generation;
      pending = lookup()
        .then((principal) => {
          if (principal && generation === this.generation) this.set(key, principal, now, principal.credentialExpiresAt ?? null);
          return principal;
        })
        .finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  set(key: string, principal: Principal, now: Date, credentialExpiresAt: Date | null): void {
    if (!this.enabled) return;
    if (this.entries.size >= this.maxEntries) {
      // Drop the oldest insertion (Map keeps insertion order): cheap and good enough for a 5 s cache.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    const until = Math.min(now.getTime() + this.ttlMs, credentialExpiresAt?.getTime() ?? Infinity);
    this.entries.set(key, { principal, validUntil: until });
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
