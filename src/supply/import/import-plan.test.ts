import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { importPlan, RecordValidator } from './import-plan.js';
import { readRecords } from './record-stream.js';
import type { ImportType, SourceRecord } from './import-types.js';
import { KeySet } from './key-set.js';
import { sharedFile, missingSharedNotice } from '../../../test/support/shared-data.js';

const rec = (values: Record<string, unknown>, row = 2): SourceRecord => ({ row, raw: JSON.stringify(values), values, error: null });

function check(type: ImportType, values: Record<string, unknown>): { column: string | null; reason: string }[] {
  const r = new RecordValidator(importPlan(type)).validate(rec(values));
  return 'rejected' in r ? [...r.rejected.issues] : [];
}

test('a valid part keeps its values, fills defaults and records which fields were given', () => {
  const v = new RecordValidator(importPlan('parts')).validate(rec({ part_number: 'PN-1', unit_cost: '12.5', criticality: 'No Go', aircraft_types: 'a320; b738', lead_time: '2', lead_time_unit: 'weeks' }));
  assert.ok('accepted' in v);
  const row = v.accepted.rows[0]!;
  assert.deepEqual(row.row, {
    partNumber: 'PN-1', description: '', category: null, criticality: 'no_go', unitOfMeasure: 'EA', unitCost: 12.5, currency: 'USD', aogCost: null,
    aogCostUnit: null, aogCostSource: null, leadTimeDays: 14, externalRef: null, aircraftTypes: ['A320', 'B738'],
  });
  assert.deepEqual([...row.present!].sort(), ['aircraft_types', 'criticality', 'lead_time', 'lead_time_unit', 'part_number', 'unit_cost']);
});

test('each field rule refuses its bad value, naming the column', () => {
  const cases: [ImportType, Record<string, unknown>, string, RegExp][] = [
    ['parts', { description: 'x' }, 'part_number', /required/],
    ['parts', { part_number: 'P', unit_cost: '-1' }, 'unit_cost', /at least 0/],
    ['parts', { part_number: 'P', unit_cost: 'abc' }, 'unit_cost', /number/],
    ['parts', { part_number: 'P', criticality: 'urgent' }, 'criticality', /one of/],
    ['parts', { part_number: 'P', currency: 'dollars' }, 'currency', /ISO 4217/],
    ['parts', { part_number: 'P', aog_cost: '100', aog_cost_source: 's' }, 'aog_cost_unit', /required with aog_cost/],
    ['parts', { part_number: 'P', aog_cost: '100', aog_cost_unit: 'day' }, 'aog_cost_source', /where the figure/],
    ['parts', { part_number: 'P', aircraft_types: 'A320' }, 'aircraft_types', /non_essential/],
    ['parts', { part_number: 'P', lead_time: '200', lead_time_unit: 'months' }, 'lead_time', /3650/],
    ['parts', { part_number: ' P;Q' }, 'part_number', /without surrounding spaces/],
    ['parts', { part_number: 'P', description: 'a\u0000b' }, 'description', /control characters/],
    ['parts', { part_number: 'P', colour: 'red' }, 'colour', /not a field/],
    ['stock', { part_number: 'P', location_code: 'L', on_hand: '-3' }, 'on_hand', /between 0/],
    ['stock', { part_number: 'P', location_code: 'L', on_hand: '1.5' }, 'on_hand', /whole number/],
    ['stock', { part_number: 'P', location_code: 'L', on_hand: 1, min_qty: 5, max_qty: 2 }, 'min_qty', /max_qty/],
    ['suppliers', { code: 'S', name: 'n', country: 'XX' }, 'country', /ISO 3166/],
    ['suppliers', { code: 'S', name: 'n', country: 'DE', contact_email: 'not-an-email' }, 'contact_email', /email/],
    ['offers', { supplier_code: 'S', part_number: 'P', price: 1 }, 'lead_time_mean', /required unless/],
    ['offers', { supplier_code: 'S', part_number: 'P', price: 1, lead_time_mean: 5, valid_from: '2026-02-01', valid_to: '2026-01-01' }, 'valid_to', /before valid_from/],
    ['demand', { part_number: 'P', location_code: 'L', period: '2026-13', quantity: 1 }, 'period', /month/],
    ['deliveries', { supplier_code: 'S', reference: 'R', part_number: 'P', quantity: 1, ordered_date: '2026-03-01', promised_date: '2026-02-01' }, 'promised_date', /before ordered_date/],
    ['deliveries', { supplier_code: 'S', reference: 'R', part_number: 'P', quantity: 1, promised_date: '2026-02-30' }, 'promised_date', /date/],
    ['risk_events', { source: 's', source_id: '1', type: 'strike', title: 't', starts_at: '2026-01-02', severity: 0.5 }, 'countries', /at least one/],
    ['risk_events', { source: 's', source_id: '1', type: 'strike', title: 't', countries: 'DE', starts_at: '2026-01-02T10:00', severity: 0.5 }, 'starts_at', /time zone/],
    ['risk_events', { source: 's', source_id: '1', type: 'strike', title: 't', countries: 'DE', starts_at: '2026-01-02', actual_end_at: '2026-01-01', severity: 0.5 }, 'actual_end_at', /before starts_at/],
    ['risk_events', { source: 's', source_id: '1', type: 'strike', title: 't', countries: 'DE', starts_at: '2026-01-02', severity: 5 }, 'severity', /at most 1/],
    ['locations', { code: 'L', name: 'n', latitude: 10 }, 'longitude', /together/],
    ['fleet', { registration: 'D AIAB', type_code: 'A320' }, 'registration', /letters, digits/],
    ['aircraft_types', { code: 'A320', name: 'n', aircraft_class: 'jumbo' }, 'aircraft_class', /one of/],
  ];
  for (const [type, values, column, reason] of cases) {
    const issues = check(type, values);
    assert.ok(issues.some((i) => i.column === column && reason.test(i.reason)), `${type} ${JSON.stringify(values)} → ${JSON.stringify(issues)}`);
  }
});

