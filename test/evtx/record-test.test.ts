/**
 * The literal pre-filter over EVTX records as bytes (`recordLiteralTest`, the
 * reader's `recordTest`): it decides exactly as the string test does
 * (`compileLiteralTest`), so reading EVTX with a pre-filter gives the events and
 * the filtered counts of the same events read as XML lines, while the records it
 * rejects are never turned into strings.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WinEvent } from '../../src/events/types.js';
import { recordLiteralTest } from '../../src/evtx/plugin.js';
import { EvtxStream } from '../../src/evtx/reader.js';
import { toXmlLine } from '../../src/events/render.js';
import { readBytes } from '../../src/readers/index.js';
import { compileLiteralTest } from '../../src/spl/engine/literals.js';
import { exch01SysmonEvents } from '../support/examples.js';
import { corpus, edgeFile, mutatedFiles } from './corpora.js';
import { recordOf } from './fixtures.js';
import { writeEvtx } from './writer.js';

const LITERALS = ['umworkerprocess.exe', 'umservice.exe'];
const CASES = Number(process.env['EVTX_RECORD_TEST_CASES'] ?? 300);

/** The example events repeated, some values holding the literals in other cases, escapes and non-ASCII look-alikes. */
function events(lineBreaks = true): WinEvent[] {
  const base = exch01SysmonEvents();
  const extra = ['UMWORKERPROCESS.EXE', 'x &# y', 'C:\\\\u00e9\\\\umx', 'C:\\u1234abcd', 'umworkerprocess.ex', 'umworkerproceſs.exe', 'İumservice.exe', 'umſervice.exe', lineBreaks ? 'a\r\numservice.exe' : 'a umservice.exe', 'Kumservice.exe'];
  // Mostly events without the literals, every 9th one with them.
  const quiet = base.filter((e) => !/umworkerprocess|umservice/i.test(JSON.stringify(e)));
  const loud = base.filter((e) => !quiet.includes(e));
  return Array.from({ length: 400 }, (_, i) => {
    const e = i % 9 === 0 ? loud[i % loud.length]! : quiet[i % quiet.length]!;
    const data = { ...e.data };
    if (i % 3 === 0) data['CommandLine'] = extra[(i / 3) % extra.length]!;
    return { ...e, system: { ...e.system, recordId: i + 1 }, data };
  });
}

describe('the literal pre-filter over EVTX records as bytes', () => {
  it('decides as the string test on the UTF-8 of any text', () => {
    const strings = ['', 'plain', 'UmWorkerProcess.exe', 'İ umservice.EXE', 'ſ', 'umſervice.exe', 'K', 'éumservice.exeé', '€‚ƒ„…', '😀umworkerprocess.exe', '&#10;', '&amp;#', '\\u00e9', '\\u00g9', 'x\uD800y umservice.exe', 'umservice', "a='umservice.exe'"];
    const str = compileLiteralTest(LITERALS);
    const bytes = recordLiteralTest(LITERALS, () => {});
    for (const s of strings) {
      const b = Buffer.from(s);
      assert.equal(bytes.test(b, b.length), str(s), JSON.stringify(s));
    }
  });

  it('EVTX read with a pre-filter gives the events and counts of the same events as XML lines', () => {
    const evs = events(false); // an XML line cannot hold a raw line break
    const evtx = writeEvtx(evs.map((e) => recordOf(e)), { recordsPerChunk: 10 });
    const xml = Buffer.from(evs.map((e) => toXmlLine(e)).join('\n') + '\n');
    const opts = { keepRaw: false, rawFilter: compileLiteralTest(LITERALS), literals: LITERALS };
    const read = (file: string, bytes: Uint8Array): { events: string[]; filtered: number } => {
      const out: string[] = [];
      const s = readBytes(file, bytes, opts, { event: (e) => out.push(JSON.stringify([e.system.recordId, e.data['CommandLine'] ?? null, e.data['Image'] ?? null])), diagnostic: (d) => assert.fail(d.message) });
      return { events: out, filtered: s.filtered };
    };
    const a = read('e.evtx', evtx);
    const b = read('e.xml', xml);
    assert.deepEqual(a.events, b.events);
    assert.equal(a.filtered, b.filtered);
    assert.ok(a.events.length > 10 && a.filtered > 100, `${a.events.length} kept, ${a.filtered} filtered`);
  });

  it(`on ${CASES} mutated files: the records kept and the diagnostics are those of the string test`, () => {
    // Literals the fuzzer's files hold in some records (provider names) and not in others.
    const lits = ['provider-1', 'nan'];
    const str = compileLiteralTest(lits);
    const run = (bytes: Uint8Array, withTest: boolean): string[] => {
      const lines: string[] = [];
      const t = recordLiteralTest(lits, () => lines.push('skip'));
      const s = new EvtxStream({ compiled: { xml: true }, ...(withTest ? { recordTest: t } : {}) }, (r) => {
        if (str(r.xml!)) lines.push(`R ${r.recordId} ${r.offset} ${r.xml}`);
        else if (withTest) lines.push('skip');
      }, (d) => lines.push('D ' + JSON.stringify(d)));
      s.push(bytes);
      s.end();
      return lines;
    };
    let kept = 0;
    for (const { k, name, bytes } of mutatedFiles([...corpus(), edgeFile()], CASES, 0x5eed5)) {
      const plain = run(bytes, false);
      const tested = run(bytes, true);
      // Without the test, a record the string test rejects leaves no line; with it, one 'skip' either way.
      assert.deepEqual(tested.filter((l) => l !== 'skip'), plain, `case ${k} (${name})`);
      kept += plain.filter((l) => l.startsWith('R ')).length;
    }
    assert.ok(kept > 0);
  });

  it('rejected records are skipped before any string is built; the rest read as usual', () => {
    const evs = events();
    const evtx = writeEvtx(evs.map((e) => recordOf(e)), { recordsPerChunk: 10 });
    const collect = (withTest: boolean): { kept: number[]; skipped: number; tested: number } => {
      let skipped = 0;
      let tested = 0;
      const t = recordLiteralTest(LITERALS, () => skipped++);
      const kept: number[] = [];
      const str = compileLiteralTest(LITERALS);
      const s = new EvtxStream(
        { compiled: { xml: true }, ...(withTest ? { recordTest: { ...t, test: (b: Uint8Array, n: number) => (tested++, t.test(b, n)) } } : {}) },
        (r) => {
          if (str(r.xml!)) kept.push(r.recordId);
        },
        (d) => assert.fail(d.message),
      );
      s.push(evtx);
      const summary = s.end();
      assert.equal(summary.records, evs.length, 'skipped records still count as read');
      return { kept, skipped, tested };
    };
    const without = collect(false);
    const withTest = collect(true);
    assert.deepEqual(withTest.kept, without.kept);
    assert.equal(withTest.tested, evs.length);
    assert.equal(withTest.skipped, evs.length - without.kept.length);
  });
});
