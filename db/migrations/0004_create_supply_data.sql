-- Supply-resilience data: fleet (aircraft types and aircraft), parts and the aircraft types they can
-- ground, locations, stock per part × location, suppliers (contacts encrypted by the application),
-- supplier × part offers, monthly demand history, supplier delivery history, external risk events,
-- and the bookkeeping of file imports (imports, import_rejects).
--
-- Conventions (docs/supply/data.md):
-- * Every table carries tenant_id with RLS enabled, forced and keyed on skyguard_private.current_tenant().
-- * Entities have a uuid id and a natural key unique per tenant (part_number, code, registration,
--   (source, source_id), ...): imports upsert by the natural key, so the same file twice changes nothing.
-- * Children reference parents by (tenant_id, id) composite foreign keys: a row can never point at
--   another tenant's row even though referential checks themselves bypass RLS. The two bulk fact
--   tables, stock_levels (500k+ rows) and demand_history (millions), are the exception: a per-row
--   referential trigger costs ~37 µs per key (measured: 80 % of a bulk insert), so their part_id and
--   location_id are guaranteed by the writers instead, which resolve every natural key through an
--   RLS-scoped lookup (src/platform/supply/reference-resolver.ts); the runtime role cannot delete
--   parts or locations, so no reference can dangle later.
-- * Closed vocabularies are text + CHECK (not PostgreSQL enums) so a later migration can widen them
--   in one statement; the lists match the engine's (src/supply) constants.
-- * Quantities are whole units of the part's unit of measure (integer); money is numeric (exact);
--   probabilities, severities and lead-time statistics are double precision.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE aircraft_types (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants(id),
  code              text NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
  name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  manufacturer      text CHECK (length(manufacturer) <= 200),
  aircraft_class    text NOT NULL CHECK (aircraft_class IN ('widebody', 'narrowbody', 'regional', 'business_jet', 'helicopter', 'uas')),
  -- Tenant's own AOG cost per aircraft-day for this type (overrides the class band of the risk model).
  aog_cost_per_day  numeric(14, 2) CHECK (aog_cost_per_day >= 0),
  aog_cost_source   text CHECK (length(aog_cost_source) <= 500),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id)
);

CREATE TABLE locations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants(id),
  code        text NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind        text NOT NULL DEFAULT 'store' CHECK (kind IN ('mro_hub', 'store', 'line_station', 'warehouse')),
  country     text CHECK (country ~ '^[A-Z]{2}$'),
  region      text CHECK (length(region) <= 100),
  iata_code   text CHECK (iata_code ~ '^[A-Z]{3}$'),
  latitude    double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude   double precision CHECK (longitude BETWEEN -180 AND 180),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id)
);
CREATE INDEX locations_name_idx ON locations (tenant_id, name, id);

