/**
 * One measured run, in its own process so peak RSS is its own:
 *   node dist/bench/child.js hunt|hunt-all|search <file> [spl]
 * Prints one JSON object: seconds, bytes, events, filtered, rows, maxRssMB.
 */
import { join } from 'node:path';
import { builtinDetections, builtinMacros, loadDetections, loadMacroDir, mergeMacros, packageRoot } from '../src/content/index.js';
import { compileDetection } from '../src/engine/hunt.js';
import { SplError } from '../src/spl/language/errors.js';
import { catalog } from '../src/engine/event.js';
import { hunt } from '../src/engine/hunt.js';
import { runSearches } from '../src/engine/run.js';
import { readPaths } from '../src/readers/index.js';
import { compileSearch, type CompiledSearch } from '../src/spl/engine/compile.js';
import { mapResolver } from '../src/spl/language/macros.js';

const [mode, file, spl] = process.argv.slice(2);
if (!mode || !file) throw new Error('usage: child.js hunt|hunt-all|search|escu-processes <file> [spl]');
const t0 = performance.now();
let out: { bytes: number; events: number; filtered: number; rows: number };
let extra: Record<string, number> = {};
let runSeconds: number | undefined;
if (mode === 'evtx-render') {
  // Every record decoded, rendered as its XML line and mapped to a WinEvent (what hunt and search read).
  let chars = 0;
  const r = await readPaths([file], { keepRaw: true }, { event: (e) => void (chars += e.raw?.length ?? 0), diagnostic: () => {} });
  out = { bytes: r.bytes, events: r.events, filtered: r.filtered, rows: chars };
} else if (mode === 'evtx-dump') {
  // Full rendering as `spelunk dump` does it: every record as a UTF-8 XML line (ReadOptions.xmlLines), counted, not kept.
  let bytes = 0;
  const r = await readPaths([file], { keepRaw: true, xmlLines: (b) => void (bytes += b.length) }, { event: () => {}, diagnostic: () => {} });
  out = { bytes: r.bytes, events: r.events, filtered: r.filtered, rows: bytes };
} else if (mode === 'escu-processes') {
  // Every ESCU detection on Endpoint.Processes that compiles, run together in one pass.
  const escu = join(packageRoot(), '..', 'shared', 'escu');
  const macros = mergeMacros(builtinMacros(), loadMacroDir(join(escu, 'macros')).macros);
  const all = loadDetections([join(escu, 'detections')]).detections.filter((d) => /datamodel\s*=\s*"?Endpoint\.Processes/.test(d.search));
  const exec = { now: Date.now() / 1000, timezone: 'UTC' };
  const compiled = all.map((d) => compileDetection(d, macros, exec)).filter((c): c is CompiledSearch => !(c instanceof SplError));
  const t1 = performance.now();
  const r = await runSearches(compiled, [file]);
  // Events/s here counts only the run: loading and compiling 1,200 YAML files is a one-off.
  runSeconds = (performance.now() - t1) / 1000;
  extra = { detections: compiled.length, of: all.length, compileSeconds: (t1 - t0) / 1000 };
  out = { bytes: r.read.bytes, events: r.read.events, filtered: r.read.filtered, rows: r.results.reduce((n, x) => n + x.rows.length, 0) };
} else if (mode === 'search') {
  const c = compileSearch(spl ?? '', { macros: mapResolver(builtinMacros()), catalog, exec: { now: Date.now() / 1000, timezone: 'UTC' } });
  const r = await runSearches([c], [file], { noPrefilter: true });
  out = { bytes: r.read.bytes, events: r.read.events, filtered: r.read.filtered, rows: r.results[0]?.rows.length ?? 0 };
} else {
  const r = await hunt({ detections: builtinDetections(), macros: builtinMacros(), paths: [file], ...(mode === 'hunt-all' ? { noPrefilter: true } : {}) });
  out = { bytes: r.read.bytes, events: r.read.events, filtered: r.read.filtered, rows: r.alerts.length };
}
const seconds = runSeconds ?? (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ ...out, ...extra, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
