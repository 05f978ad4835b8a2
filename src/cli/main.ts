/**
 * The CLI entry: dispatch to a command, map errors to exit codes. Commands
 * return data to reporters; nothing here calls process.exit().
 */
import { SplError } from '../spl/language/errors.js';
import { exchangeCommand } from './commands/exchange.js';
import { dumpCommand } from './commands/dump.js';
import { huntCommand } from './commands/hunt.js';
import { lintCommand } from './commands/lint.js';
import { searchCommand } from './commands/search.js';
import { testCommand } from './commands/test.js';
import { EXIT, UsageError, type ExitCode, type Io } from './common.js';
import { MAIN_HELP } from './help.js';

const COMMANDS: Readonly<Record<string, (argv: readonly string[], io: Io) => Promise<ExitCode>>> = {
  hunt: huntCommand,
  lint: lintCommand,
  search: searchCommand,
  exchange: exchangeCommand,
  dump: dumpCommand,
  test: testCommand,
};

export const VERSION = '0.1.0';

export async function main(argv: readonly string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<ExitCode> {
  const [name, ...rest] = argv;
  const debug = argv.includes('--debug');
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(MAIN_HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`spelunk ${VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`spelunk: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}. See spelunk --help.\n`);
    return EXIT.usage;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`spelunk ${name}: ${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof SplError) {
      io.stderr.write(`spelunk ${name}: ${err.format()}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`spelunk ${name}: internal error: ${(err as Error).message ?? String(err)}\n`);
    if (debug) io.stderr.write(`${(err as Error).stack ?? ''}\n`);
    else io.stderr.write('(run with --debug for the stack trace)\n');
    return EXIT.internal;
  }
}
