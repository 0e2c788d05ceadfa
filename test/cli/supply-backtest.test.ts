import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { missingSharedNotice, sharedFile } from '../support/shared-data.js';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', '..', 'src', 'main', 'cli.ts');
const skyguard = (...args: string[]) => run(process.execPath, ['--import', 'tsx', cli, ...args]).then(
  (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
  (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
);

const raf = sharedFile('mrodata/raf_spares_monthly_demand.csv');
test('skyguard supply backtest --json on the real RAF data', { skip: raf ? false : missingSharedNotice('mrodata/raf_spares_monthly_demand.csv') }, async () => {
  const r = await skyguard('supply', 'backtest', raf!, '--json');
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { series: number; classes: Record<string, number>; methods: Record<string, Record<string, number>> };
  assert.equal(report.series, 5000);
  assert.deepEqual(report.classes, { smooth: 0, intermittent: 2597, erratic: 0, lumpy: 2403 });
  for (const m of ['naive', 'snaive', 'mean', 'ses', 'croston', 'sba', 'tsb', 'adida', 'bootstrap', 'auto']) {
    for (const k of ['mase_s12', 'mase_1', 'rmsse', 'sme']) assert.equal(typeof report.methods[m]?.[k], 'number', `${m}.${k}`);
  }
  assert.equal(report.methods.snaive!.mase_s12!.toFixed(4), '1.0302');
});

test('skyguard supply backtest refuses bad input with a clear message and exit 1', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sg-cli-'));
  const cases: [string, string[], RegExp][] = [
    ['missing file', [join(dir, 'nope.csv')], /NOT_FOUND/],
    ['non-numeric cell', [await file(dir, 'a.csv', 'id,2020-01,2020-02\np1,1,x\n')], /SERIES_CSV_NON_NUMERIC.*line 2/],
    ['no period columns', [await file(dir, 'b.csv', 'id,name\np1,x\n')], /SERIES_CSV_/],
    ['ragged row', [await file(dir, 'c.csv', 'id,2020-01,2020-02\np1,1\n')], /SERIES_CSV_/],
    ['binary junk', [await file(dir, 'd.csv', '\u0000\u00ff\u0001garbage')], /SERIES_CSV_|error/],
    ['bad holdout', [await file(dir, 'e.csv', 'id,2020-01\np1,1\n'), '--holdout', '-3'], /holdout/],
    ['bad missing mode', [await file(dir, 'f.csv', 'id,2020-01\np1,1\n'), '--missing', 'drop'], /missing/],
  ];
  for (const [name, args, message] of cases) {
    const r = await skyguard('supply', 'backtest', ...args);
    assert.equal(r.code, 1, `${name}: exit code`);
    assert.match(r.stderr, message, name);
    assert.doesNotMatch(r.stderr, /\n\s+at /, `${name}: no stack trace`);
  }
});

async function file(dir: string, name: string, content: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, content);
  return p;
}
