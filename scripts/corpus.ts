/**
 * `npm run corpus`: parse and support figures over ESCU's detections.
 *
 *   node dist/scripts/corpus.js                          print the figures
 *   node dist/scripts/corpus.js --write-known-failures   also rewrite test/lint/known-parse-failures.json
 *   node dist/scripts/corpus.js --escu DIR               another ESCU checkout (default ../shared/escu)
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { escuDir, knownFailures, knownFailuresPath, runCorpus } from '../src/lint/corpus.js';

const { values } = parseArgs({ options: { 'write-known-failures': { type: 'boolean' }, escu: { type: 'string' }, top: { type: 'string' } } });
const report = runCorpus(values.escu ?? escuDir());
const n = report.entries.length;
const pct = (k: number): string => `${((100 * k) / Math.max(1, n)).toFixed(1)}%`;
const parsed = report.entries.filter((e) => e.parsed).length;
const supported = report.entries.filter((e) => e.supported).length;
const top = Number(values.top ?? 15);

function tally(lists: readonly (readonly string[])[]): [string, number][] {
  const m = new Map<string, number>();
  for (const l of lists) for (const x of l) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, top);
}
const print = (title: string, rows: [string, number][]): void => {
  console.log(`\n${title}`);
  if (rows.length === 0) console.log('  (none)');
  for (const [k, c] of rows) console.log(`  ${String(c).padStart(5)}  ${k}`);
};

console.log(`detections:      ${n}${report.loadErrors.length > 0 ? ` (+${new Set(report.loadErrors.map((i) => i.file)).size} files that do not load)` : ''}`);
console.log(`parse:           ${parsed} (${pct(parsed)}; target >= 99.5%)`);
console.log(`fully supported: ${supported} (${pct(supported)}; target >= 95%)`);
print('top unsupported commands (detections using them)', tally(report.entries.map((e) => e.unsupportedCommands)));
print('top unsupported eval functions', tally(report.entries.map((e) => e.unsupportedFunctions)));
print('parse failures by code', tally(report.entries.map((e) => (e.failureCode ? [e.failureCode] : []))));
print('parse failures by reason', tally(report.entries.map((e) => (e.failure ? [e.failure.replace(/"[^"]*"/g, '"…"')] : []))));
print('parsed but not compiled, by code', tally(report.entries.map((e) => (e.compileError ? [e.compileError] : []))));

if (values['write-known-failures']) {
  const path = knownFailuresPath();
  const list = knownFailures(report);
  writeFileSync(path, JSON.stringify(list, null, 2) + '\n');
  console.log(`\nwrote ${Object.keys(list).length} known parse failures to ${path}`);
}
