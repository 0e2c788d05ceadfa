-- Time-ordered part ids, for bulk imports (bench/supply-ingest.ts, 500k parts).
--
-- parts.id was gen_random_uuid(): every new part landed at a random place in parts_pkey and
-- parts_tenant_id_id_key, and so did its rows in stock_levels, demand_history and
-- part_aircraft_types, whose keys lead with part_id. Past shared_buffers each insert touched a
-- cold page and, after every checkpoint, wrote it whole to the WAL. Measured on 500k parts in 10
-- transactions (shared 2-vCPU machine, all parts indexes but the trigram one): 85 s → 56 s and
-- 1,068 → 637 MB of WAL. A UUID version 7 (RFC 9562) starts with the creation time in milliseconds,
-- so the rows of one import batch go to the right-hand edge of those indexes, whose pages stay hot.
-- The ids stay 122-bit unique-in-practice (48 bits of time, 74 random bits per millisecond); they
-- do reveal when a part was created, which created_at already says.

CREATE FUNCTION skyguard_private.uuid_v7() RETURNS uuid
  LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT encode(set_byte(v, 6, (get_byte(v, 6) & 15) | 112), 'hex')::uuid -- version nibble 7; the v4 variant bits stay
  FROM (SELECT overlay(uuid_send(gen_random_uuid())
          PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
          FROM 1 FOR 6) AS v) AS t
$$;
GRANT EXECUTE ON FUNCTION skyguard_private.uuid_v7() TO skyguard_app;

ALTER TABLE parts ALTER COLUMN id SET DEFAULT skyguard_private.uuid_v7();

-- The aircraft-type links of parts join stock_levels and demand_history as tables whose references
-- the writers guarantee (0004's header): an import writes ~1.6 links per part (800k at 500k parts)
-- and their two per-row referential triggers were a fifth of a parts batch's time (EXPLAIN ANALYZE
-- of 20,000 parts: 1.2 s of 6.5 s). The import writes a link only for a part it inserted or found
-- and an aircraft type it resolved, both through RLS-scoped lookups in the same transaction, so a
-- link cannot point at another tenant's row; the runtime role cannot delete parts or aircraft
-- types, so none can dangle (the cascades had nothing to do at runtime). Readers join the links to
-- parts and aircraft_types as before.
ALTER TABLE part_aircraft_types
  DROP CONSTRAINT part_aircraft_types_tenant_id_part_id_fkey,
  DROP CONSTRAINT part_aircraft_types_tenant_id_aircraft_type_id_fkey;
