-- Suspended indexes (0012) are rebuilt one index per call, so that the importer can build several
-- at once on separate connections (issue 6). After a 500k-part first load the six secondary indexes
-- of parts took ~10 s of backend CPU in one backend (the trigram index 2.75 s, each of the others
-- ~1.35 s) while the other core idled. CREATE INDEX takes a SHARE lock, which two builds on one
-- table can hold at once. 0012's per-table restore stays for the job runner's start-up sweep.

CREATE FUNCTION skyguard_private.suspended_index_names(target regclass) RETURNS SETOF text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  -- GIN (trigram) builds first: they are the longest, so the others fill in around them.
  SELECT index_name FROM skyguard_private.suspended_indexes WHERE table_name = target
  ORDER BY definition ILIKE '% USING gin %' DESC, index_name
$$;

CREATE FUNCTION skyguard_private.restore_suspended_index(name text) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog SET max_parallel_maintenance_workers = 0 AS $$
DECLARE
  def text;
BEGIN
  DELETE FROM skyguard_private.suspended_indexes WHERE index_name = name RETURNING definition INTO def;
  IF def IS NULL OR to_regclass(quote_ident(name)) IS NOT NULL THEN
    RETURN 0; -- restored meanwhile (another connection, the start-up sweep)
  END IF;
  EXECUTE def;
  RETURN 1;
END $$;

REVOKE ALL ON FUNCTION skyguard_private.suspended_index_names(regclass) FROM PUBLIC;
REVOKE ALL ON FUNCTION skyguard_private.restore_suspended_index(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION skyguard_private.suspended_index_names(regclass) TO skyguard_app;
GRANT EXECUTE ON FUNCTION skyguard_private.restore_suspended_index(text) TO skyguard_app;
