import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startImportHarness, type ImportHarness } from './supply-import-support.js';
import { missingSharedNotice, sharedFile } from '../support/shared-data.js';

const RAF = 'mrodata/raf_spares_monthly_demand.csv';
const CYPORT = 'mrodata/cyport_port_cyclone_disruptions.csv';
const rafPath = sharedFile(RAF);
const cyportPath = sharedFile(CYPORT);

let h: ImportHarness;
before(async () => {
  h = await startImportHarness('supply-real');
});
after(() => h.close());

test('RAF spares: 5,000 parts and 420,000 demand months, zero rejects, idempotent', { skip: rafPath ? false : missingSharedNotice(RAF) }, async () => {
  const text = await readFile(rafPath!);
  const { imp, rejects } = await h.importText('raf', 'csv', text);
  assert.equal(imp.status, 'succeeded', imp.error ?? '');
  assert.deepEqual(rejects, []);
  assert.equal(imp.rowsAccepted, 5000);
  assert.deepEqual(imp.report.entities, {
    parts: { inserted: 5000, updated: 0, unchanged: 0 },
    demand: { inserted: 420_000, updated: 0, unchanged: 0 },
  });
  const [stats] = await h.query<{ parts: number; months: number; zero_share: number; total: number; first: string; last: string }>(
    `SELECT count(DISTINCT part_id)::int AS parts, count(*)::int AS months, avg((quantity = 0)::int)::float AS zero_share, sum(quantity)::int AS total,
            min(period)::text AS first, max(period)::text AS last FROM demand_history`);
  assert.equal(stats!.parts, 5000);
  assert.equal(stats!.first, '1996-01-01');
  assert.equal(stats!.last, '2002-12-01');
  assert.ok(Math.abs(stats!.zero_share - 0.9) < 0.01, `SOURCES.md: 90.0% of cells are zero (got ${stats!.zero_share})`);
  assert.ok(Math.abs(stats!.total / 420_000 - 1.44) < 0.01, 'mean demand 1.44 units per part-month');
  const [p1] = await h.query<{ description: string; unit_cost: string; currency: string; lead_time_days: number; external_ref: string }>(
    `SELECT description, unit_cost, currency, lead_time_days, external_ref FROM parts WHERE part_number = 'RAF-1'`);
  assert.equal(p1!.currency, 'GBP');
  assert.equal(p1!.external_ref, '1');

  const again = await h.importText('raf', 'csv', text);
  assert.deepEqual(again.imp.report.entities, {
    parts: { inserted: 0, updated: 0, unchanged: 5000 },
    demand: { inserted: 0, updated: 0, unchanged: 420_000 },
  });
});

test('CyPort: 1,927 weather port-disruption events, zero rejects, matching the risk engine window', { skip: cyportPath ? false : missingSharedNotice(CYPORT) }, async () => {
  const { imp, rejects } = await h.importText('cyport', 'csv', await readFile(cyportPath!));
  assert.equal(imp.status, 'succeeded', imp.error ?? '');
  assert.deepEqual(rejects, []);
  assert.equal(imp.rowsInserted, 1927);
  const [s] = await h.query<{ n: number; storms: number; ports: number; types: string[]; min_days: number; max_days: number; mean_days: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT details->>'stormId')::int AS storms, count(DISTINCT details->>'portId')::int AS ports,
            array_agg(DISTINCT type) AS types, min(extract(epoch FROM expected_end_at - starts_at) / 86400)::float AS min_days,
            max(extract(epoch FROM expected_end_at - starts_at) / 86400)::float AS max_days,
            avg(extract(epoch FROM expected_end_at - starts_at) / 86400)::float AS mean_days FROM risk_events WHERE source = 'cyport'`);
  assert.deepEqual({ n: s!.n, storms: s!.storms, ports: s!.ports, types: s!.types }, { n: 1927, storms: 90, ports: 122, types: ['weather'] });
  assert.ok(Math.abs(s!.mean_days - 2.56) < 0.01, `risk-model.md: mean window+recovery 2.56 d (got ${s!.mean_days})`);
  const [e] = await h.query<{ regions: string[]; countries: string[]; severity: number }>(
    `SELECT regions, countries, severity FROM risk_events WHERE source_id = '2017228N14314:35'`);
  assert.deepEqual(e, { regions: ['US-TX'], countries: ['US'], severity: 1 });
});
