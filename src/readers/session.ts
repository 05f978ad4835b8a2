/**
 * Reading one file from its bytes: collect a head, sniff the format, pick the
 * reader from the registry, decode text across chunk boundaries, count. The I/O
 * layer (files.ts) only feeds chunks; this part is pure (no `node:*` imports) so
 * in-memory inputs (tests, an upload in the server) go through the same code.
 */
import { FORMAT_READERS, type FormatRegistry } from './registry.js';
import { SNIFF_BYTES, sniffEncoding, sniffFormat, type TextEncoding } from './sniff.js';
import { createReaderContext } from './text-readers.js';
import {
  READ_CODES,
  type ByteParser,
  type FileSummary,
  type InputFormat,
  type ReadCode,
  type ReadOptions,
  type ReadSink,
  type ReaderContext,
  type TextParser,
} from './types.js';

/** Incremental decoder: keeps a character split between chunks for the next call. */
export interface ChunkDecoder {
  write(bytes: Uint8Array): string;
  end(): string;
}
export type DecoderFactory = (encoding: 'utf-8' | 'utf-16le') => ChunkDecoder;

/** Portable decoder factory (WHATWG TextDecoder in streaming mode). */
export const textDecoderFactory: DecoderFactory = (encoding) => {
  // ignoreBOM: the session strips the BOM itself; a later U+FEFF is content.
  const d = new TextDecoder(encoding, { ignoreBOM: true });
  return { write: (b) => d.decode(b, { stream: true }), end: () => d.decode() };
};

/** UTF-16BE → UTF-16LE by swapping byte pairs, carrying an odd byte to the next chunk. */
function byteSwapper(inner: ChunkDecoder): ChunkDecoder {
  let carry = -1;
  const swap = (b: Uint8Array): Uint8Array => {
    const all = carry >= 0 ? new Uint8Array(b.length + 1) : new Uint8Array(b.length);
    if (carry >= 0) {
      all[0] = carry;
      all.set(b, 1);
    } else all.set(b);
    const even = all.length & ~1;
    carry = even < all.length ? all[even]! : -1;
    for (let i = 0; i < even; i += 2) {
      const t = all[i]!;
      all[i] = all[i + 1]!;
      all[i + 1] = t;
    }
    return all.subarray(0, even);
  };
  return { write: (b) => inner.write(swap(b)), end: () => inner.end() };
}

function decoderFor(encoding: TextEncoding, factory: DecoderFactory): ChunkDecoder {
  return encoding === 'utf-16be' ? byteSwapper(factory('utf-16le')) : factory(encoding);
}

type Active =
  | { readonly kind: 'text'; readonly parser: TextParser; readonly decoder: ChunkDecoder }
  | { readonly kind: 'bytes'; readonly parser: ByteParser };

/** Diagnostic code and severity for a file that cannot be read as events. */
const REJECTIONS = {
  empty: { code: READ_CODES.empty, severity: 'warning', message: 'file is empty' },
  binary: { code: READ_CODES.binary, severity: 'error', message: 'file is binary, not a known event format' },
  unknown: { code: READ_CODES.unknownFormat, severity: 'error', message: 'no XML event, Event Viewer export or JSON line found at the start of the file' },
} as const;

export interface SessionOptions {
  readonly readers?: FormatRegistry;
  readonly decoders?: DecoderFactory;
}

/**
 * One file being read. `push` returns false once the file is rejected (unknown
 * format, unsupported container): the caller can stop reading it.
 */
export class FileReadSession {
  private readonly ctx: ReaderContext;
  private readonly readers: FormatRegistry;
  private readonly decoders: DecoderFactory;
  private head: Uint8Array[] = [];
  private headBytes = 0;
  private active: Active | undefined;
  private format: InputFormat | undefined;
  private bytes = 0;
  private rejected = false;
  private ended = false;

  constructor(
    readonly file: string,
    opts: ReadOptions,
    sink: ReadSink,
    options: SessionOptions = {},
  ) {
    this.ctx = createReaderContext(file, opts, sink);
    this.readers = options.readers ?? FORMAT_READERS;
    this.decoders = options.decoders ?? textDecoderFactory;
  }

  /** True once the file was rejected; its summary counts it as failed. */
  get failed(): boolean {
    return this.rejected;
  }

  push(chunk: Uint8Array): boolean {
    if (this.rejected) return false;
    this.bytes += chunk.length;
    if (this.active !== undefined) {
      this.feed(this.active, chunk);
      return true;
    }
    this.headBytes += chunk.length;
    // A chunk kept past `push` is copied: callers may reuse their buffer once `push` returns.
    this.head.push(this.headBytes >= SNIFF_BYTES ? chunk : chunk.slice());
    if (this.headBytes >= SNIFF_BYTES) this.start();
    return !this.rejected;
  }

  /** Marks the file failed for an I/O problem (e.g. a read error mid-file). */
  fail(code: ReadCode, message: string): void {
    this.ctx.report(code, 'error', message);
    this.rejected = true;
  }

  end(): FileSummary {
    if (!this.ended) {
      this.ended = true;
      if (this.active === undefined && !this.rejected) this.start();
      const a = this.active;
      if (a !== undefined) {
        if (a.kind === 'text') {
          const rest = a.decoder.end();
          if (rest.length > 0) a.parser.push(rest);
        }
        a.parser.end();
      }
    }
    const c = this.ctx.counters;
    const base = { file: this.file, bytes: this.bytes, events: c.events, filtered: c.filtered, skipped: c.skipped, errors: c.errors };
    return this.format === undefined ? base : { ...base, format: this.format };
  }

  private start(): void {
    const head = concat(this.head, this.headBytes);
    this.head = [];
    const sniffed = sniffFormat(head);
    if (sniffed === 'empty' || sniffed === 'binary' || sniffed === 'unknown') {
      const r = REJECTIONS[sniffed];
      this.ctx.report(r.code, r.severity, r.message);
      this.rejected = true;
      return;
    }
    this.format = sniffed;
    const reader = this.readers[sniffed];
    switch (reader.kind) {
      case 'unsupported':
        this.ctx.report(reader.code, 'error', reader.message);
        this.rejected = true;
        return;
      case 'bytes':
        this.active = { kind: 'bytes', parser: reader.open(this.ctx) };
        this.feed(this.active, head);
        return;
      case 'text': {
        const enc = sniffEncoding(head);
        this.active = { kind: 'text', parser: reader.open(this.ctx), decoder: decoderFor(enc.encoding, this.decoders) };
        this.feed(this.active, head.subarray(enc.bomLength));
        return;
      }
    }
  }

  private feed(a: Active, chunk: Uint8Array): void {
    if (a.kind === 'bytes') a.parser.push(chunk);
    else {
      const text = a.decoder.write(chunk);
      if (text.length > 0) a.parser.push(text);
    }
  }
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Reads one in-memory input (pure; for tests and uploads).
 * @example readBytes('x.xml', bytes, {}, { event: (e) => out.push(e), diagnostic: () => {} })
 */
export function readBytes(file: string, bytes: Uint8Array, opts: ReadOptions, sink: ReadSink, options: SessionOptions = {}): FileSummary & { readonly failed: boolean } {
  const s = new FileReadSession(file, opts, sink, options);
  if (bytes.length > 0) s.push(bytes);
  const summary = s.end();
  return { ...summary, failed: s.failed };
}
