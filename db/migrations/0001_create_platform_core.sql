-- Platform core: tenants, users, sessions, API keys, the audit trail and its checkpoints.
-- Every table with a tenant_id has row-level security ENABLED and FORCED with a policy keyed on the
-- transaction-local setting app.tenant_id (set only by withTenant). The runtime role skyguard_app
-- owns nothing and gets only the privileges listed at the end.

CREATE SCHEMA IF NOT EXISTS skyguard_private;

CREATE FUNCTION skyguard_private.current_tenant() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE TABLE tenants (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$' OR slug = '_platform'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now()
);
-- Events that cannot be attributed to a tenant (bad credentials for an unknown tenant, anonymous
-- 401s) are chained under this reserved tenant so they are audited too.
INSERT INTO tenants (id, slug, name) VALUES ('00000000-0000-0000-0000-000000000000', '_platform', 'Platform');

CREATE TABLE users (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants(id),
  email          text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
  display_name   text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  password_hash  text,
  roles          text[] NOT NULL DEFAULT '{}',
  disabled       boolean NOT NULL DEFAULT false,
  oidc_subject   text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, email)
);
CREATE INDEX users_tenant_created_idx ON users (tenant_id, created_at, id);

CREATE TABLE sessions (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid NOT NULL REFERENCES tenants(id),
  user_id       uuid NOT NULL REFERENCES users(id),
  token_hash    bytea NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  ip            text,
  user_agent    text
);
CREATE INDEX sessions_user_idx ON sessions (tenant_id, user_id);

CREATE TABLE api_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid NOT NULL REFERENCES tenants(id),
  public_id     text NOT NULL UNIQUE,
  secret_hmac   bytea NOT NULL,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  scopes        text[] NOT NULL,
  created_by    uuid NOT NULL REFERENCES users(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  revoked_at    timestamptz,
  grace_until   timestamptz,
  replaced_by   uuid REFERENCES api_keys(id),
  last_used_at  timestamptz
);
CREATE INDEX api_keys_tenant_created_idx ON api_keys (tenant_id, created_at, id);

CREATE TABLE audit_events (
  tenant_id     uuid NOT NULL REFERENCES tenants(id),
  seq           bigint NOT NULL,
  id            uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  occurred_at   timestamptz NOT NULL,
  actor_type    text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system', 'anonymous')),
  actor_id      text,
  actor_label   text,
  auth_method   text,
  request_id    text,
  trace_id      text,
  ip            text,
  user_agent    text,
  method        text,
  route         text,
  status        integer,
  latency_ms    double precision,
  action        text NOT NULL,
  target        text,
  details       jsonb NOT NULL DEFAULT '{}',
  prev_hash     text NOT NULL,
  hash          text NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX audit_events_time_idx ON audit_events (tenant_id, occurred_at DESC, seq DESC);
CREATE INDEX audit_events_action_idx ON audit_events (tenant_id, action, seq DESC);

-- Head of each tenant's chain; locked FOR UPDATE by the appender so sequence numbers never fork.
CREATE TABLE audit_chain_heads (
  tenant_id  uuid PRIMARY KEY REFERENCES tenants(id),
  seq        bigint NOT NULL,
  hash       text NOT NULL
);

CREATE TABLE audit_checkpoints (
  tenant_id   uuid NOT NULL REFERENCES tenants(id),
  seq         bigint NOT NULL,
  head_hash   text NOT NULL,
  signed_at   timestamptz NOT NULL,
  key_id      text NOT NULL,
  signature   text NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);

-- Append-only: no role may update or delete audit rows through normal statements.
CREATE FUNCTION skyguard_private.refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit trail is append-only (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION skyguard_private.refuse_audit_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION skyguard_private.refuse_audit_change();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION skyguard_private.refuse_audit_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION skyguard_private.refuse_audit_change();

-- Row-level security on every tenant table.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['users', 'sessions', 'api_keys', 'audit_events', 'audit_chain_heads', 'audit_checkpoints'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = skyguard_private.current_tenant()) WITH CHECK (tenant_id = skyguard_private.current_tenant())', t);
  END LOOP;
END $$;

-- Credential resolution happens before the tenant is known. These definer functions reveal only the
-- tenant of a credential the caller already holds (a session token hash or an API key public id).
CREATE FUNCTION skyguard_private.tenant_of_session(p_token_hash bytea) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT tenant_id FROM sessions WHERE token_hash = p_token_hash $$;
CREATE FUNCTION skyguard_private.tenant_of_api_key(p_public_id text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT tenant_id FROM api_keys WHERE public_id = p_public_id $$;
-- Tenants whose audit chains exist (for the checkpoint job, which runs without a tenant).
CREATE FUNCTION skyguard_private.audit_tenants() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT tenant_id FROM audit_chain_heads $$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA skyguard_private FROM PUBLIC;
GRANT USAGE ON SCHEMA skyguard_private TO skyguard_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA skyguard_private TO skyguard_app;
GRANT SELECT ON tenants TO skyguard_app;
GRANT SELECT, INSERT, UPDATE ON users, sessions, api_keys TO skyguard_app;
GRANT SELECT, INSERT ON audit_events, audit_checkpoints TO skyguard_app;
GRANT SELECT, INSERT, UPDATE ON audit_chain_heads TO skyguard_app;
