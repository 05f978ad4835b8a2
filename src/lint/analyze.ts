/**
 * What lint and the corpus script need to know about one search: its macro
 * calls, each command parsed on its own (so an unsupported command does not
 * hide the commands after it), lookup references, and whether the engine can
 * compile it. Pure.
 */
import type { LookupCatalog } from '../spl/engine/lookup.js';
import { CIM_CATALOG } from '../cim/catalog.js';
import { lookupMacro, type MacroTable } from '../content/index.js';
import type { Command, EvalExpr, SearchExpr } from '../spl/language/ast.js';
import { SplError, type Span } from '../spl/language/errors.js';
import { blankComments, expandMacros, mapResolver, type Expansion } from '../spl/language/macros.js';
import { Parser } from '../spl/language/parser.js';
import { Scanner } from '../spl/language/scanner.js';
import { compileSearch } from '../spl/engine/compile.js';

/** One command of the pipeline (top level, outside subsearches). */
export interface CommandOutcome {
  /** The command name as written, lower case (`search` for the implied first command). */
  readonly name: string;
  /** Span of the command in the search as written (a whole macro call when it came from one). */
  readonly span: Span;
  readonly ast?: Command;
  readonly error?: SplError;
}

export interface MacroCall {
  readonly name: string;
  readonly argCount: number;
  /** The call in the search as written (for a nested call: the outermost call containing it). */
  readonly span: Span;
  readonly defined: boolean;
}

export interface LookupRef {
  readonly command: 'lookup' | 'inputlookup';
  readonly name: string;
  readonly span: Span;
}

export interface SearchAnalysis {
  readonly query: string;
  readonly expansion?: Expansion;
  /** Macro expansion failed (unknown macro, bad call, unterminated backtick). */
  readonly expansionError?: SplError;
  readonly commands: readonly CommandOutcome[];
  readonly macroCalls: readonly MacroCall[];
  readonly lookups: readonly LookupRef[];
  /** Expansion succeeded and every command parsed or is a known Splunk command the engine lacks. */
  readonly parsed: boolean;
  /** The first error that makes the search not parsed. */
  readonly parseError?: SplError;
  /** Commands that parse as Splunk commands but the engine does not run. */
  readonly unsupportedCommands: readonly string[];
  /** The error `compileSearch` threw, when every command parsed. */
  readonly compileError?: SplError;
  /** compileSearch succeeded. */
  readonly compiled: boolean;
}

/** Analyses `query` with the macros in `macros`. Never throws for a bad query. */
export function analyzeSearch(query: string, macros: MacroTable, lookupCatalog?: LookupCatalog): SearchAnalysis {
  const macroCalls = findMacroCalls(query, macros);
  const resolver = mapResolver(macros);
  let expansion: Expansion;
  try {
    expansion = expandMacros(query, resolver);
  } catch (err) {
    if (!(err instanceof SplError)) throw err;
    return { query, expansionError: err, commands: [], macroCalls, lookups: [], parsed: false, parseError: err, unsupportedCommands: [], compiled: false };
  }
  const commands = parseCommands(query, expansion);
  const lookups = findLookups(expansion);
  const parseError = commands.find((c) => c.error && c.error.code !== 'spl.unsupported-command')?.error;
  // The parser names what it does not run in `extra.command` (a subsearch inside `search` is reported there too).
  const unsupportedCommands = commands.filter((c) => c.error?.code === 'spl.unsupported-command').map((c) => c.error?.extra.command ?? c.name);
  let compileError: SplError | undefined;
  let compiled = false;
  if (!parseError && unsupportedCommands.length === 0) {
    try {
      compileSearch(query, { macros: resolver, catalog: CIM_CATALOG, exec: { now: 0, timezone: 'UTC' }, ...(lookupCatalog ? { lookups: lookupCatalog } : {}) });
      compiled = true;
    } catch (err) {
      if (!(err instanceof SplError)) throw err;
      compileError = err;
    }
  }
  return {
    query,
    expansion,
    commands,
    macroCalls,
    lookups,
    parsed: parseError === undefined,
    ...(parseError ? { parseError } : {}),
    unsupportedCommands,
    ...(compileError ? { compileError } : {}),
    compiled,
  };
}

