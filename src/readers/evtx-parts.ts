/**
 * One large EVTX file read in parts (chunk ranges), each part on its own (the
 * parallel reader gives them to worker threads), with the same events,
 * diagnostics and counts, in the same order, as one `readPaths` of the file
 * once the parts' outputs are concatenated in order and `finishEvtxParts` has
 * made the file-level check. An EVTX file is a 4096-byte header block and
 * independent 64 KiB chunks (each with its own string and template tables), so a
 * part is a range of whole chunks; part 0 also reads the header block. See
 * docs/design/parallel.md ("One large EVTX file").
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { CHUNK_SIZE } from '../evtx/chunk.js';
import { FILE_HEADER_BLOCK_SIZE, parseFileHeader, type FileHeader } from '../evtx/header.js';
import { createEvtxParser } from '../evtx/plugin.js';
import type { EvtxSlice } from '../evtx/reader.js';
import { isEvtxMagic } from './sniff.js';
import { createReaderContext } from './text-readers.js';
import { READ_CODES, type FileCounters, type FileSummary, type ReadOptions, type ReadSink } from './types.js';

/** Default part size: 16 MiB = 256 chunks (docs/design/parallel.md says why). */
export const EVTX_PART_BYTES = 16 * 1024 * 1024;

/** Read size within a part, as `readPaths` reads files. */
const READ_BYTES = 1 << 20;

/** One chunk range of a file; plain data (it crosses to a worker thread). */
export interface EvtxPart {
  /** 0-based, in file order. */
  readonly index: number;
  /** File offset of the part's first byte (0 for part 0: the header block). */
  readonly start: number;
  /** File offset just past the part; undefined for the last part, read to the end of the file as it is then. */
  readonly end: number | undefined;
  /** What the reader is told (`EvtxReadOptions.slice`): the first chunk, and the header for parts after the first. */
  readonly slice: EvtxSlice;
}

/** A file cut into parts, with what the file-level check needs. */
export interface EvtxPartPlan {
  readonly file: string;
  readonly header: FileHeader;
  /** Chunk blocks in the file when it was planned (4096 + blocks × 65536 ≥ size). */
  readonly blocks: number;
  readonly parts: readonly EvtxPart[];
}

/** What reading one part gave: its bytes and counters, its signed chunks, and whether a read error stopped it. */
export interface EvtxPartResult {
  readonly bytes: number;
  readonly counters: FileCounters;
  /** Blocks with a chunk signature in the part (`EvtxSummary.signedChunks`). */
  readonly signedChunks: number;
  /** A read error stopped the part (reported in its place, as `readPaths` reports it); later parts are not read. */
  readonly failed: boolean;
}

/**
 * Cuts a file into parts of about `partBytes` (whole chunks, at least one), or
 * undefined when it is not EVTX (no `ElfFile\0` at its start: `readPaths`
 * recognises EVTX by that alone), has a short header, or makes fewer than two
 * parts. Reads the first 4096 bytes once, for the header every later part needs
 * (its dirty flag decides how far a chunk's records are read). Parts are of
 * equal size but the last; `size` is the file size when planned.
 * @example await planEvtxParts('big.evtx', 2 ** 31, EVTX_PART_BYTES) // 128 parts of 16 MiB
 */
export async function planEvtxParts(file: string, size: number, partBytes: number = EVTX_PART_BYTES): Promise<EvtxPartPlan | undefined> {
  const partChunks = Math.max(1, Math.floor(partBytes / CHUNK_SIZE));
  if (size <= FILE_HEADER_BLOCK_SIZE + partChunks * CHUNK_SIZE) return undefined;
  const head = new Uint8Array(FILE_HEADER_BLOCK_SIZE);
  let got = 0;
  try {
    const fh = await open(file, 'r');
    try {
      while (got < head.length) {
        const { bytesRead } = await fh.read(head, got, head.length - got, got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
    } finally {
      await fh.close();
    }
  } catch {
    return undefined; // read whole: readPaths reports the problem as it would
  }
  if (got < FILE_HEADER_BLOCK_SIZE || !isEvtxMagic(head)) return undefined;
  const header = parseFileHeader(head).header;
  const blocks = Math.ceil((size - FILE_HEADER_BLOCK_SIZE) / CHUNK_SIZE);
  const count = Math.ceil(blocks / partChunks);
  if (count < 2) return undefined;
  // The same number of parts, balanced: every part but the last has `per` chunks.
  const per = Math.ceil(blocks / count);
  const parts: EvtxPart[] = [];
  for (let first = 0, index = 0; first < blocks; first += per, index++) {
    const last = first + per >= blocks;
    parts.push({
      index,
      start: index === 0 ? 0 : FILE_HEADER_BLOCK_SIZE + first * CHUNK_SIZE,
      end: last ? undefined : FILE_HEADER_BLOCK_SIZE + (first + per) * CHUNK_SIZE,
      slice: index === 0 ? { firstChunk: 0 } : { firstChunk: first, header },
    });
  }
  return { file, header, blocks, parts };
}

/**
 * Reads one part of `file` through the EVTX plug-in (what `readPaths` would run
 * on the whole file), events and diagnostics to `sink` in file order. No
 * file-level check is made (`finishEvtxParts` makes it). A read error is
 * reported as `readPaths` reports it (`read.unreadable`, "cannot read: …").
 */
export async function readEvtxPart(file: string, part: EvtxPart, opts: ReadOptions, sink: ReadSink, progress?: (bytes: number) => void): Promise<EvtxPartResult> {
  const ctx = createReaderContext(file, opts, sink);
  let signedChunks = 0;
  const parser = createEvtxParser(ctx, { slice: part.slice, onEnd: (s) => (signedChunks = s.signedChunks) });
  let bytes = 0;
  let failed = false;
  const stream = createReadStream(file, { start: part.start, ...(part.end !== undefined ? { end: part.end - 1 } : {}), highWaterMark: READ_BYTES });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      progress?.(bytes);
      parser.push(chunk);
    }
  } catch (e) {
    ctx.report(READ_CODES.unreadable, 'error', `cannot read: ${(e as Error).message}`);
    failed = true;
  }
  parser.end();
  return { bytes, counters: { ...ctx.counters }, signedChunks, failed };
}

/**
 * The end of a file read in parts, after every part's output: the file-level
 * check a whole-file read makes last (the header's chunk count against the
 * chunks found), through the plug-in (same diagnostic, same counting), and the
 * file's one `FileSummary`, as `readPaths` gives it. `results`: the parts read,
 * in order (up to the first that failed).
 */
export function finishEvtxParts(plan: EvtxPartPlan, results: readonly EvtxPartResult[], opts: ReadOptions, sink: ReadSink): { summary: FileSummary; failed: boolean } {
  const ctx = createReaderContext(plan.file, opts, sink);
  let signed = 0;
  for (const r of results) signed += r.signedChunks;
  createEvtxParser(ctx, { slice: { firstChunk: plan.blocks, header: plan.header, otherSignedChunks: signed } }).end();
  let bytes = 0;
  let failed = false;
  const c = { ...ctx.counters };
  for (const r of results) {
    bytes += r.bytes;
    c.events += r.counters.events;
    c.filtered += r.counters.filtered;
    c.skipped += r.counters.skipped;
    c.errors += r.counters.errors;
    failed ||= r.failed;
  }
  return { summary: { file: plan.file, bytes, events: c.events, filtered: c.filtered, skipped: c.skipped, errors: c.errors, format: 'evtx' }, failed };
}
