/**
 * Stable EVTX diagnostic codes, the typed error the byte-level parsers throw, and
 * the diagnostic shape the reader reports. Codes never change meaning; messages may.
 */

export const EVTX_CODES = {
  /** A read past the end of a structure (the structure is truncated or an offset points outside it). */
  outOfBounds: 'evtx.out-of-bounds',
  badFileMagic: 'evtx.bad-file-magic',
  badHeader: 'evtx.bad-header',
  badHeaderCrc: 'evtx.bad-header-crc',
  dirtyHeader: 'evtx.dirty-header',
  chunkCountMismatch: 'evtx.chunk-count-mismatch',
  badChunkMagic: 'evtx.bad-chunk-magic',
  badChunkHeader: 'evtx.bad-chunk-header',
  badChunkCrc: 'evtx.bad-chunk-crc',
  truncatedChunk: 'evtx.truncated-chunk',
  badRecordMagic: 'evtx.bad-record-magic',
  badRecordSize: 'evtx.bad-record-size',
  truncatedRecord: 'evtx.truncated-record',
  badBinxml: 'evtx.bad-binxml',
  badTemplate: 'evtx.bad-template',
  badValue: 'evtx.bad-value',
  tooDeep: 'evtx.too-deep',
  tooLarge: 'evtx.too-large',
  badEvent: 'evtx.bad-event',
  /** With `recover`: a record read from slack space (after the records a chunk header declares) or from a chunk whose header is damaged. */
  recoveredRecord: 'evtx.recovered-record',
  /** A bug in this parser (an exception that is not an `EvtxError`); the record is skipped. */
  internal: 'evtx.internal',
} as const;
export type EvtxCode = (typeof EVTX_CODES)[keyof typeof EVTX_CODES];

/** Thrown by the byte reader and the BinXML parser; caught per record (or chunk) by the reader. */
export class EvtxError extends Error {
  override readonly name = 'EvtxError';
  constructor(
    readonly code: EvtxCode,
    /** Byte offset of the problem, relative to the buffer being read (the chunk, for BinXML). */
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

export type EvtxSeverity = 'error' | 'warning' | 'info';

/** One problem found while reading an EVTX file; reading goes on. */
export interface EvtxDiagnostic {
  readonly code: EvtxCode;
  readonly severity: EvtxSeverity;
  readonly message: string;
  /** Byte offset in the file. */
  readonly offset: number;
  /** 0-based index of the chunk (by position in the file), when the problem is inside one. */
  readonly chunk?: number;
  /** Event record identifier, when known. */
  readonly recordId?: number;
}
