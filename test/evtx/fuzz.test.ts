/**
 * Mutation fuzzer: bit flips, byte overwrites, truncations, inserted bytes, zeroed
 * ranges, and chunk and record shuffles over generated EVTX files. Every case
 * must finish (bounded: one case taking seconds is reported as a hang), throw
 * nothing, and report only typed `evtx.*` diagnostics — never `evtx.internal`.
 * Seeded, so a failure names a reproducible case.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVTX_CODES } from '../../src/evtx/errors.js';
import { readBytes } from '../../src/readers/index.js';
import { prng, readAll } from './helpers.js';
import { V, writeEvtx, type WElement, type WRecord, type WTemplate } from './writer.js';

// EVTX_FUZZ_CASES / EVTX_FUZZ_SEED run a longer or different campaign locally.
const CASES = Number(process.env['EVTX_FUZZ_CASES'] ?? 400);
const SEED = Number(process.env['EVTX_FUZZ_SEED'] ?? 0x5eed);
const HANG_MS = 5000;
const CHUNK = 0x10000;

function corpus(): Uint8Array[] {
  const inner: WTemplate = { guid: Uint8Array.from({ length: 16 }, (_, i) => 100 + i), root: { name: 'U', children: [{ name: 'A', children: [{ subst: 0, type: 0x01 }] }, { name: 'B', attrs: [['x', { subst: 1, type: 0x14 }]] }] } };
  const t: WTemplate = {
    guid: Uint8Array.from({ length: 16 }, (_, i) => i),
    root: {
      name: 'Event',
      attrs: [['xmlns', 'http://schemas.microsoft.com/win/2004/08/events/event']],
      children: [
        { name: 'System', children: [{ name: 'Provider', attrs: [['Name', { subst: 0, type: 0x01 }], ['Guid', { subst: 1, type: 0x0f, optional: true }]] }, { name: 'EventID', children: [{ subst: 2, type: 0x06 }] }, { name: 'TimeCreated', attrs: [['SystemTime', { subst: 3, type: 0x11 }]] }, { name: 'Security', attrs: [['UserID', { subst: 4, type: 0x13, optional: true }]] }] },
        { name: 'EventData', children: [{ name: 'Data', attrs: [['Name', 'S']], children: [{ subst: 5, type: 0x81 }] }, { name: 'Data', attrs: [['Name', 'K']], children: [{ subst: 6, type: 0x15 }] }, { name: 'Data', children: [{ subst: 7, type: 0x21 }] }] },
      ],
    },
  };
  const rec = (id: number): WRecord => ({
    id,
    body: {
      kind: 'template',
      template: t,
      values: [
        V.string(`Provider-${id % 3}`),
        id % 2 === 0 ? V.guid('{5770385F-C22A-43E0-BF4C-06F5698FFBD9}') : V.null(),
        V.uint16(id),
        V.fileTime('2022-01-02T03:04:05.1234567Z'),
        V.sid('S-1-5-21-1-2-3-1001'),
        V.array(0x01, [V.string('x'), V.string(`y${id}`)]),
        V.hex64(BigInt(id) << 40n),
        V.binXml({ kind: 'template', template: inner, values: [V.string('in'), V.hex32(id)] }),
      ],
    },
  });
  const plain: WElement = { name: 'Event', children: [{ name: 'System', children: [{ name: 'EventID', children: ['4'] }] }, { name: 'EventData', children: [{ name: 'Data', attrs: [['Name', 'T']], children: ['a', { entity: 'lt' }, { charRef: 0x42 }, { cdata: 'c' }] }] }] };
  const many = Array.from({ length: 30 }, (_, i) => (i % 5 === 4 ? { id: i + 1, body: { kind: 'plain' as const, root: plain } } : rec(i + 1)));
  return [writeEvtx(many, { recordsPerChunk: 10 }), writeEvtx(many.slice(0, 4)), writeEvtx(many, { recordsPerChunk: 7, flags: 1, headerChunkCount: 2 })];
}

type Mutation = (b: Uint8Array, rnd: () => number) => Uint8Array;
const int = (rnd: () => number, n: number): number => Math.floor(rnd() * n);
/** Offsets biased towards the structures: header block, chunk headers, first records. */
const spot = (b: Uint8Array, rnd: () => number): number => {
  const r = rnd();
  const chunks = Math.max(1, Math.floor((b.length - 4096) / CHUNK));
  if (r < 0.2) return int(rnd, Math.min(b.length, 4096));
  if (r < 0.5) return Math.min(b.length - 1, 4096 + int(rnd, chunks) * CHUNK + int(rnd, 1200));
  return int(rnd, b.length);
};

