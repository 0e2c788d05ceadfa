-- One row in every engine table for the tenant :tenant, written as the owner so the isolation test
-- (test/platform/tenant-isolation.test.ts) can check that each tenant sees only its own rows.
-- Platform tables (users, keys, sessions, audit) are filled through the real code paths instead.
-- A new tenant table needs a row here: the isolation test fails until it has one.
INSERT INTO aircraft (tenant_id, name, type) VALUES (:tenant, 'fixture', 'multirotor');
INSERT INTO flights (tenant_id, aircraft_id, blob_sha256, size_bytes, status, format)
  SELECT :tenant, id, repeat('a', 64), 1, 'decoded', 'ulog' FROM aircraft WHERE tenant_id = :tenant;
INSERT INTO flight_signals (tenant_id, flight_id, signal_id, name, unit, source, sample_count, t_start, t_end, level_counts)
  SELECT :tenant, id, 1, 'altitude', 'm', 'fixture', 1, 0, 0, '{1}' FROM flights WHERE tenant_id = :tenant;
INSERT INTO flight_signal_chunks (tenant_id, flight_id, signal_id, level, seq, t_start, t_end, n, t, v)
  SELECT :tenant, id, 1, 0, 0, 0, 0, 1, '\x0000000000000000', '\x0000000000000000' FROM flights WHERE tenant_id = :tenant;
INSERT INTO flight_analyses (tenant_id, flight_id, flight_at, engine_version, schema_version, thresholds_version, report, risk_score, risk_level, vehicle_type, report_sha256)
  SELECT :tenant, id, now(), 'fixture', '1', '1', '{}', 0, 'low', 'multirotor', repeat('b', 64) FROM flights WHERE tenant_id = :tenant;
INSERT INTO flight_analysis_failures (tenant_id, flight_id, engine_version, code, message)
  SELECT :tenant, id, 'fixture-old', 'FIXTURE', 'fixture' FROM flights WHERE tenant_id = :tenant;

INSERT INTO aircraft_types (tenant_id, code, name, aircraft_class) VALUES (:tenant, 'A320', 'A320', 'narrowbody');
INSERT INTO fleet_aircraft (tenant_id, registration, aircraft_type_id) SELECT :tenant, 'G-FIXT', id FROM aircraft_types WHERE tenant_id = :tenant;
INSERT INTO locations (tenant_id, code, name) VALUES (:tenant, 'LHR', 'Heathrow stores');
INSERT INTO parts (tenant_id, part_number) VALUES (:tenant, 'PN-1');
INSERT INTO part_aircraft_types (tenant_id, part_id, aircraft_type_id)
  SELECT :tenant, p.id, t.id FROM parts p, aircraft_types t WHERE p.tenant_id = :tenant AND t.tenant_id = :tenant;
INSERT INTO stock_levels (tenant_id, part_id, location_id)
  SELECT :tenant, p.id, l.id FROM parts p, locations l WHERE p.tenant_id = :tenant AND l.tenant_id = :tenant;
INSERT INTO demand_history (tenant_id, part_id, location_id, period, quantity)
  SELECT :tenant, p.id, l.id, '2026-01-01', 1 FROM parts p, locations l WHERE p.tenant_id = :tenant AND l.tenant_id = :tenant;
INSERT INTO suppliers (tenant_id, code, name, country) VALUES (:tenant, 'S1', 'Supplier', 'GB');
INSERT INTO supplier_offers (tenant_id, supplier_id, part_id, price, lead_time_mean_days)
  SELECT :tenant, s.id, p.id, 1, 10 FROM suppliers s, parts p WHERE s.tenant_id = :tenant AND p.tenant_id = :tenant;
INSERT INTO supplier_deliveries (tenant_id, supplier_id, part_id, reference, quantity, promised_date)
  SELECT :tenant, s.id, p.id, 'PO-1', 1, '2026-01-01' FROM suppliers s, parts p WHERE s.tenant_id = :tenant AND p.tenant_id = :tenant;
INSERT INTO risk_events (tenant_id, type, title, starts_at, severity, source, source_id) VALUES (:tenant, 'strike', 'Strike', now(), 0.5, 'fixture', 'e1');
INSERT INTO imports (tenant_id, entity, format, file_key, byte_size, content_sha256) VALUES (:tenant, 'parts', 'csv', 'fixture', 0, repeat('c', 64));
INSERT INTO import_rejects (tenant_id, import_id, row_number, reason) SELECT :tenant, id, 1, 'fixture' FROM imports WHERE tenant_id = :tenant;

INSERT INTO inventory_events (tenant_id, event_id, part_id, location_id, kind, quantity, occurred_at, source, channel, outcome, payload_sha256)
  SELECT :tenant, 'ev-1', p.id, l.id, 'receipt', 1, now(), 'fixture', 'api', 'applied', '\x00' FROM parts p, locations l WHERE p.tenant_id = :tenant AND l.tenant_id = :tenant;
INSERT INTO inventory_event_dead_letters (tenant_id, channel, reason_code, reason, payload, payload_bytes, payload_sha256)
  VALUES (:tenant, 'api', 'FIXTURE', 'fixture', '{}', 2, '\x00');
INSERT INTO domain_event_outbox (tenant_id, topic, payload) VALUES (:tenant, 'supply.stock_changed', '{}');

INSERT INTO risk_runs (tenant_id, kind, engine_version, input_digest, items, scored, refused, changed, started_at)
  VALUES (:tenant, 'full', 'fixture', repeat('d', 64), 1, 1, 0, 1, now());
INSERT INTO risk_scores (tenant_id, part_id, location_id, status, score, level, expected_exposure, engine_version, input_digest, run_id, scored_at)
  SELECT :tenant, p.id, l.id, 'scored', 50, 'high', 10, 'fixture', decode(repeat('00', 32), 'hex'), r.id, now()
  FROM parts p, locations l, risk_runs r WHERE p.tenant_id = :tenant AND l.tenant_id = :tenant AND r.tenant_id = :tenant;
INSERT INTO risk_score_history (tenant_id, part_id, location_id, scored_at, run_id, score, level, stockout_probability, expected_exposure, engine_version, input_digest)
  SELECT :tenant, part_id, location_id, now(), run_id, 50, 'high', 0.5, 10, 'fixture', input_digest FROM risk_scores WHERE tenant_id = :tenant;
INSERT INTO risk_alerts (tenant_id, part_id, location_id, level, previous_level, dedupe_key, score, stockout_probability, expected_exposure, reason, trigger, run_id, raised_at)
  SELECT :tenant, part_id, location_id, 'high', 'low', 'fixture', 50, 0.5, 10, 'fixture', 'full', run_id, now() FROM risk_scores WHERE tenant_id = :tenant;
