import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { missingSharedNotice, sharedFile } from '../support/shared-data.js';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', '..', 'src', 'main', 'cli.ts');
const skyguard = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', cli, ...args], { maxBuffer: 64 << 20 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

const CUT = 'flightlogs/ardupilot_copter_4.1.3_25mm_cut_prop_hover_1.BIN';
const cut = sharedFile(CUT);

test('skyguard flight analyze --json prints the versioned report', { skip: cut ? false : missingSharedNotice(CUT) }, async () => {
  const r = await skyguard('flight', 'analyze', cut!, '--json');
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as {
    schemaVersion: string;
    vehicle: { type: string; confidence: number };
    risk: { score: number; level: string };
    findings: { id: string; status: string }[];
  };
  assert.match(j.schemaVersion, /^\d+\.\d+\.\d+$/);
  assert.equal(j.vehicle.type, 'multirotor');
  assert.ok(j.vehicle.confidence > 0.9);
  assert.ok(j.risk.score >= 0 && j.risk.score <= 100);
  assert.ok(['low', 'moderate', 'high', 'critical'].includes(j.risk.level));
  assert.equal(j.findings.find((f) => f.id === 'motors.imbalance:0')?.status, 'warn');
});

test('skyguard flight analyze: text output, renderer flags and hostile input fail clearly', { skip: cut ? false : missingSharedNotice(CUT) }, async () => {
  const text = await skyguard('flight', 'analyze', cut!);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^vehicle\s+multirotor/m);
  const html = await skyguard('flight', 'analyze', cut!, '--html');
  assert.equal(html.code, 0, html.stderr);
  assert.match(html.stdout, /<html[\s>]/i);
  const dir = await mkdtemp(join(tmpdir(), 'sg-analyze-'));
  const bytes = new Uint8Array(await readFile(cut!));
  const cases: [string, Uint8Array, RegExp][] = [
    ['garbage.bin', Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24), /^[A-Z_]+: /m],
    ['empty.bin', new Uint8Array(), /^[A-Z_]+: /m],
    ['ulog-magic-only.ulg', Uint8Array.from([0x55, 0x4c, 0x6f, 0x67, 0x01, 0x12, 0x35]), /^[A-Z_]+: /m],
  ];
  for (const [name, data, re] of cases) {
    const p = join(dir, name);
    await writeFile(p, data);
    const r = await skyguard('flight', 'analyze', p, '--json');
    assert.equal(r.code, 1, `${name} exits 1`);
    assert.match(r.stderr, re, `${name}: coded message`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, `${name}: no stack trace`);
  }
  const missing = await skyguard('flight', 'analyze', join(dir, 'nope.bin'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /FILE_NOT_FOUND: file:/);
  // A log cut in the middle still analyses: the valid prefix is decoded and the report says truncated.
  const half = join(dir, 'half.BIN');
  await writeFile(half, bytes.subarray(0, Math.floor(bytes.length / 3) + 7));
  const t = await skyguard('flight', 'analyze', half, '--json');
  assert.equal(t.code, 0, t.stderr);
  const j = JSON.parse(t.stdout) as { log: { completeness: string }; vehicle: { type: string } };
  assert.equal(j.log.completeness, 'truncated');
  assert.equal(j.vehicle.type, 'multirotor');
});
