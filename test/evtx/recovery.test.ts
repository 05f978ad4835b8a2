/**
 * `recover`: records left in slack space (after a chunk's free space offset, after
 * zero fill, in recycled chunks) and in chunks whose header is damaged are read,
 * marked `recovered`, reported as `evtx.recovered-record`, never delivered twice.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReadDiagnostic, WinEvent } from '../../src/events/types.js';
import type { EvtxDiagnostic } from '../../src/evtx/errors.js';
import { EvtxStream, readEvtx, type EvtxReadOptions, type EvtxRecord } from '../../src/evtx/reader.js';
import { toXml } from '../../src/evtx/render.js';
import { readBytes } from '../../src/readers/index.js';
import { readAll } from './helpers.js';
import { fixChunkCrcs, setFreeSpace, V, writeEvtx, type WRecord, type WTemplate } from './writer.js';

const CHUNK = 0x10000;
const t: WTemplate = {
  guid: Uint8Array.from({ length: 16 }, (_, i) => 0x30 + i),
  root: {
    name: 'Event',
    children: [
      { name: 'System', children: [{ name: 'Provider', attrs: [['Name', 'Test']] }, { name: 'EventID', children: [{ subst: 0, type: 0x06 }] }, { name: 'EventRecordID', children: [{ subst: 1, type: 0x0a }] }] },
      { name: 'EventData', children: [{ name: 'Data', attrs: [['Name', 'Text']], children: [{ subst: 2, type: 0x01 }] }] },
    ],
  },
};
const rec = (id: number, text = `event ${id}`): WRecord => ({ id, body: { kind: 'template', template: t, values: [V.uint16(4), V.uint64(BigInt(id)), V.string(text)] } });
const ids = (n: number, from = 1): number[] => Array.from({ length: n }, (_, i) => from + i);
/** Chunk offset of a record read from chunk 0. */
const inChunk = (r: EvtxRecord): number => r.offset - 4096 - r.chunk * CHUNK;

/** One chunk of 8 records whose free space offset is lowered to record 6: records 6-8 sit in slack space. */
function slackFile(): { bytes: Uint8Array; offsets: number[] } {
  const bytes = writeEvtx(ids(8).map((i) => rec(i)));
  const offsets = readAll(bytes).records.map((r) => r.offset);
  setFreeSpace(bytes, 0, offsets[5]! - 4096);
  return { bytes, offsets };
}

const summaryOf = (r: ReturnType<typeof readAll>) => [r.summary.records, r.summary.recovered, r.summary.badRecords];
const noErrors = (ds: readonly { severity: string }[]) => assert.deepEqual(ds.filter((d) => d.severity === 'error'), []);