CREATE TABLE fleet_aircraft (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants(id),
  registration      text NOT NULL CHECK (length(registration) BETWEEN 1 AND 20),
  aircraft_type_id  uuid NOT NULL,
  serial_number     text CHECK (length(serial_number) <= 64),
  base_location_id  uuid,
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'maintenance', 'stored', 'retired')),
  in_service_date   date,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, registration),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, aircraft_type_id) REFERENCES aircraft_types (tenant_id, id),
  FOREIGN KEY (tenant_id, base_location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX fleet_aircraft_type_idx ON fleet_aircraft (tenant_id, aircraft_type_id, registration);

CREATE TABLE parts (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL REFERENCES tenants(id),
  part_number      text NOT NULL CHECK (length(part_number) BETWEEN 1 AND 64),
  description      text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  category         text CHECK (length(category) <= 100),
  -- ATA Spec 2000 / MMEL essentiality of the part (src/supply/policy CRITICALITIES).
  criticality      text NOT NULL DEFAULT 'non_essential' CHECK (criticality IN ('no_go', 'go_if', 'go', 'non_essential')),
  unit_of_measure  text NOT NULL DEFAULT 'EA' CHECK (unit_of_measure ~ '^[A-Z0-9]{1,8}$'),
  unit_cost        numeric(14, 4) CHECK (unit_cost >= 0),
  currency         text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  -- What a shortage costs while it grounds an aircraft, per day or per hour, and where the figure comes from.
  aog_cost         numeric(14, 2) CHECK (aog_cost >= 0),
  aog_cost_unit    text CHECK (aog_cost_unit IN ('day', 'hour')),
  aog_cost_source  text CHECK (length(aog_cost_source) <= 500),
  -- Nominal replenishment lead time when no supplier offer says otherwise (e.g. the RAF file's months).
  lead_time_days   double precision CHECK (lead_time_days >= 0 AND lead_time_days <= 3650),
  -- The identifier in the system the part came from (RAF item ref, ERP material number).
  external_ref     text CHECK (length(external_ref) <= 100),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, part_number),
  UNIQUE (tenant_id, id),
  CHECK ((aog_cost IS NULL) = (aog_cost_unit IS NULL)),
  CHECK (aog_cost IS NULL OR aog_cost_source IS NOT NULL)
);
-- List filters and sorts over 500k parts: each list query is (tenant, filter) + keyset on (sort, part_number).
CREATE INDEX parts_category_idx ON parts (tenant_id, category, part_number);
CREATE INDEX parts_criticality_idx ON parts (tenant_id, criticality, part_number);
-- part_number is unique per tenant, so it is the keyset tiebreak; a missing unit cost sorts as -1.
CREATE INDEX parts_unit_cost_idx ON parts (tenant_id, coalesce(unit_cost, -1), part_number);
CREATE INDEX parts_updated_idx ON parts (tenant_id, updated_at, part_number);
CREATE INDEX parts_description_idx ON parts (tenant_id, description, part_number);
-- Free-text search (`q`) on part number and description: ILIKE '%…%' through trigrams.
CREATE INDEX parts_search_idx ON parts USING gin ((part_number || ' ' || description) gin_trgm_ops);

-- Which aircraft types a part can ground (and how): the essentiality link the AOG exposure needs.
CREATE TABLE part_aircraft_types (
  tenant_id                uuid NOT NULL,
  part_id                  uuid NOT NULL,
  aircraft_type_id         uuid NOT NULL,
  essentiality             text NOT NULL DEFAULT 'no_go' CHECK (essentiality IN ('no_go', 'go_if', 'go')),
  quantity_per_aircraft    integer NOT NULL DEFAULT 1 CHECK (quantity_per_aircraft BETWEEN 1 AND 10000),
  -- METRIC: one backorder is one hole in one aircraft (1); lower when several units short ground one aircraft.
  aircraft_per_unit_short  double precision NOT NULL DEFAULT 1 CHECK (aircraft_per_unit_short > 0 AND aircraft_per_unit_short <= 1),
  PRIMARY KEY (tenant_id, part_id, aircraft_type_id),
  FOREIGN KEY (tenant_id, part_id) REFERENCES parts (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, aircraft_type_id) REFERENCES aircraft_types (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX part_aircraft_types_type_idx ON part_aircraft_types (tenant_id, aircraft_type_id, part_id);

CREATE TABLE stock_levels (
  tenant_id       uuid NOT NULL,
  part_id         uuid NOT NULL,
  location_id     uuid NOT NULL,
  on_hand         integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  -- Promised to work orders; reserved > on_hand is allowed and means a backorder.
  reserved        integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  on_order        integer NOT NULL DEFAULT 0 CHECK (on_order >= 0),
  safety_stock    integer NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
  reorder_point   integer CHECK (reorder_point >= 0),
  min_qty         integer CHECK (min_qty >= 0),
  max_qty         integer CHECK (max_qty >= 0),
  -- Highest ERP event sequence (and its time) applied to this part × location: real-time inventory
  -- events older than these are recognised as out of order and not applied over newer state.
  last_event_seq  bigint,
  last_event_at   timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  -- No foreign keys: see the header (bulk fact table; references resolved by the writers).
  PRIMARY KEY (tenant_id, part_id, location_id),
  CHECK (min_qty IS NULL OR max_qty IS NULL OR min_qty <= max_qty)
);
CREATE INDEX stock_levels_location_idx ON stock_levels (tenant_id, location_id, part_id);
CREATE INDEX stock_levels_on_hand_idx ON stock_levels (tenant_id, on_hand, part_id, location_id);
-- "Below reorder point" is the explorer's most used filter; keep those rows in a small index.
CREATE INDEX stock_levels_below_reorder_idx ON stock_levels (tenant_id, part_id, location_id)
  WHERE on_hand - reserved + on_order <= reorder_point;

CREATE TABLE suppliers (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id            uuid NOT NULL REFERENCES tenants(id),
  code                 text NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
  name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  country              text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  region               text CHECK (length(region) <= 100),
  ports_of_origin      text[] NOT NULL DEFAULT '{}' CHECK (cardinality(ports_of_origin) <= 50),
  active               boolean NOT NULL DEFAULT true,
  -- Contacts (name, email, phone) as AES-256-GCM ciphertext made by the application; the database
  -- never sees the plaintext. contact_fingerprint is an HMAC of the plaintext under a key derived from
  -- the same secret, so a re-import can tell "unchanged" without decrypting.
  contact_ciphertext   bytea,
  contact_key_id       text,
  contact_fingerprint  bytea,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id),
  CHECK ((contact_ciphertext IS NULL) = (contact_key_id IS NULL))
);
CREATE INDEX suppliers_name_idx ON suppliers (tenant_id, name, id);
CREATE INDEX suppliers_country_idx ON suppliers (tenant_id, country, name, id);
CREATE INDEX suppliers_region_idx ON suppliers (tenant_id, region, name, id);
CREATE INDEX suppliers_ports_idx ON suppliers USING gin (ports_of_origin);

CREATE TABLE supplier_offers (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id               uuid NOT NULL,
  supplier_id             uuid NOT NULL,
  part_id                 uuid NOT NULL,
  price                   numeric(14, 4) NOT NULL CHECK (price >= 0),
  currency                text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  moq                     integer NOT NULL DEFAULT 1 CHECK (moq >= 1),
  -- Lead time as a quote (mean ± sd days) and/or observed samples (days): see supplier-lead-time.ts.
  lead_time_mean_days     double precision CHECK (lead_time_mean_days >= 0 AND lead_time_mean_days <= 3650),
  lead_time_sd_days       double precision CHECK (lead_time_sd_days >= 0 AND lead_time_sd_days <= 3650),
  lead_time_samples_days  double precision[] CHECK (cardinality(lead_time_samples_days) BETWEEN 1 AND 1000),
  preferred               boolean NOT NULL DEFAULT false,
  valid_from              date,
  valid_to                date,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, supplier_id, part_id),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, supplier_id) REFERENCES suppliers (tenant_id, id),
  FOREIGN KEY (tenant_id, part_id) REFERENCES parts (tenant_id, id),
  CHECK (lead_time_mean_days IS NOT NULL OR lead_time_samples_days IS NOT NULL),
  CHECK (lead_time_sd_days IS NULL OR lead_time_mean_days IS NOT NULL),
  CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
CREATE INDEX supplier_offers_part_idx ON supplier_offers (tenant_id, part_id, supplier_id);

-- Monthly demand per part × location. period is the first day of the month.
CREATE TABLE demand_history (
  tenant_id    uuid NOT NULL,
  part_id      uuid NOT NULL,
  location_id  uuid NOT NULL,
  period       date NOT NULL CHECK (extract(day FROM period) = 1),
  quantity     integer NOT NULL CHECK (quantity >= 0),
  returns      integer NOT NULL DEFAULT 0 CHECK (returns >= 0),
  adjustments  integer NOT NULL DEFAULT 0,
  -- No foreign keys: see the header (bulk fact table; references resolved by the writers).
  PRIMARY KEY (tenant_id, part_id, location_id, period)
);

CREATE TABLE supplier_deliveries (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL,
  supplier_id    uuid NOT NULL,
  part_id        uuid NOT NULL,
  location_id    uuid,
  -- Purchase order line / advance shipping notice id: unique per supplier.
  reference      text NOT NULL CHECK (length(reference) BETWEEN 1 AND 100),
  quantity       integer NOT NULL CHECK (quantity > 0),
  ordered_date   date,
  promised_date  date NOT NULL,
  actual_date    date,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, supplier_id, reference),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, supplier_id) REFERENCES suppliers (tenant_id, id),
  FOREIGN KEY (tenant_id, part_id) REFERENCES parts (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id),
  CHECK (ordered_date IS NULL OR promised_date >= ordered_date),
  CHECK (ordered_date IS NULL OR actual_date IS NULL OR actual_date >= ordered_date)
);
CREATE INDEX supplier_deliveries_supplier_idx ON supplier_deliveries (tenant_id, supplier_id, promised_date, id);
CREATE INDEX supplier_deliveries_part_idx ON supplier_deliveries (tenant_id, part_id, promised_date, id);

