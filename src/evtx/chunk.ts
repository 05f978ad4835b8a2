/**
 * EVTX chunks: 64 KiB blocks, each a self-contained unit (names and templates
 * are referenced by offsets relative to the chunk start).
 *
 * | off | size | field |
 * |---|---|---|
 * | 0 | 8 | `ElfChnk\0` |
 * | 8 / 16 | 8 + 8 | first / last event record number |
 * | 24 / 32 | 8 + 8 | first / last event record identifier |
 * | 40 | 4 | header size (128) |
 * | 44 | 4 | last event record offset |
 * | 48 | 4 | free space offset (end of the records) |
 * | 52 | 4 | CRC-32 of the records data (512 .. free space offset) |
 * | 120 | 4 | flags |
 * | 124 | 4 | CRC-32 of bytes 0-120 and 128-512 |
 * | 128 | 256 | common string offsets (64 × uint32) |
 * | 384 | 128 | template pointers (32 × uint32) |
 * | 512 | … | event records |
 *
 * Records: `**\0\0`, size (uint32, whole record), record id (uint64), written
 * time (FILETIME), BinXML, copy of size (uint32).
 */
import { ByteReader } from './bytes.js';
import { crc32, crc32Update } from './crc32.js';
import { EVTX_CODES, EvtxError } from './errors.js';
import { hex32 } from './header.js';

export const CHUNK_SIZE = 0x10000;
export const CHUNK_HEADER_SIZE = 512;
export const RECORD_HEADER_SIZE = 24;
/** Smallest possible record: header + trailing size copy. */
export const MIN_RECORD_SIZE = RECORD_HEADER_SIZE + 4;
export const CHUNK_MAGIC = [0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00] as const; // ElfChnk\0
export const RECORD_MAGIC = [0x2a, 0x2a, 0x00, 0x00] as const; // **\0\0

export interface ChunkHeader {
  readonly firstRecordNumber: number;
  readonly lastRecordNumber: number;
  readonly firstRecordId: number;
  readonly lastRecordId: number;
  readonly headerSize: number;
  readonly lastRecordOffset: number;
  readonly freeSpaceOffset: number;
  readonly recordsCrc: number;
  readonly headerCrc: number;
  /** CRC-32 of bytes 0-120 and 128-512 as computed. */
  readonly computedHeaderCrc: number;
}

export function hasChunkMagic(bytes: Uint8Array, at = 0): boolean {
  for (let i = 0; i < CHUNK_MAGIC.length; i++) if (bytes[at + i] !== CHUNK_MAGIC[i]) return false;
  return true;
}

export function hasRecordMagic(bytes: Uint8Array, at: number): boolean {
  return bytes[at] === 0x2a && bytes[at + 1] === 0x2a && bytes[at + 2] === 0 && bytes[at + 3] === 0;
}

/**
 * Parses a chunk header (the first 512 bytes of `chunk`). Throws `EvtxError`
 * (`evtx.bad-chunk-magic`, `evtx.out-of-bounds`) when it is not a chunk.
 */
export function parseChunkHeader(chunk: Uint8Array): ChunkHeader {
  if (!hasChunkMagic(chunk)) throw new EvtxError(EVTX_CODES.badChunkMagic, 0, 'chunk signature is not ElfChnk\\0');
  const r = new ByteReader(chunk);
  r.check(0, CHUNK_HEADER_SIZE);
  return {
    firstRecordNumber: r.u64NumberAt(8),
    lastRecordNumber: r.u64NumberAt(16),
    firstRecordId: r.u64NumberAt(24),
    lastRecordId: r.u64NumberAt(32),
    headerSize: r.u32At(40),
    lastRecordOffset: r.u32At(44),
    freeSpaceOffset: r.u32At(48),
    recordsCrc: r.u32At(52),
    headerCrc: r.u32At(124),
    computedHeaderCrc: crc32Update(crc32(chunk, 0, 120), chunk, 128, CHUNK_HEADER_SIZE),
  };
}

/** Messages for the chunk's CRC mismatches (header, then records data); empty when both match. */
export function chunkCrcProblems(chunk: Uint8Array, h: ChunkHeader): { readonly message: string; readonly offset: number }[] {
  const out: { message: string; offset: number }[] = [];
  if (h.headerCrc !== h.computedHeaderCrc) {
    out.push({ offset: 124, message: `chunk header CRC-32 0x${hex32(h.headerCrc)} does not match computed 0x${hex32(h.computedHeaderCrc)}` });
  }
  const end = Math.min(Math.max(h.freeSpaceOffset, CHUNK_HEADER_SIZE), chunk.length);
  const records = crc32(chunk, CHUNK_HEADER_SIZE, end);
  if (records !== h.recordsCrc) {
    out.push({ offset: 52, message: `chunk records CRC-32 0x${hex32(h.recordsCrc)} does not match computed 0x${hex32(records)}` });
  }
  return out;
}