test('a natural key repeated within a file is refused, naming the first row', () => {
  const v = new RecordValidator(importPlan('stock'));
  assert.ok('accepted' in v.validate(rec({ part_number: 'P', location_code: 'L', on_hand: 1 }, 2)));
  const dup = v.validate(rec({ part_number: 'P', location_code: 'L', on_hand: 2 }, 9));
  assert.ok('rejected' in dup);
  assert.match(dup.rejected.issues[0]!.reason, /duplicates row 2/);
});

test('KeySet keeps a million keys exactly and grows', () => {
  const s = new KeySet(4);
  for (let i = 0; i < 1_000_000; i++) assert.equal(s.addOrGet(`PN-${i}\u0001LOC\u00012026-01-01`, i + 2), undefined);
  assert.equal(s.size, 1_000_000);
  assert.equal(s.addOrGet('PN-777\u0001LOC\u00012026-01-01', 5), 779);
});

async function runFile(type: ImportType, path: string): Promise<{ accepted: number; rows: Map<string, number>; rejects: string[] }> {
  const validator = new RecordValidator(importPlan(type));
  let accepted = 0;
  const rows = new Map<string, number>();
  const rejects: string[] = [];
  for await (const chunk of readRecords(createReadStream(path), 'csv')) {
    validator.header(chunk.columns);
    for (const r of chunk.records) {
      const v = validator.validate(r);
      if ('rejected' in v) rejects.push(`${r.row}: ${JSON.stringify(v.rejected.issues)}`);
      else {
        accepted++;
        for (const x of v.accepted.rows) rows.set(x.entity, (rows.get(x.entity) ?? 0) + 1);
      }
    }
  }
  return { accepted, rows, rejects };
}

const raf = sharedFile('mrodata/raf_spares_monthly_demand.csv');
test('RAF file: 5,000 parts and 420,000 monthly demand rows, no rejects', { skip: raf ? false : missingSharedNotice('mrodata/raf_spares_monthly_demand.csv') }, async () => {
  const r = await runFile('raf', raf!);
  assert.deepEqual(r.rejects, []);
  assert.equal(r.accepted, 5000);
  assert.equal(r.rows.get('parts'), 5000);
  assert.equal(r.rows.get('demand'), 5000 * 84);
});

const cyport = sharedFile('mrodata/cyport_port_cyclone_disruptions.csv');
test('CyPort file: 1,927 weather events, no rejects', { skip: cyport ? false : missingSharedNotice('mrodata/cyport_port_cyclone_disruptions.csv') }, async () => {
  const r = await runFile('cyport', cyport!);
  assert.deepEqual(r.rejects, []);
  assert.equal(r.rows.get('risk_events'), 1927);
});
