/**
 * Streaming EVTX reader: bytes in (any split), rendered event records out, in
 * file order, one 64 KiB chunk at a time (memory bounded by one chunk plus the
 * pushed buffer). Damage never throws and never stops the file: every problem is
 * one typed `EvtxDiagnostic` with the file offset, chunk index and record id, and
 * reading goes on with the next record or chunk.
 *
 * ```ts
 * const summary = readEvtx(bytes, {}, (rec) => events.push(mapEvent(rec.root)), (d) => problems.push(d));
 * ```
 */
import { ByteReader } from './bytes.js';
import { ChunkContext, renderBinXml, rootElement, TemplateCache, type BinXmlLimits } from './binxml.js';
import { CHUNK_HEADER_SIZE, CHUNK_SIZE, MIN_RECORD_SIZE, RECORD_HEADER_SIZE, chunkCrcProblems, hasChunkMagic, hasRecordMagic, parseChunkHeader } from './chunk.js';
import { EVTX_CODES, EvtxError, type EvtxCode, type EvtxDiagnostic, type EvtxSeverity } from './errors.js';
import { FILE_HEADER_BLOCK_SIZE, FILE_HEADER_SIZE, parseFileHeader, type FileHeader } from './header.js';
import { renderCompiled, type CompiledResult } from './compiled.js';
import { writeXmlLine, type XmlLines } from './xml-bytes.js';
import { mapEvent, type EventMapResult } from './event.js';
import { fileTimeToIsoParts, toXml, type XmlElement } from './render.js';

/**
 * One part of a file cut at chunk boundaries, read on its own (e.g. in another
 * thread): the parts' records and diagnostics, concatenated in file order, are
 * what a whole-file read gives, with the same file offsets and chunk indexes.
 */
export interface EvtxSlice {
  /**
   * Index of the part's first chunk. The pushed bytes start at file offset
   * 4096 + firstChunk × 65536 and hold no file header block; without `header`
   * they start at the start of the file, header block included (the part that
   * reads the header; `firstChunk` is then 0).
   */
  readonly firstChunk: number;
  /** The file header, as the part that read it parsed it (`parseFileHeader`): its dirty flag decides how far a chunk's records are read. */
  readonly header?: FileHeader;
  /**
   * Chunks with a signature in the file's other parts (their summaries'
   * `signedChunks`). Given, `end()` makes the file-level check a whole-file read
   * makes last (the header's chunk count against the chunks found); absent, no
   * file-level check is made: the caller makes it once every part is read, in a
   * last, empty part.
   */
  readonly otherSignedChunks?: number;
}

