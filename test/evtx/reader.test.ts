/** File and chunk headers, damage handling, streaming, and the readers plug-in. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseChunkHeader } from '../../src/evtx/chunk.js';
import { crc32 } from '../../src/evtx/crc32.js';
import { parseFileHeader } from '../../src/evtx/header.js';
import { EvtxStream } from '../../src/evtx/reader.js';
import { readBytes } from '../../src/readers/index.js';
import type { ReadDiagnostic, WinEvent } from '../../src/events/types.js';
import { codes, readAll } from './helpers.js';
import { cat, V, writeEvtx, writeFileHeader, type WRecord, type WTemplate } from './writer.js';

const CHUNK = 0x10000;
const t: WTemplate = {
  guid: Uint8Array.from({ length: 16 }, (_, i) => i + 1),
  root: {
    name: 'Event',
    children: [
      { name: 'System', children: [{ name: 'Provider', attrs: [['Name', 'Test']] }, { name: 'EventID', children: [{ subst: 0, type: 0x06 }] }, { name: 'EventRecordID', children: [{ subst: 1, type: 0x0a }] }] },
      { name: 'EventData', children: [{ name: 'Data', attrs: [['Name', 'Text']], children: [{ subst: 2, type: 0x01 }] }] },
    ],
  },
};
const rec = (id: number, text = `event ${id}`): WRecord => ({ id, body: { kind: 'template', template: t, values: [V.uint16(1), V.uint64(BigInt(id)), V.string(text)] } });
const ids = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);
/** Three chunks of four records each. */
const file = () => writeEvtx(ids(12).map((i) => rec(i)), { recordsPerChunk: 4 });

describe('file and chunk headers', () => {
  it('parses the file header written by the writer and checks its CRC', () => {
    const h = parseFileHeader(writeFileHeader(3, 13, 1));
    assert.deepEqual(h.diagnostics.map((d) => d.code), ['evtx.dirty-header']);
    assert.equal(h.header.chunkCount, 3);
    assert.equal(h.header.nextRecordId, 13);
    assert.equal(h.header.dirty, true);
    assert.equal(h.header.majorVersion, 3);
    const bad = writeFileHeader(3, 13);
    bad[10] = bad[10]! ^ 1;
    assert.deepEqual(parseFileHeader(bad).diagnostics.map((d) => [d.code, d.severity, d.offset]), [['evtx.bad-header-crc', 'warning', 124]]);
  });

  it('parses chunk headers: record ids, offsets, both CRCs', () => {
    const bytes = file();
    const c = bytes.subarray(4096 + CHUNK, 4096 + 2 * CHUNK);
    const h = parseChunkHeader(c);
    assert.deepEqual([h.firstRecordId, h.lastRecordId, h.headerSize], [5, 8, 128]);
    assert.equal(h.headerCrc, h.computedHeaderCrc);
    assert.equal(h.recordsCrc, crc32(c, 512, h.freeSpaceOffset));
  });

  it('reads every record of every chunk in file order', () => {
    const r = readAll(file());
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.records.map((x) => x.recordId), ids(12));
    assert.deepEqual(r.records.map((x) => x.chunk), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    assert.equal(r.events[11]!.data['Text'], 'event 12');
    assert.equal(r.summary.chunks, 3);
  });

  it('bad CRCs are warnings by default; strictCrc skips the chunk', () => {
    const bytes = file();
    bytes[4096 + CHUNK + 600] = bytes[4096 + CHUNK + 600]! ^ 0x01; // inside chunk 1's records (a string value)
    const lax = readAll(bytes);
    assert.deepEqual(lax.diagnostics.map((d) => [d.code, d.severity, d.chunk]), [['evtx.bad-chunk-crc', 'warning', 1]]);
    assert.equal(lax.records.length, 12);
    const strict = readAll(bytes, { strictCrc: true });
    assert.deepEqual(strict.diagnostics.map((d) => [d.code, d.severity]), [['evtx.bad-chunk-crc', 'error']]);
    assert.deepEqual(strict.records.map((x) => x.recordId), [...ids(4), ...ids(4, 9)]);
  });
});

