/**
 * Differential test of full rendering to bytes (`src/evtx/xml-bytes.ts`): every
 * record of the test corpora, of value edge cases and of many fuzzed files, read
 * with `xmlOut`, gives exactly the bytes of the string path's XML (`toXml` text,
 * CR and LF as references, UTF-8, one line per record), the same diagnostics in
 * the same order, and the byte writer really takes the template records.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EvtxStream, readEvtx, type EvtxReadOptions } from '../../src/evtx/reader.js';
import { fileTimeToIsoParts } from '../../src/evtx/render.js';
import { isoSecondsPrefix, XmlLines } from '../../src/evtx/xml-bytes.js';
import type { WinEvent } from '../../src/events/types.js';
import { parseEventXml, readBytes } from '../../src/readers/index.js';
import { xmlOf } from '../../src/cli/commands/dump.js';
import { allWindowsExamples } from '../support/escu-events.js';
import { corpus, edgeFile, mutatedFiles } from './corpora.js';
import { recordOf } from './fixtures.js';
import { prng } from './helpers.js';
import { V, writeEvtx, type WRecord, type WTemplate, type WValue } from './writer.js';

const FUZZ_CASES = Number(process.env['EVTX_BYTES_CASES'] ?? 400);
const FUZZ_SEED = Number(process.env['EVTX_BYTES_SEED'] ?? 0xb17e5);

interface Run {
  readonly text: string;
  readonly diags: string[];
  readonly ids: number[];
  /** Records written by the byte writer (no `xml` on the record). */
  readonly bytePath: number;
}

/** The string path: `rec.xml` lines, CR/LF as references. */
function strings(bytes: Uint8Array, opts: EvtxReadOptions = {}): Run {
  let text = '';
  const diags: string[] = [];
  const ids: number[] = [];
  readEvtx(bytes, { ...opts, compiled: { xml: true } }, (r) => {
    ids.push(r.recordId);
    text += r.xml!.replace(/\r/g, '&#13;').replace(/\n/g, '&#10;') + '\n';
  }, (d) => diags.push(JSON.stringify(d)));
  // Compared as UTF-8 (a lone surrogate becomes U+FFFD, as Node writes strings).
  return { text: Buffer.from(text).toString('utf8'), diags, ids, bytePath: 0 };
}

/** The byte path, pushed whole or in pieces, with a small block size so blocks are handed on mid-file. */
function viaBytes(bytes: Uint8Array, opts: EvtxReadOptions = {}, push?: number): Run {
  const blocks: Uint8Array[] = [];
  const out = new XmlLines((b) => blocks.push(b.slice()), 4096);
  const diags: string[] = [];
  const ids: number[] = [];
  let bytePath = 0;
  const s = new EvtxStream({ ...opts, xmlOut: out }, (r) => {
    ids.push(r.recordId);
    if (r.xml === undefined) bytePath++;
  }, (d) => diags.push(JSON.stringify(d)));
  if (push === undefined) s.push(bytes);
  else for (let i = 0; i < bytes.length; i += push) s.push(bytes.slice(i, i + push));
  s.end();
  out.flush();
  assert.equal(out.lines, ids.length, 'one line per record');
  for (const b of blocks) assert.equal(b[b.length - 1], 0x0a, 'blocks hold whole lines');
  return { text: Buffer.concat(blocks).toString('utf8'), diags, ids, bytePath };
}

function same(bytes: Uint8Array, label: string, opts: EvtxReadOptions = {}): Run {
  const a = strings(bytes, opts);
  const b = viaBytes(bytes, opts);
  assert.deepEqual(b.ids, a.ids, `${label}: records`);
  assert.deepEqual(b.diags, a.diags, `${label}: diagnostics`);
  if (b.text !== a.text) {
    const la = a.text.split('\n');
    const lb = b.text.split('\n');
    const i = la.findIndex((l, k) => l !== lb[k]);
    assert.fail(`${label}: line ${i} differs\nstring: ${la[i]?.slice(0, 3000)}\nbytes:  ${lb[i]?.slice(0, 3000)}`);
  }
  return b;
}