describe('recover: slack space after the free space offset', () => {
  it('records past the free space offset are returned only with recover, marked recovered, with their ids and values', () => {
    const { bytes, offsets } = slackFile();
    const plain = readAll(bytes);
    assert.deepEqual(plain.records.map((r) => r.recordId), ids(5));
    assert.deepEqual(plain.diagnostics, []);
    assert.deepEqual(summaryOf(plain), [5, 0, 0]);
    assert.ok(plain.records.every((r) => r.recovered === undefined));

    const r = readAll(bytes, { recover: true });
    assert.deepEqual(r.records.map((x) => x.recordId), ids(8));
    assert.deepEqual(r.records.map((x) => x.recovered), [undefined, undefined, undefined, undefined, undefined, true, true, true]);
    assert.deepEqual(r.records.map((x) => x.offset), offsets);
    assert.deepEqual(r.events.map((e) => e.data['Text']), ids(8).map((i) => `event ${i}`));
    assert.deepEqual(r.events.map((e) => e.system.recordId), ids(8));
    assert.deepEqual(r.xml.slice(0, 5), plain.xml);
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity, d.offset, d.chunk, d.recordId]), [
      ['evtx.recovered-record', 'info', offsets[5], 0, 6],
      ['evtx.recovered-record', 'info', offsets[6], 0, 7],
      ['evtx.recovered-record', 'info', offsets[7], 0, 8],
    ]);
    assert.deepEqual(summaryOf(r), [5, 3, 0]);
  });

  it('the compiled path (with and without XML) recovers the same records, marked the same way', () => {
    const { bytes } = slackFile();
    const tree = readAll(bytes, { recover: true });
    for (const xml of [true, false]) {
      const got: string[] = [];
      const ds: string[] = [];
      const s = readEvtx(bytes, { recover: true, compiled: { xml } }, (r) => got.push(JSON.stringify([r.recordId, r.recovered ?? false, r.event, xml ? r.xml : toXml(r.root)])), (d) => ds.push(JSON.stringify(d)));
      assert.deepEqual(got, tree.records.map((r, i) => JSON.stringify([r.recordId, r.recovered ?? false, { ok: true, ...tree.events[i] }, tree.xml[i]])), `xml ${xml}`);
      assert.deepEqual(ds, tree.diagnostics.map((d) => JSON.stringify(d)));
      assert.deepEqual([s.records, s.recovered], [5, 3]);
    }
  });

  it('a slack record overwritten in the middle is a warning; the records around it are still recovered', () => {
    const { bytes, offsets } = slackFile();
    bytes.fill(0xff, offsets[6]! + 24, offsets[6]! + 40); // record 7: its BinXML start is garbage, size and trailing copy intact
    // Signatures that are not records: an impossible size, and a size whose trailing copy disagrees.
    const end = offsets[7]! + new DataView(bytes.buffer).getUint32(offsets[7]! + 4, true);
    bytes.set([0x2a, 0x2a, 0, 0, 0xff, 0xff, 0xff, 0x7f], end + 16);
    bytes.set([0x2a, 0x2a, 0, 0, 64, 0, 0, 0], end + 64);
    const r = readAll(bytes, { recover: true });
    assert.deepEqual(r.records.map((x) => [x.recordId, x.recovered ?? false]), [...ids(5).map((i) => [i, false]), [6, true], [8, true]]);
    noErrors(r.diagnostics);
    const bad = r.diagnostics.filter((d) => d.code !== 'evtx.recovered-record');
    assert.equal(bad.length, 1);
    assert.deepEqual([bad[0]!.severity, bad[0]!.chunk, bad[0]!.recordId], ['warning', 0, 7]);
    assert.match(bad[0]!.message, /recovered record skipped/);
    assert.deepEqual(summaryOf(r), [5, 2, 0]);
    // The same through the compiled path.
    const ds: EvtxDiagnostic[] = [];
    const got: number[] = [];
    readEvtx(bytes, { recover: true, compiled: { xml: true } }, (x) => got.push(x.recordId), (d) => ds.push(d));
    assert.deepEqual(got, [...ids(6), 8]);
    assert.deepEqual(ds, r.diagnostics);
  });

  it('a candidate that does not render does not hide a record inside its span', () => {
    const { bytes, offsets } = slackFile();
    const v = new DataView(bytes.buffer);
    const size = (at: number) => v.getUint32(at + 4, true);
    const x = offsets[7]! + size(offsets[7]!) + 8; // zero slack after record 8
    const inner = bytes.slice(offsets[1]!, offsets[1]! + size(offsets[1]!)); // a copy of record 2
    const span = 40 + inner.length + 16;
    bytes.set([0x2a, 0x2a, 0, 0], x); // a candidate: plausible size, matching trailing copy, garbage body
    v.setUint32(x + 4, span, true);
    v.setUint32(x + 8, 99, true);
    bytes.fill(0xff, x + 24, x + 40);
    bytes.set(inner, x + 40);
    v.setUint32(x + span - 4, span, true);
    const r = readAll(bytes, { recover: true });
    assert.deepEqual(r.records.map((y) => [y.recordId, y.recovered ?? false, y.offset]), [...ids(8).map((i) => [i, i > 5, offsets[i - 1]]), [2, true, x + 40]]);
    assert.deepEqual(r.diagnostics.filter((d) => d.code !== 'evtx.recovered-record').map((d) => [d.severity, d.recordId]), [['warning', 99]]);
    assert.equal(r.events.at(-1)!.data['Text'], 'event 2');
  });

  it('records after a zero gap, and a record whose signature was overwritten, are handled', () => {
    const { bytes, offsets } = slackFile();
    bytes.fill(0, offsets[5]!, offsets[6]!); // record 6 zeroed: a gap of zero fill before record 7
    const r = readAll(bytes, { recover: true });
    assert.deepEqual(r.records.map((x) => [x.recordId, x.recovered ?? false]), [...ids(5).map((i) => [i, false]), [7, true], [8, true]]);
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.recordId]), [
      ['evtx.recovered-record', 7],
      ['evtx.recovered-record', 8],
    ]);
    bytes.fill(0, offsets[6]!, offsets[6]! + 4); // record 7 loses its signature: not found, silently
    const r2 = readAll(bytes, { recover: true });
    assert.deepEqual(r2.records.map((x) => x.recordId), [...ids(5), 8]);
    assert.deepEqual(r2.diagnostics.map((d) => d.code), ['evtx.recovered-record']);
  });

  it('a recycled chunk: newer records over older ones; the older records past them are recovered', () => {
    // Windows reuses a chunk by writing new records from offset 512; the older, longer records beyond remain.
    const old = writeEvtx(ids(10).map((i) => rec(i, `an older event ${i} with a much longer text than the new ones`)));
    const newer = writeEvtx(ids(3, 101).map((i) => rec(i, `new ${i}`)));
    const free = new DataView(newer.buffer).getUint32(4096 + 48, true);
    const bytes = old.slice();
    bytes.set(newer.subarray(4096, 4096 + free), 4096); // the new header and records over the old ones
    const oldRecs = readAll(old).records;
    const survivors = oldRecs.filter((x) => inChunk(x) >= free);
    assert.ok(survivors.length >= 5 && survivors.length < 10);
    assert.deepEqual(readAll(bytes).records.map((x) => x.recordId), [101, 102, 103]);
    const r = readAll(bytes, { recover: true });
    assert.deepEqual(r.records.map((x) => [x.recordId, x.recovered ?? false]), [[101, false], [102, false], [103, false], ...survivors.map((x) => [x.recordId, true])]);
    assert.deepEqual(r.events.slice(3).map((e) => e.data['Text']), survivors.map((x) => `an older event ${x.recordId} with a much longer text than the new ones`));
    noErrors(r.diagnostics);
  });

  it('a dirty file (read to each chunk end already) gives no duplicates and nothing marked recovered', () => {
    const bytes = writeEvtx(ids(8).map((i) => rec(i)), { flags: 1 });
    const offsets = readAll(bytes).records.map((r) => r.offset);
    setFreeSpace(bytes, 0, offsets[5]! - 4096);
    const plain = readAll(bytes);
    assert.deepEqual(plain.records.map((x) => x.recordId), ids(8));
    const r = readAll(bytes, { recover: true });
    assert.deepEqual(r.records.map((x) => [x.recordId, x.recovered ?? false]), ids(8).map((i) => [i, false]));
    assert.deepEqual(r.diagnostics, plain.diagnostics);
    assert.deepEqual(summaryOf(r), [8, 0, 0]);
    // A zero gap in a dirty chunk: read normally (reported as before), still no duplicates.
    bytes.fill(0, offsets[5]!, offsets[6]!);
    fixChunkCrcs(bytes, 0);
    const gap = readAll(bytes);
    const gapRecover = readAll(bytes, { recover: true });
    assert.deepEqual(gapRecover.records.map((x) => x.recordId), gap.records.map((x) => x.recordId));
    assert.deepEqual(gapRecover.records.map((x) => x.recordId), [...ids(5), 7, 8]);
    assert.equal(gapRecover.summary.recovered, 0);
  });

  it('streaming in odd pieces recovers the same records with the same diagnostics', () => {
    const { bytes, offsets } = slackFile();
    bytes.fill(0xff, offsets[6]! + 24, offsets[6]! + 40);
    const whole = readAll(bytes, { recover: true });
    for (const step of [1, 7, 4097, 65537]) {
      const out: string[] = [];
      const ds: string[] = [];
      const s = new EvtxStream({ recover: true }, (r) => out.push(`${r.recordId}:${r.recovered ?? false}`), (d) => ds.push(`${d.code}@${d.offset}`));
      for (let i = 0; i < bytes.length; i += step) s.push(bytes.subarray(i, i + step));
      s.end();
      assert.deepEqual(out, whole.records.map((r) => `${r.recordId}:${r.recovered ?? false}`), `step ${step}`);
      assert.deepEqual(ds, whole.diagnostics.map((d) => `${d.code}@${d.offset}`), `step ${step}`);
    }
  });
});

