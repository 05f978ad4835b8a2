/**
 * One measured run, in its own process so peak RSS is its own:
 *   node dist/bench/child.js hunt|hunt-all|search <file> [spl]
 * Prints one JSON object: seconds, bytes, events, filtered, rows, maxRssMB.
 */
import { builtinDetections, builtinMacros } from '../src/content/index.js';
import { catalog } from '../src/engine/event.js';
import { hunt } from '../src/engine/hunt.js';
import { runSearches } from '../src/engine/run.js';
import { compileSearch } from '../src/spl/engine/compile.js';
import { mapResolver } from '../src/spl/language/macros.js';

const [mode, file, spl] = process.argv.slice(2);
if (!mode || !file) throw new Error('usage: child.js hunt|hunt-all|search <file> [spl]');
const t0 = performance.now();
let out: { bytes: number; events: number; filtered: number; rows: number };
if (mode === 'search') {
  const c = compileSearch(spl ?? '', { macros: mapResolver(builtinMacros()), catalog, exec: { now: Date.now() / 1000, timezone: 'UTC' } });
  const r = await runSearches([c], [file], { noPrefilter: true });
  out = { bytes: r.read.bytes, events: r.read.events, filtered: r.read.filtered, rows: r.results[0]?.rows.length ?? 0 };
} else {
  const r = await hunt({ detections: builtinDetections(), macros: builtinMacros(), paths: [file], ...(mode === 'hunt-all' ? { noPrefilter: true } : {}) });
  out = { bytes: r.read.bytes, events: r.read.events, filtered: r.read.filtered, rows: r.alerts.length };
}
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ ...out, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