CREATE TABLE risk_events (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL REFERENCES tenants(id),
  -- src/supply/risk RISK_EVENT_TYPES.
  type             text NOT NULL CHECK (type IN ('port_disruption', 'strike', 'weather', 'geopolitical', 'supplier_failure', 'cyber', 'other')),
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  description      text CHECK (length(description) <= 5000),
  countries        text[] NOT NULL DEFAULT '{}' CHECK (cardinality(countries) <= 300),
  regions          text[] NOT NULL DEFAULT '{}' CHECK (cardinality(regions) <= 100),
  ports            text[] NOT NULL DEFAULT '{}' CHECK (cardinality(ports) <= 500),
  supplier_ids     uuid[] NOT NULL DEFAULT '{}' CHECK (cardinality(supplier_ids) <= 10000),
  starts_at        timestamptz NOT NULL,
  expected_end_at  timestamptz,
  actual_end_at    timestamptz,
  -- P(a shipment through an affected node is held) and P(the announced event happens): risk-model.md §3.
  severity         double precision NOT NULL CHECK (severity >= 0 AND severity <= 1),
  probability      double precision NOT NULL DEFAULT 1 CHECK (probability >= 0 AND probability <= 1),
  source           text NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
  source_id        text NOT NULL CHECK (length(source_id) BETWEEN 1 AND 200),
  -- Source-specific attributes kept verbatim (CyPort: storm id, port id, days to recover, impact).
  details          jsonb NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, source, source_id),
  UNIQUE (tenant_id, id),
  CHECK (expected_end_at IS NULL OR expected_end_at >= starts_at),
  CHECK (actual_end_at IS NULL OR actual_end_at >= starts_at)
);
CREATE INDEX risk_events_starts_idx ON risk_events (tenant_id, starts_at, id);
CREATE INDEX risk_events_type_idx ON risk_events (tenant_id, type, starts_at, id);
CREATE INDEX risk_events_open_idx ON risk_events (tenant_id, starts_at, id) WHERE actual_end_at IS NULL;
CREATE INDEX risk_events_countries_idx ON risk_events USING gin (countries);
CREATE INDEX risk_events_ports_idx ON risk_events USING gin (ports);
CREATE INDEX risk_events_suppliers_idx ON risk_events USING gin (supplier_ids);

