-- 1. A TRUNCATE of demand_history is logged in demand_history_changes too (0010 left it untracked,
--    "restart the application after one"). The risk engine's in-memory demand series stay valid only
--    while that log does not move; a TRUNCATE removes every tenant's rows, so it is logged for every
--    tenant, whatever tenant context the statement ran in. Only the owner can truncate.
CREATE FUNCTION skyguard_private.log_demand_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO demand_history_changes (tenant_id) SELECT id FROM tenants;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION skyguard_private.log_demand_truncate() FROM PUBLIC;
CREATE TRIGGER demand_history_log_truncate AFTER TRUNCATE ON demand_history
  FOR EACH STATEMENT EXECUTE FUNCTION skyguard_private.log_demand_truncate();

-- 2. Planner statistics of the risk tables after a bulk re-score (0008 refreshes only the supply
--    tables, after imports). A tenant's first full run writes 500k risk_scores rows in seconds; until
--    autovacuum's next ANALYZE the planner estimated 1,568 rows for them in the loader's join.
CREATE FUNCTION skyguard_private.refresh_risk_statistics() RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  ANALYZE risk_scores, risk_score_history;
END $$;
REVOKE ALL ON FUNCTION skyguard_private.refresh_risk_statistics() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION skyguard_private.refresh_risk_statistics() TO skyguard_app;
