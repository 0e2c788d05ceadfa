-- Secondary indexes are built after a large first load instead of maintained row by row (issue 6,
-- bench/supply-ingest.ts: 500k parts, 875k stock rows).
--
-- Inserting 100k parts costs ~5.4 s of backend CPU with all of parts' indexes and ~1.1 s with only
-- its unique ones (primary key, natural key, (tenant_id, id)); building the six others afterwards
-- over those rows takes ~1.7 s, the trigram search index most of it (shared 2-vCPU machine, backend
-- CPU). 150k stock rows: 1.2 s with every index, 0.37 s with the primary key only, 0.33 s to build
-- the three others. The import asks for this only when a file brings at least as many rows as the
-- whole table already holds (all tenants: the indexes are shared), so a rebuild costs at most about
-- what the load itself does; in a populated database the indexes are never dropped.
--
-- The runtime role owns no table, so two owner-defined functions do it, for a fixed set of bulk
-- tables only. Unique and constraint indexes stay (upserts arbitrate on them); every other index of
-- the table is dropped and its definition kept in suspended_indexes, from which the restore recreates
-- it. While suspended, list filters and the trigram search still answer, by scanning. A crashed
-- import leaves the definitions behind: its retry (or any later import of the table) restores them.

CREATE TABLE skyguard_private.suspended_indexes (
  index_name    text PRIMARY KEY,
  table_name    regclass NOT NULL,
  definition    text NOT NULL,
  suspended_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION skyguard_private.suspend_secondary_indexes(target regclass, incoming_rows bigint) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog SET lock_timeout = '5s' AS $$
DECLARE
  ix record;
  n integer := 0;
BEGIN
  IF target NOT IN ('parts'::regclass, 'part_aircraft_types'::regclass, 'stock_levels'::regclass) THEN
    RAISE EXCEPTION 'the indexes of % are not suspended for bulk loads', target;
  END IF;
  -- reltuples is -1 before the first ANALYZE; the imports refresh statistics after every load.
  IF incoming_rows < (SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = target) THEN
    RETURN 0;
  END IF;
  FOR ix IN
    SELECT c.relname, pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = target AND NOT i.indisunique AND NOT i.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
  LOOP
    INSERT INTO skyguard_private.suspended_indexes (index_name, table_name, definition) VALUES (ix.relname, target, ix.definition)
      ON CONFLICT (index_name) DO NOTHING;
    EXECUTE format('DROP INDEX %I', ix.relname);
    n := n + 1;
  END LOOP;
  RETURN n;
EXCEPTION WHEN lock_not_available THEN
  RETURN 0; -- the table is busy: load with the indexes in place rather than wait
END $$;

-- Builds run in the calling backend only (no parallel workers): the trigram (GIN) build, most of
-- the work, is serial in any case, and the import's database CPU stays in the session that did it.
CREATE FUNCTION skyguard_private.restore_secondary_indexes(target regclass) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog SET max_parallel_maintenance_workers = 0 AS $$
DECLARE
  ix record;
  n integer := 0;
BEGIN
  FOR ix IN DELETE FROM skyguard_private.suspended_indexes WHERE table_name = target RETURNING index_name, definition LOOP
    IF to_regclass(quote_ident(ix.index_name)) IS NULL THEN
      EXECUTE ix.definition;
      n := n + 1;
    END IF;
  END LOOP;
  RETURN n;
END $$;

REVOKE ALL ON FUNCTION skyguard_private.suspend_secondary_indexes(regclass, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION skyguard_private.restore_secondary_indexes(regclass) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION skyguard_private.suspend_secondary_indexes(regclass, bigint) TO skyguard_app;
GRANT EXECUTE ON FUNCTION skyguard_private.restore_secondary_indexes(regclass) TO skyguard_app;