describe('recover: chunks with a damaged header', () => {
  const three = (): Uint8Array => writeEvtx(ids(12).map((i) => rec(i)), { recordsPerChunk: 4 });

  for (const [what, damage] of [
    ['zeroed header', (b: Uint8Array) => b.fill(0, 4096 + CHUNK, 4096 + CHUNK + 512)],
    ['bad signature', (b: Uint8Array) => void (b[4096 + CHUNK] = 0x58)],
  ] as const) {
    it(`${what}: its records are recovered (names and templates resolve in the chunk), the damage is still reported`, () => {
      const bytes = three();
      damage(bytes);
      const plain = readAll(bytes);
      assert.deepEqual(plain.records.map((x) => x.recordId), [...ids(4), ...ids(4, 9)]);
      const r = readAll(bytes, { recover: true });
      assert.deepEqual(r.records.map((x) => [x.recordId, x.recovered ?? false]), ids(12).map((i) => [i, i >= 5 && i <= 8]));
      assert.deepEqual(r.events.map((e) => e.data['Text']), ids(12).map((i) => `event ${i}`));
      assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity, d.chunk, d.recordId]), [
        ['evtx.bad-chunk-magic', 'error', 1, undefined],
        ...ids(4, 5).map((i) => ['evtx.recovered-record', 'info', 1, i]),
        ['evtx.chunk-count-mismatch', 'warning', undefined, undefined], // the header counts 3 chunks, 2 have a signature
      ]);
      assert.match(r.diagnostics[0]!.message, /recovering the records it holds/);
      assert.deepEqual([r.summary.records, r.summary.recovered, r.summary.skippedChunks], [8, 4, 1]);
    });
  }

  it('a block of garbage and a block cut inside its header give nothing and do not crash', () => {
    const bytes = three();
    let x = 7;
    for (let i = 4096 + CHUNK; i < 4096 + 2 * CHUNK; i++) bytes[i] = x = (x * 1103515245 + 12345) & 0xff;
    const r = readAll(bytes, { recover: true });
    assert.deepEqual(r.records.map((x) => x.recordId), [...ids(4), ...ids(4, 9)]);
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['evtx.bad-chunk-magic', 'evtx.chunk-count-mismatch']);
    const cut = readAll(three().subarray(0, 4096 + 2 * CHUNK + 300).map((b, i) => (i === 4096 + 2 * CHUNK ? 0x58 : b)), { recover: true });
    assert.deepEqual(cut.records.map((x) => x.recordId), ids(8));
  });

  it('strictCrc still skips a chunk with a bad CRC (nothing recovered from it)', () => {
    const { bytes } = slackFile();
    bytes[4096 + 600] = bytes[4096 + 600]! ^ 1;
    const r = readAll(bytes, { recover: true, strictCrc: true });
    assert.deepEqual(r.records, []);
  });
});

