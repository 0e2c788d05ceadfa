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

const esc = sharedFile('flightlogs/px4_esc_status_log_mission_rtl.ulg');
test('skyguard flight inspect --json on a real PX4 log', { skip: esc ? false : missingSharedNotice('flightlogs/px4_esc_status_log_mission_rtl.ulg') }, async () => {
  const r = await skyguard('flight', 'inspect', esc!, '--json');
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { format: string; completeness: string; startS: number; topics: { topic: string; instance: number }[] };
  assert.equal(j.format, 'ulog');
  assert.equal(j.completeness, 'complete');
  assert.ok(j.startS > 5000, 'the log starts ~5076 s after boot');
  assert.equal(j.topics.filter((t) => t.topic === 'actuator_outputs').length, 3, 'three actuator_outputs instances, kept apart');
});

const truncated = sharedFile('flightlogs/ardupilot_plane_truncated_64k.BIN');
test('skyguard flight inspect reports truncation and hostile files clearly', { skip: truncated ? false : missingSharedNotice('flightlogs/ardupilot_plane_truncated_64k.BIN') }, async () => {
  const human = await skyguard('flight', 'inspect', truncated!);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /completeness\s+truncated/);
  const dir = await mkdtemp(join(tmpdir(), 'sg-inspect-'));
  const cases: [string, Uint8Array][] = [
    ['empty.bin', new Uint8Array()],
    ['random.bin', Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)],
    ['gzip.bin', Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])],
    ['ulog-magic-only.ulg', Uint8Array.from([0x55, 0x4c, 0x6f, 0x67, 0x01, 0x12, 0x35])],
  ];
  for (const [name, bytes] of cases) {
    const p = join(dir, name);
    await writeFile(p, bytes);
    const r = await skyguard('flight', 'inspect', p);
    assert.equal(r.code, 1, `${name} exits 1`);
    assert.match(r.stderr, /^[A-Z_]+: .+at byte \d+/m, `${name}: a coded message with the byte offset`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, `${name}: no stack trace`);
  }
});