export interface EvtxReadOptions extends BinXmlLimits {
  /** Skip a chunk whose header or records CRC-32 does not match (reported as an error) instead of reading it (a warning). Default false. */
  readonly strictCrc?: boolean;
  /**
   * Sees a chunk's bytes (header and records) before any record is decoded;
   * false skips the whole chunk, its records counted by `onChunkFiltered`.
   */
  readonly chunkFilter?: (chunk: Uint8Array) => boolean;
  readonly onChunkFiltered?: (records: number) => void;
  /** Read one part of a file (`EvtxSlice`) instead of a whole file. */
  readonly slice?: EvtxSlice;
  /** Called once, by the first `end()`, with the summary it returns. */
  readonly onEnd?: (summary: EvtxSummary) => void;
  /**
   * Render through compiled templates (`compiled.ts`): each record carries its
   * `event` mapping (and its `xml` text when `xml` is true) computed without an
   * element tree where the record fits; others go the tree path and carry the same
   * fields. `root` is then built on demand, and only while `onRecord` runs.
   *
   * `fields` (only without `xml`): the `EventData` `Data` names the caller reads; the
   * string values of other named `Data` elements are not decoded and those fields
   * are left out of `event.data`. Records that go the tree path carry every field.
   */
  readonly compiled?: { readonly xml: boolean; readonly fields?: ReadonlySet<string> };
  /**
   * Also recover records from slack space: after a chunk's records, scan the rest
   * of the chunk (past the free space offset and any zero fill) for record
   * signatures with a plausible size and a matching trailing size copy, and read
   * the records of chunks whose header is damaged the same way. Each one is
   * delivered with `recovered: true` and reported as `evtx.recovered-record`
   * (info); one that does not render is a warning, not an error. Default false.
   */
  readonly recover?: boolean;
  /**
   * Full rendering to bytes (`xml-bytes.ts`): every record's XML line goes to
   * `xmlOut`, in file order, written from the bytes where the record fits and
   * from the string path otherwise (`compiled` is then `{ xml: true }`). `onRecord`
   * still sees each record; those written as bytes carry no `xml` and no `event`.
   */
  readonly xmlOut?: XmlLines;
  /**
   * A test over each record's XML text before anything else is built (the literal
   * pre-filter): the record is written into `scratch` (which must have `rawBreaks`:
   * the UTF-8 of `toXml`'s text) and `test(bytes, length)` decides. False skips the
   * record (`onSkip`; it still counts as read); true, or a record the byte writer
   * does not handle, is read as usual. It must be true wherever the caller's test
   * of the XML string would be.
   */
  readonly recordTest?: { readonly scratch: XmlLines; test(bytes: Uint8Array, length: number): boolean; onSkip(): void };
}

/** One event record, rendered. */
export interface EvtxRecord {
  readonly recordId: number;
  /** When the record was written (its header FILETIME), ISO 8601 UTC. */
  readonly writtenTime: string;
  /** File offset of the record (its `**` signature). */
  readonly offset: number;
  /** 0-based index of its chunk by position in the file. */
  readonly chunk: number;
  /** The rendered `<Event>` element (with `compiled`: built when first read, and only during `onRecord`; later reads throw). */
  readonly root: XmlElement;
  /** With `compiled` and `xml`: `toXml(root)`. */
  readonly xml?: string | undefined;
  /** With `compiled`: `mapEvent(root)` (undefined for records written as bytes with `xmlOut`). */
  readonly event?: EventMapResult | undefined;
  /** With `recover`: true when the record was read from slack space or from a chunk with a damaged header (absent on other records). */
  readonly recovered?: boolean;
}

export interface EvtxSummary {
  readonly header: FileHeader | undefined;
  /** Chunks with a chunk signature that were read. */
  readonly chunks: number;
  /** All-zero (unused) chunk blocks, skipped silently. */
  readonly emptyChunks: number;
  /** Blocks skipped for a bad signature, header or (with `strictCrc`) CRC. */
  readonly skippedChunks: number;
  /** Blocks with a chunk signature, read or not: what the header's chunk count counts. */
  readonly signedChunks: number;
  /** Records delivered, recovered ones not included. */
  readonly records: number;
  /** Records reported and skipped. */
  readonly badRecords: number;
  /** With `recover`: records delivered from slack space or from chunks with a damaged header. */
  readonly recovered: number;
}

export type RecordHandler = (record: EvtxRecord) => void;
export type DiagnosticHandler = (d: EvtxDiagnostic) => void;

