/**
 * Macro expansion, done on the text before parsing, as Splunk does.
 *
 * - ```` ```comment``` ```` blocks are blanked out first (offsets are kept).
 * - `` `name` `` and `` `name(a, b)` `` are looked up as `name` and `name(2)`.
 * - `$arg$` in a definition is replaced by the argument text, literally.
 * - Expansions are expanded again (macros nest), to a fixed depth.
 * - Nothing is expanded inside a double-quoted string.
 * - An undefined `<name>_filter` macro stands for `search *`.
 *
 * The result keeps a map from expanded offsets back to the user's text, so a
 * syntax error inside an expansion points at the macro call that produced it.
 */
import { SplError, closest, type Span } from './errors.js';

export interface MacroDefinition {
  readonly name: string;
  readonly args: readonly string[];
  readonly definition: string;
}

/** Macro lookup by Splunk's key: `name` or `name(N)` for N arguments. */
export interface MacroResolver {
  get(key: string): MacroDefinition | undefined;
  keys(): Iterable<string>;
}

export interface Expansion {
  /** The query with comments blanked and macros expanded. */
  readonly text: string;
  /** The user's query. */
  readonly source: string;
  /** Maps a span of `text` to a span of `source`. */
  toSource(span: Span): Span;
}

interface Segment {
  readonly outStart: number;
  readonly outEnd: number;
  readonly srcStart: number;
  readonly srcEnd: number;
  /** True when the segment came from a macro call (its offsets do not map one to one). */
  readonly macro: boolean;
}

const MAX_DEPTH = 50;

export function mapResolver(map: ReadonlyMap<string, MacroDefinition>): MacroResolver {
  return { get: (k) => map.get(k), keys: () => map.keys() };
}

