-- Cheaper real-time supply paths (issue 6 inventory events, issue 7 event-to-alert latency).
--
-- 1. The outbox wakes its relay once per INSERT statement instead of once per row. An inventory batch
--    writes hundreds of `supply.stock_changed` rows in one statement; the row trigger of 0005 ran a
--    PL/pgSQL call and a pg_notify (folded by PostgreSQL afterwards) for each of them. The payload is
--    unchanged: the tenant id.
--
-- 2. The relay claims a tenant's oldest pending rows (ORDER BY id LIMIT n). The pending index of 0005
--    was ordered by next_attempt_at, so every claim read and sorted the tenant's whole backlog:
--    60 ms per claim of 500 with 5,600 pending, growing with the backlog, until the relay fell
--    minutes behind a 2,000 events/s stream. Ordered by id, a claim reads the rows it takes (0.8 ms).
--    Rows waiting for a retry (next_attempt_at in the future) are few and filtered on the way.
--
-- 3. demand_history_changes: one row per statement that wrote demand history, for its tenant.
--    The risk engine keeps the demand series of items it re-scores in memory between stock events
--    (demand only changes on import, and its window moves at month end) and reloads them whenever
--    this log moved (count and newest id), read in the same transaction before the demand rows, so a
--    cached series is never older than what the transaction would have read. Rows are only ever
--    appended by the trigger below; TRUNCATE of demand_history (owner maintenance only) is not
--    tracked — restart the application after one.
--
-- 4. risk_score_history (0006) now gets a row when what a planner sees moves — score, level,
--    stockout probability, expected exposure or engine version — rather than on every new input
--    digest. A stock movement of one unit on a well-stocked item changes the digest but none of
--    those, and was a third of the write cost of an incremental re-score. The current row in risk_scores
--    still carries the digest of exactly the inputs it was computed from.

DROP TRIGGER domain_event_outbox_notify ON domain_event_outbox;
DROP FUNCTION skyguard_private.notify_outbox();
-- The writers insert outbox rows in their tenant's context (RLS holds every row to it), so the
-- statement's tenant is known without a transition table. A row written outside any tenant context
-- (superuser maintenance) wakes no one: the relay's periodic sweep publishes it.
CREATE FUNCTION skyguard_private.notify_outbox_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF skyguard_private.current_tenant() IS NOT NULL THEN
    PERFORM pg_notify('skyguard_outbox', skyguard_private.current_tenant()::text);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER domain_event_outbox_notify AFTER INSERT ON domain_event_outbox
  FOR EACH STATEMENT EXECUTE FUNCTION skyguard_private.notify_outbox_statement();
REVOKE ALL ON FUNCTION skyguard_private.notify_outbox_statement() FROM PUBLIC;

CREATE INDEX domain_event_outbox_pending_id_idx ON domain_event_outbox (tenant_id, id) WHERE published_at IS NULL;
DROP INDEX domain_event_outbox_pending_idx;

CREATE TABLE demand_history_changes (
  tenant_id   uuid NOT NULL REFERENCES tenants(id),
  id          bigint GENERATED ALWAYS AS IDENTITY,
  changed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
ALTER TABLE demand_history_changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE demand_history_changes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON demand_history_changes USING (tenant_id = skyguard_private.current_tenant())
  WITH CHECK (tenant_id = skyguard_private.current_tenant());
GRANT SELECT, INSERT ON demand_history_changes TO skyguard_app;

-- Statement-level without transition tables: nothing per row (a transition table cost 2–3 µs per
-- imported demand row). The runtime role writes demand only inside its tenant's context, whose RLS
-- check holds every row of the statement to that tenant; a write outside any tenant context
-- (superuser maintenance, test fixtures) marks every tenant.
CREATE FUNCTION skyguard_private.log_demand_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF skyguard_private.current_tenant() IS NOT NULL THEN
    INSERT INTO demand_history_changes (tenant_id) VALUES (skyguard_private.current_tenant());
  ELSE
    INSERT INTO demand_history_changes (tenant_id) SELECT id FROM tenants;
  END IF;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION skyguard_private.log_demand_change() FROM PUBLIC;
CREATE TRIGGER demand_history_log_change AFTER INSERT OR UPDATE OR DELETE ON demand_history
  FOR EACH STATEMENT EXECUTE FUNCTION skyguard_private.log_demand_change();
