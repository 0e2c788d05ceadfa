-- Supply risk results: the current score of every part × location, its history, scoring runs and the
-- alerts raised from them. docs/supply/risk-api.md describes the semantics; in short:
-- * risk_scores holds one row per part × location, written by full and incremental re-scores, with the
--   engine version and the SHA-256 of exactly the inputs it was computed from (input_digest). A row
--   the engine refused keeps status 'refused' with the field and rule instead of a score.
-- * level is the level the score falls in; level_state is the hysteresis state alerts are decided on
--   (src/supply/risk/alert-hysteresis.ts): it only moves when the score clears a margin.
-- * risk_score_history gets a row whenever a stored score changes (new digest or engine version).
-- * risk_alerts: at most one unresolved alert per dedupe key (part/location:level), enforced by a
--   partial unique index so concurrent re-scores cannot raise it twice.

CREATE TABLE risk_runs (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants(id),
  kind            text NOT NULL CHECK (kind IN ('full', 'stock_changed', 'risk_event', 'part')),
  trigger_ref     text CHECK (length(trigger_ref) <= 200),
  engine_version  text NOT NULL,
  -- SHA-256 over the item digests of the run, in item order (what the audit prediction records).
  input_digest    text NOT NULL CHECK (input_digest ~ '^[0-9a-f]{64}$'),
  items           integer NOT NULL CHECK (items >= 0),
  scored          integer NOT NULL CHECK (scored >= 0),
  refused         integer NOT NULL CHECK (refused >= 0),
  changed         integer NOT NULL CHECK (changed >= 0),
  alerts_raised   integer NOT NULL DEFAULT 0,
  alerts_cleared  integer NOT NULL DEFAULT 0,
  duration_ms     double precision,
  summary         jsonb NOT NULL DEFAULT '{}',
  started_at      timestamptz NOT NULL,
  finished_at     timestamptz,
  UNIQUE (tenant_id, id)
);
CREATE INDEX risk_runs_started_idx ON risk_runs (tenant_id, started_at DESC, id);

CREATE TABLE risk_scores (
  tenant_id              uuid NOT NULL,
  part_id                uuid NOT NULL,
  location_id            uuid NOT NULL,
  status                 text NOT NULL CHECK (status IN ('scored', 'refused')),
  supplier_id            uuid,
  score                  double precision CHECK (score >= 0 AND score <= 100),
  level                  text CHECK (level IN ('low', 'moderate', 'high', 'critical')),
  level_state            text NOT NULL DEFAULT 'low' CHECK (level_state IN ('low', 'moderate', 'high', 'critical')),
  stockout_probability   double precision CHECK (stockout_probability >= 0 AND stockout_probability <= 1),
  expected_exposure      double precision CHECK (expected_exposure >= 0),
  conditional_exposure   double precision CHECK (conditional_exposure >= 0),
  expected_aog_days      double precision CHECK (expected_aog_days >= 0),
  mean_lead_time_days    double precision,
  mean_lead_time_demand  double precision,
  demand_per_period      double precision,
  event_affected         boolean NOT NULL DEFAULT false,
  -- What the portfolio bound needs: the fleet the part grounds, what that fleet can lose, expediting.
  fleet_id               uuid,
  fleet_cap_usd          double precision,
  expedite_cost          double precision NOT NULL DEFAULT 0,
  refusal_code           text,
  refusal_field          text,
  refusal_rule           text,
  engine_version         text NOT NULL,
  input_digest           bytea NOT NULL CHECK (octet_length(input_digest) = 32),
  run_id                 uuid NOT NULL,
  scored_at              timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, part_id, location_id),
  FOREIGN KEY (tenant_id, part_id) REFERENCES parts (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id),
  FOREIGN KEY (tenant_id, run_id) REFERENCES risk_runs (tenant_id, id),
  CHECK ((status = 'scored') = (score IS NOT NULL AND level IS NOT NULL AND expected_exposure IS NOT NULL))
);
-- The ranked list: keyset on (score DESC, part, location), optionally within a level.
CREATE INDEX risk_scores_rank_idx ON risk_scores (tenant_id, score DESC, part_id, location_id) WHERE status = 'scored';
CREATE INDEX risk_scores_level_rank_idx ON risk_scores (tenant_id, level, score DESC, part_id, location_id) WHERE status = 'scored';
CREATE INDEX risk_scores_supplier_idx ON risk_scores (tenant_id, supplier_id);
CREATE INDEX risk_scores_location_idx ON risk_scores (tenant_id, location_id, score DESC);

