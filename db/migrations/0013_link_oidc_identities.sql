-- OpenID Connect sign-in: an account is linked to one provider identity, (issuer, subject), which
-- no other account of the tenant may hold. `oidc_subject` was reserved by 0001; the issuer joins it
-- because a subject is unique only within its issuer.
ALTER TABLE users ADD COLUMN oidc_issuer text;
ALTER TABLE users ADD CONSTRAINT users_oidc_identity_complete CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL));
CREATE UNIQUE INDEX users_oidc_identity_idx ON users (tenant_id, oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;