/** Blanks out ```` ```...``` ```` comments outside quoted strings, keeping every offset. */
export function blankComments(query: string): string {
  if (!query.includes('```')) return query;
  let out = '';
  let i = 0;
  let inQuote = false;
  while (i < query.length) {
    const c = query[i] as string;
    if (inQuote) {
      out += c;
      if (c === '\\' && i + 1 < query.length) {
        out += query[i + 1];
        i += 2;
        continue;
      }
      if (c === '"') inQuote = false;
      i++;
      continue;
    }
    // `\"` outside a string is a quote inside a search word, not the start of a string.
    if (c === '\\' && query[i + 1] === '"') {
      out += '\\"';
      i += 2;
      continue;
    }
    if (c === '"') {
      inQuote = true;
      out += c;
      i++;
      continue;
    }
    if (query.startsWith('```', i)) {
      const close = query.indexOf('```', i + 3);
      const end = close < 0 ? query.length : close + 3;
      out += query.slice(i, end).replace(/[^\n]/g, ' ');
      i = end;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Expands every macro in `query`. Throws `SplError` for unknown macros, bad calls and recursion. */
export function expandMacros(query: string, macros: MacroResolver): Expansion {
  const src = blankComments(query);
  const segments: Segment[] = [];
  let out = '';
  let plainStart = 0;
  const flushPlain = (end: number): void => {
    if (end > plainStart) {
      segments.push({ outStart: out.length, outEnd: out.length + (end - plainStart), srcStart: plainStart, srcEnd: end, macro: false });
      out += src.slice(plainStart, end);
    }
  };
  for (const call of macroCalls(src)) {
    if (call.end < 0) {
      throw new SplError('spl.unterminated-macro', 'unterminated macro call: missing closing backtick', { start: call.start, end: src.length }, query);
    }
    flushPlain(call.start);
    const span = { start: call.start, end: call.end };
    const body = expandCall(src.slice(call.start + 1, call.end - 1), span, macros, query, 0);
    segments.push({ outStart: out.length, outEnd: out.length + body.length, srcStart: span.start, srcEnd: span.end, macro: true });
    out += body;
    plainStart = call.end;
  }
  flushPlain(src.length);
  return {
    text: out,
    source: query,
    toSource(span: Span): Span {
      return { start: mapOffset(segments, span.start, false), end: Math.max(mapOffset(segments, span.end, true), mapOffset(segments, span.start, false) + 1) };
    },
  };
}

function mapOffset(segments: readonly Segment[], off: number, isEnd: boolean): number {
  for (const s of segments) {
    if (off < s.outEnd || (isEnd && off === s.outEnd)) {
      if (off < s.outStart) return s.srcStart;
      if (s.macro) return isEnd ? s.srcEnd : s.srcStart;
      return s.srcStart + (off - s.outStart);
    }
  }
  const last = segments[segments.length - 1];
  return last ? last.srcEnd + (off - last.outEnd) : off;
}

/** Parses `name` or `name(a, b)` and returns the fully expanded definition. */
function expandCall(call: string, span: Span, macros: MacroResolver, query: string, depth: number): string {
  if (depth > MAX_DEPTH) {
    throw new SplError('spl.macro-recursion', `macro expansion is nested more than ${MAX_DEPTH} levels deep (a macro that calls itself?)`, span, query);
  }
  const trimmed = call.trim();
  const open = trimmed.indexOf('(');
  let name: string;
  let args: string[] = [];
  if (open >= 0) {
    if (!trimmed.endsWith(')')) {
      throw new SplError('spl.bad-macro-call', `macro call "${trimmed}" has an unbalanced argument list`, span, query);
    }
    name = trimmed.slice(0, open).trim();
    args = splitArgs(trimmed.slice(open + 1, -1));
  } else {
    name = trimmed;
  }
  if (!/^[A-Za-z0-9_.:-]+$/.test(name)) {
    throw new SplError('spl.bad-macro-call', `"${trimmed}" is not a macro call`, span, query);
  }
  const key = args.length > 0 ? `${name}(${args.length})` : name;
  const def = macros.get(key);
  if (!def) {
    if (args.length === 0 && name.endsWith('_filter')) return 'search *';
    const suggestion = closest(key, macros.keys());
    throw new SplError('spl.unknown-macro', `unknown macro "${key}"`, span, query, suggestion ? { suggestion } : {});
  }
  let body = def.definition;
  if (def.args.length !== args.length) {
    throw new SplError('spl.bad-macro-call', `macro "${name}" takes ${def.args.length} argument(s), got ${args.length}`, span, query);
  }
  def.args.forEach((argName, k) => {
    body = body.split(`$${argName}$`).join(args[k] as string);
  });
  return expandNested(blankComments(body), span, macros, query, depth + 1);
}

function expandNested(text: string, span: Span, macros: MacroResolver, query: string, depth: number): string {
  if (!text.includes('`')) return text;
  let out = '';
  let plainStart = 0;
  for (const call of macroCalls(text)) {
    if (call.end < 0) throw new SplError('spl.unterminated-macro', 'unterminated macro call inside a macro definition', span, query);
    out += text.slice(plainStart, call.start) + expandCall(text.slice(call.start + 1, call.end - 1), span, macros, query, depth);
    plainStart = call.end;
  }
  return out + text.slice(plainStart);
}

/**
 * Where the macro calls of `text` are: backtick pairs outside double-quoted
 * strings (`\"` neither opens nor closes one). `end` is just after the closing
 * backtick, or -1 when the call is not closed.
 */
function macroCalls(text: string): { start: number; end: number }[] {
  const calls: { start: number; end: number }[] = [];
  let i = 0;
  let inQuote = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (inQuote) {
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '"') inQuote = false;
      i++;
      continue;
    }
    if (c === '\\' && text[i + 1] === '"') {
      i += 2;
      continue;
    }
    if (c === '"') {
      inQuote = true;
      i++;
      continue;
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      calls.push({ start: i, end: close < 0 ? -1 : close + 1 });
      if (close < 0) break;
      i = close + 1;
      continue;
    }
    i++;
  }
  return calls;
}

/** Splits macro arguments on top-level commas, respecting quotes and parentheses. */
function splitArgs(s: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let inQuote = false;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (inQuote) {
      cur += c;
      if (c === '\\' && i + 1 < s.length) cur += s[++i];
      else if (c === '"') inQuote = false;
      continue;
    }
    if (c === '"') inQuote = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      args.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  args.push(cur.trim());
  return args;
}
