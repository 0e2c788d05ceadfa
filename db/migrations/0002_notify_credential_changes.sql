-- Instances cache resolved credentials for a few seconds. Any change that can take rights away — a
-- revoked session or key, a shortened grace period, changed roles or a disabled user — notifies every
-- instance (on commit) so they drop that tenant's cached credentials at once. Routine touches
-- (last_seen_at, last_used_at) do not notify.
CREATE FUNCTION skyguard_private.notify_credential_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('skyguard_credentials', NEW.tenant_id::text);
  RETURN NULL;
END $$;

CREATE TRIGGER users_credential_change AFTER UPDATE ON users FOR EACH ROW
  WHEN (OLD.roles IS DISTINCT FROM NEW.roles OR OLD.disabled IS DISTINCT FROM NEW.disabled OR OLD.password_hash IS DISTINCT FROM NEW.password_hash)
  EXECUTE FUNCTION skyguard_private.notify_credential_change();
CREATE TRIGGER sessions_credential_change AFTER UPDATE ON sessions FOR EACH ROW
  WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at)
  EXECUTE FUNCTION skyguard_private.notify_credential_change();
CREATE TRIGGER api_keys_credential_change AFTER UPDATE ON api_keys FOR EACH ROW
  WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.grace_until IS DISTINCT FROM NEW.grace_until
        OR OLD.expires_at IS DISTINCT FROM NEW.expires_at OR OLD.scopes IS DISTINCT FROM NEW.scopes)
  EXECUTE FUNCTION skyguard_private.notify_credential_change();
