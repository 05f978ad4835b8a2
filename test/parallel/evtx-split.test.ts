/**
 * One large EVTX file read in parts (chunk ranges) by several workers gives
 * what the single-threaded read gives: the same events (JSON), diagnostics
 * (damaged chunks in the middle of parts and at their edges, a truncated last
 * chunk, the file-level chunk count check last), in the same order, and the
 * same summary; the CLI's output is byte-identical. Small part sizes force many
 * parts on a small file; one-chunk parts also show that the template cache
 * (templates reused across chunks) does not change the output.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ReadDiagnostic, WinEvent } from '../../src/events/types.js';
import { CHUNK_SIZE } from '../../src/evtx/chunk.js';
import type { EvtxDiagnostic } from '../../src/evtx/errors.js';
import { parseFileHeader } from '../../src/evtx/header.js';
import { EvtxStream, type EvtxReadOptions, type EvtxRecord, type EvtxSummary } from '../../src/evtx/reader.js';
import { readPathsParallel } from '../../src/engine/parallel.js';
import { parseEventXml, planEvtxParts, readPaths, type ReadOptions, type ReadSink } from '../../src/readers/index.js';
import { compileLiteralTest } from '../../src/spl/engine/literals.js';
import { recordOf } from '../evtx/fixtures.js';
import { writeEvtx } from '../evtx/writer.js';
import { cli } from '../support/cli.js';
import { allWindowsExamples, withFields } from '../support/escu-events.js';
import { REPO_ROOT } from '../support/paths.js';

const HEADER = 4096;
const at = (chunk: number): number => HEADER + chunk * CHUNK_SIZE;

function eventsOf(xmlLines: readonly string[]): WinEvent[] {
  return xmlLines.map((l) => {
    const r = parseEventXml(l);
    if (!r.ok) throw new Error(r.message);
    return { system: r.system, data: r.data, origin: { file: 'x' } };
  });
}

/** Real events (the ESCU Windows examples and the Sysmon example, with the flagship's positives) over many hosts and record ids. */
function records(n: number): ReturnType<typeof recordOf>[] {
  const escu = allWindowsExamples()
    .map((x) => x.xml)
    .filter((x) => parseEventXml(x).ok);
  const sysmon = readFileSync(join(REPO_ROOT, 'examples', 'exch01-sysmon.xml'), 'utf8').trim().split('\n');
  const base = [...sysmon, ...escu];
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) out.push(withFields(base[i % base.length] as string, {}, { computer: `HOST${(i * 7) % 23}.corp`, recordId: i + 1 }));
  return eventsOf(out).map((e, i) => recordOf(e, i + 1));
}

/** Flips one byte inside chunk `n`'s records (a records CRC mismatch). */
function flip(b: Uint8Array, n: number, off = 700): void {
  b[at(n) + off] = (b[at(n) + off] as number) ^ 0x01;
}

/** Record offsets within chunk `n` (from the records' signatures, first few). */
function recordStarts(b: Uint8Array, n: number): number[] {
  const out: number[] = [];
  const v = new DataView(b.buffer, b.byteOffset);
  for (let off = 512; off + 24 <= CHUNK_SIZE && out.length < 4; ) {
    if (v.getUint32(at(n) + off, true) !== 0x00002a2a) break;
    out.push(off);
    off += v.getUint32(at(n) + off + 4, true);
  }
  return out;
}

/**
 * A multi-chunk file with damage in the middle (bad chunk signature, garbage
 * between records, an impossible record size, a bad CRC, an all-zero chunk) and a
 * last chunk cut inside a record. With `dirty`, the header is dirty and chunk 2
 * has garbage after its free space offset, which only a reader that knows the
 * header is dirty reads (and reports).
 */