function isAllZero(b: Uint8Array, from = 0): boolean {
  for (let i = from; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/** Next record signature in `b[from, to)`, or -1. */
function findRecordMagic(b: Uint8Array, from: number, to: number): number {
  for (let i = b.indexOf(0x2a, from); i >= 0 && i + 4 <= to; i = b.indexOf(0x2a, i + 1)) {
    if (hasRecordMagic(b, i)) return i;
  }
  return -1;
}

/** A record written through its compiled template: `root` is built on first read, from the chunk bytes (valid only during `onRecord`). */
class CompiledRecord implements EvtxRecord {
  private tree: XmlElement | undefined;
  private written: string | undefined;
  constructor(
    readonly recordId: number,
    /** The record header's FILETIME, high and low 32 bits (rendered on demand: the plug-in does not read it). */
    private readonly writtenHi: number,
    private readonly writtenLo: number,
    readonly offset: number,
    readonly chunk: number,
    private ctx: ChunkContext | undefined,
    private readonly start: number,
    private readonly end: number,
    readonly event: EventMapResult | undefined,
    readonly xml: string | undefined,
  ) {}

  get writtenTime(): string {
    this.written ??= fileTimeToIsoParts(this.writtenHi, this.writtenLo);
    return this.written;
  }

  get root(): XmlElement {
    if (this.tree === undefined) {
      // The chunk buffer may hold other bytes once onRecord has returned: no silent garbage.
      if (this.ctx === undefined) throw new Error('EvtxRecord.root of a compiled record is only available during onRecord');
      // Rendered again through the tree path (its value warnings were reported already).
      this.tree = rootElement(renderBinXml(this.ctx, this.start, this.end))!;
    }
    return this.tree;
  }

  /** Called when onRecord returns. */
  expire(): void {
    this.ctx = undefined;
  }
}

/** A compiled record read with `recover` from slack space or a chunk with a damaged header. */
class RecoveredCompiledRecord extends CompiledRecord {
  readonly recovered = true;
}

const XML_TEXT = { xml: true } as const;

/** Push-style EVTX reader. */
export class EvtxStream {
  private readonly buf = new Uint8Array(CHUNK_SIZE);
  private fill = 0;
  private offset = 0; // file offset of the unit being collected
  private inHeader = true;
  private chunkIndex = 0;
  private header: FileHeader | undefined;
  private chunks = 0;
  /** Blocks with a chunk signature, read or not: what the header's chunk count counts. */
  private signedChunks = 0;
  private emptyChunks = 0;
  private skippedChunks = 0;
  private records = 0;
  private badRecords = 0;
  private recovered = 0;
  private ended = false;
  /** Parsed templates reused across chunks (bounded). */
  private readonly templateCache = new TemplateCache();

  private readonly onRecord: RecordHandler;

  constructor(
    private readonly opts: EvtxReadOptions,
    onRecord: RecordHandler,
    private readonly onDiagnostic: DiagnosticHandler,
  ) {
    const slice = opts.slice;
    if (slice?.header !== undefined) {
      this.inHeader = false;
      this.header = slice.header;
      this.chunkIndex = slice.firstChunk;
      this.offset = FILE_HEADER_BLOCK_SIZE + slice.firstChunk * CHUNK_SIZE;
    }
    const out = opts.xmlOut;
    // Records that go the string path carry `xml`: written here, in order with the byte-written ones.
    this.onRecord = out === undefined ? onRecord : (rec) => {
      if (rec.xml !== undefined) out.line(rec.xml);
      onRecord(rec);
    };
  }

  push(bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length) {
      const need = this.inHeader ? FILE_HEADER_BLOCK_SIZE : CHUNK_SIZE;
      if (this.fill === 0 && bytes.length - i >= need) {
        this.unit(bytes.subarray(i, i + need));
        i += need;
        continue;
      }
      const n = Math.min(need - this.fill, bytes.length - i);
      this.buf.set(bytes.subarray(i, i + n), this.fill);
      this.fill += n;
      i += n;
      if (this.fill === need) {
        this.fill = 0;
        this.unit(this.buf.subarray(0, need));
      }
    }
  }

  end(): EvtxSummary {
    const first = !this.ended;
    if (first) {
      this.ended = true;
      if (this.fill > 0 || this.inHeader) {
        const rest = this.buf.subarray(0, this.fill);
        this.fill = 0;
        this.unit(rest);
      }
      const h = this.header;
      // A part of a file checks the whole file's count only when told the other parts' (EvtxSlice).
      const other = this.opts.slice === undefined ? 0 : this.opts.slice.otherSignedChunks;
      const found = other === undefined ? undefined : other + this.signedChunks;
      if (h !== undefined && found !== undefined && h.chunkCount !== found) {
        this.diag(
          EVTX_CODES.chunkCountMismatch,
          h.dirty ? 'info' : 'warning',
          `file header says ${h.chunkCount} chunk(s), ${found} found${h.dirty ? ' (header is dirty)' : ''}`,
          42,
        );
      }
    }
    const summary: EvtxSummary = {
      header: this.header,
      chunks: this.chunks,
      emptyChunks: this.emptyChunks,
      skippedChunks: this.skippedChunks,
      signedChunks: this.signedChunks,
      records: this.records,
      badRecords: this.badRecords,
      recovered: this.recovered,
    };
    if (first) this.opts.onEnd?.(summary);
    return summary;
  }

  private diag(code: EvtxCode, severity: EvtxSeverity, message: string, offset: number, chunk?: number, recordId?: number): void {
    const d: { -readonly [K in keyof EvtxDiagnostic]: EvtxDiagnostic[K] } = { code, severity, message, offset };
    if (chunk !== undefined) d.chunk = chunk;
    if (recordId !== undefined) d.recordId = recordId;
    this.onDiagnostic(d);
  }

  private unit(bytes: Uint8Array): void {
    const at = this.offset;
    this.offset += bytes.length;
    if (this.inHeader) {
      this.inHeader = false;
      this.fileHeader(bytes);
    } else {
      this.chunk(bytes, at, this.chunkIndex++);
    }
  }

  private fileHeader(bytes: Uint8Array): void {
    if (bytes.length < FILE_HEADER_SIZE) {
      this.diag(EVTX_CODES.badHeader, 'error', `file is ${bytes.length} byte(s), shorter than the 128-byte header`, 0);
      return;
    }
    const { header, diagnostics } = parseFileHeader(bytes);
    this.header = header;
    for (const d of diagnostics) this.onDiagnostic(d);
    if (bytes.length < FILE_HEADER_BLOCK_SIZE) {
      this.diag(EVTX_CODES.truncatedChunk, 'warning', `file ends inside the 4096-byte header block (${bytes.length} bytes): no chunks`, bytes.length);
    }
  }

  private chunk(chunk: Uint8Array, fileOffset: number, index: number): void {
    if (!hasChunkMagic(chunk)) {
      if (isAllZero(chunk)) {
        this.emptyChunks++;
        return;
      }
      this.skippedChunks++;
      const recover = this.opts.recover === true && chunk.length > CHUNK_HEADER_SIZE;
      this.diag(EVTX_CODES.badChunkMagic, 'error', `chunk ${index} has no ElfChnk signature: skipped${recover ? ', recovering the records it holds' : ''}`, fileOffset, index);
      if (recover && (this.opts.chunkFilter === undefined || this.opts.chunkFilter(chunk))) {
        this.recoverFrom(new ChunkContext(chunk, this.opts, this.templateCache), chunk, fileOffset, index, CHUNK_HEADER_SIZE);
      }
      return;
    }
    this.signedChunks++;
    if (chunk.length < CHUNK_HEADER_SIZE) {
      this.skippedChunks++;
      this.diag(EVTX_CODES.truncatedChunk, 'error', `chunk ${index} is truncated to ${chunk.length} bytes, inside its header: skipped`, fileOffset, index);
      return;
    }
    const h = parseChunkHeader(chunk);
    const crc = chunkCrcProblems(chunk, h);
    if (crc.length > 0) {
      const strict = this.opts.strictCrc === true;
      for (const p of crc) {
        this.diag(EVTX_CODES.badChunkCrc, strict ? 'error' : 'warning', `chunk ${index}: ${p.message}${strict ? ': skipped' : ''}`, fileOffset + p.offset, index);
      }
      if (strict) {
        this.skippedChunks++;
        return;
      }
    }
    this.chunks++;
    if (chunk.length < CHUNK_SIZE) {
      this.diag(EVTX_CODES.truncatedChunk, 'warning', `chunk ${index} is truncated to ${chunk.length} bytes: reading the records it holds`, fileOffset + chunk.length, index);
    }
    if (h.headerSize !== 128) this.diag(EVTX_CODES.badChunkHeader, 'warning', `chunk ${index} header size ${h.headerSize}, expected 128`, fileOffset + 40, index);
    let limit = chunk.length;
    if (h.freeSpaceOffset < CHUNK_HEADER_SIZE || h.freeSpaceOffset > CHUNK_SIZE) {
      this.diag(EVTX_CODES.badChunkHeader, 'warning', `chunk ${index} free space offset ${h.freeSpaceOffset} is outside the chunk: scanning for records`, fileOffset + 48, index);
    } else if (this.header?.dirty !== true) {
      limit = Math.min(limit, h.freeSpaceOffset);
    }
    // With `recover` the slack is read too, so the filter sees the whole chunk.
    if (this.opts.chunkFilter && !this.opts.chunkFilter(this.opts.recover === true ? chunk : chunk.subarray(0, limit))) {
      const n = h.lastRecordId >= h.firstRecordId ? h.lastRecordId - h.firstRecordId + 1 : 0;
      this.opts.onChunkFiltered?.(n);
      return;
    }
    const ctx = new ChunkContext(chunk, this.opts, this.templateCache);
    const end = this.recordsOf(ctx, chunk, fileOffset, index, limit);
    // Slack: whatever lies past the records read (a signature starting in the last 3 bytes before `limit` was not looked at).
    if (this.opts.recover === true) this.recoverFrom(ctx, chunk, fileOffset, index, Math.max(end, limit - 3));
  }

  /**
   * Reads the records of one chunk from offset 512 up to `limit` (the free space
   * offset, or the chunk end); returns the offset where reading stopped (the end
   * of the last record read, or where only zero fill or garbage was left).
   */
  private recordsOf(ctx: ChunkContext, chunk: Uint8Array, fileOffset: number, index: number, limit: number): number {
    const r = new ByteReader(chunk);
    let off = CHUNK_HEADER_SIZE;
    while (off + 4 <= limit) {
      if (!hasRecordMagic(chunk, off)) {
        // Zero fill after the last record (dirty files read up to the chunk end) is not damage.
        if (chunk[off] === 0 && isAllZero(chunk.subarray(off, limit))) return off;
        const next = findRecordMagic(chunk, off + 1, limit);
        this.badRecords++;
        this.diag(
          EVTX_CODES.badRecordMagic,
          'error',
          `chunk ${index}: no record signature at chunk offset ${off}: ${next < 0 ? 'rest of the chunk' : `${next - off} byte(s)`} skipped`,
          fileOffset + off,
          index,
        );
        if (next < 0) return off;
        off = next;
        continue;
      }
      if (off + RECORD_HEADER_SIZE > chunk.length) {
        this.badRecords++;
        this.diag(EVTX_CODES.truncatedRecord, 'error', `chunk ${index}: record header at chunk offset ${off} is truncated`, fileOffset + off, index);
        return off;
      }
      const size = r.u32At(off + 4);
      const recordId = r.u64NumberAt(off + 8);
      if (size < MIN_RECORD_SIZE || off + size > CHUNK_SIZE) {
        this.badRecords++;
        const next = findRecordMagic(chunk, off + 4, limit);
        this.diag(EVTX_CODES.badRecordSize, 'error', `chunk ${index}: record size ${size} at chunk offset ${off} is impossible: skipped`, fileOffset + off, index, recordId);
        if (next < 0) return off;
        off = next;
        continue;
      }
      if (off + size > chunk.length) {
        this.badRecords++;
        this.diag(EVTX_CODES.truncatedRecord, 'error', `chunk ${index}: record of ${size} bytes at chunk offset ${off} is truncated`, fileOffset + off, index, recordId);
        return off;
      }
      const copy = r.u32At(off + size - 4);
      if (copy !== size) {
        this.diag(EVTX_CODES.badRecordSize, 'warning', `chunk ${index}: record size ${size} and its trailing copy ${copy} disagree`, fileOffset + off + size - 4, index, recordId);
      }
      this.record(ctx, r, fileOffset, index, off, size, recordId);
      off += size;
    }
    return off;
  }

  /**
   * Renders and delivers one record; false when it was reported and skipped. A
   * `recovered` record (slack space) that fails is a warning: slack is expected
   * to be partly garbage.
   */
  private record(ctx: ChunkContext, r: ByteReader, fileOffset: number, index: number, off: number, size: number, recordId: number, recovered = false): boolean {
    const rt = this.opts.recordTest;
    if (rt !== undefined) {
      const s = rt.scratch;
      s.pos = 0;
      if (writeXmlLine(ctx, off + RECORD_HEADER_SIZE, off + size - 4, s)) {
        const keep = rt.test(s.buf, s.pos - 1); // without the line end
        s.pos = 0;
        if (!keep) {
          this.counted(recovered, fileOffset, index, off, recordId);
          rt.onSkip();
          return true;
        }
      }
    }
    const out = this.opts.xmlOut;
    if (out !== undefined && writeXmlLine(ctx, off + RECORD_HEADER_SIZE, off + size - 4, out)) {
      this.counted(recovered, fileOffset, index, off, recordId);
      this.deliverCompiled(new (recovered ? RecoveredCompiledRecord : CompiledRecord)(recordId, r.u32At(off + 20), r.u32At(off + 16), fileOffset + off, index, ctx, off + RECORD_HEADER_SIZE, off + size - 4, undefined, undefined));
      return true;
    }
    const compiled = out !== undefined ? XML_TEXT : this.opts.compiled;
    if (compiled !== undefined && this.compiledRecord(ctx, r, fileOffset, index, off, size, recordId, compiled.xml, compiled.xml ? undefined : compiled.fields, recovered)) return true;
    const failed = recovered ? 'warning' : 'error';
    const skipped = recovered ? 'recovered record skipped' : 'skipped';
    try {
      const written = fileTimeToIsoParts(r.u32At(off + 20), r.u32At(off + 16));
      const nodes = renderBinXml(ctx, off + RECORD_HEADER_SIZE, off + size - 4, (message, at) => {
        this.diag(EVTX_CODES.badValue, 'warning', `record ${recordId}: ${message}`, fileOffset + at, index, recordId);
      });
      const root = rootElement(nodes);
      if (root === undefined) {
        if (!recovered) this.badRecords++;
        this.diag(EVTX_CODES.badEvent, failed, `record ${recordId} holds no element${recovered ? ': recovered record skipped' : ''}`, fileOffset + off, index, recordId);
        return false;
      }
      this.counted(recovered, fileOffset, index, off, recordId);
      if (compiled !== undefined) {
        const rec: EvtxRecord = { recordId, writtenTime: written, offset: fileOffset + off, chunk: index, root, event: mapEvent(root) };
        this.onRecord(compiled.xml ? { ...rec, xml: toXml(root), ...(recovered ? { recovered } : {}) } : recovered ? { ...rec, recovered } : rec);
      } else this.onRecord({ recordId, writtenTime: written, offset: fileOffset + off, chunk: index, root, ...(recovered ? { recovered } : {}) });
      return true;
    } catch (e) {
      if (!recovered) this.badRecords++;
      if (e instanceof EvtxError) {
        this.diag(e.code, failed, `record ${recordId}: ${e.message} (chunk offset ${e.offset}): ${skipped}`, fileOffset + e.offset, index, recordId);
      } else if (e instanceof RangeError && /call stack/i.test(e.message)) {
        this.diag(EVTX_CODES.tooDeep, failed, `record ${recordId}: nested too deeply for the stack: ${skipped}`, fileOffset + off, index, recordId);
      } else {
        // A bug here must not lose the rest of the file; the fuzzer asserts this code never appears.
        this.diag(EVTX_CODES.internal, 'error', `record ${recordId}: internal error: ${String(e)}`, fileOffset + off, index, recordId);
      }
      return false;
    }
  }

  /** Counts a record about to be delivered; a recovered one is also reported (`evtx.recovered-record`, info). */
  private counted(recovered: boolean, fileOffset: number, index: number, off: number, recordId: number): void {
    if (!recovered) {
      this.records++;
      return;
    }
    this.recovered++;
    this.diag(EVTX_CODES.recoveredRecord, 'info', `chunk ${index}: record ${recordId} recovered from chunk offset ${off}`, fileOffset + off, index, recordId);
  }

  /**
   * With `recover`: reads what looks like a record in `chunk[from, end)` (slack
   * space, or a chunk whose header is damaged): a record signature whose size is
   * at least 28 bytes, fits in the chunk and equals its trailing copy. Other
   * signatures are ignored silently; a candidate that does not render is a
   * warning and scanning goes on just past its signature, so a record inside
   * overwritten bytes is still found.
   */
  private recoverFrom(ctx: ChunkContext, chunk: Uint8Array, fileOffset: number, index: number, from: number): void {
    const r = new ByteReader(chunk);
    const end = chunk.length;
    for (let p = findRecordMagic(chunk, Math.max(from, 0), end); p >= 0; ) {
      let next = p + 1;
      if (p + RECORD_HEADER_SIZE <= end) {
        const size = r.u32At(p + 4);
        if (size >= MIN_RECORD_SIZE && p + size <= end && r.u32At(p + size - 4) === size) {
          if (this.record(ctx, r, fileOffset, index, p, size, r.u64NumberAt(p + 8), true)) next = p + size;
        }
      }
      p = findRecordMagic(chunk, next, end);
    }
  }

  /** The record through its compiled template; false (nothing reported) when it does not fit or rendering throws. */
  private compiledRecord(ctx: ChunkContext, r: ByteReader, fileOffset: number, index: number, off: number, size: number, recordId: number, xml: boolean, fields: ReadonlySet<string> | undefined, recovered: boolean): boolean {
    let warnings: [string, number][] | undefined;
    let res: CompiledResult | undefined;
    try {
      res = renderCompiled(ctx, off + RECORD_HEADER_SIZE, off + size - 4, xml, (message, at) => (warnings ??= []).push([message, at]), fields);
    } catch {
      return false;
    }
    if (res === undefined) return false;
    if (warnings !== undefined) {
      for (const [message, at] of warnings) this.diag(EVTX_CODES.badValue, 'warning', `record ${recordId}: ${message}`, fileOffset + at, index, recordId);
    }
    this.counted(recovered, fileOffset, index, off, recordId);
    const rec = new (recovered ? RecoveredCompiledRecord : CompiledRecord)(recordId, r.u32At(off + 20), r.u32At(off + 16), fileOffset + off, index, ctx, off + RECORD_HEADER_SIZE, off + size - 4, res.event, xml ? res.xml : undefined);
    this.deliverCompiled(rec);
    return true;
  }

  /** Delivers a compiled record; its tree is not available once `onRecord` returns. */
  private deliverCompiled(rec: CompiledRecord): void {
    try {
      this.onRecord(rec);
    } finally {
      rec.expire();
    }
  }
}

/**
 * Reads a whole in-memory EVTX file.
 * @example readEvtx(bytes, {}, (r) => out.push(r), (d) => problems.push(d)).records
 */
export function readEvtx(bytes: Uint8Array, opts: EvtxReadOptions, onRecord: RecordHandler, onDiagnostic: DiagnosticHandler): EvtxSummary {
  const s = new EvtxStream(opts, onRecord, onDiagnostic);
  s.push(bytes);
  return s.end();
}