const MUTATIONS: Record<string, Mutation> = {
  bitFlips: (b, rnd) => {
    const c = b.slice();
    for (let i = 1 + int(rnd, 16); i > 0; i--) c[spot(c, rnd)]! ^= 1 << int(rnd, 8);
    return c;
  },
  byteSets: (b, rnd) => {
    const c = b.slice();
    const vals = [0x00, 0xff, 0x01, 0x0c, 0x0f, 0x41, 0x21, 0x7f, 0x80];
    for (let i = 1 + int(rnd, 8); i > 0; i--) c[spot(c, rnd)] = rnd() < 0.5 ? vals[int(rnd, vals.length)]! : int(rnd, 256);
    return c;
  },
  u32Sets: (b, rnd) => {
    const c = b.slice();
    const v = new DataView(c.buffer);
    const vals = [0, 1, 0xffffffff, 0x7fffffff, 0x10000, 512, 0x226, int(rnd, 0x20000)];
    for (let i = 1 + int(rnd, 4); i > 0; i--) {
      const at = Math.min(spot(c, rnd), c.length - 4);
      v.setUint32(at, vals[int(rnd, vals.length)]!, true);
    }
    return c;
  },
  truncate: (b, rnd) => b.slice(0, int(rnd, b.length)),
  insert: (b, rnd) => {
    const at = spot(b, rnd);
    const junk = Uint8Array.from({ length: 1 + int(rnd, 64) }, () => int(rnd, 256));
    const c = new Uint8Array(b.length + junk.length);
    c.set(b.subarray(0, at));
    c.set(junk, at);
    c.set(b.subarray(at), at + junk.length);
    return c;
  },
  zeroRange: (b, rnd) => {
    const c = b.slice();
    const at = spot(c, rnd);
    c.fill(0, at, at + 1 + int(rnd, 2000));
    return c;
  },
  chunkShuffle: (b, rnd) => {
    const n = Math.floor((b.length - 4096) / CHUNK);
    if (n < 2) return b.slice(0, b.length - 1);
    const c = b.slice();
    const i = int(rnd, n);
    const j = int(rnd, n);
    c.set(b.subarray(4096 + i * CHUNK, 4096 + (i + 1) * CHUNK), 4096 + j * CHUNK);
    c.set(b.subarray(4096 + j * CHUNK, 4096 + (j + 1) * CHUNK), 4096 + i * CHUNK);
    return c;
  },
  recordShuffle: (b, rnd) => {
    // Copy one record's bytes over another place in the same or another chunk.
    const recs = readAll(b).records;
    if (recs.length < 2) return b;
    const src = recs[int(rnd, recs.length)]!;
    const dst = recs[int(rnd, recs.length)]!;
    const size = new DataView(b.buffer, b.byteOffset).getUint32(src.offset + 4, true);
    const c = b.slice();
    c.set(b.subarray(src.offset, Math.min(src.offset + size, b.length, dst.offset + size)), dst.offset);
    return c.subarray(0, b.length);
  },
};

const KNOWN = new Set<string>(Object.values(EVTX_CODES));

describe('EVTX mutation fuzzer', () => {
  it(`${CASES} seeded mutations: no exception, no hang, only typed diagnostics`, () => {
    const rnd = prng(SEED);
    const bases = corpus();
    const names = Object.keys(MUTATIONS);
    let records = 0;
    let diagnostics = 0;
    for (let k = 0; k < CASES; k++) {
      const base = bases[k % bases.length]!;
      const name = names[k % names.length]!;
      let bytes = MUTATIONS[name]!(base, rnd);
      if (rnd() < 0.3) bytes = MUTATIONS[names[int(rnd, names.length)]!]!(bytes, rnd);
      const label = `case ${k} (${name}, seed ${SEED})`;
      const t0 = performance.now();
      let r: ReturnType<typeof readAll>;
      try {
        r = readAll(bytes);
      } catch (e) {
        assert.fail(`${label}: threw ${String(e)}`);
      }
      assert.ok(performance.now() - t0 < HANG_MS, `${label}: took ${performance.now() - t0} ms`);
      for (const d of r.diagnostics) {
        assert.ok(KNOWN.has(d.code), `${label}: unknown code ${d.code}`);
        assert.notEqual(d.code, EVTX_CODES.internal, `${label}: ${d.message}`);
        assert.ok(Number.isInteger(d.offset) && d.offset >= 0, `${label}: offset ${d.offset}`);
      }
      records += r.records.length;
      diagnostics += r.diagnostics.length;
      // The readers' path too: mapping and XML rendering of whatever survived must not throw either.
      if (k % 4 === 0) readBytes('fuzz.evtx', bytes, {}, { event: () => {}, diagnostic: () => {} });
    }
    assert.ok(records > 0 && diagnostics > 0, 'the mutations both keep records and cause diagnostics');
  });
});
