-- Planner statistics after bulk loads. An import or the demo seed grows the supply tables by orders
-- of magnitude in seconds; until autovacuum's next ANALYZE the planner still sees them as tiny and
-- the risk loader's joins over stock, offers and demand run as nested loops (minutes for 8,700 items
-- right after `npm start`'s demo seed, seconds once analysed). The runtime role owns no table, so
-- it refreshes the statistics through this owner-defined function. ANALYZE reads table-wide
-- samples and writes only statistics: no tenant data is returned to the caller.
CREATE FUNCTION skyguard_private.refresh_supply_statistics() RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  ANALYZE parts, locations, stock_levels, suppliers, supplier_offers, demand_history, supplier_deliveries,
          risk_events, aircraft_types, fleet_aircraft, part_aircraft_types;
END $$;
REVOKE ALL ON FUNCTION skyguard_private.refresh_supply_statistics() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION skyguard_private.refresh_supply_statistics() TO skyguard_app;
