// `skyguard flight analyze FILE --html|--pdf [--out FILE]` end to end through the real CLI, on real logs
// from ../shared (skipped with a notice when absent) and with bad options, bad files and hostile names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { missingSharedNotice, sharedFile } from '../support/shared-data.js';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', '..', 'src', 'main', 'cli.ts');
interface Result {
  code: number;
  stdout: Buffer;
  stderr: string;
}
const skyguard = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> =>
  run(process.execPath, ['--import', 'tsx', cli, ...args], { maxBuffer: 256 << 20, encoding: 'buffer', env: { ...process.env, ...env } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr.toString() }),
    (e: { code: number; stdout: Buffer; stderr: Buffer }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr.toString() }),
  );

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasChromium = existsSync(chromium);
const has = (tool: string, versionFlag = '-v'): boolean => {
  try {
    execFileSync(tool, [versionFlag], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const CUT = 'flightlogs/ardupilot_copter_4.1.3_25mm_cut_prop_hover_1.BIN';
const LOWBATT = 'flightlogs/px4_quadrotor_local_lowbatt_failsafe.ulg';
const cut = sharedFile(CUT);
const lowbatt = sharedFile(LOWBATT);

test('--html prints one self-contained report that agrees with --json (anomaly model included in both)', { skip: cut ? false : missingSharedNotice(CUT) }, async () => {
  const [html, json] = await Promise.all([skyguard(['flight', 'analyze', cut!, '--html']), skyguard(['flight', 'analyze', cut!, '--json'])]);
  assert.equal(html.code, 0, html.stderr);
  assert.equal(json.code, 0, json.stderr);
  const page = html.stdout.toString('utf8');
  const report = JSON.parse(json.stdout.toString('utf8')) as { risk: { score: number }; anomalyModel: { status: string; modelId?: string }; anomalies: unknown[]; findings: { id: string }[] };
  assert.match(page, /^<!DOCTYPE html>/);
  assert.match(page, /<\/html>\n$/);
  assert.equal(report.anomalyModel.status, 'ok', '--json runs the bundled anomaly model');
  assert.ok(page.includes(`${report.risk.score}/100`), 'same risk score');
  assert.ok(page.includes(`${report.anomalyModel.modelId}`), 'same anomaly model');
  for (const f of report.findings) assert.ok(page.includes(`id="f-${f.id.replace(/[^A-Za-z0-9_.-]/g, '_')}"`), f.id);
  for (const id of ['altitude', 'attitude', 'rates', 'vibration', 'battery', 'gps', 'estimator', 'motors', 'spectrum']) assert.ok(page.includes(`<section id="plot-${id}"`), id);
  assert.match(page, /<title>Flight report — ardupilot_copter_4\.1\.3_25mm_cut_prop_hover_1\.BIN<\/title>/);
});

test('--pdf --out writes an A4 PDF of several pages; --pdf to a pipe writes the same kind of bytes', { skip: !lowbatt ? missingSharedNotice(LOWBATT) : hasChromium ? false : `${chromium} not installed; PDF skipped` }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sg-report-'));
  const out = join(dir, 'report.pdf');
  const r = await skyguard(['flight', 'analyze', lowbatt!, '--pdf', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.length, 0, 'nothing on stdout with --out');
  const pdf = await readFile(out);
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  if (has('pdfinfo')) {
    const info = execFileSync('pdfinfo', [out], { encoding: 'utf8' });
    assert.ok(Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]) >= 2, info);
    assert.match(info, /\(A4\)/);
  } else console.log('# pdfinfo (poppler-utils) not installed: page count not checked');
  if (has('pdftotext')) {
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
    for (const heading of ['Findings', 'Plots', 'Anomalies', 'Log facts', 'Battery state']) assert.ok(text.includes(heading), heading);
  }
  const piped = await skyguard(['flight', 'analyze', lowbatt!, '--pdf']);
  assert.equal(piped.code, 0, piped.stderr);
  assert.equal(piped.stdout.subarray(0, 5).toString('latin1'), '%PDF-', 'stdout is a pipe here, so binary is allowed');
});

test('--pdf refuses to write binary to a terminal', { skip: !cut ? missingSharedNotice(CUT) : has('script', '-V') ? false : 'util-linux `script` not installed; skipped' }, async () => {
  // `script` gives the CLI a pseudo-terminal as stdout.
  const cmd = `${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(cli)} flight analyze ${JSON.stringify(cut!)} --pdf`;
  const r = await run('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8' }).then(
    (x) => ({ code: 0, out: x.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
  );
  assert.equal(r.code, 1);
  assert.match(r.out, /OUTPUT_REQUIRED: --out: a PDF is binary/);
  assert.doesNotMatch(r.out, /%PDF/);
});

test('bad options, outputs and files fail with a coded message and no stack trace', { skip: cut ? false : missingSharedNotice(CUT) }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sg-report-bad-'));
  const garbage = join(dir, 'garbage.bin');
  await writeFile(garbage, Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24));
  await mkdir(join(dir, 'a-directory'));
  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [['--json', '--html'], {}, /^BAD_OPTIONS: --json, --html: choose one output format/m],
    [['--html', '--pdf', '--out', join(dir, 'x')], {}, /^BAD_OPTIONS: /m],
    [['--html', '--out', join(dir, 'no-such-dir', 'r.html')], {}, /^OUTPUT_NOT_WRITABLE: --out: directory .*no-such-dir does not exist/m],
    [['--html', '--out', join(dir, 'a-directory')], {}, /^OUTPUT_NOT_WRITABLE: --out: .* is a directory/m],
    [['--pdf', '--out', join(dir, 'r.pdf')], { CHROMIUM_PATH: join(dir, 'no-chromium') }, /^PDF_RENDERER_UNAVAILABLE: Chromium is needed .*no-chromium.*CHROMIUM_PATH/m],
  ];
  for (const [args, env, re] of cases) {
    const r = await skyguard(['flight', 'analyze', cut!, ...args], env);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, re, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  {
    const r = await skyguard(['flight', 'analyze', garbage, '--pdf', '--out', join(dir, 'g.out')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^[A-Z_]+: /m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(await stat(join(dir, 'g.out')).catch(() => undefined), undefined, 'no output file for a failed analysis');
  }
  const missing = await skyguard(['flight', 'analyze', join(dir, 'nope.bin'), '--html']);
  assert.match(missing.stderr, /^FILE_NOT_FOUND: file:/m);
});

test('a hostile file name is escaped, and a real browser parses no script from the report', { skip: cut ? false : missingSharedNotice(CUT) }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sg-report-evil-'));
  const evilName = `"><script>alert(1)<\\script><svg onload=alert(2)>.BIN`;
  const evil = join(dir, evilName);
  await copyFile(cut!, evil);
  const out = join(dir, 'evil.html');
  const r = await skyguard(['flight', 'analyze', evil, '--html', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const page = await readFile(out, 'utf8');
  assert.ok(!page.includes(evilName));
  assert.ok(page.includes('&quot;&gt;&lt;script&gt;alert(1)'));
  if (!hasChromium) return void console.log(`# ${chromium} not installed: DOM check skipped`);
  const { stdout: dom } = await run(chromium, ['--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${join(dir, 'profile')}`, '--dump-dom', `file://${out}`], { maxBuffer: 64 << 20, encoding: 'utf8' });
  assert.match(dom, /<h1>Flight report — "&gt;&lt;script&gt;alert\(1\)/, 'the name is text in the parsed document');
  assert.doesNotMatch(dom, /<script|<svg[^>]*onload/i, 'no script element or handler attribute after parsing');
});
