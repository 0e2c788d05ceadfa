import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTenant } from '../../src/platform/accounts/tenant-admin.js';
import { startImportHarness, type ImportHarness } from './supply-import-support.js';

let h: ImportHarness;
before(async () => {
  h = await startImportHarness();
});
after(() => h.close());

const LOCATIONS = 'code,name,kind,country\nHAM,Hamburg,mro_hub,DE\nFRA,Frankfurt,store,de\n';
const TYPES = 'code,name,aircraft_class\nA320,Airbus A320,narrowbody\nB738,Boeing 737-800,narrowbody\n';
const PARTS = [
  'part_number,description,criticality,unit_cost,aog_cost,aog_cost_unit,aog_cost_source,aircraft_types',
  'PN-1,Bleed valve,no_go,1200.5,5000,hour,operator estimate,A320;B738',
  'PN-2,Seal,non_essential,3,,,,',
  'PN-3,"Actuator, hydraulic",go_if,900,,,,A320',
].join('\n');

test('entities import in dependency order; same file twice changes nothing', async () => {
  for (const [type, text] of [['locations', LOCATIONS], ['aircraft_types', TYPES], ['parts', PARTS]] as const) {
    const { imp, rejects } = await h.importText(type, 'csv', text);
    assert.equal(imp.status, 'succeeded', `${type}: ${imp.error}`);
    assert.deepEqual(rejects, []);
    assert.equal(imp.rowsInserted, imp.rowsAccepted);
  }
  const links = await h.query<{ part_number: string; code: string; essentiality: string }>(
    `SELECT p.part_number, t.code, l.essentiality FROM part_aircraft_types l JOIN parts p ON p.id = l.part_id JOIN aircraft_types t ON t.id = l.aircraft_type_id ORDER BY 1, 2`);
  assert.deepEqual(links.map((l) => `${l.part_number}/${l.code}/${l.essentiality}`), ['PN-1/A320/no_go', 'PN-1/B738/no_go', 'PN-3/A320/go_if']);
  const before = await h.query<{ xmin: string }>(`SELECT xmin::text FROM parts ORDER BY part_number`);
  const again = await h.importText('parts', 'csv', PARTS);
  assert.equal(again.imp.rowsUnchanged, 3);
  assert.equal(again.imp.rowsUpdated + again.imp.rowsInserted, 0);
  assert.deepEqual(await h.query(`SELECT xmin::text FROM parts ORDER BY part_number`), before, 'no row was rewritten');
});

test('a first load inserts without conflict checks; a batch that meets existing keys halfway falls back to the upsert with honest counts', async () => {
  await h.importText('aircraft_types', 'csv', TYPES);
  const file = (nums: number[]): string => ['part_number,description,criticality,aircraft_types', ...nums.map((n) => `FL-${n},Filter ${n},no_go,A320`)].join('\n');
  const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const first = await h.importText('parts', 'csv', file(range(1, 10)), { batchRecords: 4 });
  assert.deepEqual([first.imp.status, first.imp.rowsInserted, first.imp.rowsUnchanged], ['succeeded', 10, 0]);
  // New keys first, existing ones after them: the plain insert writes FL-11 … FL-15, then fails on FL-6.
  const second = await h.importText('parts', 'csv', file([...range(11, 15), ...range(6, 10)]));
  assert.equal(second.imp.status, 'succeeded', second.imp.error ?? '');
  assert.deepEqual([second.imp.rowsInserted, second.imp.rowsUpdated, second.imp.rowsUnchanged], [5, 0, 5]);
  const stored = await h.query<{ n: number; links: number }>(
    `SELECT count(DISTINCT p.id)::int AS n, count(l.part_id)::int AS links FROM parts p LEFT JOIN part_aircraft_types l ON l.part_id = p.id WHERE p.part_number LIKE 'FL-%'`);
  assert.deepEqual(stored, [{ n: 15, links: 15 }]);
});

