/** `spelunk exchange`: Test-ProxyLogon's checks over a folder collected from an Exchange server. */
import { stat } from 'node:fs/promises';
import { renderReviewJson, renderReviewJsonl, renderReviewTable, reviewExchangeLogs } from '../../exchange/index.js';
import { EXIT, UsageError, parseCommandArgs, writeOutput, type ExitCode, type Io } from '../common.js';
import { EXCHANGE_HELP } from '../help.js';

const EXCHANGE_FORMATS = ['table', 'json', 'jsonl'] as const;
type ExchangeFormat = (typeof EXCHANGE_FORMATS)[number];

export async function exchangeCommand(argv: readonly string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, {
    format: { type: 'string' },
    output: { type: 'string' },
    quiet: { type: 'boolean' },
    debug: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(EXCHANGE_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('exchange needs exactly one folder (collected from an Exchange server)');
  const folder = positionals[0] as string;
  const format = (values.format ?? 'table') as ExchangeFormat;
  if (!(EXCHANGE_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${EXCHANGE_FORMATS.join(', ')} (got "${values.format}")`);
  const st = await stat(folder).catch(() => undefined);
  if (!st?.isDirectory()) throw new UsageError(`${folder}: no such folder`);

  const review = await reviewExchangeLogs(folder);
  const text = format === 'json' ? renderReviewJson(review) : format === 'jsonl' ? renderReviewJsonl(review) : renderReviewTable(review);
  writeOutput(io, values.output, text);

  for (const u of review.unreadable) io.stderr.write(`${u.file}: error: ${u.message}\n`);
  if (!values.quiet) {
    for (const c of review.checks) {
      if (c.malformedCount > 0) io.stderr.write(`spelunk exchange: ${c.id}: ${c.malformedCount} malformed line${c.malformedCount === 1 ? '' : 's'} (see the report)\n`);
    }
    if (review.checks.every((c) => c.status === 'no-logs')) {
      io.stderr.write(`spelunk exchange: warning: nothing to review in ${folder} (no Logging/ or V15/Logging/ tree, Application log or files.txt/files.csv)\n`);
    }
    const found = review.checks.filter((c) => c.status === 'found').map((c) => `${c.id} (${c.evidenceCount})`);
    io.stderr.write(`spelunk exchange: ${found.length > 0 ? `found: ${found.join(', ')}` : 'nothing found'}\n`);
  }
  if (review.unreadable.length > 0) return EXIT.partial;
  return review.found ? EXIT.alerts : EXIT.ok;
}
