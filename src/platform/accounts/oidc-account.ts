import type { TenantClient } from '../db/with-tenant.js';
import type { Role } from '../authz/rbac.js';
import type { OidcIdentity } from '../authn/oidc-login.js';
import { AppError } from '../../shared/app-error.js';
import { findUserByEmail, findUserByOidcIdentity, hasOidcIdentity, insertUser, linkOidcIdentity, normaliseEmail, updateUser, type UserRow } from './user.repository.js';

export interface OidcAccount {
  readonly user: UserRow;
  /** How the identity met its account this time. */
  readonly how: 'known' | 'linked' | 'created';
}

const noRole = (): AppError =>
  new AppError('OIDC_NO_ROLE', 403, 'Your sign-in provider grants you no Skyguard role; ask your administrator for one');

/**
 * The account an OIDC identity signs in to, inside the identity's tenant transaction:
 * - an account already linked to (issuer, subject);
 * - else the account with the same email, linked now — only when the provider vouches for the email
 *   (`email_verified`) and the account has no other link, so that a provider where anyone can claim
 *   any address cannot take over an existing account;
 * - else a new account (no password), provisioned on first sign-in.
 * Roles: when the provider sends the roles claim, it is authoritative and replaces the account's
 * roles at every sign-in (a claim naming no Skyguard role refuses the sign-in); without the claim an
 * existing account keeps the roles an administrator gave it and a new one gets `defaultRoles`.
 * Any refusal throws, so the caller's transaction leaves no link or account behind.
 */
export async function signInOidcAccount(db: TenantClient, tenantId: string, identity: OidcIdentity, defaultRoles: readonly Role[]): Promise<OidcAccount> {
  let user = await findUserByOidcIdentity(db, identity.issuer, identity.subject);
  let how: OidcAccount['how'] = 'known';
  if (!user) {
    if (identity.email === undefined) {
      throw new AppError('OIDC_NO_EMAIL', 403, 'Your sign-in provider sent no email address; Skyguard needs one (scope "email")');
    }
    const email = normaliseEmail(identity.email);
    user = await findUserByEmail(db, email);
    if (user) {
      if (!identity.emailVerified || (await hasOidcIdentity(db, user.id))) {
        throw new AppError('OIDC_ACCOUNT_CONFLICT', 409, `An account with the email ${email} exists and cannot be linked to this sign-in (the provider does not vouch for the email, or the account is linked to another identity); ask your administrator`);
      }
      how = 'linked';
    } else {
      const roles = identity.roles ?? defaultRoles;
      if (roles.length === 0) throw noRole();
      user = await insertUser(db, { tenantId, email, displayName: identity.name ?? email, passwordHash: null, roles });
      how = 'created';
    }
    await linkOidcIdentity(db, user.id, identity.issuer, identity.subject);
  }
  if (user.disabled) throw new AppError('ACCOUNT_DISABLED', 403, 'This account is disabled');
  if (identity.roles !== undefined && how !== 'created') {
    if (identity.roles.length === 0) throw noRole();
    const unchanged = identity.roles.length === user.roles.length && identity.roles.every((r) => user!.roles.includes(r));
    if (!unchanged) user = (await updateUser(db, user.id, { roles: identity.roles }))!;
  }
  return { user, how };
}