test('every entity imports from CSV, JSON and NDJSON', async () => {
  const supCsv = 'code,name,country,region,ports_of_origin,contact_name,contact_email,contact_phone\nS1,Valves Ltd,GB,Europe,GBFXT;GBSOU,Ann Smith,ann@valves.example,+44 20 7946 0000\n';
  const supJson = JSON.stringify([{ code: 'S2', name: 'Aero Parts Inc', country: 'US', portsOfOrigin: ['USLAX'] }]);
  const steps: [Parameters<ImportHarness['importText']>[0], Parameters<ImportHarness['importText']>[1], string, number][] = [
    ['suppliers', 'csv', supCsv, 1],
    ['suppliers', 'json', supJson, 1],
    ['fleet', 'ndjson', '{"registration":"d-aiab","type_code":"A320","base_location_code":"HAM","in_service_date":"2015-03-01"}\n', 1],
    ['stock', 'csv', 'part_number,location_code,on_hand,reserved,on_order,safety_stock,reorder_point,min_qty,max_qty\nPN-1,HAM,4,1,2,1,2,1,10\nPN-2,FRA,0,0,0,0,,,\n', 2],
    ['offers', 'json', JSON.stringify([{ supplier_code: 'S1', part_number: 'PN-1', price: '1100', lead_time_mean: 30, lead_time_sd: 8, preferred: true },
      { supplier_code: 'S2', part_number: 'PN-1', price: 990.25, lead_time_samples: [20, 25, 41], moq: 2 }]), 2],
    ['demand', 'ndjson', '{"part_number":"PN-1","location_code":"HAM","period":"2026-01","quantity":2}\n{"part_number":"PN-1","location_code":"HAM","period":"2026-02-01","quantity":0,"returns":1,"adjustments":-1}\n', 2],
    ['deliveries', 'csv', 'supplier_code,reference,part_number,quantity,ordered_date,promised_date,actual_date\nS1,PO-1/1,PN-1,2,2026-01-02,2026-02-01,2026-02-04\nS1,PO-2/1,PN-1,1,2026-03-01,2026-04-01,\n', 2],
    ['risk_events', 'json', JSON.stringify([{ source: 'manual', source_id: 'r1', type: 'strike', title: 'Felixstowe strike', ports: ['GBFXT'], countries: ['GB'], supplier_codes: ['S1'],
      starts_at: '2026-03-01T00:00:00Z', expected_end_at: '2026-03-09', severity: 0.8, probability: 0.5, details: { note: 'union ballot' } }]), 1],
  ];
  for (const [type, format, text, n] of steps) {
    const { imp, rejects } = await h.importText(type, format, text);
    assert.equal(imp.status, 'succeeded', `${type}: ${imp.error}`);
    assert.deepEqual(rejects, [], type);
    assert.equal(imp.rowsAccepted, n, type);
  }
  const ev = await h.query<{ supplier_ids: string[]; expected_end_at: Date }>(`SELECT supplier_ids, expected_end_at FROM risk_events WHERE source_id = 'r1'`);
  const s1 = await h.query<{ id: string }>(`SELECT id FROM suppliers WHERE code = 'S1'`);
  assert.deepEqual(ev[0]!.supplier_ids, [s1[0]!.id]);
  const offer = await h.query<{ lead_time_samples_days: number[]; price: string }>(`SELECT lead_time_samples_days, price FROM supplier_offers WHERE moq = 2`);
  assert.deepEqual(offer[0], { lead_time_samples_days: [20, 25, 41], price: '990.2500' });
  const fleet = await h.query<{ registration: string }>(`SELECT registration FROM fleet_aircraft`);
  assert.deepEqual(fleet, [{ registration: 'D-AIAB' }]);
});

test('supplier contacts are stored as AES-256-GCM ciphertext only, and survive a file without contact columns', async () => {
  const rows = await h.query<{ contact_ciphertext: Buffer; contact_key_id: string; code: string }>(`SELECT code, contact_ciphertext, contact_key_id FROM suppliers WHERE code = 'S1'`);
  const blob = rows[0]!.contact_ciphertext;
  assert.ok(!blob.toString('latin1').includes('ann@valves.example'), 'no plaintext in the database');
  const plain = JSON.parse(h.deps.cipher.decrypt(blob, rows[0]!.contact_key_id, `${h.tenant.id}/suppliers/S1`));
  assert.deepEqual(plain, { name: 'Ann Smith', email: 'ann@valves.example', phone: '+44 20 7946 0000' });
  assert.throws(() => h.deps.cipher.decrypt(blob, rows[0]!.contact_key_id, `${h.tenant.id}/suppliers/S2`), 'bound to its row');
  const { imp } = await h.importText('suppliers', 'csv', 'code,name,country\nS1,Valves Ltd (renamed),GB\n');
  assert.equal(imp.rowsUpdated, 1);
  const after = await h.query<{ contact_ciphertext: Buffer; name: string; region: string }>(`SELECT contact_ciphertext, name, region FROM suppliers WHERE code = 'S1'`);
  assert.deepEqual(after[0]!.contact_ciphertext, blob, 'contact untouched');
  assert.equal(after[0]!.region, 'Europe', 'columns the file does not have are kept');
  const again = await h.importText('suppliers', 'csv', 'code,name,country,region,ports_of_origin,contact_name,contact_email,contact_phone\nS1,Valves Ltd (renamed),GB,Europe,GBFXT;GBSOU,Ann Smith,ann@valves.example,+44 20 7946 0000\n');
  assert.equal(again.imp.rowsUnchanged, 1, 'same contact → unchanged, though its ciphertext would differ');
});

