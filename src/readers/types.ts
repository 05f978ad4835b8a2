/**
 * Public types of the input readers: options, the push-style sink, per-file and
 * per-run summaries, and the plug-in interface every container format implements.
 */
import type { DiagnosticSeverity, ReadDiagnostic, WinEvent } from '../events/types.js';

export const INPUT_FORMATS = ['xml-lines', 'event-xml', 'json-lines', 'evtx'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** What `sniffFormat` can say about a file head besides a readable format. */
export type SniffResult = InputFormat | 'empty' | 'binary' | 'unknown';

export interface ReadOptions {
  /** Sees each event's raw text (the XML line, the JSON line, or the <Event>…</Event> block) before parsing; false = skip it without parsing (counted as `filtered`). */
  readonly rawFilter?: (raw: string) => boolean;
  /** Keep `raw` on each event (default true). */
  readonly keepRaw?: boolean;
  /**
   * The literals behind `rawFilter` (one of them must appear, any case). Binary
   * formats use them to skip whole blocks without decoding them (EVTX: a chunk
   * holding none of them in UTF-16 or ASCII). Must agree with `rawFilter`.
   */
  readonly literals?: readonly string[];
  /**
   * Longest line (text formats) or `<Event>` block accepted, in UTF-16 code units
   * (default 16 MiB). Bounds memory on garbage input: a longer record is reported
   * as `read.too-long` and skipped.
   */
  readonly maxRecordChars?: number;
  /**
   * EventData fields the caller will read; others may be left out of `data`
   * (System fields are always there). Only the EVTX reader uses it, and only
   * when it renders no raw text (no `keepRaw`, no `rawFilter`): values of other
   * named `Data` elements are then not decoded. The text readers ignore it (they
   * parse the whole line anyway). Undefined = every field.
   */
  readonly fields?: readonly string[];
  /**
   * Also deliver events recovered from deleted or overwritten space (EVTX only:
   * records left in a chunk's slack space after its free space offset, and
   * records of chunks whose header is damaged). Such events carry
   * `origin.recovered: true` and are reported one by one as
   * `evtx.recovered-record` (info); a slack record that does not render is a
   * warning, not an error. The text readers ignore it. Default false.
   */
  readonly recover?: boolean;
  /**
   * The caller wants each event only as its XML line (`spelunk dump --format xml`).
   * A format that renders XML itself (EVTX) may then write its events here, as
   * UTF-8 lines (one event each, CR and LF inside values as `&#13;` `&#10;`), in
   * file order, in blocks of whole lines (each valid only during the call: the
   * buffer is reused), instead of passing them to the sink's
   * `event`; they still count as events. Other formats ignore it. Not with `rawFilter`.
   */
  readonly xmlLines?: XmlLineSink;
}

/** Receives `count` whole XML lines as UTF-8 bytes, valid only during the call (see `ReadOptions.xmlLines`). */
export type XmlLineSink = (lines: Uint8Array, count: number) => void;

export interface ReadSink {
  event(e: WinEvent): void; // called synchronously, in file order
  diagnostic(d: ReadDiagnostic): void;
  progress?(bytesRead: number): void; // cumulative bytes of the current run, called now and then (not per event)
}

export interface FileSummary {
  readonly file: string;
  readonly format?: InputFormat;
  readonly bytes: number;
  readonly events: number;
  readonly filtered: number;
  readonly skipped: number;
  readonly errors: number;
}

export interface ReadSummary {
  readonly files: FileSummary[];
  readonly bytes: number;
  readonly events: number;
  readonly filtered: number;
  readonly skipped: number;
  readonly errors: number;
  readonly failedFiles: number;
}

/** Stable diagnostic codes produced by the readers. */
export const READ_CODES = {
  notFound: 'read.not-found',
  unreadable: 'read.unreadable',
  empty: 'read.empty',
  binary: 'read.binary',
  unknownFormat: 'read.unknown-format',
  evtxNotSupported: 'read.evtx-not-supported',
  badXml: 'read.bad-xml',
  badEvent: 'read.bad-event',
  badJson: 'read.bad-json',
  unknownJsonShape: 'read.unknown-json-shape',
  unrecognisedLine: 'read.unrecognised-line',
  tooLong: 'read.too-long',
} as const;
export type ReadCode = (typeof READ_CODES)[keyof typeof READ_CODES];

/** Mutable counters one format parser updates while reading one file. */
export interface FileCounters {
  events: number;
  filtered: number;
  skipped: number;
  errors: number;
}

/**
 * What a format parser gets: where it reads from, the options, and helpers that
 * keep counters and diagnostics consistent across formats.
 */
export interface ReaderContext {
  readonly file: string;
  readonly rawFilter: ((raw: string) => boolean) | undefined;
  readonly literals: readonly string[] | undefined;
  readonly keepRaw: boolean;
  readonly maxRecordChars: number;
  /** `ReadOptions.fields` as a set; formats may ignore it. */
  readonly fields: ReadonlySet<string> | undefined;
  /** `ReadOptions.xmlLines` (undefined with a `rawFilter`). */
  readonly xmlLines: XmlLineSink | undefined;
  /** `ReadOptions.recover`; formats without deleted space ignore it. */
  readonly recover: boolean;
  readonly counters: FileCounters;
  /** Deliver one event (counts it). */
  emit(e: WinEvent): void;
  /** Report a diagnostic (counts it in `errors` when severity is `error`). */
  report(code: ReadCode, severity: DiagnosticSeverity, message: string, line?: number): void;
}

/** Receives decoded text in file order, chunk boundaries anywhere (even inside a line). */
export interface TextParser {
  push(text: string): void;
  end(): void;
}

/**
 * Receives raw bytes in file order (for binary containers such as EVTX). The
 * bytes are only valid during `push`: the file layer reuses its buffer, so a
 * parser copies what it keeps.
 */
export interface ByteParser {
  push(bytes: Uint8Array): void;
  end(): void;
}

/**
 * One container format. Keyed by `InputFormat` in the registry so that adding a
 * format fails to compile until it has a reader (or an explicit `unsupported`).
 */
export type FormatReader =
  | { readonly kind: 'text'; open(ctx: ReaderContext): TextParser }
  | { readonly kind: 'bytes'; open(ctx: ReaderContext): ByteParser }
  | { readonly kind: 'unsupported'; readonly code: ReadCode; readonly message: string };
