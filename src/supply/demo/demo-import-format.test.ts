import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { importPlan } from '../import/import-plan.js';
import { createDemoDataset } from './demo.generator.js';
import { demoImportFiles } from './demo-import-format.js';
import { csvDataLine } from '../../shared/csv.js';

describe('demo data as import files', () => {
  const ds = createDemoDataset({ parts: 400, suppliers: 60, seed: 9 });

  it('every generated record passes the importer’s validation, as JSON and as CSV text', () => {
    for (const { entity, records } of demoImportFiles(ds)) {
      const plan = importPlan(entity);
      let row = 1;
      let header: string[] | undefined;
      for (const record of records()) {
        header ??= Object.keys(record);
        if (row === 1) plan.checkHeader(header);
        row++;
        const json = plan.map({ row, raw: JSON.stringify(record), values: record, error: null });
        assert.ok('rows' in json, `${entity} row ${row} (JSON): ${JSON.stringify('issues' in json ? json.issues : null)} ${JSON.stringify(record)}`);
        // The CSV reader hands the importer strings, split as csvDataLine wrote them.
        const line = csvDataLine(header.map((h) => record[h] ?? null));
        const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.slice(0, header.length).map((c) => c.replace(/,$/, '').replace(/^"(.*)"$/s, '$1').replace(/""/g, '"'));
        const values = Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
        const csv = plan.map({ row, raw: line, values, error: null });
        assert.ok('rows' in csv, `${entity} row ${row} (CSV): ${JSON.stringify('issues' in csv ? csv.issues : null)} ${line}`);
      }
      assert.ok(row > 1, `${entity} has rows`);
    }
  });
});
