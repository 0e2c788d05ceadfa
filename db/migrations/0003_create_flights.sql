-- Flight-safety storage: the aircraft registry, uploaded flight logs and their decoded signals.
-- Raw log bytes live in the content-addressed blob store (see src/platform/blobs); a flight row
-- points at its blob by SHA-256. Signals are stored as fixed-size chunks of float64 time/value
-- arrays with per-chunk statistics, at several resolutions (level 0 = raw samples, level 1 and 2 =
-- min/max envelopes), so a plot window reads only the chunks it overlaps at the coarsest resolution
-- that still has enough points (docs/flight/api.md).

CREATE TABLE aircraft (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants(id),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  serial_number  text CHECK (serial_number IS NULL OR length(serial_number) BETWEEN 1 AND 100),
  type           text NOT NULL DEFAULT 'other'
                 CHECK (type IN ('multirotor', 'fixed_wing', 'vtol', 'helicopter', 'rover', 'boat', 'submarine', 'other')),
  notes          text NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
  created_by     uuid REFERENCES users(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
-- Name (tail number / call sign) is unique per tenant regardless of case.
CREATE UNIQUE INDEX aircraft_tenant_name_key ON aircraft (tenant_id, lower(name));
CREATE INDEX aircraft_tenant_created_idx ON aircraft (tenant_id, created_at, id);

CREATE TABLE flights (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL REFERENCES tenants(id),
  aircraft_id      uuid,
  blob_sha256      text NOT NULL CHECK (blob_sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes       bigint NOT NULL CHECK (size_bytes >= 0),
  original_name    text NOT NULL DEFAULT '' CHECK (length(original_name) <= 255),
  -- NULL when the upload's first bytes match no supported format (status is then 'failed').
  format           text CHECK (format IN ('ulog', 'dataflash', 'tlog', 'csv')),
  detection        text NOT NULL DEFAULT '',
  status           text NOT NULL CHECK (status IN ('queued', 'decoding', 'decoded', 'failed')),
  error_code       text,
  error_message    text,
  error_offset     bigint,
  summary          jsonb NOT NULL DEFAULT '{}',
  -- Filter/sort columns copied out of the summary when decoding succeeds.
  vehicle_type     text,
  started_at       timestamptz,
  duration_s       double precision,
  uploaded_by      uuid REFERENCES users(id),
  uploaded_at      timestamptz NOT NULL DEFAULT now(),
  decode_attempts  integer NOT NULL DEFAULT 0,
  decoded_at       timestamptz,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  -- Sort key for "by start time": the log's UTC start when it tells one, else the upload time.
  start_sort_at    timestamptz GENERATED ALWAYS AS (coalesce(started_at, uploaded_at)) STORED,
  -- Same tenant as the aircraft (a flight can never point at another tenant's aircraft).
  FOREIGN KEY (tenant_id, aircraft_id) REFERENCES aircraft (tenant_id, id),
  -- Duplicate uploads (same bytes) are detected per tenant.
  UNIQUE (tenant_id, blob_sha256),
  CHECK ((status = 'failed') = (error_code IS NOT NULL))
);
CREATE INDEX flights_tenant_uploaded_idx ON flights (tenant_id, uploaded_at DESC, id DESC);
CREATE INDEX flights_tenant_started_idx ON flights (tenant_id, start_sort_at DESC, id DESC);
CREATE INDEX flights_tenant_aircraft_idx ON flights (tenant_id, aircraft_id, uploaded_at DESC);
CREATE INDEX flights_pending_idx ON flights (updated_at) WHERE status IN ('queued', 'decoding');
CREATE INDEX flights_blob_idx ON flights (blob_sha256);

-- One row per canonical signal of a decoded flight (name like `attitude.roll`, `batteries.0.voltage`).
CREATE TABLE flight_signals (
  tenant_id     uuid NOT NULL REFERENCES tenants(id),
  flight_id     uuid NOT NULL REFERENCES flights(id) ON DELETE CASCADE,
  signal_id     integer NOT NULL,
  name          text NOT NULL,
  unit          text NOT NULL,
  source        text NOT NULL,
  sample_count  integer NOT NULL,
  t_start       double precision NOT NULL,
  t_end         double precision NOT NULL,
  v_min         double precision,
  v_max         double precision,
  -- Points stored per resolution level: [raw, envelope 1, envelope 2, …].
  level_counts  integer[] NOT NULL,
  PRIMARY KEY (flight_id, signal_id),
  UNIQUE (flight_id, name)
);

-- Fixed-size chunks of little-endian float64 arrays: t (seconds, log clock, ascending) and v.
CREATE TABLE flight_signal_chunks (
  tenant_id  uuid NOT NULL REFERENCES tenants(id),
  flight_id  uuid NOT NULL,
  signal_id  integer NOT NULL,
  level      smallint NOT NULL CHECK (level >= 0),
  seq        integer NOT NULL,
  t_start    double precision NOT NULL,
  t_end      double precision NOT NULL,
  n          integer NOT NULL CHECK (n > 0),
  v_min      double precision,
  v_max      double precision,
  v_first    double precision,
  v_last     double precision,
  t          bytea NOT NULL,
  v          bytea NOT NULL,
  PRIMARY KEY (flight_id, signal_id, level, seq),
  FOREIGN KEY (flight_id, signal_id) REFERENCES flight_signals (flight_id, signal_id) ON DELETE CASCADE
);
-- Float arrays barely compress; storing them uncompressed makes reads cheaper.
ALTER TABLE flight_signal_chunks ALTER COLUMN t SET STORAGE EXTERNAL, ALTER COLUMN v SET STORAGE EXTERNAL;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['aircraft', 'flights', 'flight_signals', 'flight_signal_chunks'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = skyguard_private.current_tenant()) WITH CHECK (tenant_id = skyguard_private.current_tenant())', t);
  END LOOP;
END $$;

-- The decode sweep runs without a tenant: it may learn which flights wait for decoding, nothing else.
CREATE FUNCTION skyguard_private.flights_awaiting_decode(p_queued_for interval, p_decoding_for interval)
  RETURNS TABLE (tenant_id uuid, flight_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT f.tenant_id, f.id FROM flights f
  WHERE (f.status = 'queued' AND f.updated_at < now() - p_queued_for)
     OR (f.status = 'decoding' AND f.updated_at < now() - p_decoding_for)
  ORDER BY f.updated_at LIMIT 1000 $$;
-- Blobs are shared by content across tenants: one may be removed only when no flight of any tenant
-- points at it. Reveals a yes/no for a hash the caller already holds.
CREATE FUNCTION skyguard_private.flight_blob_in_use(p_sha256 text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT EXISTS (SELECT 1 FROM flights WHERE blob_sha256 = p_sha256) $$;

REVOKE ALL ON FUNCTION skyguard_private.flights_awaiting_decode(interval, interval) FROM PUBLIC;
REVOKE ALL ON FUNCTION skyguard_private.flight_blob_in_use(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION skyguard_private.flights_awaiting_decode(interval, interval) TO skyguard_app;
GRANT EXECUTE ON FUNCTION skyguard_private.flight_blob_in_use(text) TO skyguard_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON aircraft, flights, flight_signals, flight_signal_chunks TO skyguard_app;
