/** `spelunk test`: replays detections' ESCU tests over local attack data. */
import { loadDetections } from '../../content/index.js';
import { runContentTests, type TestOutcome } from '../../engine/content-test.js';
import { DiagnosticPrinter, EXIT, UsageError, parseCommandArgs, writeOutput, type ExitCode, type Io } from '../common.js';
import { loadLookups, loadMacros } from '../content-options.js';
import { TEST_HELP } from '../help.js';
import { renderTable } from '../reporters/table.js';
import { newRow } from '../../spl/values.js';

export async function testCommand(argv: readonly string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, {
    'attack-data': { type: 'string' },
    content: { type: 'string' },
    format: { type: 'string' },
    output: { type: 'string' },
    debug: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(TEST_HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('test needs detection files or folders (their tests: or a *.test.yml beside them)');
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'jsonl') throw new UsageError(`--format must be table or jsonl (got "${format}")`);
  const dir = values['attack-data'] ?? 'attack_data';
  const diags = new DiagnosticPrinter(io);
  const macros = loadMacros(values.content, (i) => diags.content(i));
  const lookups = loadLookups(values.content, (i) => diags.content(i));
  const loaded = loadDetections(positionals);
  for (const i of loaded.issues) diags.content(i);
  const withTests = loaded.detections.filter((d) => d.tests.length > 0);
  if (withTests.length === 0) throw new UsageError(`no detection with tests in ${positionals.join(', ')}`);
  const outcomes = await runContentTests(withTests, macros, dir, (d) => diags.read(d), lookups);
  diags.finish();
  writeOutput(io, values.output, format === 'jsonl' ? outcomes.map((o) => JSON.stringify(o) + '\n').join('') : renderOutcomes(outcomes));
  const passed = outcomes.filter((o) => o.status === 'pass').length;
  io.stderr.write(`spelunk test: ${passed} passed, ${outcomes.length - passed} failed\n`);
  return passed === outcomes.length ? EXIT.ok : EXIT.alerts;
}

function renderOutcomes(outcomes: readonly TestOutcome[]): string {
  const rows = outcomes.map((o) => {
    const r = newRow();
    r['status'] = o.status.toUpperCase();
    r['detection'] = o.detection;
    r['test'] = o.test;
    r['rows'] = o.rows;
    r['events'] = o.events;
    r['why'] = o.reason;
    return r;
  });
  return renderTable(rows, ['status', 'detection', 'test', 'rows', 'events', 'why']);
}
