import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
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