function damagedFile(dirty = false): Uint8Array {
  const clean = writeEvtx(records(1300), dirty ? { flags: 1 } : {});
  const chunks = Math.ceil((clean.length - HEADER) / CHUNK_SIZE);
  assert.ok(chunks >= 20, `only ${chunks} chunks`);
  const b = new Uint8Array(clean.length + CHUNK_SIZE);
  b.set(clean.subarray(0, at(12)));
  // An all-zero block (preallocated space) after chunk 11, then the rest of the chunks.
  b.set(clean.subarray(at(12)), at(13));
  b[at(4)] = 0x58; // chunk 4: no ElfChnk signature
  const r7 = recordStarts(b, 7);
  b.fill(0x41, at(7) + (r7[1] as number), at(7) + (r7[1] as number) + 40); // chunk 7: garbage over a record
  const r9 = recordStarts(b, 9);
  new DataView(b.buffer).setUint32(at(9) + (r9[2] as number) + 4, 0x7fffffff, true); // chunk 9: impossible record size
  flip(b, 10); // chunk 10: records CRC
  if (dirty) {
    const free = new DataView(b.buffer).getUint32(at(2) + 48, true);
    b.fill(0x42, at(2) + free, at(2) + free + 64);
  }
  // Cut inside a record of the last chunk.
  const last = Math.ceil((b.length - HEADER) / CHUNK_SIZE) - 1;
  const rl = recordStarts(b, last);
  return b.subarray(0, at(last) + (rl[1] as number) + 50);
}

const DIR = mkdtempSync(join(tmpdir(), 'spelunk-evtx-split-'));
const FILE = join(DIR, 'big.evtx');
const DIRTY = join(DIR, 'dirty.evtx');
writeFileSync(FILE, damagedFile());
writeFileSync(DIRTY, damagedFile(true));
const PART = 3 * CHUNK_SIZE;

interface Trace {
  readonly items: (string | ReadDiagnostic)[];
}
function tracingSink(): ReadSink & Trace {
  const items: (string | ReadDiagnostic)[] = [];
  return { items, event: (e) => items.push(JSON.stringify(e)), diagnostic: (d) => items.push(d) };
}

/** Every record (id, chunk, offset, XML) and diagnostic of an EvtxStream fed `parts` (each [bytes, slice]). */
function streamParts(parts: readonly [Uint8Array, EvtxReadOptions['slice']][], whole: EvtxSummary | undefined): { out: string[]; summaries: EvtxSummary[] } {
  const out: string[] = [];
  const summaries: EvtxSummary[] = [];
  const onRecord = (r: EvtxRecord): void => void out.push(`${r.recordId} ${r.chunk} ${r.offset} ${r.xml ?? ''}`);
  const onDiag = (d: EvtxDiagnostic): void => void out.push(JSON.stringify(d));
  for (const [bytes, slice] of parts) {
    const s = new EvtxStream({ compiled: { xml: true }, ...(slice !== undefined ? { slice } : {}), onEnd: (x) => summaries.push(x) }, onRecord, onDiag);
    for (let i = 0; i < bytes.length; i += 40_000) s.push(bytes.subarray(i, i + 40_000)); // pushes cut anywhere
    s.end();
  }
  if (whole !== undefined) {
    const header = parseFileHeader(parts[0]![0]).header;
    const other = summaries.reduce((n, s) => n + s.signedChunks, 0);
    new EvtxStream({ slice: { firstChunk: 999, header, otherSignedChunks: other } }, onRecord, onDiag).end();
  }
  return { out, summaries };
}

