/**
 * Push parsers for the text formats: Splunk XmlWinEventLog lines, Event Viewer /
 * wevtutil XML exports, and JSON lines. They receive decoded text in chunks cut
 * anywhere and keep at most one record plus one chunk in memory.
 * Pure: no `node:*` imports.
 */
import type { DiagnosticSeverity, WinEvent, WinSystem } from '../events/types.js';
import { mapJsonEvent } from './json-shapes.js';
import { READ_CODES, type FileCounters, type ReadCode, type ReadOptions, type ReadSink, type ReaderContext, type TextParser } from './types.js';
import { isEventStart, parseEventXml, type EventParseError } from './xml-event.js';

export const DEFAULT_MAX_RECORD_CHARS = 16 * 1024 * 1024;

/** The standard `ReaderContext`: counts what it delivers and reports. */
export function createReaderContext(file: string, opts: ReadOptions, sink: ReadSink): ReaderContext {
  const counters: FileCounters = { events: 0, filtered: 0, skipped: 0, errors: 0 };
  return {
    file,
    rawFilter: opts.rawFilter,
    literals: opts.rawFilter !== undefined ? opts.literals : undefined,
    keepRaw: opts.keepRaw ?? true,
    maxRecordChars: opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS,
    fields: opts.fields !== undefined ? new Set(opts.fields) : undefined,
    recover: opts.recover === true,
    xmlLines: opts.rawFilter === undefined ? opts.xmlLines : undefined,
    counters,
    emit(e: WinEvent): void {
      counters.events++;
      sink.event(e);
    },
    report(code: ReadCode, severity: DiagnosticSeverity, message: string, line?: number): void {
      if (severity === 'error') counters.errors++;
      sink.diagnostic({ code, severity, message, origin: line === undefined ? { file } : { file, line } });
    },
  };
}

function makeEvent(ctx: ReaderContext, system: WinSystem, data: Record<string, string>, raw: string, line: number): WinEvent {
  const origin = { file: ctx.file, line };
  return ctx.keepRaw ? { system, data, raw, origin } : { system, data, origin };
}

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10 || c === 0xfeff;
}

/** Line number (relative, 0-based) of `offset` within `s`. */
function newlinesBefore(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Splits text into lines (LF or CRLF), numbering them from 1. A line longer than
 * `maxRecordChars` is reported once as `read.too-long` and dropped without being
 * buffered, so memory stays bounded on garbage input.
 */
export class LineSplitter implements TextParser {
  private pending = '';
  private line = 0;
  private discarding = false;

  constructor(
    private readonly ctx: ReaderContext,
    private readonly onLine: (text: string, line: number) => void,
    private readonly onEnd: () => void = () => {},
  ) {}

  push(chunk: string): void {
    const s = this.pending.length > 0 ? this.pending + chunk : chunk;
    let start = 0;
    for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', start)) {
      this.line++;
      if (this.discarding) this.discarding = false;
      else this.onLine(s.slice(start, nl > start && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl), this.line);
      start = nl + 1;
    }
    if (this.discarding) {
      this.pending = '';
    } else if (s.length - start > this.ctx.maxRecordChars) {
      this.ctx.report(READ_CODES.tooLong, 'error', `line longer than ${this.ctx.maxRecordChars} characters skipped`, this.line + 1);
      this.pending = '';
      this.discarding = true;
    } else {
      this.pending = start === 0 ? s : s.slice(start);
    }
  }

  end(): void {
    if (this.pending.length > 0) {
      this.line++;
      const s = this.pending;
      this.pending = '';
      this.onLine(s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s, this.line);
    }
    this.onEnd();
  }
}

/**
 * Splunk XmlWinEventLog: one `<Event>` per line. A line that is not an event
 * (classic WinEventLog text, headers, `<Events>` wrappers) is skipped and counted;
 * each run of consecutive such lines gives one `read.unrecognised-line` info
 * diagnostic naming its first line. Blank lines are ignored and not counted.
 * A line holding several events back to back (wevtutil qe output) gives each;
 * `rawFilter` then sees the whole line.
 */
export function createXmlLinesParser(ctx: ReaderContext): TextParser {
  let runStart = 0;
  let runLast = 0;
  let runCount = 0;
  const flushRun = (): void => {
    if (runCount === 0) return;
    ctx.counters.skipped += runCount;
    const range = runStart === runLast ? `line ${runStart}` : `lines ${runStart}-${runLast}`;
    ctx.report(READ_CODES.unrecognisedLine, 'info', `${runCount} line(s) not an XML event skipped (${range})`, runStart);
    runCount = 0;
  };
  const filter = ctx.rawFilter;

  const onLine = (text: string, line: number): void => {
    const len = text.length;
    let i = 0;
    while (i < len && isWs(text.charCodeAt(i))) i++;
    if (i === len) return;
    if (!isEventStart(text, i)) {
      if (runCount === 0) runStart = line;
      runLast = line;
      runCount++;
      return;
    }
    if (runCount > 0) flushRun();
    if (filter !== undefined && !filter(text)) {
      // Not parsed, but a cut-off event is still reported: the check costs one comparison.
      if (!endsWithTrimmed(text, '</Event>')) {
        ctx.report(READ_CODES.badXml, 'error', 'truncated event: the line does not end with </Event>', line);
        return;
      }
      ctx.counters.filtered++;
      return;
    }
    let pos = i;
    for (;;) {
      const r = parseEventXml(text, pos, len);
      if (!r.ok) {
        reportXmlError(ctx, r, text, i, line);
        return;
      }
      ctx.emit(makeEvent(ctx, r.system, r.data, text.slice(pos, r.end), line));
      pos = r.end;
      while (pos < len && isWs(text.charCodeAt(pos))) pos++;
      if (pos >= len) return;
      if (!isEventStart(text, pos)) {
        ctx.report(READ_CODES.badXml, 'error', `unexpected text after </Event> at column ${pos - i + 1}`, line);
        return;
      }
    }
  };
  return new LineSplitter(ctx, onLine, flushRun);
}