/** Offsets of the top-level `|` of `text` (outside quotes and `[...]` subsearches). */
export function topLevelPipes(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
      continue;
    }
    if (c === '"') inQuote = true;
    else if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === '|' && depth === 0) out.push(i);
  }
  return out;
}

/** Parses each top-level command of the expanded text on its own. */
function parseCommands(query: string, expansion: Expansion): CommandOutcome[] {
  const text = expansion.text;
  const pipes = topLevelPipes(text);
  const segments: { start: number; end: number; piped: boolean }[] = [];
  const lead = text.search(/\S/);
  if (lead < 0) {
    return [{ name: 'search', span: { start: 0, end: 0 }, error: new SplError('spl.empty', 'the search is empty', { start: 0, end: 0 }, query) }];
  }
  if (pipes[0] !== lead) segments.push({ start: lead, end: pipes[0] ?? text.length, piped: false });
  pipes.forEach((p, k) => segments.push({ start: p + 1, end: pipes[k + 1] ?? text.length, piped: true }));
  const out: CommandOutcome[] = [];
  for (const seg of segments) {
    const segText = text.slice(seg.start, seg.end);
    if (seg.piped && segText.trim() === '' && seg.end === text.length) {
      out.push({ name: '', span: expansion.toSource({ start: seg.start - 1, end: seg.end }), error: new SplError('spl.syntax', 'expected a command name after "|"', expansion.toSource({ start: seg.start - 1, end: seg.start }), query) });
      continue;
    }
    const word = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(segText)?.[1]?.toLowerCase() ?? '';
    const name = seg.piped ? word : 'search';
    const span = expansion.toSource({ start: seg.start, end: seg.end });
    const s = new Scanner(text, query, (sp) => expansion.toSource(sp));
    const parser = new Parser(s);
    s.pos = seg.start;
    try {
      let ast: Command;
      if (seg.piped) ast = parser.parseCommand();
      else {
        s.skipWs();
        const at = s.pos;
        s.eatKeyword('search');
        ast = parser.parseSearch(at);
      }
      s.skipWs();
      if (s.pos < seg.end) throw s.error('spl.syntax', `unexpected "${text.slice(s.pos, s.pos + 20).trim()}" in ${name}`, { start: s.pos, end: s.pos + 1 }, { command: name });
      out.push({ name, span, ast });
    } catch (err) {
      if (!(err instanceof SplError)) throw err;
      out.push({ name, span, error: err });
    }
  }
  return out;
}

/** Every macro call in `query` and, recursively, in the definitions it uses. */
export function findMacroCalls(query: string, macros: MacroTable): MacroCall[] {
  const out: MacroCall[] = [];
  const visit = (text: string, outer: Span | undefined, depth: number): void => {
    if (depth > 20) return;
    for (const call of backtickCalls(blankComments(text))) {
      const span = outer ?? call.span;
      const macro = lookupMacro(macros, call.name, call.argCount);
      out.push({ name: call.name, argCount: call.argCount, span, defined: macro !== undefined });
      if (macro) visit(macro.definition, span, depth + 1);
    }
  };
  visit(query, undefined, 0);
  return out;
}

function backtickCalls(text: string): { name: string; argCount: number; span: Span }[] {
  const out: { name: string; argCount: number; span: Span }[] = [];
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
      continue;
    }
    if (c === '"') inQuote = true;
    else if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close < 0) return out;
      const body = text.slice(i + 1, close).trim();
      const open = body.indexOf('(');
      const name = (open >= 0 ? body.slice(0, open) : body).trim();
      const argText = open >= 0 ? body.slice(open + 1, body.lastIndexOf(')')) : '';
      const argCount = open < 0 ? 0 : argText.trim() === '' ? 0 : countArgs(argText);
      if (name !== '') out.push({ name, argCount, span: { start: i, end: close + 1 } });
      i = close;
    }
  }
  return out;
}

