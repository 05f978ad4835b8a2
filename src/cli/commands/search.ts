/** `spelunk search`: one ad-hoc SPL search over event logs, result rows out. */
import { catalog } from '../../engine/event.js';
import { execOptions } from '../../engine/hunt.js';
import { parseJobs } from '../../engine/parallel.js';
import { runSearches } from '../../engine/run.js';
import { compileSearch, type SearchResult } from '../../spl/engine/compile.js';
import { mapResolver } from '../../spl/language/macros.js';
import {
  COMMON_OPTIONS,
  DiagnosticPrinter,
  EXIT,
  UsageError,
  checkFormat,
  checkZone,
  inputFailed,
  parseCommandArgs,
  summaryLine,
  writeOutput,
  type ExitCode,
  type Io,
} from '../common.js';
import { loadLookups, loadMacros } from '../content-options.js';
import { SEARCH_HELP } from '../help.js';
import { createProgress } from '../progress.js';
import { renderCsv } from '../reporters/csv.js';
import { renderTable } from '../reporters/table.js';
import { jsonRow } from '../reporters/values.js';

/** Fields shown in a table: `_raw` only when nothing else is there (it is the whole event). */
function tableFields(result: SearchResult): string[] {
  const visible = result.fields.filter((f) => f === '_time' || !f.startsWith('_'));
  return visible.length > 0 ? visible : [...result.fields];
}

export async function searchCommand(argv: readonly string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON_OPTIONS, jobs: { type: 'string' }, recover: { type: 'boolean' } });
  if (values.help) {
    io.stdout.write(SEARCH_HELP);
    return EXIT.ok;
  }
  const [query, ...paths] = positionals;
  if (query === undefined) throw new UsageError("search needs an SPL query, e.g. spelunk search '| tstats count from datamodel=Endpoint.Processes by Processes.dest' logs/");
  if (paths.length === 0) throw new UsageError('search needs at least one input path (a file, a folder, or - for stdin)');
  const format = checkFormat(values.format);
  const jobs = parseJobs(values.jobs);
  if (typeof jobs === 'string') throw new UsageError(jobs);
  const timezone = checkZone(values.tz);
  const diags = new DiagnosticPrinter(io);
  const macros = loadMacros(values.content, (i) => diags.content(i));
  const lookups = loadLookups(values.content, (i) => diags.content(i));
  const compiled = compileSearch(query, { macros: mapResolver(macros), catalog, exec: execOptions({ timezone }), ...(lookups ? { lookups, lookupWriter: lookups } : {}) });

  const progress = createProgress(io.stderr, !values.quiet);
  const started = performance.now();
  const outcome = await runSearches([compiled], paths, {
    onDiagnostic: (d) => diags.read(d),
    onProgress: (b, e) => progress.update(b, e),
    ...(values['no-prefilter'] ? { noPrefilter: true } : {}),
    ...(values.recover ? { recover: true } : {}),
    jobs,
  });
  progress.done();
  diags.finish();
  const result = outcome.results[0] as SearchResult;
  for (const w of result.diagnostics) io.stderr.write(`warning: ${w.code}: ${w.message}\n`);

  let text: string;
  switch (format) {
    case 'json':
      text = JSON.stringify(result.rows.map((r) => jsonRow(r, result.fields)), null, 2) + '\n';
      break;
    case 'jsonl':
      text = result.rows.map((r) => JSON.stringify(jsonRow(r, result.fields)) + '\n').join('');
      break;
    case 'csv':
      text = result.rows.length === 0 ? '' : renderCsv(result.rows, result.fields);
      break;
    case 'table':
      text = result.rows.length === 0 ? '' : renderTable(result.rows, tableFields(result), io.stdout.isTTY && io.stdout.columns ? { width: io.stdout.columns } : {});
      break;
  }
  writeOutput(io, values.output, text);
  if (!values.quiet) {
    const seconds = (performance.now() - started) / 1000;
    io.stderr.write(summaryLine(outcome.read, `${result.rows.length} result row${result.rows.length === 1 ? '' : 's'}`, seconds));
  }
  return inputFailed(outcome.read) ? EXIT.partial : EXIT.ok;
}