function reportXmlError(ctx: ReaderContext, r: EventParseError, s: string, blockStart: number, line: number): void {
  // A bad event is named by the line where its <Event> starts; the message says where the problem is.
  const errLine = line + newlinesBefore(s, blockStart, r.offset);
  const col = r.offset - (s.lastIndexOf('\n', r.offset - 1) + 1) + 1;
  ctx.report(r.code, 'error', `${r.message} (at line ${errLine}, column ${col})`, line);
}

/** Index of the next `<Event>` start in `s[from, to)`, or -1. */
function findEventStart(s: string, from: number, to: number): number {
  for (let i = s.indexOf('<Event', from); i >= 0 && i < to; i = s.indexOf('<Event', i + 6)) {
    if (isEventStart(s, i)) return i;
  }
  return -1;
}

// Markup allowed between events in an export.
const BETWEEN_EVENTS = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<\/?Events(?:\s[^>]*)?>|\s+/g;

/**
 * Event Viewer "Save as XML" / `wevtutil qe /f:xml /e:Events`: `<Event>` blocks
 * anywhere (spanning lines, either quote style) inside an optional `<?xml?>` and
 * `<Events>`. `<RenderingInfo>` is ignored by the event scanner. A block without
 * `</Event>` before the next `<Event>` is reported and the next one is read.
 */
export function createEventXmlParser(ctx: ReaderContext): TextParser {
  let buf = '';
  let line = 1; // line number at buf[0]
  const filter = ctx.rawFilter;

  const checkBetween = (from: number, to: number): void => {
    if (to <= from) return;
    const rest = buf.slice(from, to).replace(BETWEEN_EVENTS, '');
    if (rest.length > 0) {
      ctx.counters.skipped++;
      ctx.report(READ_CODES.unrecognisedLine, 'info', `text outside <Event> skipped: ${JSON.stringify(rest.slice(0, 40))}`, line + newlinesBefore(buf, 0, from));
    }
  };

  /** Drops buf[0, to), keeping the line count right. */
  const consume = (to: number): void => {
    line += newlinesBefore(buf, 0, to);
    buf = buf.slice(to);
  };

  const process = (final: boolean): void => {
    for (;;) {
      const lt = findEventStart(buf, 0, buf.length);
      if (lt < 0) {
        // Keep a tail that may hold the start of a split `<Event`.
        if (final) {
          checkBetween(0, buf.length);
          consume(buf.length);
        } else if (buf.length > 1 << 20) {
          const keep = buf.length - 8;
          checkBetween(0, keep);
          consume(keep);
        }
        return;
      }
      checkBetween(0, lt);
      consume(lt);
      const close = buf.indexOf('</Event>', 6);
      const next = findEventStart(buf, 6, close < 0 ? buf.length : close);
      if (next >= 0) {
        ctx.report(READ_CODES.badXml, 'error', 'unterminated <Event> (another <Event> starts before </Event>)', line);
        consume(next);
        continue;
      }
      if (close < 0) {
        if (final) {
          ctx.report(READ_CODES.badXml, 'error', 'unterminated <Event> at end of input', line);
          consume(buf.length);
        } else if (buf.length > ctx.maxRecordChars) {
          ctx.report(READ_CODES.tooLong, 'error', `<Event> longer than ${ctx.maxRecordChars} characters skipped`, line);
          // Skip past this start; the scan resumes at the next `<Event`.
          consume(6);
          continue;
        }
        return;
      }
      const end = close + 8;
      const block = buf.slice(0, end);
      if (filter !== undefined && !filter(block)) {
        ctx.counters.filtered++;
      } else {
        const r = parseEventXml(block, 0, end);
        if (r.ok) ctx.emit(makeEvent(ctx, r.system, r.data, block, line));
        else reportXmlError(ctx, r, block, 0, line);
      }
      consume(end);
    }
  };

  return {
    push(text: string): void {
      buf += text;
      process(false);
    },
    end(): void {
      process(true);
    },
  };
}

/**
 * JSON lines: one object per line, blank lines ignored. The shape (EVTX-as-JSON,
 * Winlogbeat 6/7+, NXLog) is recognised per line, so mixed files work.
 */
export function createJsonLinesParser(ctx: ReaderContext): TextParser {
  const filter = ctx.rawFilter;
  return new LineSplitter(ctx, (text, line) => {
    let i = 0;
    while (i < text.length && isWs(text.charCodeAt(i))) i++;
    if (i === text.length) return;
    if (filter !== undefined && !filter(text)) {
      if (!endsWithTrimmed(text, '}')) {
        ctx.report(READ_CODES.badJson, 'error', 'truncated JSON object: the line does not end with }', line);
        return;
      }
      ctx.counters.filtered++;
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      ctx.report(READ_CODES.badJson, 'error', `not valid JSON: ${(e as Error).message}`, line);
      return;
    }
    const r = mapJsonEvent(value, text);
    if (r.ok) ctx.emit(makeEvent(ctx, r.system, r.data, text, line));
    else ctx.report(r.code, 'error', r.message, line);
  });
}

/** True when `text`, ignoring trailing whitespace, ends with `suffix`. */
function endsWithTrimmed(text: string, suffix: string): boolean {
  let end = text.length;
  while (end > 0 && isWs(text.charCodeAt(end - 1))) end--;
  return text.startsWith(suffix, end - suffix.length);
}
