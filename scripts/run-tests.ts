// Runs the test tiers with Node's own test runner (through tsx, so tests run from TypeScript source).
//   --unit          co-located src/**/*.test.ts (pure, no services)
//   --integration   test/**/*.test.ts against a real PostgreSQL: TEST_DATABASE_URL if set, otherwise an
//                   embedded server started here for the run and removed afterwards.
// With neither flag both tiers run. Extra arguments that are paths narrow the run to those files.
// Ends with one plain line "N passed, N failed[, N skipped]" summed over the tiers.
import { spawn } from 'node:child_process';
import { readdirSync, statSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const wantUnit = args.includes('--unit') || !args.includes('--integration');
const wantIntegration = args.includes('--integration') || !args.includes('--unit');
const only = args.filter((a) => !a.startsWith('--'));

function findTests(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      if (name === 'node_modules' || name === 'dist') continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.test.ts')) out.push(relative(root, p));
    }
  };
  walk(join(root, dir));
  return out.sort();
}

function select(files: string[]): string[] {
  return only.length === 0 ? files : files.filter((f) => only.some((o) => f.includes(o)));
}

interface RunResult {
  code: number | null;
  passed: number;
  failed: number;
  skipped: number;
}

function runNodeTests(files: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  const tapFile = join(mkdtempSync(join(tmpdir(), 'skyguard-tap-')), 'out.tap');
  const concurrency = env.TEST_CONCURRENCY ?? '2';
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      ...files,
    ],
    { cwd: root, env, stdio: 'inherit' },
  );
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const tap = readFileSync(tapFile, 'utf8');
      const count = (label: string): number => Number(tap.match(new RegExp(`^# ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
      rmSync(tapFile, { force: true });
      resolve({ code, passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') });
    });
  });
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;
const add = (r: RunResult): void => {
  totals.passed += r.passed;
  totals.failed += r.failed;
  totals.skipped += r.skipped;
  if (r.code !== 0) exitCode = 1;
};

if (wantUnit) {
  const files = select(findTests('src'));
  if (files.length) add(await runNodeTests(files, { ...process.env }));
}
if (wantIntegration) {
  const files = select(findTests('test'));
  if (files.length) {
    const { withTestDatabaseServer } = await import('../test/support/test-database-server.js');
    await withTestDatabaseServer(async (env) => add(await runNodeTests(files, { ...process.env, ...env })));
  }
}

const line = `${totals.passed} passed, ${totals.failed} failed` + (totals.skipped ? `, ${totals.skipped} skipped` : '');
console.log(line);
process.exit(exitCode || (totals.failed ? 1 : 0));
