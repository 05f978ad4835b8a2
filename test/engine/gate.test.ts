/**
 * The gate index shares work across detections; it must never change results.
 * Every ESCU Endpoint.Processes detection that compiles runs over events made to
 * hit their gates (one process per value their where clauses name, with command
 * lines that hit common wildcard terms), with and without the index.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { builtinMacros, loadDetections, loadMacroDir, mergeMacros } from '../../src/content/index.js';
import { toXmlLine } from '../../src/events/render.js';
import type { WinEvent } from '../../src/events/types.js';
import { compileDetection } from '../../src/engine/hunt.js';
import { runSearches } from '../../src/engine/run.js';
import type { CompiledSearch } from '../../src/spl/engine/compile.js';
import { gateAtoms } from '../../src/spl/engine/gate.js';
import { SplError } from '../../src/spl/language/errors.js';
import { makeEvent } from '../support/events.js';
import { ESCU } from '../support/paths.js';

describe('gate index over the ESCU Endpoint.Processes detections', () => {
  const macros = mergeMacros(builtinMacros(), loadMacroDir(join(ESCU, 'macros')).macros);
  const detections = loadDetections([join(ESCU, 'detections')]).detections.filter((d) => /datamodel\s*=\s*"?Endpoint\.Processes/.test(d.search));
  const compiled = detections
    .map((d) => compileDetection(d, macros, { now: Date.UTC(2021, 2, 4) / 1000, timezone: 'UTC' }))
    .filter((c): c is CompiledSearch => !(c instanceof SplError));

  it('compiles most of them', () => assert.ok(compiled.length > 300, `${compiled.length} of ${detections.length}`));

  it('gives the same rows for every detection with and without the index', async () => {
    const names = new Set<string>();
    const texts = new Set<string>();
    for (const c of compiled) {
      const first = c.pipeline.commands[0];
      if (first?.kind !== 'tstats' || !first.where) continue;
      for (const a of gateAtoms(first.where, (f) => f.replace(/^Processes\./, '')) ?? []) {
        if (/name$/.test(a.field) && !a.text.includes('*')) names.add(a.text);
        else texts.add(a.text.replace(/\*/g, ' '));
      }
    }
    assert.ok(names.size > 100, `${names.size} process names`);
    const extra = [...texts].slice(0, 300).join(' ');
    const events: WinEvent[] = [];
    let i = 0;
    for (const n of names) {
      const time = `2021-03-03T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.0000000Z`;
      events.push(
        makeEvent({ sysmon1: { Computer: `h${i % 3}`, Image: `C:\\Windows\\System32\\${n}`, OriginalFileName: n, ParentImage: `C:\\Windows\\${[...names][(i + 7) % names.size]}`, CommandLine: `${n} ${extra}`, ProcessId: 1000 + i, ParentProcessId: 900 + i, User: 'CORP\\a', time } }, i),
      );
      i++;
    }
    const file = join(mkdtempSync(join(tmpdir(), 'spelunk-gate-')), 'events.xml');
    writeFileSync(file, events.map(toXmlLine).join('\n') + '\n');
    const gated = await runSearches(compiled, [file]);
    const plain = await runSearches(compiled, [file], { noGate: true });
    const hits = plain.results.filter((r) => r.rows.length > 0).length;
    assert.ok(hits > 50, `only ${hits} detections returned rows: the events should hit many gates`);
    gated.results.forEach((r, k) => assert.deepEqual(r.rows, plain.results[k]?.rows, compiled[k]?.query.slice(0, 200)));
  });
});