describe('recover through the readers plug-in', () => {
  const read = (bytes: Uint8Array, opts: Parameters<typeof readBytes>[2]) => {
    const events: WinEvent[] = [];
    const diags: ReadDiagnostic[] = [];
    const summary = readBytes('slack.evtx', bytes, opts, { event: (e) => events.push(e), diagnostic: (d) => diags.push(d) });
    return { events, diags, summary };
  };

  it('recovered events carry origin.recovered; others do not; reported as info, not counted as errors', () => {
    const { bytes, offsets } = slackFile();
    const plain = read(bytes, {});
    assert.equal(plain.events.length, 5);
    const r = read(bytes, { recover: true });
    assert.deepEqual(r.events.map((e) => [e.system.recordId, e.origin.recovered ?? false, e.origin.offset]), ids(8).map((i) => [i, i > 5, offsets[i - 1]]));
    assert.ok(r.events.slice(0, 5).every((e) => !('recovered' in e.origin)));
    assert.deepEqual(r.diags.map((d) => [d.code, d.severity]), ids(3).map(() => ['evtx.recovered-record', 'info']));
    assert.match(r.diags[0]!.message, /record 6 recovered .*file offset \d+, chunk 0, record 6/);
    assert.deepEqual([r.summary.events, r.summary.errors], [8, 0]);
    // keepRaw false / fields: the same events.
    const lean = read(bytes, { recover: true, keepRaw: false, fields: ['Text'] });
    assert.deepEqual(lean.events.map((e) => [e.data['Text'], e.origin.recovered ?? false]), r.events.map((e) => [e.data['Text'], e.origin.recovered ?? false]));
  });

  it('the chunk pre-filter looks at the slack too: a literal only there still finds its event', () => {
    const { bytes } = slackFile();
    const opts = { rawFilter: (raw: string) => raw.includes('event 7'), literals: ['event 7'] };
    assert.deepEqual(read(bytes, opts).events, []);
    const r = read(bytes, { ...opts, recover: true });
    assert.deepEqual(r.events.map((e) => [e.data['Text'], e.origin.recovered]), [['event 7', true]]);
  });

  it('a recovered record that is no event (no System) is a warning, not an error', () => {
    const bytes = writeEvtx([...ids(5).map((i) => rec(i)), { id: 6, body: { kind: 'plain', root: { name: 'Other', children: ['x'] } } }]);
    const offsets = readAll(bytes).records.map((x) => x.offset);
    setFreeSpace(bytes, 0, offsets[5]! - 4096);
    const r = read(bytes, { recover: true });
    assert.equal(r.events.length, 5);
    assert.deepEqual(r.diags.map((d) => [d.code, d.severity]), [
      ['evtx.recovered-record', 'info'],
      ['evtx.bad-event', 'warning'],
    ]);
    assert.equal(r.summary.errors, 0);
  });
});

describe('recover: normal records unchanged', () => {
  it('with recover, the records read normally are exactly those read without it (fuzzer corpus shapes)', () => {
    const opts: EvtxReadOptions[] = [{}, { compiled: { xml: true } }];
    const { bytes } = slackFile();
    for (const o of opts) {
      const a: number[] = [];
      const b: number[] = [];
      readEvtx(bytes, o, (r) => a.push(r.offset), () => {});
      readEvtx(bytes, { ...o, recover: true }, (r) => void (r.recovered ? undefined : b.push(r.offset)), () => {});
      assert.deepEqual(b, a);
    }
  });
});