function countArgs(s: string): number {
  let n = 1;
  let depth = 0;
  let inQuote = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
    } else if (c === '"') inQuote = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) n++;
  }
  return n;
}

/**
 * `| lookup NAME ...` and `| inputlookup NAME` (also inside `[...]` subsearches),
 * found by scanning tokens: the parser does not model these commands yet.
 */
function findLookups(expansion: Expansion): LookupRef[] {
  const text = blankQuoted(expansion.text);
  const out: LookupRef[] = [];
  const re = /(?:^|[|[])\s*(lookup|inputlookup)\b((?:\s+[A-Za-z_]+\s*=\s*\S+)*)\s+([A-Za-z0-9_.:-]+)/gi;
  for (const m of text.matchAll(re)) {
    const name = m[3] as string;
    const start = (m.index ?? 0) + m[0].length - name.length;
    out.push({ command: (m[1] as string).toLowerCase() as LookupRef['command'], name, span: expansion.toSource({ start, end: start + name.length }) });
  }
  return out;
}

/** Replaces the inside of double-quoted strings by spaces, keeping offsets. */
function blankQuoted(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"/g, (q) => '"' + ' '.repeat(q.length - 2) + '"');
}

// ------------------------------------------------------------ AST walking

/** The search-language expressions of the pipeline: `search` commands and `tstats ... where`. */
export function searchExprs(analysis: SearchAnalysis): SearchExpr[] {
  const out: SearchExpr[] = [];
  for (const c of analysis.commands) {
    if (c.ast?.kind === 'search' && c.ast.expr) out.push(c.ast.expr);
    if (c.ast?.kind === 'tstats' && c.ast.where) out.push(c.ast.where);
  }
  return out;
}

/** Every node of a search expression, parents first. */
export function* walkSearch(e: SearchExpr): Generator<SearchExpr> {
  yield e;
  if (e.kind === 'and' || e.kind === 'or') for (const i of e.items) yield* walkSearch(i);
  else if (e.kind === 'not') yield* walkSearch(e.expr);
}

/** Every eval expression of the pipeline, with the command it belongs to. */
export function evalExprs(analysis: SearchAnalysis): { command: Command['kind']; expr: EvalExpr }[] {
  const out: { command: Command['kind']; expr: EvalExpr }[] = [];
  for (const c of analysis.commands) {
    const a = c.ast;
    if (!a) continue;
    if (a.kind === 'where') out.push({ command: 'where', expr: a.expr });
    else if (a.kind === 'eval') for (const x of a.assignments) out.push({ command: 'eval', expr: x.expr });
    else if (a.kind === 'stats' || a.kind === 'tstats') for (const g of a.aggregations) if (g.expr) out.push({ command: a.kind, expr: g.expr });
  }
  return out;
}

/** Every node of an eval expression, parents first. */
export function* walkEval(e: EvalExpr): Generator<EvalExpr> {
  yield e;
  if (e.kind === 'call') for (const a of e.args) yield* walkEval(a);
  else if (e.kind === 'unary') yield* walkEval(e.expr);
  else if (e.kind === 'binary') {
    yield* walkEval(e.left);
    yield* walkEval(e.right);
  } else if (e.kind === 'in') {
    yield* walkEval(e.expr);
    for (const v of e.values) yield* walkEval(v);
  }
}

/** Maps a span of the expanded text (AST spans) to the search as written. */
export function toSource(analysis: SearchAnalysis, span: Span): Span {
  return analysis.expansion ? analysis.expansion.toSource(span) : span;
}
