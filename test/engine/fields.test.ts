/**
 * `ReadOptions.fields` (the EventData fields the data models read) must never
 * change results: the built-in detections and every ESCU Endpoint.Processes
 * detection that compiles run over an EVTX file of real events (the ESCU
 * examples) and synthetic ones made to hit their gates, with and without it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { builtinDetections, builtinMacros, loadDetections, loadMacroDir, mergeMacros } from '../../src/content/index.js';
import type { WinEvent } from '../../src/events/types.js';
import { compileDetection } from '../../src/engine/hunt.js';
import { combinedFields, runSearches, type RunOptions } from '../../src/engine/run.js';
import { readPaths } from '../../src/readers/index.js';
import type { CompiledSearch } from '../../src/spl/engine/compile.js';
import { gateAtoms } from '../../src/spl/engine/gate.js';
import { SplError } from '../../src/spl/language/errors.js';
import { recordOf } from '../evtx/fixtures.js';
import { writeEvtx } from '../evtx/writer.js';
import { allWindowsExamples, withFields } from '../support/escu-events.js';
import { makeEvent } from '../support/events.js';
import { ESCU } from '../support/paths.js';
import { event } from '../cim/helpers.js';

describe('ReadOptions.fields: same rows with and without', () => {
  const macros = mergeMacros(builtinMacros(), loadMacroDir(join(ESCU, 'macros')).macros);
  const escu = loadDetections([join(ESCU, 'detections')]).detections.filter((d) => /datamodel\s*=\s*"?Endpoint\.Processes/.test(d.search));
  const exec = { now: Date.UTC(2021, 2, 4) / 1000, timezone: 'UTC' };
  const compiled = [...builtinDetections(), ...escu]
    .map((d) => compileDetection(d, macros, exec))
    .filter((c): c is CompiledSearch => !(c instanceof SplError));

  /** The ESCU examples (each also with its names as the gates want them) and one Sysmon 1 / 4688 pair per process name the gates name. */
  function events(): WinEvent[] {
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
    const all = [...names];
    const extra = [...texts].slice(0, 200).join(' ');
    const out: WinEvent[] = [];
    for (const { xml } of allWindowsExamples()) {
      try {
        out.push(event(xml));
        out.push(event(withFields(xml, { Image: 'C:\\Windows\\System32\\rundll32.exe', ParentImage: 'C:\\Windows\\System32\\cmd.exe', CommandLine: `rundll32.exe ${extra.slice(0, 400)}` })));
      } catch {
        /* not well-formed */
      }
    }
    all.forEach((n, i) => {
      const time = `2021-03-03T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.0000000Z`;
      const parent = all[(i + 7) % all.length] as string;
      out.push(
        makeEvent({ sysmon1: { Computer: `h${i % 3}`, Image: `C:\\Windows\\System32\\${n}`, OriginalFileName: n, ParentImage: `C:\\Windows\\${parent}`, CommandLine: `${n} ${extra}`, ParentCommandLine: parent, ProcessId: 1000 + i, ParentProcessId: 900 + i, User: 'CORP\\a', RuleName: '-', LogonId: '0x3e7', time } }, i),
        makeEvent({ security4688: { Computer: `h${i % 3}`, NewProcessName: `C:\\Windows\\System32\\${n}`, ParentProcessName: `C:\\Windows\\${parent}`, CommandLine: `${n} ${extra}`, NewProcessId: `0x${(1000 + i).toString(16)}`, ProcessId: '0x4', SubjectUserName: 'a', SubjectDomainName: 'CORP', SubjectLogonId: '0x3e7', TokenElevationType: '%%1936', time } }, i),
      );
    });
    return out.map((e, i) => ({ ...e, system: { ...e.system, recordId: i + 1 } }));
  }

  const file = join(mkdtempSync(join(tmpdir(), 'spelunk-fields-')), 'events.evtx');
  writeFileSync(file, writeEvtx(events().map((e) => recordOf(e))));

  it('compiles the detections; they read only data model records, so the run asks for fields', () => {
    assert.ok(compiled.length > 300, `${compiled.length}`);
    const f = combinedFields(compiled);
    assert.ok(f !== undefined && f.includes('ParentCommandLine') && f.includes('NewProcessName') && !f.includes('RuleName'));
  });

  it('the EVTX reader leaves the other fields out (compiled path), System fields stay', async () => {
    const read = async (fields?: readonly string[]): Promise<WinEvent[]> => {
      const got: WinEvent[] = [];
      await readPaths([file], { keepRaw: false, ...(fields ? { fields } : {}) }, { event: (e) => got.push(e), diagnostic: () => undefined });
      return got;
    };
    const full = await read();
    const some = await read(combinedFields(compiled));
    assert.equal(some.length, full.length);
    assert.ok(full.some((e) => e.data['RuleName'] !== undefined));
    // String values are left out; other types (SubjectLogonId is a HexInt64 here) cost little and stay.
    assert.ok(full.some((e) => e.data['TokenElevationType'] !== undefined));
    assert.ok(some.every((e) => e.data['RuleName'] === undefined && e.data['TokenElevationType'] === undefined));
    const keep = new Set(combinedFields(compiled));
    some.forEach((e, i) => {
      for (const [k, v] of Object.entries(full[i]!.data)) if (keep.has(k)) assert.equal(e.data[k], v, k);
    });
    some.forEach((e, i) => assert.deepEqual(e.system, full[i]?.system));
  });

  const variants: [string, RunOptions][] = [
    ['no pre-filter', { noPrefilter: true }],
    ['pre-filter (raw text needed: fields not applied)', {}],
    ['two worker threads', { noPrefilter: true, jobs: 2 }],
  ];
  for (const [label, opts] of variants) {
    it(`same rows and read summary (${label})`, async () => {
      const some = await runSearches(compiled, [file], opts);
      const all = await runSearches(compiled, [file], { ...opts, allFields: true });
      const hits = all.results.filter((r) => r.rows.length > 0).length;
      assert.ok(hits > 50, `only ${hits} detections returned rows`);
      assert.deepEqual(some.read, all.read);
      some.results.forEach((r, k) => assert.deepEqual(r.rows, all.results[k]?.rows, compiled[k]?.query.slice(0, 200)));
    });
  }
});
