/**
 * Reader contract: every well-formed ESCU example event, parsed from its XML with
 * `parseEventXml`, written as EVTX (a Windows-like System template with
 * substitutions, typed EventData values) and read back through the readers
 * (`readBytes`, format sniffed from content), equals the WinEvent parsed from the
 * XML. The one allowed difference: FILETIME renders 9 fractional digits, so an
 * example written with 7 (`.6179203Z`) comes back as `.617920300Z` — the same
 * instant, the same `_time`.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import YAML from 'yaml';
import type { WinEvent } from '../../src/events/types.js';
import { parseEventXml, readBytes } from '../../src/readers/index.js';
import { ESCU } from '../support/paths.js';
import { nineDigits, recordOf } from './fixtures.js';
import { writeEvtx } from './writer.js';

function escuEvents(): { file: string; event: WinEvent }[] {
  const dir = join(ESCU, 'data_sources');
  const out: { file: string; event: WinEvent }[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.yml')) continue;
    const doc = YAML.parse(readFileSync(join(dir, f), 'utf8')) as { example_log?: unknown } | null;
    const ex = doc?.example_log;
    if (typeof ex !== 'string' || !ex.trimStart().startsWith('<Event')) continue;
    const r = parseEventXml(ex.trim());
    if (r.ok) out.push({ file: f, event: { system: r.system, data: r.data, origin: { file: f } } });
  }
  return out;
}

const comparable = (e: WinEvent) => ({ system: { ...e.system, timeCreated: nineDigits(e.system.timeCreated) }, data: Object.entries(e.data) });

describe('EVTX reader contract over the ESCU example events', () => {
  const examples = escuEvents();

  it('finds the examples', () => {
    assert.ok(examples.length >= 45, `found ${examples.length}`);
  });

  it('each example written as EVTX reads back as the same WinEvent (one file, templates shared by shape)', () => {
    const bytes = writeEvtx(examples.map((x, i) => recordOf(x.event, i + 1)));
    const got: WinEvent[] = [];
    const diags: string[] = [];
    const s = readBytes('escu.evtx', bytes, {}, { event: (e) => got.push(e), diagnostic: (d) => diags.push(`${d.code}: ${d.message}`) });
    assert.equal(s.format, 'evtx');
    assert.deepEqual(diags, []);
    assert.equal(got.length, examples.length);
    for (let i = 0; i < examples.length; i++) {
      assert.deepEqual(comparable(got[i]!), comparable(examples[i]!.event), examples[i]!.file);
    }
  });

  it('the rendered XML of each event parses back to the same WinEvent (EVTX raw is a valid XmlWinEventLog line)', () => {
    const bytes = writeEvtx(examples.map((x, i) => recordOf(x.event, i + 1)));
    const got: WinEvent[] = [];
    readBytes('escu.evtx', bytes, {}, { event: (e) => got.push(e), diagnostic: () => {} });
    for (const e of got) {
      const r = parseEventXml(e.raw!);
      assert.ok(r.ok);
      assert.deepEqual({ system: r.system, data: Object.entries(r.data) }, { system: e.system, data: Object.entries(e.data) });
    }
  });
});
