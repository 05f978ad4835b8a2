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
import { corpus, MUTATIONS } from './corpora.js';
import { prng, readAll } from './helpers.js';

// EVTX_FUZZ_CASES / EVTX_FUZZ_SEED run a longer or different campaign locally.
const CASES = Number(process.env['EVTX_FUZZ_CASES'] ?? 400);
const SEED = Number(process.env['EVTX_FUZZ_SEED'] ?? 0x5eed);
const HANG_MS = 5000;
const int = (rnd: () => number, n: number): number => Math.floor(rnd() * n);

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
