/**
 * The EVTX reader as a readers plug-in (`FORMAT_READERS.evtx`): bytes pushed by
 * the file layer → `EvtxStream` → `WinEvent`s through the run's sink. The only
 * file of this layer that knows the readers' interface (type imports only).
 *
 * - `raw` (and what `rawFilter` sees) is the event rendered as one XML line,
 *   single-quoted attributes, as Splunk's XmlWinEventLog shows it.
 * - `fields` (no raw text asked for): other named `Data` values are not decoded,
 *   those fields are absent from `data` (compiled path only).
 * - Origins carry no line; the diagnostics' messages name the file offset, chunk
 *   and record id (the readers' `report` takes a line only).
 * - `recover`: records recovered from slack space come with `origin.recovered`.
 */
import type { WinEvent } from '../events/types.js';
import type { ByteParser, ReadCode, ReaderContext, XmlLineSink } from '../readers/types.js';
import type { EvtxDiagnostic } from './errors.js';
import { mapEvent } from './event.js';
import { EvtxStream, type EvtxReadOptions } from './reader.js';
import { toXml } from './render.js';
import { XmlLines } from './xml-bytes.js';

function where(d: EvtxDiagnostic): string {
  const parts = [`file offset ${d.offset}`];
  if (d.chunk !== undefined) parts.push(`chunk ${d.chunk}`);
  if (d.recordId !== undefined) parts.push(`record ${d.recordId}`);
  return parts.join(', ');
}

/** EVTX diagnostics as reader diagnostics, the position in the message (EVTX codes are not in READ_CODES; they travel as the code string). */
function reportTo(ctx: ReaderContext): (d: EvtxDiagnostic) => void {
  return (d) => ctx.report(d.code as ReadCode, d.severity, `${d.message} (${where(d)})`);
}

/**
 * Opens an EVTX byte parser on a reader context.
 * @example FORMAT_READERS.evtx = { kind: 'bytes', open: (ctx) => createEvtxParser(ctx) }
 */
export function createEvtxParser(ctx: ReaderContext, opts: EvtxReadOptions = {}): ByteParser {
  if (ctx.xmlLines !== undefined) return createXmlLinesParser(ctx, ctx.xmlLines, opts);
  const filter = ctx.rawFilter;
  const needXml = ctx.keepRaw || filter !== undefined;
  const chunkTest = ctx.literals !== undefined && ctx.literals.length > 0 ? chunkLiteralTest(ctx.literals) : undefined;
  // Compiled templates: XML text and WinEvent straight from the substitution values (same output as the tree path; test/evtx/compiled.test.ts).
  // Without raw text, `Data` values the caller does not read (`ctx.fields`) are not decoded.
  const fields = needXml ? undefined : ctx.fields;
  const readOpts: EvtxReadOptions = { compiled: fields !== undefined ? { xml: false, fields } : { xml: needXml }, ...(ctx.recover ? { recover: true } : {}), ...opts };
  // Records of chunks that pass are tested as bytes first: one that fails is skipped before any string is built.
  const recordTest = filter !== undefined && ctx.literals !== undefined && ctx.literals.length > 0 ? recordLiteralTest(ctx.literals, () => void ctx.counters.filtered++) : undefined;
  const stream = new EvtxStream(
    {
      ...readOpts,
      ...(chunkTest ? { chunkFilter: chunkTest, onChunkFiltered: (n: number) => void (ctx.counters.filtered += n) } : {}),
      ...(recordTest ? { recordTest } : {}),
    },
    (rec) => {
      const raw = needXml ? (rec.xml ?? toXml(rec.root)) : '';
      if (filter !== undefined && !filter(raw)) {
        ctx.counters.filtered++;
        return;
      }
      const m = rec.event ?? mapEvent(rec.root);
      if (!m.ok) {
        // Slack space is expected to hold garbage: a recovered record that is no event is a warning.
        ctx.report('evtx.bad-event' as ReadCode, rec.recovered === true ? 'warning' : 'error', `${m.message} (file offset ${rec.offset}, chunk ${rec.chunk}, record ${rec.recordId}${rec.recovered === true ? ', recovered' : ''})`);
        return;
      }
      const origin = rec.recovered === true ? { file: ctx.file, offset: rec.offset, recovered: true } : { file: ctx.file, offset: rec.offset };
      const e: WinEvent = ctx.keepRaw ? { system: m.system, data: m.data, raw, origin } : { system: m.system, data: m.data, origin };
      ctx.emit(e);
    },
    reportTo(ctx),
  );
  return {
    push: (bytes) => stream.push(bytes),
    end: () => {
      stream.end();
    },
  };
}

