/**
 * Differential test of the compiled-template path (`src/evtx/compiled.ts`): every
 * record of the test corpora and of many fuzzed files, read through the tree path
 * (`toXml(root)`, `mapEvent(root)`) and through the compiled path (`rec.xml`,
 * `rec.event`, with and without XML), gives the same XML text, the same WinEvent
 * (key order included) and the same diagnostics in the same order; and the fast
 * path really takes most template records.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import YAML from 'yaml';
import type { WinEvent } from '../../src/events/types.js';
import { mapEvent } from '../../src/evtx/event.js';
import { EvtxStream, readEvtx, type EvtxReadOptions, type EvtxRecord } from '../../src/evtx/reader.js';
import { toXml } from '../../src/evtx/render.js';
import { parseEventXml, readBytes } from '../../src/readers/index.js';
import { ESCU } from '../support/paths.js';
import { corpus, edgeFile, mutatedFiles } from './corpora.js';
import { recordOf } from './fixtures.js';
import { writeEvtx, type WRecord } from './writer.js';

// EVTX_COMPILED_CASES / EVTX_COMPILED_SEED run a longer or different campaign locally.
const FUZZ_CASES = Number(process.env['EVTX_COMPILED_CASES'] ?? 600);
const FUZZ_SEED = Number(process.env['EVTX_COMPILED_SEED'] ?? 0xc0de);

function escuEvents(): WinEvent[] {
  const dir = join(ESCU, 'data_sources');
  const out: WinEvent[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.yml')) continue;
    const doc = YAML.parse(readFileSync(join(dir, f), 'utf8')) as { example_log?: unknown } | null;
    const ex = doc?.example_log;
    if (typeof ex !== 'string' || !ex.trimStart().startsWith('<Event')) continue;
    const r = parseEventXml(ex.trim());
    if (r.ok) out.push({ system: r.system, data: r.data, origin: { file: f } });
  }
  return out;
}

/** Tree-path records are plain objects; compiled ones build `root` on demand. */
const isFast = (r: EvtxRecord): boolean => Object.getPrototypeOf(r) !== Object.prototype;

interface Run {
  readonly lines: string[];
  readonly fast: number;
  readonly records: number;
}

function line(r: EvtxRecord, xml: string, event: unknown): string {
  return `R ${r.recordId} ${r.writtenTime} ${r.offset} ${r.chunk} ${xml} ${JSON.stringify(event)}`;
}

function tree(bytes: Uint8Array, opts: EvtxReadOptions = {}): Run {
  const lines: string[] = [];
  let records = 0;
  readEvtx(bytes, opts, (r) => (records++, lines.push(line(r, toXml(r.root), mapEvent(r.root)))), (d) => lines.push('D ' + JSON.stringify(d)));
  return { lines, fast: 0, records };
}

function compiled(bytes: Uint8Array, xml: boolean, opts: EvtxReadOptions = {}, push?: number): Run {
  const lines: string[] = [];
  let fast = 0;
  let records = 0;
  const onRecord = (r: EvtxRecord): void => {
    records++;
    if (isFast(r)) fast++;
    assert.ok(r.event !== undefined, 'compiled records carry their event');
    assert.equal(r.xml !== undefined, xml, 'xml only when asked for');
    // The lazily built tree (valid during onRecord) is the tree path's tree.
    const treeXml = toXml(r.root);
    if (xml) assert.equal(r.xml, treeXml);
    assert.deepEqual(mapEvent(r.root), r.event);
    lines.push(line(r, r.xml ?? treeXml, r.event));
  };
  const s = new EvtxStream({ ...opts, compiled: { xml } }, onRecord, (d) => lines.push('D ' + JSON.stringify(d)));
  if (push === undefined) s.push(bytes);
  else for (let i = 0; i < bytes.length; i += push) s.push(bytes.slice(i, i + push));
  s.end();
  return { lines, fast, records };
}