/** One template record per value, each value in element text and in an attribute. */
function valuesFile(values: readonly WValue[]): Uint8Array {
  const t: WTemplate = {
    guid: Uint8Array.from({ length: 16 }, (_, i) => 200 + i),
    root: {
      name: 'Event',
      attrs: [['xmlns', 'http://schemas.microsoft.com/win/2004/08/events/event']],
      children: [
        { name: 'System', children: [{ name: 'EventID', children: ['1'] }, { name: 'Execution', attrs: [['ProcessID', { subst: 0, type: 0x01 }]] }] },
        {
          name: 'EventData',
          children: [
            { name: 'Data', attrs: [['Name', 'V']], children: [{ subst: 0, type: 0x01 }] },
            { name: 'Data', attrs: [['Name', 'Mixed']], children: ['a&b<', { subst: 0, type: 0x01 }, '>"\'\r\n'] },
            { name: 'Data', attrs: [['Name', 'Opt']], children: [{ subst: 1, type: 0x01, optional: true }] },
          ],
        },
      ],
    },
  };
  const recs: WRecord[] = values.map((v, i) => ({ id: i + 1, body: { kind: 'template', template: t, values: [v, i % 2 === 0 ? V.null() : V.string('x')] } }));
  return writeEvtx(recs, { recordsPerChunk: 50 });
}

/** A UTF-16LE string value from code units (lone surrogates allowed). */
function units(u: readonly number[]): WValue {
  const b = new Uint8Array(u.length * 2);
  u.forEach((x, i) => ((b[2 * i] = x & 0xff), (b[2 * i + 1] = x >> 8)));
  return { type: 0x01, bytes: b };
}

