/** `spelunk lint`: static checks of ESCU detections (see docs/design/lint.md). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, yamlFilesUnder } from '../../content/index.js';
import { renderLintJsonl, renderLintTable } from '../../lint/format.js';
import { lintFile, type LintContext, type LintRecord } from '../../lint/index.js';
import { loadLookupNames } from '../../lint/load.js';
import { DiagnosticPrinter, EXIT, UsageError, parseCommandArgs, writeOutput, type ExitCode, type Io } from '../common.js';
import { loadLookups, loadMacros } from '../content-options.js';
import { LINT_HELP } from '../help.js';
import { renderLintSarif } from '../reporters/sarif.js';

export const LINT_FORMATS = ['table', 'jsonl', 'sarif'] as const;
type LintFormat = (typeof LINT_FORMATS)[number];

export async function lintCommand(argv: readonly string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, {
    content: { type: 'string' },
    format: { type: 'string' },
    output: { type: 'string' },
    debug: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(LINT_HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('lint needs at least one detection file or folder');
  const format = (values.format ?? 'table') as LintFormat;
  if (!(LINT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${LINT_FORMATS.join(', ')} (got "${values.format}")`);

  const printer = new DiagnosticPrinter(io);
  const macros = loadMacros(values.content, (i) => printer.content(i));
  const lookups = values.content !== undefined ? loadLookupNames(join(values.content, 'lookups')) : undefined;
  const lookupCatalog = loadLookups(values.content, () => {});
  const context: LintContext = { macros, ...(lookups ? { lookups } : {}), ...(lookupCatalog ? { lookupCatalog } : {}) };

  const records: LintRecord[] = [];
  for (const path of positionals) {
    let files: string[];
    try {
      files = yamlFilesUnder(path);
    } catch (err) {
      throw new UsageError(`cannot read ${path}: ${(err as Error).message}`);
    }
    const explicit = files.length === 1 && files[0] === path;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // In folders, lint detections only: not test files, macros or lookup definitions.
      if (!explicit && !/^search:/m.test(text)) continue;
      records.push(lintFile(text, file, context));
    }
  }
  if (records.length === 0) throw new UsageError(`no detection found in ${positionals.join(', ')}`);

  const text = format === 'jsonl' ? renderLintJsonl(records) : format === 'sarif' ? renderLintSarif(records, packageVersion()) : renderLintTable(records);
  writeOutput(io, values.output, text);
  return records.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? EXIT.alerts : EXIT.ok;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
