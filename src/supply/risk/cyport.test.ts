import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { missingSharedNotice, sharedFile } from '../../../test/support/shared-data.js';
import { parseCyportCsv, parseCyportDate, weatherDurationFromCyport } from './cyport.js';
import { SupplyRiskError } from './supply-risk-error.js';

const REL = 'mrodata/cyport_port_cyclone_disruptions.csv';
const path = sharedFile(REL);

describe('CyPort parser', () => {
  it('parses M/D/YYYY with or without a time, and rejects impossible dates', () => {
    assert.equal(parseCyportDate('1/2/2020'), Date.UTC(2020, 0, 2) / 86_400_000);
    assert.equal(parseCyportDate('9/10/2017 0:00'), Date.UTC(2017, 8, 10) / 86_400_000);
    assert.equal(parseCyportDate('2/30/2020'), undefined);
    assert.equal(parseCyportDate('2020-01-02'), undefined);
  });

  it('handles BOM, CRLF, quoted commas, and keeps bad rows as rejects', () => {
    const text =
      '\ufeffSID,PORT_ID,port,start_date,end_date,day_of_recover,end_recovery_date\r\n' +
      'S1,1,"Port Arthur, TX",8/25/2017,8/31/2017,11,9/11/2017 0:00\r\n' +
      'S2,2,"Mobile, AL",9/1/2020,8/30/2020,0,0\r\n' +
      'S3,3,Tampa,13/1/2020,1/2/2020,0,0\r\n' +
      'S4,4,Miami,1/1/2020,1/2/2020,x,0\r\n' +
      'S5,5,Houston,1/1/2020,1/1/2020,0,0\r\n';
    const { records, rejects } = parseCyportCsv(text);
    assert.equal(records.length, 2);
    assert.equal(records[0]!.port, 'Port Arthur, TX');
    assert.equal(records[0]!.dayOfRecover, 11);
    assert.equal(records[1]!.endRecoveryDay, undefined);
    assert.deepEqual(
      rejects.map((r) => r.line),
      [3, 4, 5],
    );
    assert.match(rejects[0]!.reason, /before start_date/);
    const d = weatherDurationFromCyport(records);
    // (31 − 25 + 1) + 11 = 18 and (0 + 1) + 0 = 1.
    assert.deepEqual([...d.days], [1, 18]);
  });

  it('refuses a header without the required columns', () => {
    assert.throws(
      () => parseCyportCsv('SID,port\nS1,x\n'),
      (e: unknown) => e instanceof SupplyRiskError && e.field.startsWith('cyport.header'),
    );
  });

  it(
    'parses the real CyPort file: 1,927 rows, recovery 0..11',
    { skip: path === undefined ? missingSharedNotice(REL) : false },
    () => {
      const { records, rejects } = parseCyportCsv(readFileSync(path!, 'utf8'));
      assert.equal(records.length, 1927);
      assert.equal(rejects.length, 0);
      const recover = records.map((r) => r.dayOfRecover);
      assert.equal(Math.min(...recover), 0);
      assert.equal(Math.max(...recover), 11);
      assert.equal(new Set(records.map((r) => r.stormId)).size, 90);
      assert.equal(new Set(records.map((r) => r.portId)).size, 122);
      const windows = records.map((r) => r.endDay - r.startDay);
      assert.equal(Math.min(...windows), 0);
      assert.equal(Math.max(...windows), 8);
      const recovery = weatherDurationFromCyport(records, 'recovery_only');
      const full = weatherDurationFromCyport(records);
      assert.ok(recovery.days.length <= 8 && full.days.length <= 8);
      assert.ok(Math.abs(recovery.mean - recover.reduce((s, x) => s + x, 0) / records.length) < 1e-9);
      assert.ok(full.mean > 2 && full.mean < 4, `window+recovery mean ${full.mean}`);
    },
  );
});