describe('full rendering to bytes gives the string path\'s lines', () => {
  it('FILETIME seconds as the Date-based text, over 20,000 random instants from 1601 to 30827', () => {
    const rnd = prng(1601);
    const buf = new Uint8Array(24);
    const edges = [0, 1, 86399, 86400, 0x3fffffff * 429, 12591158400 - 1, 12591158400, 13197331200, 11644473600, 11644473599];
    for (let k = 0; k < 20_000 + edges.length; k++) {
      const secs = k < edges.length ? edges[k]! : Math.floor(rnd() * 0x3fffffff * 429);
      const ticks = BigInt(secs) * 10_000_000n;
      const hi = Number(ticks >> 32n);
      if (hi >= 0x40000000) continue;
      const want = fileTimeToIsoParts(hi, Number(ticks & 0xffffffffn));
      const n = isoSecondsPrefix(secs - 11644473600, buf);
      assert.equal(Buffer.from(buf.subarray(0, n)).toString('latin1'), want.slice(0, -10), `second ${secs}`);
    }
  });

  it('every value type and the characters that need care, in text and attributes', () => {
    const values: WValue[] = [
      V.string(''),
      V.string('plain'),
      V.string('a & b < c > d \' e " f'),
      V.string('line one\r\nline two\nthree\r'),
      V.string('é ß Ω 中文 €'),
      V.string('😀 pair and tab\there'),
      units([0x41, 0xd800, 0x42]), // lone high surrogate
      units([0xdc00, 0x41]), // lone low surrogate
      units([0x41, 0xd83d]), // high surrogate at the end
      units([0x41, 0, 0x42, 0, 0]), // inner and trailing NUL
      units([0, 0]),
      { type: 0x01, bytes: Uint8Array.of(0x41, 0, 0x42) }, // odd size
      V.ansi('latin \xe9\xff & <x>\r\n'),
      V.ansi('\0\0'),
      V.int8(-128), V.uint8(0), V.uint8(9), V.uint8(10), V.uint8(255),
      V.int16(-1), V.uint16(65535), V.int32(-2147483648), V.uint32(0), V.uint32(4294967295), V.uint32(1000000000),
      V.int64(-(2n ** 63n)), V.uint64(2n ** 64n - 1n), V.uint64(12345n),
      V.real32(0.1), V.real64(1.5), V.bool(true), V.bool(false),
      V.binary(Uint8Array.of(0, 0xab, 0x0f)),
      V.guid('{5770385F-C22A-43E0-BF4C-06F5698FFBD9}'),
      V.sizeT32(0xf84), V.sizeT64(0x8000000000000000n),
      V.fileTime('2020-10-08T11:03:46.6179203Z'), V.fileTime('1601-01-01T00:00:00Z'),
      V.sysTime(2021, 3, 2, 10, 11, 12, 345),
      V.sid('S-1-5-18'), V.sid('S-1-5-21-1-2-3-1001'),
      V.hex32(0xf84), V.hex64(0x8000000000000000n), V.hex32(0), V.hex32(0xffffffff), V.hex64(0n), V.hex64(0x100000000n), V.hex64(0xabcdef012345n),
      V.fileTime('2000-02-29T23:59:59.9999999Z'), V.fileTime('1900-03-01T00:00:00.0000001Z'), V.fileTime('2100-12-31T12:00:00Z'), V.fileTime('9999-12-31T23:59:59Z'),
      { type: 0x11, bytes: Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f) }, // year 30 000+
      { type: 0x11, bytes: Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0x40) }, // past what the split arithmetic takes
      { type: 0x11, bytes: Uint8Array.of(1, 2, 3) }, // FILETIME of a wrong size
      { type: 0x0f, bytes: Uint8Array.of(1, 2, 3) }, // GUID of a wrong size: a value warning
      { type: 0x08, bytes: Uint8Array.of(1, 2) }, // uint32 of a wrong size
      { type: 0x06, bytes: Uint8Array.of(1, 2, 3) },
      V.array(0x01, [V.string('x'), V.string('y & z')]),
      V.array(0x08, [V.uint32(1), V.uint32(2)]),
    ];
    const r = same(valuesFile(values), 'values');
    assert.equal(r.ids.length, values.length);
    assert.ok(r.bytePath >= values.length - 8, `byte path ${r.bytePath} of ${values.length}`);
    assert.ok(r.text.includes("line one&#13;&#10;line two&#10;three&#13;"), 'CR and LF as references');
    assert.ok(r.text.includes('A\uFFFDB'), 'a lone surrogate is U+FFFD in UTF-8');
    assert.equal(r.text.split('\n').length, values.length + 1, 'one line per record');
  });

  it('ESCU example events (the contract corpus) over many chunks: all written as bytes', () => {
    const events: WinEvent[] = [];
    for (const x of allWindowsExamples()) {
      const r = parseEventXml(x.xml);
      if (r.ok) events.push({ system: r.system, data: r.data, origin: { file: x.name } });
    }
    assert.ok(events.length >= 45);
    const many: WRecord[] = [];
    for (let i = 0; i < 600; i++) {
      const e = events[i % events.length]!;
      many.push(recordOf({ ...e, system: { ...e.system, recordId: i + 1 } }, i + 1));
    }
    const bytes = writeEvtx(many, { recordsPerChunk: 37 });
    const r = same(bytes, 'escu x600');
    assert.equal(r.bytePath, 600);
    // Streamed in odd pieces (the chunk buffer is reused): the same bytes.
    for (const step of [1000, 65537]) assert.equal(viaBytes(bytes, {}, step).text, r.text, `push ${step}`);
  });

  it('edge templates and limits (nodes, characters, nesting, element depth, strict CRC)', () => {
    const bytes = edgeFile();
    const r = same(bytes, 'edge');
    // Nearly every edge record holds an array or a BinXML value, which go the string path.
    assert.ok(r.bytePath > 0, `byte path ${r.bytePath} of ${r.ids.length}`);
    for (const opts of [{ maxNodes: 60 }, { maxNodes: 90 }, { maxChars: 700 }, { maxChars: 1200 }, { maxNestingDepth: 0 }, { maxNestingDepth: 1 }, { maxElementDepth: 3 }, { strictCrc: true }]) {
      same(bytes, JSON.stringify(opts), opts);
    }
  });

  it(`the fuzzer's files and ${FUZZ_CASES} mutations of them and of the edge file`, () => {
    const bases = [...corpus(), edgeFile()];
    for (const b of bases) same(b, 'base');
    let bytePath = 0;
    for (const { k, name, bytes } of mutatedFiles(bases, FUZZ_CASES, FUZZ_SEED)) bytePath += same(bytes, `case ${k} (${name})`).bytePath;
    assert.ok(bytePath > 0);
  });

  it('through the readers: `xmlLines` gets what dump wrote from the events before (xmlOf of each event)', () => {
    for (const bytes of [edgeFile(), ...corpus(), valuesFile([V.string('a\r\nb'), V.string('<x>')])]) {
      const expected: string[] = [];
      readBytes('e.evtx', bytes, { keepRaw: true }, { event: (e) => expected.push(xmlOf(e) + '\n'), diagnostic: () => {} });
      const blocks: Uint8Array[] = [];
      const s = readBytes('e.evtx', bytes, { keepRaw: true, xmlLines: (b) => blocks.push(b.slice()) }, { event: () => assert.fail('no events with xmlLines'), diagnostic: () => {} });
      const text = Buffer.concat(blocks).toString('utf8');
      // xmlLines writes every record that renders; the event path also drops records with no System/EventID.
      const lines = text.split('\n').slice(0, -1).map((l) => l + '\n');
      assert.equal(s.events, lines.length);
      assert.ok(expected.length > 0);
      let k = 0;
      for (const l of lines) if (l === expected[k]) k++;
      assert.equal(k, expected.length, `every event's line, in order (missing: ${expected[k]?.slice(0, 300)})`);
    }
  });
});
