import type { Permission } from '../authz/rbac.js';

/** Who is calling, resolved once per request from a session cookie or an API key. */
export interface Principal {
  readonly tenantId: string;
  readonly tenantSlug: string;
  readonly actorType: 'user' | 'api_key';
  /** The user, or for an API key the user who created it (keys act on their creator's behalf). */
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  /** Effective permissions: the user's, or for a key its scopes ∩ its creator's current ones. */
  readonly permissions: ReadonlySet<Permission>;
  readonly authMethod: 'session' | 'api_key';
  readonly sessionId?: string;
  readonly apiKeyId?: string;
  readonly apiKeyPublicId?: string;
  /** When the credential itself stops being valid (session or key expiry, end of rotation grace). */
  readonly credentialExpiresAt?: Date | null;
}

export const actorIdOf = (p: Principal): string => (p.actorType === 'api_key' ? p.apiKeyId! : p.userId);
export const actorLabelOf = (p: Principal): string => (p.actorType === 'api_key' ? `key ${p.apiKeyPublicId} of ${p.email}` : p.email);