/**
 * Every record as its XML line, in UTF-8 bytes (`xml-bytes.ts`), to the caller's
 * `xmlLines`: no WinEvent is built. Each record counts as an event.
 */
function createXmlLinesParser(ctx: ReaderContext, lines: XmlLineSink, opts: EvtxReadOptions): ByteParser {
  const out = new XmlLines(lines);
  const stream = new EvtxStream(
    { ...(ctx.recover ? { recover: true } : {}), ...opts, xmlOut: out },
    () => void ctx.counters.events++,
    reportTo(ctx),
  );
  return {
    push: (bytes) => stream.push(bytes),
    end: () => {
      stream.end();
      out.flush();
    },
  };
}

/**
 * The literal pre-filter's record test (`compileLiteralTest` in src/spl/engine/literals.ts:
 * a literal in any case, or `&#`, or `\uXXXX`) over a record's XML text as UTF-8 bytes.
 * The bytes are read as single-byte characters: the literals are ASCII, UTF-8 puts no
 * ASCII byte inside a multi-byte character, and a case-insensitive match (non-Unicode)
 * never folds a non-ASCII character to an ASCII one, so it matches exactly where the
 * test on the string does (`test/evtx/record-test.test.ts` compares both).
 */
export function recordLiteralTest(literals: readonly string[], onSkip: () => void): NonNullable<EvtxReadOptions['recordTest']> {
  const alts = literals.map((l) => l.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  const re = new RegExp([...alts, '&#', '\\\\u[0-9a-fA-F]{4}'].join('|'), 'i');
  const decoder = new TextDecoder('latin1');
  return {
    scratch: new XmlLines(() => {}, Infinity, true),
    test: (bytes, length) => re.test(decoder.decode(bytes.subarray(0, length))),
    onSkip,
  };
}

/** Characters of what non-string values render to: digits, hex, `0x`, GUID braces and dashes, SIDs, ISO times, exponents. */
const RENDERED = /^[0-9a-fx{}\-:.tzs+ ]*$/i;

/** Can `literal` (any case) be part of the text of a value EVTX stores in binary? */
export function renderableFromBinary(literal: string): boolean {
  const l = literal.toLowerCase();
  return RENDERED.test(literal) || ['true', 'false', 'infinity', 'nan'].some((w) => w.includes(l));
}

/**
 * A test over a chunk's bytes: does any literal appear, in any case, as UTF-16LE
 * (how EVTX stores strings) or as single bytes (ANSI string values)? The bytes are
 * read as Latin-1 so each byte is one character and a regular expression can scan
 * the 64 KiB chunk in one pass. Undefined (no chunk is ruled out) when a literal
 * could be the text of a value stored in binary (`renderableFromBinary`: a GUID,
 * a number, a SID, a time). (BinXML could spell a literal with character
 * reference tokens; Windows writes event values as plain strings, and the record
 * filter after decoding keeps results exact either way for what is decoded.)
 */
export function chunkLiteralTest(literals: readonly string[]): ((chunk: Uint8Array) => boolean) | undefined {
  // A literal that a number, GUID, SID, time, hex or boolean value renders to is not in the chunk
  // as text (those values are stored in binary): such a literal cannot rule a chunk out.
  if (literals.some(renderableFromBinary)) return undefined;
  const esc = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const alts: string[] = [];
  for (const l of literals) {
    alts.push([...l].map((c) => esc(c) + '\\x00').join(''));
    alts.push([...l].map(esc).join(''));
  }
  const re = new RegExp(alts.join('|'), 'i');
  const decoder = new TextDecoder('latin1');
  return (chunk) => re.test(decoder.decode(chunk));
}
