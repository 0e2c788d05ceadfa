import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startImportHarness, type ImportHarness } from './supply-import-support.js';
import type { ImportType } from '../../src/supply/import/index.js';

/**
 * Every validation rule, each with one failing row, imported through the real runner into
 * PostgreSQL: the row is refused with its column and reason and the valid row beside it is stored.
 */
let h: ImportHarness;
before(async () => {
  h = await startImportHarness('supply-rules');
  await h.importText('locations', 'csv', 'code,name\nL1,Store\n');
  await h.importText('aircraft_types', 'csv', 'code,name,aircraft_class\nA320,A320,narrowbody\n');
  await h.importText('parts', 'csv', 'part_number\nP\n');
  await h.importText('suppliers', 'csv', 'code,name,country\nS,Supplier,DE\n');
});
after(() => h.close());

const EVENT = { source: 's', type: 'strike', title: 't', countries: ['DE'], starts_at: '2026-01-02', severity: 0.5 };
const CASES: Record<string, [Record<string, unknown>, Record<string, unknown>, string, RegExp][]> = {
  parts: [
    [{ part_number: 'OK-1' }, { description: 'x' }, 'part_number', /required/],
    [{ part_number: 'OK-2' }, { part_number: 'N1', unit_cost: -1 }, 'unit_cost', /at least 0/],
    [{ part_number: 'OK-3' }, { part_number: 'N2', unit_cost: 'abc' }, 'unit_cost', /number/],
    [{ part_number: 'OK-4' }, { part_number: 'N3', criticality: 'urgent' }, 'criticality', /one of/],
    [{ part_number: 'OK-5' }, { part_number: 'N4', currency: 'dollars' }, 'currency', /ISO 4217/],
    [{ part_number: 'OK-6' }, { part_number: 'N5', aog_cost: 100, aog_cost_source: 's' }, 'aog_cost_unit', /required with aog_cost/],
    [{ part_number: 'OK-7' }, { part_number: 'N6', aog_cost: 100, aog_cost_unit: 'day' }, 'aog_cost_source', /where the figure/],
    [{ part_number: 'OK-8' }, { part_number: 'N7', criticality: 'go', aircraft_types: ['B747'] }, 'aircraft_types', /no aircraft type with code "B747"/],
    [{ part_number: 'OK-9' }, { part_number: 'N8', aircraft_types: ['A320'] }, 'aircraft_types', /non_essential/],
    [{ part_number: 'OK-10' }, { part_number: 'N9', lead_time: 200, lead_time_unit: 'months' }, 'lead_time', /3650/],
    [{ part_number: 'OK-11' }, { part_number: 'N10', description: 'a\u0000b' }, 'description', /control characters/],
    [{ part_number: 'OK-12' }, { part_number: 'N11', colour: 'red' }, 'colour', /not a field/],
    [{ part_number: 'OK-13' }, { part_number: 'OK-13' }, 'part_number', /duplicates row/],
  ],
  stock: [
    [{ part_number: 'P', location_code: 'L1', on_hand: 1 }, { part_number: 'P', location_code: 'L1', on_hand: 2 }, 'part_number', /duplicates row/],
    [{ part_number: 'P', location_code: 'L1', on_hand: 1 }, { part_number: 'P', location_code: 'L9', on_hand: 1 }, 'location_code', /no location/],
    [{ part_number: 'P', location_code: 'L1', on_hand: 1 }, { part_number: 'Q', location_code: 'L1', on_hand: 1 }, 'part_number', /no part/],
    [{ part_number: 'P', location_code: 'L1', on_hand: 1 }, { part_number: 'P', location_code: 'L1', on_hand: 1.5 }, 'on_hand', /whole number/],
    [{ part_number: 'P', location_code: 'L1', on_hand: 1 }, { part_number: 'P', location_code: 'L1', on_hand: 1, reorder_point: 9, max_qty: 3 }, 'reorder_point', /max_qty/],
  ],
  suppliers: [
    [{ code: 'S2', name: 'n', country: 'FR' }, { code: 'S3', name: 'n', country: 'XX' }, 'country', /ISO 3166/],
    [{ code: 'S4', name: 'n', country: 'FR' }, { code: 'S5', name: 'n', country: 'FR', contact_email: 'nope' }, 'contact_email', /email/],
    [{ code: 'S6', name: 'n', country: 'FR' }, { code: 'S7', name: 'n', country: 'FR', contact_phone: 'call me' }, 'contact_phone', /phone/],
  ],
  offers: [
    [{ supplier_code: 'S', part_number: 'P', price: 1, lead_time_mean: 5 }, { supplier_code: 'S', part_number: 'OK-1', price: 1 }, 'lead_time_mean', /required unless/],
    [{ supplier_code: 'S', part_number: 'OK-2', price: 1, lead_time_mean: 5 }, { supplier_code: 'S', part_number: 'OK-3', price: 1, lead_time_sd: 3, lead_time_samples: [4] }, 'lead_time_sd', /needs lead_time_mean/],
    [{ supplier_code: 'S', part_number: 'OK-4', price: 1, lead_time_mean: 5 }, { supplier_code: 'S', part_number: 'OK-5', price: 1, lead_time_mean: 5, valid_from: '2026-02-01', valid_to: '2026-01-01' }, 'valid_to', /before valid_from/],
    [{ supplier_code: 'S', part_number: 'OK-6', price: 1, lead_time_mean: 5 }, { supplier_code: 'ZZ', part_number: 'OK-6', price: 1, lead_time_mean: 5 }, 'supplier_code', /no supplier/],
    [{ supplier_code: 'S', part_number: 'OK-7', price: 1, lead_time_mean: 5 }, { supplier_code: 'S', part_number: 'OK-8', price: 1, moq: 0, lead_time_mean: 5 }, 'moq', /between 1/],
  ],
  demand: [
    [{ part_number: 'P', location_code: 'L1', period: '2026-01', quantity: 1 }, { part_number: 'P', location_code: 'L1', period: '2026-13', quantity: 1 }, 'period', /month/],
    [{ part_number: 'P', location_code: 'L1', period: '2026-02', quantity: 1 }, { part_number: 'P', location_code: 'L1', period: '2026-03', quantity: -2 }, 'quantity', /between 0/],
    [{ part_number: 'P', location_code: 'L1', period: '2026-04', quantity: 1 }, { part_number: 'P', location_code: 'L1', period: '2026-04-01', quantity: 2 }, 'part_number', /duplicates row/],
  ],
  deliveries: [
    [{ supplier_code: 'S', reference: 'R1', part_number: 'P', quantity: 1, promised_date: '2026-02-01' }, { supplier_code: 'S', reference: 'R2', part_number: 'P', quantity: 1, ordered_date: '2026-03-01', promised_date: '2026-02-01' }, 'promised_date', /before ordered_date/],
    [{ supplier_code: 'S', reference: 'R3', part_number: 'P', quantity: 1, promised_date: '2026-02-01' }, { supplier_code: 'S', reference: 'R4', part_number: 'P', quantity: 1, ordered_date: '2026-03-01', promised_date: '2026-03-02', actual_date: '2026-02-01' }, 'actual_date', /before ordered_date/],
    [{ supplier_code: 'S', reference: 'R5', part_number: 'P', quantity: 1, promised_date: '2026-02-01' }, { supplier_code: 'S', reference: 'R6', part_number: 'P', quantity: 1, promised_date: '2026-02-30' }, 'promised_date', /date/],
    [{ supplier_code: 'S', reference: 'R7', part_number: 'P', quantity: 1, promised_date: '2026-02-01' }, { supplier_code: 'S', reference: 'R8', part_number: 'P', quantity: 0, promised_date: '2026-02-01' }, 'quantity', /between 1/],
  ],
  risk_events: [
    [{ ...EVENT, source_id: '1' }, { ...EVENT, source_id: '2', countries: [] }, 'countries', /at least one/],
    [{ ...EVENT, source_id: '3' }, { ...EVENT, source_id: '4', starts_at: '2026-01-02T10:00' }, 'starts_at', /time zone/],
    [{ ...EVENT, source_id: '5' }, { ...EVENT, source_id: '6', actual_end_at: '2026-01-01' }, 'actual_end_at', /before starts_at/],
    [{ ...EVENT, source_id: '7' }, { ...EVENT, source_id: '8', severity: 5 }, 'severity', /at most 1/],
    [{ ...EVENT, source_id: '9' }, { ...EVENT, source_id: '10', type: 'meteor' }, 'type', /one of/],
    [{ ...EVENT, source_id: '11' }, { ...EVENT, source_id: '12', supplier_codes: ['NOPE'] }, 'supplier_codes', /no supplier/],
  ],
  locations: [[{ code: 'L2', name: 'n' }, { code: 'L3', name: 'n', latitude: 10 }, 'longitude', /together/]],
  fleet: [
    [{ registration: 'D-AIAA', type_code: 'A320' }, { registration: 'D AIAB', type_code: 'A320' }, 'registration', /letters, digits/],
    [{ registration: 'D-AIAC', type_code: 'A320' }, { registration: 'D-AIAD', type_code: 'B777' }, 'type_code', /no aircraft type/],
  ],
  aircraft_types: [[{ code: 'B738', name: 'n', aircraft_class: 'narrowbody' }, { code: 'B744', name: 'n', aircraft_class: 'jumbo' }, 'aircraft_class', /one of/]],
};

for (const [type, cases] of Object.entries(CASES)) {
  test(`${type}: each rule refuses its failing row in PostgreSQL and keeps the valid one`, async () => {
    for (const [good, bad, column, reason] of cases) {
      const { imp, rejects } = await h.importText(type as ImportType, 'ndjson', `${JSON.stringify(good)}\n${JSON.stringify(bad)}\n`);
      assert.equal(imp.status, 'succeeded', `${type}: ${imp.error}`);
      assert.equal(imp.rowsAccepted, 1, `${type} ${JSON.stringify(bad)}: ${JSON.stringify(rejects)}`);
      assert.equal(rejects.length >= 1 && rejects.every((r) => r.row === 2), true, JSON.stringify(rejects));
      assert.ok(rejects.some((r) => r.column === column && reason.test(r.reason)), `${type} ${JSON.stringify(bad)} → ${JSON.stringify(rejects)}`);
    }
  });
}
