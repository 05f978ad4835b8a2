/**
 * `--jobs N`: a folder read by worker threads gives byte-identical output,
 * diagnostics, summaries and exit codes to `--jobs 1`, for every input format,
 * for order-sensitive searches, and with the pre-filter still skipping events
 * inside the workers. Memory stays bounded: a worker waits while the main
 * thread holds `maxPending` of its batches.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { builtinDetections, builtinMacros } from '../../src/content/index.js';
import type { ReadDiagnostic, WinEvent } from '../../src/events/types.js';
import { catalog } from '../../src/engine/event.js';
import { execOptions } from '../../src/engine/hunt.js';
import { parseJobs, readPathsParallel, workerAvailable } from '../../src/engine/parallel.js';
import { planInputs } from '../../src/readers/index.js';
import { runSearches } from '../../src/engine/run.js';
import { parseEventXml, readPaths, type ReadOptions, type ReadSink } from '../../src/readers/index.js';
import { compileSearch } from '../../src/spl/engine/compile.js';
import { compileLiteralTest } from '../../src/spl/engine/literals.js';
import { mapResolver } from '../../src/spl/language/macros.js';
import { recordOf } from '../evtx/fixtures.js';
import { writeEvtx } from '../evtx/writer.js';
import { cli } from '../support/cli.js';
import { allWindowsExamples, toEvtxJsonLine, withFields } from '../support/escu-events.js';
import { REPO_ROOT } from '../support/paths.js';

const EXAMPLES = join(REPO_ROOT, 'examples');
const SYSMON = join(EXAMPLES, 'exch01-sysmon.xml');

function eventsOf(xmlLines: readonly string[], file: string): WinEvent[] {
  return xmlLines.map((l) => {
    const r = parseEventXml(l);
    if (!r.ok) throw new Error(r.message);
    return { system: r.system, data: r.data, origin: { file } };
  });
}

function toEventViewerXml(lineXml: string): string {
  const dq = lineXml.replace(/<[^<>]*>/g, (tag) => tag.replace(/(\s[\w:]+)='([^']*)'/g, (_m, n: string, v: string) => `${n}="${v.replace(/"/g, '&quot;')}"`));
  return dq.replace(/(<\/[^>]+>|\/>)</g, '$1\r\n  <');
}

/** A folder with every input format, a bad file, an empty file, bad records and a subfolder. */
function buildFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spelunk-parallel-'));
  const sysmon = readFileSync(SYSMON, 'utf8').trim().split('\n');
  const escu = allWindowsExamples()
    .map((x) => x.xml)
    .filter((x) => parseEventXml(x).ok);
  // Many hosts and records so that dedup/head/streamstats see a real order.
  const varied: string[] = [];
  for (let k = 0; k < 12; k++) {
    escu.forEach((x, i) => varied.push(withFields(x, {}, { computer: `HOST${(k * 7 + i) % 23}.corp`, recordId: k * 1000 + i + 1 })));
  }
  writeFileSync(join(dir, 'a-sysmon.xml'), sysmon.join('\n') + '\n');
  writeFileSync(join(dir, 'b-security.jsonl'), readFileSync(join(EXAMPLES, 'exch02-security.jsonl')));
  // XML lines with bad records in the middle: diagnostics interleave with events.
  const withBad = [...varied.slice(0, 200), '<Event><System>broken', ...varied.slice(200, 400), 'not an event at all', ...varied.slice(400)];
  writeFileSync(join(dir, 'c-escu-lines.xml'), withBad.join('\n') + '\n');
  writeFileSync(join(dir, 'd-escu.jsonl'), varied.map(toEvtxJsonLine).join('\n') + '\n{"broken json\n');
  writeFileSync(join(dir, 'e-export.xml'), `<?xml version="1.0" encoding="UTF-8"?>\r\n<Events>\r\n${escu.map(toEventViewerXml).join('\r\n')}\r\n</Events>\r\n`);
  writeFileSync(join(dir, 'f-sysmon.evtx'), writeEvtx(eventsOf(sysmon, 'x').map((e) => recordOf(e))));
  writeFileSync(join(dir, 'g-escu.evtx'), writeEvtx(eventsOf(varied.slice(0, 300), 'x').map((e, i) => recordOf(e, i + 1))));
  writeFileSync(join(dir, 'h-bad.bin'), Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 7, 8, 9]));
  writeFileSync(join(dir, 'i-empty.xml'), '');
  writeFileSync(join(dir, 'j-garbage.txt'), 'hello\nworld\n');
  mkdirSync(join(dir, 'k-sub'));
  writeFileSync(join(dir, 'k-sub', 'a.xml'), varied.slice(0, 50).join('\n') + '\n');
  writeFileSync(join(dir, 'k-sub', 'b.xml'), sysmon.slice(0, 5).join('\n') + '\n');
  return dir;
}

