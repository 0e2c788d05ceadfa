import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { formatBacktestTable, parseSeriesCsv, runBacktest } from '../supply/backtest/index.js';
import { badRequest } from '../shared/app-error.js';
import { loadConfig, type Config } from '../config/config.js';
import { registerSupplyScoreCommand } from './supply-score.command.js';

/** Largest demand file the backtest reads (it holds the whole file in memory). */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

export function registerSupplyCommands(program: Command, getConfig: () => Config = () => loadConfig()): void {
  const supply = program.command('supply').description('Supply-resilience tools');
  registerSupplyScoreCommand(supply, getConfig);
  supply
    .command('backtest <file>')
    .description('Hold out the last N periods of every series in a CSV, fit every forecasting method on the rest, report accuracy')
    .option('--holdout <n>', 'periods held out', '12')
    .addHelpText('after', '\nFILE: one row per part — an id column, any attribute columns, one column per period in time order\n(headers YYYY-MM, YYYY-MM-DD or t<digits>). Empty cells are missing; negative values are returns (zero demand).')
    .option('--missing <mode>', 'empty cells: skip (missing) or zero', 'skip')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, opts: { holdout: string; missing: string; json?: boolean }) => {
      const holdout = Number(opts.holdout);
      if (!Number.isInteger(holdout) || holdout < 1) throw badRequest('VALIDATION_FAILED', '--holdout must be a positive integer', { field: 'holdout', rule: 'integer' });
      if (opts.missing !== 'skip' && opts.missing !== 'zero') throw badRequest('VALIDATION_FAILED', '--missing must be skip or zero', { field: 'missing', rule: 'enum' });
      const size = (await stat(file)).size;
      if (size > MAX_FILE_BYTES) throw badRequest('FILE_TOO_LARGE', `${file} is ${size} bytes; the backtest reads at most ${MAX_FILE_BYTES}`);
      const set = parseSeriesCsv(await readFile(file, 'utf8'), { missing: opts.missing });
      const report = runBacktest(set, { holdout });
      console.log(opts.json ? JSON.stringify(report, null, 2) : formatBacktestTable(report));
    });
}
