-- Flight analyses: the stored result of the flight-safety engine per flight and engine version
-- (docs/flight/analysis-api.md). A flight keeps every analysis it ever had, one per engine version, so
-- what we told a user before a threshold changed stays readable; exactly one of them is current
-- (superseded_at IS NULL). Failed analyses are kept apart with their reason, so nothing is lost and the
-- re-analysis sweep does not loop on a file the engine cannot read.

CREATE TABLE flight_analyses (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id              uuid NOT NULL REFERENCES tenants(id),
  flight_id              uuid NOT NULL REFERENCES flights(id) ON DELETE CASCADE,
  -- Copied from the flight (and kept in step by the trigger below) so risk history and the fleet
  -- ranking are served by one index instead of a join over every flight.
  aircraft_id            uuid,
  -- The flight's time for ordering: its UTC start when the log tells one, else its upload time.
  flight_at              timestamptz NOT NULL,
  engine_version         text NOT NULL CHECK (length(engine_version) BETWEEN 1 AND 100),
  schema_version         text NOT NULL CHECK (length(schema_version) BETWEEN 1 AND 50),
  thresholds_version     text NOT NULL CHECK (length(thresholds_version) BETWEEN 1 AND 50),
  -- NULL when no anomaly model ran.
  anomaly_model_version  text CHECK (anomaly_model_version IS NULL OR length(anomaly_model_version) BETWEEN 1 AND 50),
  report                 jsonb NOT NULL,
  risk_score             smallint NOT NULL CHECK (risk_score BETWEEN 0 AND 100),
  risk_level             text NOT NULL CHECK (risk_level IN ('low', 'moderate', 'high', 'critical')),
  vehicle_type           text NOT NULL
                         CHECK (vehicle_type IN ('multirotor', 'fixed_wing', 'vtol', 'helicopter', 'rover', 'boat', 'unknown')),
  -- Digest of the canonical report JSON (what the risk prediction in the audit trail refers to).
  report_sha256          text NOT NULL CHECK (report_sha256 ~ '^[0-9a-f]{64}$'),
  created_at             timestamptz NOT NULL DEFAULT now(),
  superseded_at          timestamptz,
  UNIQUE (flight_id, engine_version)
);
-- One current analysis per flight.
CREATE UNIQUE INDEX flight_analyses_current_key ON flight_analyses (flight_id) WHERE superseded_at IS NULL;
-- Per-aircraft risk history (newest flight first) and the fleet ranking (latest flight per aircraft).
CREATE INDEX flight_analyses_aircraft_idx ON flight_analyses (tenant_id, aircraft_id, flight_at DESC, flight_id DESC)
  WHERE superseded_at IS NULL;
-- The re-analysis sweep looks for current analyses made by another engine version.
CREATE INDEX flight_analyses_engine_idx ON flight_analyses (engine_version) WHERE superseded_at IS NULL;

CREATE TABLE flight_analysis_failures (
  tenant_id        uuid NOT NULL REFERENCES tenants(id),
  flight_id        uuid NOT NULL REFERENCES flights(id) ON DELETE CASCADE,
  engine_version   text NOT NULL CHECK (length(engine_version) BETWEEN 1 AND 100),
  code             text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9_]*$'),
  message          text NOT NULL CHECK (length(message) <= 2000),
  failed_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (flight_id, engine_version)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['flight_analyses', 'flight_analysis_failures'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = skyguard_private.current_tenant()) WITH CHECK (tenant_id = skyguard_private.current_tenant())', t);
  END LOOP;
END $$;

-- Keeps the copied aircraft and flight time in step if a flight is ever re-assigned or re-dated. Runs as
-- the caller, inside the caller's tenant transaction, so RLS still applies.
CREATE FUNCTION skyguard_private.flight_analyses_follow_flight() RETURNS trigger
  LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
  UPDATE flight_analyses SET aircraft_id = NEW.aircraft_id, flight_at = NEW.start_sort_at
  WHERE flight_id = NEW.id AND (aircraft_id IS DISTINCT FROM NEW.aircraft_id OR flight_at <> NEW.start_sort_at);
  RETURN NULL;
END $$;
CREATE TRIGGER flight_analyses_follow_flight AFTER UPDATE OF aircraft_id, started_at, uploaded_at ON flights
  FOR EACH ROW WHEN (OLD.aircraft_id IS DISTINCT FROM NEW.aircraft_id OR OLD.start_sort_at IS DISTINCT FROM NEW.start_sort_at)
  EXECUTE FUNCTION skyguard_private.flight_analyses_follow_flight();

-- The re-analysis sweep runs without a tenant: it may learn which decoded flights lack a current analysis by
-- the given engine and anomaly-model versions (and have not already failed with that engine), and which
-- versions their current analysis has (so the caller never replaces a newer one), nothing else. A flight with
-- no analysis at all is listed only once decoded for p_decoded_for (the decode job enqueues its analysis).
CREATE FUNCTION skyguard_private.flights_awaiting_analysis(p_engine_version text, p_model_version text, p_decoded_for interval, p_limit integer)
  RETURNS TABLE (tenant_id uuid, flight_id uuid, engine_version text, anomaly_model_version text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT f.tenant_id, f.id, a.engine_version, a.anomaly_model_version
  FROM flights f LEFT JOIN flight_analyses a ON a.flight_id = f.id AND a.superseded_at IS NULL
  WHERE f.status = 'decoded'
    AND (a.id IS NULL OR a.engine_version <> p_engine_version OR a.anomaly_model_version IS DISTINCT FROM p_model_version)
    AND (a.id IS NOT NULL OR f.decoded_at < now() - p_decoded_for)
    AND NOT EXISTS (SELECT 1 FROM flight_analysis_failures x WHERE x.flight_id = f.id AND x.engine_version = p_engine_version)
  ORDER BY f.uploaded_at DESC LIMIT p_limit $$;
REVOKE ALL ON FUNCTION skyguard_private.flights_awaiting_analysis(text, text, interval, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION skyguard_private.flight_analyses_follow_flight() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION skyguard_private.flights_awaiting_analysis(text, text, interval, integer) TO skyguard_app;

GRANT SELECT, INSERT, UPDATE ON flight_analyses TO skyguard_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON flight_analysis_failures TO skyguard_app;