describe('one large EVTX file read in parts', () => {
  it('EvtxStream slices: parts cut at any chunk give the whole read, offsets and chunk indexes included', () => {
    const b = readFileSync(FILE);
    const whole = streamParts([[b, undefined]], undefined);
    assert.ok(whole.out.length > 1000);
    const chunks = Math.ceil((b.length - HEADER) / CHUNK_SIZE);
    const header = parseFileHeader(b).header;
    for (const cuts of [[1], [4], [5, 6], [7, 9, 11], [chunks - 1], Array.from({ length: chunks - 1 }, (_, i) => i + 1)]) {
      const parts: [Uint8Array, EvtxReadOptions['slice']][] = [];
      let first = 0;
      for (const c of [...cuts, chunks]) {
        const start = first === 0 ? 0 : at(first);
        parts.push([b.subarray(start, c === chunks ? b.length : at(c)), first === 0 ? { firstChunk: 0 } : { firstChunk: first, header }]);
        first = c;
      }
      const split = streamParts(parts, whole.summaries[0]);
      assert.deepEqual(split.out, whole.out, `cut at ${cuts.join(',')}`);
      assert.equal(
        split.summaries.reduce((n, s) => n + s.records, 0),
        whole.summaries[0]!.records,
      );
    }
  });

  it('plans parts of whole chunks, balanced, only for EVTX files of at least two parts', async () => {
    const size = readFileSync(FILE).length;
    const plan = (await planEvtxParts(FILE, size, PART))!;
    const blocks = Math.ceil((size - HEADER) / CHUNK_SIZE);
    assert.equal(plan.blocks, blocks);
    assert.equal(plan.parts.length, Math.ceil(blocks / 3));
    assert.deepEqual(plan.parts[0], { index: 0, start: 0, end: at(3), slice: { firstChunk: 0 } });
    assert.deepEqual(plan.parts[1]!.slice, { firstChunk: 3, header: plan.header });
    assert.equal(plan.parts.at(-1)!.end, undefined);
    for (let i = 1; i < plan.parts.length; i++) assert.equal(plan.parts[i]!.start, plan.parts[i - 1]!.end);
    assert.equal(await planEvtxParts(FILE, size, 36 * CHUNK_SIZE), undefined); // one part
    assert.equal((await planEvtxParts(FILE, size, 35 * CHUNK_SIZE))!.parts.length, 2);
    assert.equal(await planEvtxParts(join(REPO_ROOT, 'examples', 'exch01-sysmon.xml'), 10 * 1024 * 1024, PART), undefined);
    // Not a multiple of the chunk size: whole chunks; 16 MiB by default.
    assert.equal((await planEvtxParts(FILE, size, PART + 1000))!.parts.length, plan.parts.length);
    assert.equal(await planEvtxParts(FILE, size), undefined);
  });

  for (const [name, file] of [
    ['damaged', FILE],
    ['dirty header, garbage after a free space offset', DIRTY],
  ] as const) {
    it(`${name}: same events, diagnostics in the same order, same summary as readPaths (2 and 3 workers, several part sizes, with and without recover)`, async () => {
      for (const opts of [{ keepRaw: true }, { keepRaw: false }, { keepRaw: false, recover: true }] as ReadOptions[]) {
        const a = tracingSink();
        const sa = await readPaths([file], opts, a);
        assert.ok(a.items.length > 1200, `only ${a.items.length} items`);
        const codes = a.items.filter((x): x is ReadDiagnostic => typeof x !== 'string').map((d) => d.code);
        for (const c of ['evtx.bad-chunk-magic', 'evtx.bad-record-magic', 'evtx.bad-record-size', 'evtx.bad-chunk-crc', 'evtx.truncated-chunk', 'evtx.truncated-record']) assert.ok(codes.includes(c), c);
        assert.equal(codes.at(-1), 'evtx.chunk-count-mismatch');
        if (file === DIRTY && opts.recover !== true) assert.equal(codes.filter((c) => c === 'evtx.bad-record-magic').length, 2);
        if (opts.recover === true) assert.ok(codes.includes('evtx.recovered-record'));
        for (const [jobs, part] of [
          [2, PART],
          [3, PART],
          [2, CHUNK_SIZE], // one chunk per part: no template is reused across chunks
          [3, 7 * CHUNK_SIZE],
        ] as const) {
          const b = tracingSink();
          let parts = 0;
          const sb = await readPathsParallel([file], opts, b, { jobs, evtxPartBytes: part, onParts: (_f, n) => (parts = n) });
          assert.ok(parts >= 3, `${parts} parts`);
          assert.deepEqual(b.items, a.items, `jobs ${jobs}, part ${part / CHUNK_SIZE} chunks`);
          assert.deepEqual(sb, sa);
        }
      }
    });
  }

  it('with the pre-filter: chunks skipped in the workers, same counts', async () => {
    const opts: ReadOptions = { rawFilter: compileLiteralTest(['UMWorkerProcess']), literals: ['UMWorkerProcess'], keepRaw: false };
    const a = tracingSink();
    const sa = await readPaths([FILE], opts, a);
    assert.ok(sa.filtered > 500 && sa.events > 0, `${sa.filtered} filtered, ${sa.events} events`);
    const b = tracingSink();
    const sb = await readPathsParallel([FILE], opts, b, { jobs: 2, evtxPartBytes: PART });
    assert.deepEqual(b.items, a.items);
    assert.deepEqual(sb, sa);
  });

  it('among other files (fewer files than jobs): each large EVTX file in parts, in its place', async () => {
    const paths = [DIRTY, join(REPO_ROOT, 'examples', 'exch01-sysmon.xml'), FILE, join(DIR, 'missing.evtx')];
    const a = tracingSink();
    const sa = await readPaths(paths, {}, a);
    const b = tracingSink();
    const split: string[] = [];
    const sb = await readPathsParallel(paths, {}, b, { jobs: 8, evtxPartBytes: PART, onParts: (f) => split.push(f) });
    assert.deepEqual(split, [DIRTY, FILE]);
    assert.deepEqual(b.items, a.items);
    assert.deepEqual(sb, sa);
    assert.equal(sb.files.length, 4);
    // As many files as jobs: files are not split.
    const c = tracingSink();
    const none: string[] = [];
    await readPathsParallel(paths.slice(0, 3), {}, c, { jobs: 3, evtxPartBytes: PART, onParts: (f) => none.push(f) });
    assert.deepEqual(none, []);
  });

  it('keeps memory bounded with a slow consumer: a worker waits while its unforwarded batches reach the bound', async () => {
    const a = tracingSink();
    await readPaths([FILE], {}, a);
    const b = tracingSink();
    let maxHeld = 0;
    let n = 0;
    const slow: ReadSink = {
      event(e) {
        if (n++ % 50 === 0) {
          const until = Date.now() + 2;
          while (Date.now() < until);
        }
        b.event(e);
      },
      diagnostic: (d) => b.diagnostic(d),
    };
    await readPathsParallel([FILE], {}, slow, { jobs: 3, evtxPartBytes: PART, batchSize: 4, maxPending: 2, onHeld: (h) => (maxHeld = Math.max(maxHeld, h)) });
    assert.deepEqual(b.items, a.items);
    assert.ok(maxHeld >= 1);
    assert.ok(maxHeld <= 3 * 2, `held ${maxHeld} batches`);
  });

  it('CLI: hunt, search and dump --jobs 2 on one EVTX file are byte-identical to --jobs 1 (SPELUNK_EVTX_PART_BYTES)', async () => {
    const noTime = (s: string): string => s.replace(/ in \d+\.\d+ s\n/g, ' in T s\n');
    const saved = process.env['SPELUNK_EVTX_PART_BYTES'];
    process.env['SPELUNK_EVTX_PART_BYTES'] = String(PART);
    try {
      const same = async (...argv: string[]): Promise<string> => {
        const one = await cli(...argv, '--jobs', '1');
        const two = await cli(...argv, '--jobs', '2');
        assert.equal(two.code, one.code, `${one.err} / ${two.err}`);
        assert.equal(two.out, one.out);
        assert.equal(noTime(two.err), noTime(one.err));
        return one.out;
      };
      const hunt = await same('hunt', FILE, '--format', 'jsonl');
      assert.match(hunt, /Unified Messaging Service Spawning a Process/);
      await same('hunt', DIRTY, '--no-prefilter', '--no-context', '--format', 'json');
      const rows = await same('search', 'search EventCode=* | dedup Computer | streamstats count | table _time Computer EventCode count', FILE, '--format', 'jsonl');
      assert.ok(rows.trim().split('\n').length > 10);
      const dump = await same('dump', FILE, '--format', 'jsonl');
      assert.ok(dump.split('\n').length > 1000);
      await same('dump', FILE);
      await same('dump', DIRTY, '--recover', '--format', 'json');
    } finally {
      if (saved === undefined) delete process.env['SPELUNK_EVTX_PART_BYTES'];
      else process.env['SPELUNK_EVTX_PART_BYTES'] = saved;
    }
  });
});
