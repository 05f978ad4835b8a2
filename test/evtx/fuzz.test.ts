/**
 * Mutation fuzzer: bit flips, byte overwrites, truncations, inserted bytes, zeroed
 * ranges, and chunk and record shuffles over generated EVTX files. Every case
 * must finish (bounded: one case taking seconds is reported as a hang), throw
 * nothing, and report only typed `evtx.*` diagnostics — never `evtx.internal`.
 * Half the cases also read with `recover` (bases include records in slack space
 * and a chunk with a damaged header): the records read normally must be those
 * read without it, recovered records must not overlap them or each other, and
 * the compiled path must recover the same records. Seeded, so a failure names a
 * reproducible case.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVTX_CODES } from '../../src/evtx/errors.js';
import { readEvtx, type EvtxRecord } from '../../src/evtx/reader.js';
import { readBytes } from '../../src/readers/index.js';
import { corpus, MUTATIONS } from './corpora.js';
import { prng, readAll, type ReadResult } from './helpers.js';
import { setFreeSpace } from './writer.js';

// EVTX_FUZZ_CASES / EVTX_FUZZ_SEED run a longer or different campaign locally.
const CASES = Number(process.env['EVTX_FUZZ_CASES'] ?? 3000);
const SEED = Number(process.env['EVTX_FUZZ_SEED'] ?? 0x5eed);
const HANG_MS = 5000;
const int = (rnd: () => number, n: number): number => Math.floor(rnd() * n);

const KNOWN = new Set<string>(Object.values(EVTX_CODES));

/** The corpus plus files with records in slack space: each chunk's free space offset lowered to its 4th record (clean and dirty), and a chunk with a zeroed header. */
function bases(): Uint8Array[] {
  const plain = corpus();
  const slack = [plain[0]!, plain[2]!].map((b) => {
    const c = b.slice();
    const recs = readAll(c).records;
    for (let n = 0; 4096 + (n + 1) * 0x10000 <= c.length; n++) {
      const inChunk = recs.filter((r) => r.chunk === n);
      if (inChunk.length > 4) setFreeSpace(c, n, inChunk[3]!.offset - 4096 - n * 0x10000);
    }
    return c;
  });
  const damaged = slack[0]!.slice();
  damaged.fill(0, 4096 + 0x10000, 4096 + 0x10000 + 512);
  return [...plain, ...slack, damaged];
}

const sizeOf = (b: Uint8Array, r: EvtxRecord): number => new DataView(b.buffer, b.byteOffset).getUint32(r.offset + 4, true);

/** Recovery only adds records: the normal ones are unchanged, and no record's bytes are delivered twice. */
function checkRecovery(label: string, bytes: Uint8Array, plain: ReadResult, rec: ReadResult): void {
  assert.deepEqual(rec.records.filter((r) => r.recovered !== true).map((r) => r.offset), plain.records.map((r) => r.offset), `${label}: normal records changed`);
  const recovered = rec.records.filter((r) => r.recovered === true);
  assert.equal(rec.summary.recovered, recovered.length, label);
  assert.equal(rec.diagnostics.filter((d) => d.code === EVTX_CODES.recoveredRecord).length, recovered.length, label);
  const spans = rec.records.map((r) => [r.offset, r.offset + sizeOf(bytes, r)] as const).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i - 1]![1] <= spans[i]![0], `${label}: records at ${spans[i - 1]![0]} and ${spans[i]![0]} overlap`);
  for (const d of rec.diagnostics) {
    if (d.severity === 'error') assert.ok(plain.diagnostics.some((p) => p.code === d.code && p.offset === d.offset), `${label}: recovery reported an error: ${d.code} ${d.message}`);
  }
  const compiled: string[] = [];
  readEvtx(bytes, { recover: true, compiled: { xml: true } }, (r) => compiled.push(`${r.offset}:${r.recovered === true}`), () => {});
  assert.deepEqual(compiled, rec.records.map((r) => `${r.offset}:${r.recovered === true}`), `${label}: compiled path`);
}

describe('EVTX mutation fuzzer', () => {
  it(`${CASES} seeded mutations: no exception, no hang, only typed diagnostics`, (t) => {
    const rnd = prng(SEED);
    const files = bases();
    const names = Object.keys(MUTATIONS);
    let records = 0;
    let diagnostics = 0;
    let recovered = 0;
    for (let k = 0; k < CASES; k++) {
      // Every base × mutation × recover combination within the first 2 × bases × mutations cases.
      const base = files[k % files.length]!;
      const name = names[Math.floor(k / files.length) % names.length]!;
      const recover = Math.floor(k / (files.length * names.length)) % 2 === 1;
      let bytes = MUTATIONS[name]!(base, rnd);
      if (rnd() < 0.3) bytes = MUTATIONS[names[int(rnd, names.length)]!]!(bytes, rnd);
      const label = `case ${k} (${name}, seed ${SEED})`;
      const t0 = performance.now();
      let r: ReadResult;
      let plain: ReadResult | undefined;
      try {
        r = readAll(bytes, recover ? { recover } : {});
        if (recover) plain = readAll(bytes);
      } catch (e) {
        assert.fail(`${label}${recover ? ' with recover' : ''}: threw ${String(e)}`);
      }
      assert.ok(performance.now() - t0 < HANG_MS, `${label}: took ${performance.now() - t0} ms`);
      if (plain !== undefined) {
        checkRecovery(`${label} with recover`, bytes, plain, r);
        recovered += r.summary.recovered;
      }
      for (const d of r.diagnostics) {
        assert.ok(KNOWN.has(d.code), `${label}: unknown code ${d.code}`);
        assert.notEqual(d.code, EVTX_CODES.internal, `${label}: ${d.message}`);
        assert.ok(Number.isInteger(d.offset) && d.offset >= 0, `${label}: offset ${d.offset}`);
      }
      records += r.records.length;
      diagnostics += r.diagnostics.length;
      // The readers' path too: mapping and XML rendering of whatever survived must not throw either.
      if (k % 4 < 2) readBytes('fuzz.evtx', bytes, recover ? { recover } : {}, { event: () => {}, diagnostic: () => {} });
    }
    assert.ok(records > 0 && diagnostics > 0, 'the mutations both keep records and cause diagnostics');
    assert.ok(recovered > 0, 'records are recovered');
    t.diagnostic(`seed ${SEED}: ${records} records, ${recovered} recovered, ${diagnostics} diagnostics`);
  });
});