/** Both paths agree on `bytes`; returns the compiled run. */
function same(bytes: Uint8Array, label: string, opts: EvtxReadOptions = {}): Run {
  const a = tree(bytes, opts);
  const b = compiled(bytes, true, opts);
  const c = compiled(bytes, false, opts);
  for (const other of [b, c]) {
    if (other.lines.length !== a.lines.length || other.lines.some((l, i) => l !== a.lines[i])) {
      const i = a.lines.findIndex((l, k) => l !== other.lines[k]);
      assert.fail(`${label}: line ${i} differs\ntree:     ${a.lines[i]?.slice(0, 2000)}\ncompiled: ${other.lines[i]?.slice(0, 2000)}`);
    }
  }
  return b;
}

describe('compiled templates give what the tree path gives', () => {
  it('ESCU example events (the contract corpus), one chunk and many chunks', () => {
    const events = escuEvents();
    assert.ok(events.length >= 45);
    const one = same(writeEvtx(events.map((e, i) => recordOf(e, i + 1))), 'escu');
    assert.equal(one.fast, one.records);
    const many: WRecord[] = [];
    for (let i = 0; i < 600; i++) {
      const e = events[i % events.length]!;
      many.push(recordOf({ ...e, system: { ...e.system, recordId: i + 1 } }, i + 1));
    }
    const r = same(writeEvtx(many, { recordsPerChunk: 37 }), 'escu x600');
    assert.equal(r.records, 600);
    assert.equal(r.fast, 600, 'every ESCU record takes the compiled path');
  });

  it('edge templates: optional NULLs, arrays, nested BinXML in System / EventData / UserData / Event, bad-size values', () => {
    const bytes = edgeFile();
    const r = same(bytes, 'edge');
    assert.ok(r.records > 390, `records ${r.records}`);
    assert.ok(r.fast > r.records * 0.9, `fast ${r.fast} of ${r.records}`);
    assert.ok(r.lines.some((l) => l.startsWith('D ') && l.includes('bad-value')), 'value warnings are exercised');
    // Streamed in odd pieces (the chunk buffer is reused): the same.
    // A compiled record's tree exists only while onRecord runs (the chunk buffer is reused after).
    const kept: EvtxRecord[] = [];
    readEvtx(bytes, { compiled: { xml: true } }, (r) => kept.push(r), () => {});
    const late = kept.find(isFast)!;
    assert.throws(() => late.root, /only available during onRecord/);
    assert.ok(late.xml !== undefined && late.event !== undefined && late.writtenTime.endsWith('Z'));
    const whole = compiled(bytes, true);
    for (const step of [1000, 65537]) assert.deepEqual(compiled(bytes, true, {}, step).lines, whole.lines, `push ${step}`);
  });

  it('limits (nodes, characters, nesting) are hit the same way', () => {
    const bytes = edgeFile();
    for (const opts of [{ maxNodes: 60 }, { maxNodes: 90 }, { maxChars: 700 }, { maxChars: 1200 }, { maxNestingDepth: 0 }, { maxNestingDepth: 1 }, { maxNestingDepth: 2 }, { maxElementDepth: 3 }, { strictCrc: true }]) {
      same(bytes, JSON.stringify(opts), opts);
    }
  });

  it(`the fuzzer's files and ${FUZZ_CASES} mutations of them and of the edge file`, () => {
    const bases = [...corpus(), edgeFile()];
    for (const b of bases) same(b, 'base');
    let fast = 0;
    for (const { k, name, bytes } of mutatedFiles(bases, FUZZ_CASES, FUZZ_SEED)) fast += same(bytes, `case ${k} (${name})`).fast;
    assert.ok(fast > 0);
  });

  it('the readers plug-in: the WinEvents and raw lines the tree path gives, with and without raw', () => {
    for (const bytes of [edgeFile(), ...corpus()]) {
      const expected: string[] = [];
      readEvtx(bytes, {}, (r) => {
        const m = mapEvent(r.root);
        if (m.ok) expected.push(JSON.stringify([m.system, m.data, toXml(r.root)]));
      }, () => {});
      const collect = (keepRaw: boolean): string[] => {
        const out: string[] = [];
        readBytes('e.evtx', bytes, { keepRaw }, { event: (e) => out.push(JSON.stringify([e.system, e.data, e.raw])), diagnostic: () => {} });
        return out;
      };
      assert.ok(expected.length > 0);
      assert.deepEqual(collect(true), expected);
      assert.deepEqual(collect(false), expected.map((l) => JSON.stringify([...(JSON.parse(l) as unknown[]).slice(0, 2), null])));
    }
  });
});
