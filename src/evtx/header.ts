/**
 * The EVTX file header (the first 4096-byte block; 128 bytes used):
 *
 * | off | size | field |
 * |---|---|---|
 * | 0 | 8 | `ElfFile\0` |
 * | 8 | 8 | first chunk number |
 * | 16 | 8 | last chunk number |
 * | 24 | 8 | next record identifier |
 * | 32 | 4 | header size (128) |
 * | 36 | 2 | minor version (1) |
 * | 38 | 2 | major version (3) |
 * | 40 | 2 | header block size (4096) |
 * | 42 | 2 | number of chunks |
 * | 120 | 4 | flags (1 dirty, 2 full) |
 * | 124 | 4 | CRC-32 of bytes 0-120 |
 */
import { ByteReader } from './bytes.js';
import { crc32 } from './crc32.js';
import { EVTX_CODES, type EvtxDiagnostic } from './errors.js';

export const FILE_MAGIC = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00] as const; // ElfFile\0
export const FILE_HEADER_SIZE = 128;
export const FILE_HEADER_BLOCK_SIZE = 4096;
export const FILE_FLAG_DIRTY = 1;
export const FILE_FLAG_FULL = 2;

export interface FileHeader {
  readonly firstChunk: number;
  readonly lastChunk: number;
  readonly nextRecordId: number;
  readonly headerSize: number;
  readonly minorVersion: number;
  readonly majorVersion: number;
  /** Where the first chunk starts (the header block size; 4096 unless the header says otherwise sensibly). */
  readonly blockSize: number;
  readonly chunkCount: number;
  readonly flags: number;
  readonly dirty: boolean;
  readonly full: boolean;
  readonly storedCrc: number;
  readonly computedCrc: number;
}

/** True when `bytes` starts with `ElfFile\0`. */
export function hasFileMagic(bytes: Uint8Array, at = 0): boolean {
  for (let i = 0; i < FILE_MAGIC.length; i++) if (bytes[at + i] !== FILE_MAGIC[i]) return false;
  return true;
}

export interface HeaderResult {
  readonly header: FileHeader;
  readonly diagnostics: EvtxDiagnostic[];
}

/**
 * Parses the file header from at least 128 bytes. Problems are diagnostics: a
 * bad signature, CRC or version does not stop the chunks from being read.
 * Throws `EvtxError` only when fewer than 128 bytes are given.
 */
export function parseFileHeader(bytes: Uint8Array): HeaderResult {
  const r = new ByteReader(bytes);
  r.check(0, FILE_HEADER_SIZE);
  const diagnostics: EvtxDiagnostic[] = [];
  const diag = (code: EvtxDiagnostic['code'], severity: EvtxDiagnostic['severity'], message: string, offset: number): void => {
    diagnostics.push({ code, severity, message, offset });
  };
  if (!hasFileMagic(bytes)) diag(EVTX_CODES.badFileMagic, 'error', 'file header signature is not ElfFile\\0', 0);
  const headerSize = r.u32At(32);
  const minorVersion = r.u16At(36);
  const majorVersion = r.u16At(38);
  const declaredBlock = r.u16At(40);
  const flags = r.u32At(120);
  const storedCrc = r.u32At(124);
  const computedCrc = crc32(bytes, 0, 120);
  if (headerSize !== FILE_HEADER_SIZE) diag(EVTX_CODES.badHeader, 'warning', `file header size ${headerSize}, expected 128`, 32);
  if (majorVersion !== 3 || (minorVersion !== 1 && minorVersion !== 2)) {
    diag(EVTX_CODES.badHeader, 'warning', `file format version ${majorVersion}.${minorVersion}, expected 3.1 or 3.2`, 36);
  }
  // A header block size other than 4096 is only believed when it is a multiple of 512 no bigger than a chunk.
  let blockSize = FILE_HEADER_BLOCK_SIZE;
  if (declaredBlock !== FILE_HEADER_BLOCK_SIZE) {
    diag(EVTX_CODES.badHeader, 'warning', `header block size ${declaredBlock}, using 4096`, 40);
  } else blockSize = declaredBlock;
  if (storedCrc !== computedCrc) {
    diag(EVTX_CODES.badHeaderCrc, 'warning', `file header CRC-32 0x${hex32(storedCrc)} does not match computed 0x${hex32(computedCrc)}`, 124);
  }
  const dirty = (flags & FILE_FLAG_DIRTY) !== 0;
  if (dirty) diag(EVTX_CODES.dirtyHeader, 'info', 'file header is marked dirty (not closed cleanly): chunk count may be stale, reading every chunk in the file', 120);
  return {
    header: {
      firstChunk: r.u64NumberAt(8),
      lastChunk: r.u64NumberAt(16),
      nextRecordId: r.u64NumberAt(24),
      headerSize,
      minorVersion,
      majorVersion,
      blockSize,
      chunkCount: r.u16At(42),
      flags,
      dirty,
      full: (flags & FILE_FLAG_FULL) !== 0,
      storedCrc,
      computedCrc,
    },
    diagnostics,
  };
}

export function hex32(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
