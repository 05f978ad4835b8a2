/**
 * The CLI entry: dispatch to a command, map errors to exit codes. Commands
 * return data to reporters; nothing here calls process.exit().
 */
import { SplError } from '../spl/language/errors.js';
import { EXIT, UsageError, type ExitCode, type Io } from './common.js';
import { MAIN_HELP } from './help.js';

type Command = (argv: readonly string[], io: Io) => Promise<ExitCode>;

/** Each command's module is loaded when it runs: `dump` does not pay for the SPL engine's start-up, nor `--help` for anything. */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  hunt: async () => (await import('./commands/hunt.js')).huntCommand,
  lint: async () => (await import('./commands/lint.js')).lintCommand,
  search: async () => (await import('./commands/search.js')).searchCommand,
  exchange: async () => (await import('./commands/exchange.js')).exchangeCommand,
  dump: async () => (await import('./commands/dump.js')).dumpCommand,
  test: async () => (await import('./commands/test.js')).testCommand,
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
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`spelunk: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}. See spelunk --help.\n`);
    return EXIT.usage;
  }
  try {
    const command = await load();
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
