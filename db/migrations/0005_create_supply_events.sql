-- Real-time inventory events (ERP → Skyguard) and the domain-event outbox (Skyguard → risk engine,
-- NATS). docs/supply/events.md states the apply semantics; in short:
-- * inventory_events keeps every accepted event once per (tenant, event_id): a redelivered or resent
--   event is recognised by its id and changes nothing. outcome says whether it moved the stock
--   ('applied') or arrived after newer state and was only recorded ('stale').
-- * Ordering is per part × location, by the ERP's sequence when both sides have one, else by
--   occurred_at. stock_levels.last_event_seq/at (0004) is the newest event applied; the snapshot
--   watermark added here is the newest snapshot applied: deltas older than it are already inside it.
-- * inventory_event_dead_letters keeps what could not be applied (malformed, unknown part or
--   location, conflicting reuse of an event id) with the raw payload and the reason, never dropped.
-- * domain_event_outbox is written in the same transaction as the stock change; a relay publishes
--   it (in-process subscribers, NATS) after commit and marks it published. NOTIFY wakes the relay.

ALTER TABLE stock_levels
  ADD COLUMN last_snapshot_seq bigint,
  ADD COLUMN last_snapshot_at  timestamptz;

CREATE TABLE inventory_events (
  tenant_id        uuid NOT NULL REFERENCES tenants(id),
  event_id         text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 200),
  part_id          uuid NOT NULL,
  location_id      uuid NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('adjustment', 'receipt', 'issue', 'reservation', 'snapshot')),
  -- Delta kinds: the signed movement (issue is stored positive and subtracts). Snapshot: null.
  quantity         integer,
  -- Snapshot kinds: the absolute position the ERP reports (reserved/on_order only when sent).
  snapshot_on_hand   integer CHECK (snapshot_on_hand >= 0),
  snapshot_reserved  integer CHECK (snapshot_reserved >= 0),
  snapshot_on_order  integer CHECK (snapshot_on_order >= 0),
  sequence         bigint CHECK (sequence >= 0),
  occurred_at      timestamptz NOT NULL,
  source           text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
  -- Which door it came in by: 'api' or 'nats'.
  channel          text NOT NULL CHECK (channel IN ('api', 'nats')),
  outcome          text NOT NULL CHECK (outcome IN ('applied', 'stale')),
  -- Units of a decrement that would have driven a quantity below zero and were not applied.
  clamped          integer NOT NULL DEFAULT 0 CHECK (clamped >= 0),
  before_on_hand   integer, before_reserved integer, before_on_order integer,
  after_on_hand    integer, after_reserved  integer, after_on_order  integer,
  -- SHA-256 of the canonical event: the same id with different content is a conflict, not a duplicate.
  payload_sha256   bytea NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, event_id),
  FOREIGN KEY (tenant_id, part_id) REFERENCES parts (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id),
  CHECK ((kind = 'snapshot') = (quantity IS NULL)),
  CHECK (kind <> 'snapshot' OR snapshot_on_hand IS NOT NULL)
);
CREATE INDEX inventory_events_stock_idx ON inventory_events (tenant_id, part_id, location_id, received_at DESC);
CREATE INDEX inventory_events_received_idx ON inventory_events (tenant_id, received_at, event_id);

CREATE TABLE inventory_event_dead_letters (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL REFERENCES tenants(id),
  event_id         text CHECK (length(event_id) <= 200),
  channel          text NOT NULL CHECK (channel IN ('api', 'nats')),
  reason_code      text NOT NULL CHECK (reason_code ~ '^[A-Z][A-Z0-9_]{1,63}$'),
  reason           text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  field            text CHECK (length(field) <= 200),
  -- The message as received (truncated beyond 64 KiB, see payload_bytes), for inspection and replay.
  payload          text NOT NULL,
  payload_bytes    integer NOT NULL CHECK (payload_bytes >= 0),
  payload_sha256   bytea NOT NULL,
  -- The same bad payload again (a redelivery) counts here instead of adding a row.
  occurrences      integer NOT NULL DEFAULT 1 CHECK (occurrences >= 1),
  first_received_at timestamptz NOT NULL DEFAULT now(),
  last_received_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, payload_sha256, reason_code),
  UNIQUE (tenant_id, id)
);
CREATE INDEX inventory_event_dead_letters_time_idx ON inventory_event_dead_letters (tenant_id, first_received_at, id);

CREATE TABLE domain_event_outbox (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id        uuid NOT NULL REFERENCES tenants(id),
  topic            text NOT NULL CHECK (topic ~ '^[a-z][a-z0-9_.]{1,99}$'),
  payload          jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  published_at     timestamptz,
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text CHECK (length(last_error) <= 2000)
);
CREATE INDEX domain_event_outbox_pending_idx ON domain_event_outbox (tenant_id, next_attempt_at, id) WHERE published_at IS NULL;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['inventory_events', 'inventory_event_dead_letters', 'domain_event_outbox'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = skyguard_private.current_tenant()) WITH CHECK (tenant_id = skyguard_private.current_tenant())', t);
  END LOOP;
END $$;
GRANT SELECT, INSERT ON inventory_events TO skyguard_app;
GRANT SELECT, INSERT, UPDATE ON inventory_event_dead_letters, domain_event_outbox TO skyguard_app;

-- Wake the relay on commit: one notification per tenant and transaction (PostgreSQL folds identical
-- payloads within a transaction).
CREATE FUNCTION skyguard_private.notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('skyguard_outbox', NEW.tenant_id::text);
  RETURN NULL;
END $$;
CREATE TRIGGER domain_event_outbox_notify AFTER INSERT ON domain_event_outbox FOR EACH ROW
  EXECUTE FUNCTION skyguard_private.notify_outbox();

-- Tenants with events to publish (for the relay's sweep, which runs without a tenant; it then reads
-- each tenant's rows through withTenant, under RLS).
CREATE FUNCTION skyguard_private.outbox_pending_tenants() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT DISTINCT tenant_id FROM domain_event_outbox WHERE published_at IS NULL AND next_attempt_at <= now() $$;
REVOKE ALL ON FUNCTION skyguard_private.notify_outbox(), skyguard_private.outbox_pending_tenants() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION skyguard_private.outbox_pending_tenants() TO skyguard_app;