test('rows that fail a rule are rejected with row, column and reason; the others are imported', async () => {
  const text = [
    'part_number,location_code,on_hand,reserved,min_qty,max_qty',
    'PN-3,HAM,5,0,,',
    'PN-9,HAM,1,0,,',
    'PN-3,NOWHERE,1,0,,',
    'PN-3,FRA,-1,0,,',
    'PN-3,FRA,x,0,,',
    'PN-3,FRA,1,0,9,3',
    ',FRA,1,0,,',
    'PN-3,HAM,7,0,,',
    'PN-3,FRA,1,0',
  ].join('\n');
  const { imp, rejects } = await h.importText('stock', 'csv', text);
  assert.equal(imp.status, 'succeeded');
  assert.equal(imp.rowsAccepted, 1);
  assert.equal(imp.rowsRejected, 8);
  const got = rejects.map((r) => `${r.row}|${r.column}|${r.reason}`);
  const expect: [number, string, RegExp][] = [
    [3, 'part_number', /no part with part_number "PN-9"/],
    [4, 'location_code', /no location with code "NOWHERE"/],
    [5, 'on_hand', /between 0/],
    [6, 'on_hand', /whole number/],
    [7, 'min_qty', /max_qty/],
    [8, 'part_number', /required/],
    [9, 'part_number', /duplicates row 2/],
    [10, 'null', /4 cells but the header has 6/],
  ];
  for (const [row, column, reason] of expect) assert.ok(got.some((g) => { const [r, c, m] = g.split('|'); return Number(r) === row && c === column && reason.test(m!); }), `row ${row} ${column}: ${got.join('\n')}`);
  assert.equal(rejects.find((r) => r.row === 5)!.raw, 'PN-3,FRA,-1,0,,');
  assert.deepEqual(await h.query(`SELECT on_hand FROM stock_levels s JOIN parts p ON p.id = s.part_id WHERE p.part_number = 'PN-3'`), [{ on_hand: 5 }]);
});

test('a file-level problem fails the import with its reason', async () => {
  const cases: [Parameters<ImportHarness['importText']>[0], 'csv' | 'json' | 'ndjson', string, RegExp][] = [
    ['parts', 'csv', 'part_number,colour\nP,red\n', /unknown column\(s\) for parts: colour/],
    ['stock', 'csv', 'part_number,on_hand\nP,1\n', /missing required column\(s\) for stock: location_code/],
    ['parts', 'json', '{"part_number": "P"}', /does not start with \[/],
    ['parts', 'csv', '', /empty/],
    ['raf', 'csv', 'part_number\nP\n', /not the RAF layout/],
  ];
  for (const [type, format, text, reason] of cases) {
    const { imp } = await h.importText(type, format, text);
    assert.equal(imp.status, 'failed', text);
    assert.match(imp.error ?? '', reason);
  }
});

test("part links and stock resolve only the importing tenant's aircraft types and parts (the writers are the references' guard)", async () => {
  const other = await createTenant(h.db.ownerPool, 'supply-import-other', 'Other tenant');
  for (const [type, text] of [['aircraft_types', 'code,name,aircraft_class\nB789,Boeing 787-9,widebody\n'], ['parts', 'part_number,description\nOTHER-1,Theirs\n'],
    ['locations', 'code,name\nOTH,Other store\n']] as const) {
    assert.equal((await h.importText(type, 'csv', text, {}, other)).imp.status, 'succeeded');
  }
  const parts = await h.importText('parts', 'csv', 'part_number,criticality,aircraft_types\nMINE-1,no_go,B789\nMINE-2,no_go,A320\n');
  assert.deepEqual(parts.rejects.map((r) => [r.row, r.column, r.reason]), [[2, 'aircraft_types', 'no aircraft type with code "B789" exists (import it first)']]);
  const stock = await h.importText('stock', 'csv', 'part_number,location_code,on_hand\nOTHER-1,HAM,1\nMINE-2,OTH,1\nMINE-2,HAM,1\n');
  assert.deepEqual(stock.rejects.map((r) => [r.row, r.column]), [[2, 'part_number'], [3, 'location_code']]);
  const links = await h.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM part_aircraft_types l JOIN parts p ON p.id = l.part_id JOIN aircraft_types t ON t.id = l.aircraft_type_id WHERE p.part_number = 'MINE-2'`);
  assert.deepEqual(links, [{ n: 1 }]);
  const all = await h.db.ownerPool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM part_aircraft_types l JOIN parts p ON p.id = l.part_id AND p.tenant_id = l.tenant_id
     JOIN aircraft_types t ON t.id = l.aircraft_type_id AND t.tenant_id = l.tenant_id`);
  const total = await h.db.ownerPool.query<{ n: number }>(`SELECT count(*)::int AS n FROM part_aircraft_types`);
  assert.ok(total.rows[0]!.n > 0);
  assert.equal(all.rows[0]!.n, total.rows[0]!.n, 'every link points at a part and an aircraft type of its own tenant');
});