CREATE TABLE risk_score_history (
  tenant_id             uuid NOT NULL,
  part_id               uuid NOT NULL,
  location_id           uuid NOT NULL,
  scored_at             timestamptz NOT NULL,
  run_id                uuid NOT NULL,
  score                 double precision NOT NULL,
  level                 text NOT NULL,
  stockout_probability  double precision NOT NULL,
  expected_exposure     double precision NOT NULL,
  engine_version        text NOT NULL,
  input_digest          bytea NOT NULL,
  FOREIGN KEY (tenant_id, part_id) REFERENCES parts (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX risk_score_history_item_idx ON risk_score_history (tenant_id, part_id, location_id, scored_at DESC);

CREATE TABLE risk_alerts (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id             uuid NOT NULL REFERENCES tenants(id),
  part_id               uuid NOT NULL,
  location_id           uuid NOT NULL,
  level                 text NOT NULL CHECK (level IN ('moderate', 'high', 'critical')),
  previous_level        text NOT NULL CHECK (previous_level IN ('low', 'moderate', 'high', 'critical')),
  dedupe_key            text NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 200),
  status                text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
  score                 double precision NOT NULL,
  stockout_probability  double precision NOT NULL,
  expected_exposure     double precision NOT NULL,
  reason                text NOT NULL CHECK (length(reason) <= 1000),
  trigger               text NOT NULL CHECK (trigger IN ('full', 'stock_changed', 'risk_event', 'part')),
  trigger_ref           text CHECK (length(trigger_ref) <= 200),
  run_id                uuid NOT NULL,
  raised_at             timestamptz NOT NULL,
  acknowledged_at       timestamptz,
  acknowledged_by       text,
  resolved_at           timestamptz,
  resolved_by           text,
  resolution            text CHECK (resolution IN ('manual', 'cleared', 'escalated')),
  note                  text CHECK (length(note) <= 2000),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, part_id) REFERENCES parts (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id),
  CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE UNIQUE INDEX risk_alerts_open_dedupe_idx ON risk_alerts (tenant_id, dedupe_key) WHERE status <> 'resolved';
CREATE INDEX risk_alerts_raised_idx ON risk_alerts (tenant_id, raised_at DESC, id);
CREATE INDEX risk_alerts_status_idx ON risk_alerts (tenant_id, status, raised_at DESC, id);
CREATE INDEX risk_alerts_item_idx ON risk_alerts (tenant_id, part_id, location_id) WHERE status <> 'resolved';

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['risk_runs', 'risk_scores', 'risk_score_history', 'risk_alerts'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = skyguard_private.current_tenant()) WITH CHECK (tenant_id = skyguard_private.current_tenant())', t);
  END LOOP;
END $$;
GRANT SELECT, INSERT, UPDATE ON risk_runs, risk_scores, risk_alerts TO skyguard_app;
GRANT SELECT, INSERT ON risk_score_history TO skyguard_app;
-- Tenants with supply data, for the nightly full re-score (runs without a tenant, then per tenant under RLS).
CREATE FUNCTION skyguard_private.supply_tenants() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT DISTINCT tenant_id FROM stock_levels $$;
REVOKE ALL ON FUNCTION skyguard_private.supply_tenants() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION skyguard_private.supply_tenants() TO skyguard_app;
