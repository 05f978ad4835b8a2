/**
 * Every ESCU Endpoint.Processes detection that compiles runs over real events
 * (the Windows example events of ESCU's data sources, plus the bundled example
 * intrusion) read as XML lines, as JSON lines and as EVTX, without an engine
 * error, and gives the same rows from each format.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { builtinMacros, loadDetections, loadMacroDir, mergeMacros } from '../../src/content/index.js';
import { toEvtxJson, toXmlLine } from '../../src/events/render.js';
import type { WinEvent } from '../../src/events/types.js';
import { compileDetection } from '../../src/engine/hunt.js';
import { runSearches } from '../../src/engine/run.js';
import { parseEventXml } from '../../src/readers/index.js';
import type { CompiledSearch } from '../../src/spl/engine/compile.js';
import { SplError } from '../../src/spl/language/errors.js';
import { recordOf } from '../evtx/fixtures.js';
import { writeEvtx } from '../evtx/writer.js';
import { existsSync } from 'node:fs';
import { allWindowsExamples } from '../support/escu-events.js';
import { ESCU, REPO_ROOT, SHARED_DATA } from '../support/paths.js';

function realEvents(): WinEvent[] {
  const xml = [
    ...allWindowsExamples().map((e) => e.xml),
    ...readdirSync(join(REPO_ROOT, 'examples'))
      .filter((f) => f.endsWith('.xml'))
      .flatMap((f) => readFileSync(join(REPO_ROOT, 'examples', f), 'utf8').trim().split('\n')),
  ];
  const out: WinEvent[] = [];
  for (const x of xml) {
    const r = parseEventXml(x);
    if (r.ok) out.push({ system: r.system, data: r.data, origin: { file: '<escu>' } });
  }
  return out;
}

describe('ESCU Endpoint.Processes detections over XML, JSON and EVTX', () => {
  it('run without an engine error and agree across formats', async () => {
    const macros = mergeMacros(builtinMacros(), loadMacroDir(join(ESCU, 'macros')).macros);
    const detections = loadDetections([join(ESCU, 'detections')]).detections.filter((d) => /datamodel\s*=\s*"?Endpoint\.Processes/.test(d.search));
    const compiled = detections
      .map((d) => compileDetection(d, macros, { now: Date.UTC(2021, 2, 4) / 1000, timezone: 'UTC' }))
      .filter((c): c is CompiledSearch => !(c instanceof SplError));
    assert.ok(compiled.length > 300);
    const events = realEvents().map((e, i) => ({ ...e, system: { ...e.system, recordId: i + 1 } }));
    assert.ok(events.length > 60);
    const dir = mkdtempSync(join(tmpdir(), 'spelunk-formats-'));
    const files = {
      xml: join(dir, 'events.xml'),
      json: join(dir, 'events.jsonl'),
      evtx: join(dir, 'events.evtx'),
    };
    writeFileSync(files.xml, events.map(toXmlLine).join('\n') + '\n');
    writeFileSync(files.json, events.map((e) => JSON.stringify(toEvtxJson(e))).join('\n') + '\n');
    writeFileSync(files.evtx, writeEvtx(events.map((e) => recordOf(e))));
    const results: Record<string, unknown[][]> = {};
    for (const [format, file] of Object.entries(files)) {
      const r = await runSearches(compiled, [file]);
      assert.equal(r.read.errors, 0, format);
      assert.equal(r.read.events + r.read.filtered, events.length, format);
      results[format] = r.results.map((x) => x.rows.map((row) => ({ ...row })));
    }
    const withRows = results['xml']?.filter((rows) => rows.length > 0).length ?? 0;
    assert.ok(withRows >= 5, `only ${withRows} detections returned rows`);
    assert.deepEqual(results['json'], results['xml']);
    assert.deepEqual(results['evtx'], results['xml']);
  });

  it('run over every file of ../shared/data (EVTX, XML, JSON) without an engine error', { skip: existsSync(SHARED_DATA) ? false : `${SHARED_DATA} is not present in this workplace` }, async () => {
    const macros = mergeMacros(builtinMacros(), loadMacroDir(join(ESCU, 'macros')).macros);
    const compiled = loadDetections([join(ESCU, 'detections')])
      .detections.filter((d) => /datamodel\s*=\s*"?Endpoint\.Processes/.test(d.search))
      .map((d) => compileDetection(d, macros, { now: Date.now() / 1000, timezone: 'UTC' }))
      .filter((c): c is CompiledSearch => !(c instanceof SplError));
    const r = await runSearches(compiled, [SHARED_DATA]);
    assert.ok(r.read.events > 0);
    assert.deepEqual(r.results.flatMap((x) => x.diagnostics), []);
  });
});