describe('damage: typed diagnostics, never a crash', () => {
  it('dirty header with a stale chunk count: every chunk in the file is read', () => {
    const r = readAll(writeEvtx(ids(12).map((i) => rec(i)), { recordsPerChunk: 4, flags: 1, headerChunkCount: 1 }));
    assert.equal(r.records.length, 12);
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity]), [
      ['evtx.dirty-header', 'info'],
      ['evtx.chunk-count-mismatch', 'info'],
    ]);
  });

  it('a clean header with a wrong chunk count is a warning', () => {
    const r = readAll(writeEvtx(ids(8).map((i) => rec(i)), { recordsPerChunk: 4, headerChunkCount: 5 }));
    assert.equal(r.records.length, 8);
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity]), [['evtx.chunk-count-mismatch', 'warning']]);
  });

  it('bad chunk signature: that chunk is skipped and reported with its file offset', () => {
    const bytes = file();
    bytes[4096 + CHUNK] = 0x58;
    const r = readAll(bytes);
    assert.deepEqual(r.records.map((x) => x.recordId), [...ids(4), ...ids(4, 9)]);
    const d = r.diagnostics.find((x) => x.code === 'evtx.bad-chunk-magic')!;
    assert.deepEqual([d.severity, d.offset, d.chunk], ['error', 4096 + CHUNK, 1]);
    assert.equal(r.summary.skippedChunks, 1);
  });

  it('all-zero chunk blocks (preallocated space) are skipped silently', () => {
    const r = readAll(cat([file(), new Uint8Array(CHUNK)]));
    assert.equal(r.records.length, 12);
    assert.equal(r.summary.emptyChunks, 1);
    assert.deepEqual(r.diagnostics, []);
  });

  it('truncated last chunk and truncated record: the whole records are read', () => {
    const bytes = file();
    const full = readAll(bytes);
    const cut = full.records[10]!.offset + 30; // inside record 11
    const r = readAll(bytes.subarray(0, cut));
    assert.deepEqual(r.records.map((x) => x.recordId), ids(10));
    assert.deepEqual(codes(r.diagnostics), ['evtx.bad-chunk-crc', 'evtx.truncated-chunk', 'evtx.truncated-record']);
    const tr = r.diagnostics.at(-1)!;
    assert.deepEqual([tr.offset, tr.chunk, tr.recordId], [full.records[10]!.offset, 2, 11]);
  });

  it('a file cut inside the header, or empty, is one error', () => {
    assert.deepEqual(codes(readAll(new Uint8Array(0)).diagnostics), ['evtx.bad-header']);
    assert.deepEqual(codes(readAll(writeFileHeader(0, 1).subarray(0, 100)).diagnostics), ['evtx.bad-header']);
  });

  it('record sizes that disagree: impossible size skipped with resync; trailing copy mismatch is a warning', () => {
    const bytes = file();
    const recs = readAll(bytes).records;
    const v = new DataView(bytes.buffer);
    v.setUint32(recs[1]!.offset + 4, 0x7fffffff, true); // record 2: impossible size
    const r2size = v.getUint32(recs[2]!.offset + 4, true);
    v.setUint32(recs[2]!.offset + r2size - 4, 1, true); // record 3: trailing copy disagrees
    const r = readAll(bytes);
    assert.deepEqual(r.records.map((x) => x.recordId), [1, 3, ...ids(9, 4)]);
    assert.deepEqual(r.diagnostics.filter((d) => d.code !== 'evtx.bad-chunk-crc').map((d) => [d.code, d.severity, d.recordId]), [
      ['evtx.bad-record-size', 'error', 2],
      ['evtx.bad-record-size', 'warning', 3],
    ]);
  });

  it('garbage between records: reported once, reading resumes at the next record signature', () => {
    const bytes = file();
    const recs = readAll(bytes).records;
    bytes.fill(0x41, recs[1]!.offset, recs[1]!.offset + 40);
    const r = readAll(bytes);
    assert.deepEqual(r.records.map((x) => x.recordId), [1, ...ids(10, 3)]);
    assert.deepEqual(codes(r.diagnostics).filter((c) => c !== 'evtx.bad-chunk-crc'), ['evtx.bad-record-magic']);
  });
});

describe('streaming', () => {
  it('gives the same records and diagnostics whatever the push sizes', () => {
    const bytes = file();
    bytes[4096 + CHUNK] = 0; // one bad chunk for the diagnostics
    const whole = readAll(bytes);
    for (const step of [1, 7, 4095, 4097, 65536, 65537, 100_000]) {
      const out: number[] = [];
      const ds: string[] = [];
      const s = new EvtxStream({}, (r) => out.push(r.recordId), (d) => ds.push(`${d.code}@${d.offset}`));
      for (let i = 0; i < bytes.length; i += step) s.push(bytes.subarray(i, i + step));
      s.end();
      assert.deepEqual(out, whole.records.map((x) => x.recordId), `step ${step}`);
      assert.deepEqual(ds, whole.diagnostics.map((d) => `${d.code}@${d.offset}`), `step ${step}`);
    }
  });
});

describe('readers plug-in', () => {
  it('readBytes recognises EVTX by content and delivers WinEvents with byte-offset origins and XML raw', () => {
    const events: WinEvent[] = [];
    const diags: ReadDiagnostic[] = [];
    const s = readBytes('log.bin', file(), {}, { event: (e) => events.push(e), diagnostic: (d) => diags.push(d) });
    assert.equal(s.format, 'evtx');
    assert.equal(s.failed, false);
    assert.equal(s.events, 12);
    assert.deepEqual(diags, []);
    assert.equal(events[0]!.system.recordId, 1);
    assert.equal(events[0]!.origin.offset, 4096 + 512);
    assert.match(events[0]!.raw!, /^<Event><System><Provider Name='Test'\/><EventID>1<\/EventID>/);
  });

  it('rawFilter sees the rendered XML; keepRaw false drops raw; damage is counted in errors', () => {
    const bytes = file();
    bytes[4096 + CHUNK] = 0x58;
    const events: WinEvent[] = [];
    const diags: ReadDiagnostic[] = [];
    const s = readBytes('x.evtx', bytes, { rawFilter: (raw) => raw.includes('>event 1<') || raw.includes('>event 12<'), keepRaw: false }, { event: (e) => events.push(e), diagnostic: (d) => diags.push(d) });
    assert.deepEqual(events.map((e) => e.data['Text']), ['event 1', 'event 12']);
    assert.equal(events[0]!.raw, undefined);
    assert.equal(s.filtered, 6);
    assert.equal(s.errors, 1);
    assert.equal(diags[0]!.code, 'evtx.bad-chunk-magic');
    assert.match(diags[0]!.message, /file offset 69632, chunk 1/);
  });
});