const DIR = buildFolder();
/** The summary line's time is the only thing allowed to differ. */
const noTime = (s: string): string => s.replace(/ in \d+\.\d+ s\n/g, ' in T s\n');

async function same(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const one = await cli(...argv, '--jobs', '1');
  const three = await cli(...argv, '--jobs', '3');
  assert.equal(three.code, one.code, `exit codes differ: ${one.err} / ${three.err}`);
  assert.equal(three.out, one.out);
  assert.equal(noTime(three.err), noTime(one.err));
  return one;
}

interface Trace {
  readonly items: (string | ReadDiagnostic)[];
}
function tracingSink(): ReadSink & Trace {
  const items: (string | ReadDiagnostic)[] = [];
  return {
    items,
    event: (e) => items.push(JSON.stringify(e)),
    diagnostic: (d) => items.push(d),
  };
}

describe('parallel reading (--jobs)', () => {
  it('the worker entry is compiled next to the module (tests run from dist/)', () => {
    assert.ok(workerAvailable());
  });

  it('plans the inputs in the walk order of readPaths, failures in place', async () => {
    const plan = await planInputs([join(DIR, 'k-sub'), join(DIR, 'nope'), '-', SYSMON]);
    assert.deepEqual(
      plan.map((p) => (p.kind === 'stdin' ? '-' : `${p.kind}:${p.path}`)),
      [`file:${join(DIR, 'k-sub', 'a.xml')}`, `file:${join(DIR, 'k-sub', 'b.xml')}`, `fail:${join(DIR, 'nope')}`, '-', `file:${SYSMON}`],
    );
  });

  it('delivers the same events and diagnostics in the same order, and the same summary, as readPaths', async () => {
    const paths = [DIR, join(DIR, 'missing.xml'), SYSMON];
    for (const keepRaw of [true, false]) {
      const a = tracingSink();
      const b = tracingSink();
      const sa = await readPaths(paths, { keepRaw }, a);
      const sb = await readPathsParallel(paths, { keepRaw }, b, { jobs: 3 });
      assert.ok(a.items.length > 1500, `only ${a.items.length} items`);
      assert.ok(a.items.some((x) => typeof x !== 'string' && x.severity === 'error'));
      assert.deepEqual(b.items, a.items);
      assert.deepEqual(sb, sa);
    }
  });

  it('keeps memory bounded: a worker waits while its unforwarded batches reach the bound', async () => {
    const a = tracingSink();
    await readPaths([DIR], {}, a);
    const b = tracingSink();
    let maxHeld = 0;
    let slowed = 0;
    // A slow consumer: later files are read faster than the first one is consumed.
    const slow: ReadSink = {
      event(e) {
        if (slowed++ % 50 === 0) {
          const until = Date.now() + 2;
          while (Date.now() < until);
        }
        b.event(e);
      },
      diagnostic: (d) => b.diagnostic(d),
    };
    await readPathsParallel([DIR], {}, slow, { jobs: 3, batchSize: 4, maxPending: 2, onHeld: (n) => (maxHeld = Math.max(maxHeld, n)) });
    assert.deepEqual(b.items, a.items);
    assert.ok(maxHeld >= 1);
    assert.ok(maxHeld <= 3 * 2, `held ${maxHeld} batches`);
  });

  it('the pre-filter still skips events in the workers (same counts), from literals alone', async () => {
    const opts: ReadOptions = { rawFilter: compileLiteralTest(['UMWorkerProcess']), literals: ['UMWorkerProcess'] };
    const a = tracingSink();
    const b = tracingSink();
    const sa = await readPaths([DIR], opts, a);
    const sb = await readPathsParallel([DIR], opts, b, { jobs: 2 });
    assert.ok(sa.filtered > 1000);
    assert.deepEqual(sb, sa);
    assert.deepEqual(b.items, a.items);
  });

  it('runSearches with jobs gives the same results and read summary', async () => {
    const q = '| tstats count values(Processes.process_name) as names from datamodel=Endpoint.Processes by Processes.dest Processes.parent_process_name';
    const compiled = compileSearch(q, { macros: mapResolver(builtinMacros()), catalog, exec: execOptions() });
    const one = await runSearches([compiled], [DIR], {});
    const three = await runSearches([compiled], [DIR], { jobs: 3 });
    assert.deepEqual(three.read, one.read);
    assert.deepEqual(three.results[0]?.rows, one.results[0]?.rows);
    assert.ok((one.results[0]?.rows.length ?? 0) > 0);
    assert.ok(builtinDetections().length > 0);
  });

  it('dump: byte-identical output, diagnostics, summary and exit code (xml, jsonl, json)', async () => {
    const r = await same('dump', DIR);
    assert.equal(r.code, 3, r.err);
    assert.ok(r.out.split('\n').length > 1500);
    assert.match(r.err, /read\.empty/);
    await same('dump', DIR, '--format', 'jsonl');
    await same('dump', DIR, '--format', 'json');
    await same('dump', join(DIR, 'k-sub'), join(DIR, 'nope.xml'), SYSMON, DIR);
  });

  it('search: order-sensitive commands give the same rows', async () => {
    const r = await same('search', 'search EventCode=* | dedup Computer | head 5 | table _time Computer EventCode', DIR);
    assert.equal(r.code, 3);
    assert.equal(r.out.trim().split('\n').length, 5 + 2, r.out);
    await same('search', 'search EventCode=* | streamstats count by Computer | table _time Computer EventCode count', DIR, '--format', 'jsonl');
    await same('search', 'search EventCode=* | stats first(EventCode) last(EventCode) list(EventCode) as l by Computer', DIR, '--format', 'json');
    await same('search', '| tstats count values(Processes.process_name) from datamodel=Endpoint.Processes by Processes.dest', DIR, '--format', 'csv');
  });

  it('hunt: the flagship detection gives the same alerts, with and without the pre-filter', async () => {
    const r = await same('hunt', DIR, '--format', 'jsonl');
    assert.equal(r.code, 3, r.err);
    assert.ok(r.out.trim().split('\n').length >= 3);
    assert.match(r.out, /Unified Messaging Service Spawning a Process/);
    assert.match(r.err, /skipped by pre-filter/);
    await same('hunt', DIR, '--format', 'jsonl', '--no-prefilter', '--no-context');
    await same('hunt', DIR, '--rebuild-parents', '--no-context');
    await same('hunt', join(DIR, 'a-sysmon.xml'), join(DIR, 'f-sysmon.evtx'), '--format', 'json');
  });

  it('standard input is read on the main thread, in its place among the files', () => {
    const bin = join(REPO_ROOT, 'bin', 'spelunk.js');
    const input = readFileSync(join(DIR, 'k-sub', 'b.xml'));
    const run = (jobs: string) => spawnSync(process.execPath, [bin, 'dump', join(DIR, 'k-sub'), '-', join(DIR, 'a-sysmon.xml'), join(DIR, 'f-sysmon.evtx'), '--format', 'jsonl', '--jobs', jobs], { input });
    const a = run('1');
    const b = run('3');
    assert.equal(a.status, 0, String(a.stderr));
    assert.equal(b.status, a.status);
    assert.equal(String(b.stdout), String(a.stdout));
    assert.equal(noTime(String(b.stderr)), noTime(String(a.stderr)));
    assert.match(String(a.stdout), /<stdin>/);
  });

  it('--jobs is checked; the default is the CPU count', async () => {
    assert.equal(typeof parseJobs(undefined), 'number');
    assert.equal(parseJobs('4'), 4);
    for (const bad of ['0', '-1', 'x', '1.5']) {
      const r = await cli('dump', DIR, '--jobs', bad);
      assert.equal(r.code, 2, bad);
      assert.match(r.err, /--jobs/);
    }
    const d = await cli('dump', DIR, '--quiet');
    const one = await cli('dump', DIR, '--quiet', '--jobs', '1');
    assert.equal(d.out, one.out);
  });
});