-- One file import: what it was, how far it got (resumable per committed batch) and its report.
CREATE TABLE imports (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id          uuid NOT NULL REFERENCES tenants(id),
  entity             text NOT NULL CHECK (entity IN ('aircraft_types', 'fleet', 'locations', 'parts', 'stock', 'suppliers', 'offers',
                                                     'demand', 'deliveries', 'risk_events', 'raf', 'cyport')),
  format             text NOT NULL CHECK (format IN ('csv', 'json', 'ndjson')),
  file_name          text CHECK (length(file_name) <= 255),
  file_key           text NOT NULL CHECK (length(file_key) BETWEEN 1 AND 200),
  byte_size          bigint NOT NULL CHECK (byte_size >= 0),
  content_sha256     text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  status             text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  rows_read          integer NOT NULL DEFAULT 0,
  rows_accepted      integer NOT NULL DEFAULT 0,
  rows_rejected      integer NOT NULL DEFAULT 0,
  rows_inserted      integer NOT NULL DEFAULT 0,
  rows_updated       integer NOT NULL DEFAULT 0,
  rows_unchanged     integer NOT NULL DEFAULT 0,
  batches_committed  integer NOT NULL DEFAULT 0,
  -- Source rows up to this number are committed (with their rejects); a resumed job skips them.
  committed_rows     integer NOT NULL DEFAULT 0,
  report             jsonb NOT NULL DEFAULT '{}',
  error              text,
  created_by         text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  started_at         timestamptz,
  finished_at        timestamptz,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
CREATE INDEX imports_created_idx ON imports (tenant_id, created_at, id);
CREATE INDEX imports_content_idx ON imports (tenant_id, entity, content_sha256);

-- Every refused row with its reasons (one row per reason), never silently dropped.
CREATE TABLE import_rejects (
  tenant_id    uuid NOT NULL,
  import_id    uuid NOT NULL,
  row_number   integer NOT NULL,
  ordinal      smallint NOT NULL DEFAULT 0,
  column_name  text,
  reason       text NOT NULL,
  raw          text,
  PRIMARY KEY (tenant_id, import_id, row_number, ordinal),
  FOREIGN KEY (tenant_id, import_id) REFERENCES imports (tenant_id, id) ON DELETE CASCADE
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['aircraft_types', 'locations', 'fleet_aircraft', 'parts', 'part_aircraft_types', 'stock_levels', 'suppliers',
                           'supplier_offers', 'demand_history', 'supplier_deliveries', 'risk_events', 'imports', 'import_rejects'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = skyguard_private.current_tenant()) WITH CHECK (tenant_id = skyguard_private.current_tenant())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO skyguard_app', t);
  END LOOP;
END $$;
-- Replacing a part's aircraft-type links on re-import, and dropping an import's rejects on retention.
GRANT DELETE ON part_aircraft_types, import_rejects TO skyguard_app;
