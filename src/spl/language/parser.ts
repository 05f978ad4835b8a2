/**
 * The SPL parser: one method per grammar production (see
 * docs/design/spl-grammar.md). Syntax errors throw `SplError` with the span of
 * the offending text in the user's query.
 */
import type {
  Aggregation,
  ByField,
  Command,
  ConvertCommand,
  EvalBinaryOp,
  EvalCommand,
  EvalExpr,
  FieldsCommand,
  OptionValue,
  Pipeline,
  RenameCommand,
  SearchCommand,
  SearchCompareOp,
  SearchExpr,
  SearchValue,
  StatsCommand,
  TableCommand,
  TstatsCommand,
  WhereCommand,
} from './ast.js';
import { closest, type Span } from './errors.js';
import { expandMacros, type Expansion, type MacroResolver } from './macros.js';
import { Scanner } from './scanner.js';

/** Every command the parser knows, with its parse method. */
const COMMAND_PARSERS = {
  tstats: (p: Parser, start: number) => p.parseTstats(start),
  search: (p: Parser, start: number) => p.parseSearch(start),
  where: (p: Parser, start: number) => p.parseWhere(start),
  eval: (p: Parser, start: number) => p.parseEval(start),
  rename: (p: Parser, start: number) => p.parseRename(start),
  convert: (p: Parser, start: number) => p.parseConvert(start),
  stats: (p: Parser, start: number) => p.parseStats(start),
  table: (p: Parser, start: number) => p.parseTable(start),
  fields: (p: Parser, start: number) => p.parseFields(start),
} as const satisfies Record<Command['kind'], (p: Parser, start: number) => Command>;

export const SUPPORTED_COMMANDS: readonly string[] = Object.keys(COMMAND_PARSERS);

/**
 * Splunk commands that exist but this engine does not run yet: parsing stops
 * with `spl.unsupported-command` rather than `spl.unknown-command`.
 */
export const KNOWN_SPLUNK_COMMANDS: readonly string[] = [
  'addinfo', 'addtotals', 'append', 'appendcols', 'appendpipe', 'bin', 'bucket', 'chart', 'collect', 'dedup',
  'delete', 'eventstats', 'extract', 'fillnull', 'foreach', 'format', 'from', 'fromjson', 'head', 'inputlookup',
  'iplocation', 'join', 'kvform', 'lookup', 'makemv', 'makeresults', 'map', 'multisearch', 'mvcombine', 'mvexpand',
  'outputlookup', 'rare', 'regex', 'replace', 'rest', 'return', 'reverse', 'rex', 'sort', 'spath', 'streamstats',
  'tail', 'timechart', 'top', 'transaction', 'tstats', 'uniq', 'xmlkv', 'datamodel', 'apply', 'fit', 'union',
  'untable', 'xyseries', 'mstats', 'makejson', 'tojson', 'sendalert', 'strcat', 'accum', 'delta', 'predict',
  'anomalydetection', 'cluster', 'kmeans', 'localop', 'nomv', 'setfields', 'sichart', 'sitimechart', 'sistats',
  'dbinspect', 'metadata', 'loadjob', 'savedsearch', 'typer', 'filldown', 'highlight', 'iconify', 'outputcsv',
  'inputcsv', 'rangemap', 'relevancy', 'reltime', 'scrub', 'searchtxn', 'selfjoin', 'set', 'trendline', 'xpath',
];

const AGG_AS = /^as$/i;

export interface ParseResult {
  readonly pipeline: Pipeline;
  readonly expansion: Expansion;
}

/** Expands macros in `query`, then parses it. Throws `SplError`. */
export function parse(query: string, macros: MacroResolver): ParseResult {
  const expansion = expandMacros(query, macros);
  const parser = new Parser(new Scanner(expansion.text, query, (s) => expansion.toSource(s)));
  return { pipeline: parser.parsePipeline(), expansion };
}

export class Parser {
  constructor(readonly s: Scanner) {}

  /**
   * pipeline := ['|'] command ('|' command)*
   * A query that does not start with `|` starts with an implied `search`.
   */
  parsePipeline(): Pipeline {
    const s = this.s;
    s.skipWs();
    const start = s.pos;
    const commands: Command[] = [];
    if (s.peek() === '|') {
      s.pos++;
      commands.push(this.parseCommand());
    } else if (!s.atEnd()) {
      // `search foo` at the start is the same as the implied `foo`.
      const at = s.pos;
      s.eatKeyword('search');
      commands.push(this.parseSearch(at));
    } else {
      throw s.error('spl.empty', 'the search is empty', { start: 0, end: 0 });
    }
    while (!s.atEnd()) {
      s.skipWs();
      if (s.atEnd()) break;
      if (s.peek() !== '|') {
        throw s.error('spl.syntax', `unexpected "${s.peek()}" where a new command ("| ...") should start`, { start: s.pos, end: s.pos + 1 });
      }
      s.pos++;
      commands.push(this.parseCommand());
    }
    return { kind: 'pipeline', commands, span: { start, end: s.pos } };
  }

  /** command := NAME arguments */
  parseCommand(): Command {
    const s = this.s;
    s.skipWs();
    const start = s.pos;
    const name = s.readIdent();
    if (name.text === '') {
      throw s.error('spl.syntax', 'expected a command name after "|"', { start, end: start + 1 });
    }
    const key = name.text.toLowerCase();
    const parseFn = (COMMAND_PARSERS as Record<string, ((p: Parser, start: number) => Command) | undefined>)[key];
    if (!parseFn) {
      if (KNOWN_SPLUNK_COMMANDS.includes(key)) {
        throw s.error('spl.unsupported-command', `the "${key}" command is not supported yet`, name.span, { command: key });
      }
      const suggestion = closest(key, [...SUPPORTED_COMMANDS, ...KNOWN_SPLUNK_COMMANDS]);
      throw s.error('spl.unknown-command', `unknown command "${name.text}"`, name.span, suggestion ? { command: key, suggestion } : { command: key });
    }
    return parseFn(this, start);
  }

  // ------------------------------------------------------------ tstats

  /**
   * tstats := 'tstats' option* aggregation+ ['from' ('datamodel=' NAME | NAME)] ['where' searchExpr]
   *           [('by' | 'groupby') byFields]
   */
  parseTstats(start: number): TstatsCommand {
    const s = this.s;
    const options = this.parseOptions();
    const aggregations = this.parseAggregations(['from', 'where', 'by', 'groupby']);
    let datamodel: TstatsCommand['datamodel'];
    let where: SearchExpr | undefined;
    let by: ByField[] = [];
    for (;;) {
      if (s.eatKeyword('from')) {
        s.skipWs();
        const w = s.readSearchWord();
        let name = w.text;
        let span = w.span;
        if (/^datamodel$/i.test(name) && s.eat('=')) {
          const v = s.readSearchValue();
          name = v.text;
          span = v.span;
        } else if (/^datamodel:/i.test(name)) {
          name = name.slice('datamodel:'.length).replace(/^"|"$/g, '');
        }
        if (name === '') throw s.error('spl.syntax', 'expected a data model name after "from datamodel="', { start: s.pos, end: s.pos + 1 }, { command: 'tstats' });
        datamodel = { name, span };
        continue;
      }
      if (s.eatKeyword('where')) {
        where = this.parseSearchExpr(['by', 'groupby']);
        continue;
      }
      if (s.eatKeyword('by') || s.eatKeyword('groupby')) {
        by = this.parseByFields();
        continue;
      }
      break;
    }
    if (!s.atCommandEnd()) {
      throw s.error('spl.syntax', `unexpected "${this.preview()}" in tstats`, { start: s.pos, end: s.pos + 1 }, { command: 'tstats' });
    }
    if (aggregations.length === 0) {
      throw s.error('spl.syntax', 'tstats needs at least one aggregation, e.g. "count"', { start, end: s.pos }, { command: 'tstats' });
    }
    return {
      kind: 'tstats',
      options,
      aggregations,
      ...(datamodel ? { datamodel } : {}),
      ...(where ? { where } : {}),
      by,
      span: { start, end: s.pos },
    };
  }

  /** option := NAME '=' VALUE, for the known option names of a command. */
  parseOptions(): Record<string, OptionValue> {
    const s = this.s;
    const out: Record<string, OptionValue> = {};
    for (;;) {
      s.skipWs();
      const save = s.pos;
      const name = s.readIdent();
      if (name.text === '' || !s.eat('=')) {
        s.pos = save;
        return out;
      }
      if (/^(datamodel|span)$/i.test(name.text)) {
        s.pos = save;
        return out;
      }
      const v = s.readSearchValue();
      out[name.text.toLowerCase()] = parseOptionValue(v.text, v.quoted);
    }
  }

  /**
   * aggregation := FN ['(' (FIELD | 'eval(' evalExpr ')') ')'] [('as' | 'AS') NAME]
   * Aggregations may be separated by commas.
   */
  parseAggregations(stopWords: readonly string[]): Aggregation[] {
    const s = this.s;
    const aggs: Aggregation[] = [];
    for (;;) {
      s.eat(',');
      if (s.atCommandEnd() || stopWords.some((w) => s.peekKeyword(w))) break;
      s.skipWs();
      const start = s.pos;
      const fn = s.readIdent();
      if (fn.text === '') throw s.error('spl.syntax', `expected an aggregation such as "count" but found "${this.preview()}"`, { start, end: start + 1 });
      let field: string | undefined;
      let expr: EvalExpr | undefined;
      let param: number | undefined;
      let fnName = fn.text.toLowerCase();
      const perc = /^(?:p|perc|upperperc|exactperc)(\d+(?:\.\d+)?)$/.exec(fnName);
      if (perc) {
        param = Number(perc[1]);
        fnName = fnName.replace(/\d+(?:\.\d+)?$/, '');
      }
      if (s.peek() === '(') {
        s.pos++;
        s.skipWs();
        if (s.peekKeyword('eval') && this.s.text[this.afterWs(s.pos + 4)] === '(') {
          s.eatKeyword('eval');
          s.expect('(', '"(" after eval');
          expr = this.parseEvalExpr();
          s.expect(')', '")" to close eval(...)');
        } else {
          field = s.readFieldName('a field name inside the aggregation').text;
        }
        s.expect(')', `")" to close ${fn.text}(...)`);
      }
      let as: string | undefined;
      const save = s.pos;
      s.skipWs();
      const maybeAs = s.readIdent();
      if (AGG_AS.test(maybeAs.text)) {
        as = s.readFieldName('a name after "as"').text;
      } else {
        s.pos = save;
      }
      aggs.push({
        fn: fnName,
        ...(field !== undefined ? { field } : {}),
        ...(expr !== undefined ? { expr } : {}),
        ...(param !== undefined ? { param } : {}),
        ...(as !== undefined ? { as } : {}),
        span: { start, end: s.pos },
      });
    }
    return aggs;
  }

  /** byFields := FIELD (','? FIELD)* ['span=' TIMESPAN] */
  parseByFields(): ByField[] {
    const s = this.s;
    const fields: ByField[] = [];
    let spanOpt: { seconds: number; text: string } | undefined;
    for (;;) {
      s.eat(',');
      if (s.atCommandEnd()) break;
      s.skipWs();
      const save = s.pos;
      const w = s.readIdent();
      if (/^span$/i.test(w.text) && s.eat('=')) {
        const v = s.readSearchValue();
        const seconds = parseTimespan(v.text);
        if (seconds === undefined) throw s.error('spl.bad-timespan', `"${v.text}" is not a time span such as 1h or 5m`, v.span);
        spanOpt = { seconds, text: v.text };
        continue;
      }
      s.pos = save;
      const f = s.readFieldName('a field name after "by"');
      fields.push({ field: f.text, loc: f.span });
    }
    if (spanOpt) {
      const idx = fields.findIndex((f) => f.field === '_time');
      if (idx < 0) fields.push({ field: '_time', span: spanOpt, loc: { start: s.pos, end: s.pos } });
      else fields[idx] = { ...(fields[idx] as ByField), span: spanOpt };
    }
    return fields;
  }

  // ------------------------------------------------------------ search language

  /** search := 'search' searchExpr? */
  parseSearch(start: number): SearchCommand {
    const s = this.s;
    if (s.atCommandEnd()) return { kind: 'search', span: { start, end: s.pos } };
    const expr = this.parseSearchExpr([]);
    if (!s.atCommandEnd()) {
      throw s.error('spl.syntax', `unexpected "${this.preview()}" in search`, { start: s.pos, end: s.pos + 1 }, { command: 'search' });
    }
    return { kind: 'search', expr, span: { start, end: s.pos } };
  }

  /**
   * searchExpr := orExpr (['AND'] orExpr)*       -- AND (explicit or implied) binds loosest
   * orExpr     := notExpr ('OR' notExpr)*
   * notExpr    := 'NOT' notExpr | primary
   */
  parseSearchExpr(stopWords: readonly string[]): SearchExpr {
    const s = this.s;
    const start = (s.skipWs(), s.pos);
    const items: SearchExpr[] = [];
    for (;;) {
      if (s.atCommandEnd() || s.peek() === ')' || stopWords.some((w) => s.peekKeyword(w))) break;
      if (s.eatKeyword('AND', true)) continue;
      items.push(this.parseSearchOr(stopWords));
    }
    if (items.length === 0) throw s.error('spl.syntax', 'expected a search expression', { start, end: start + 1 });
    return items.length === 1 ? (items[0] as SearchExpr) : { kind: 'and', items, span: { start, end: s.pos } };
  }

  private parseSearchOr(stopWords: readonly string[]): SearchExpr {
    const s = this.s;
    const start = s.pos;
    const items = [this.parseSearchNot(stopWords)];
    while (s.peekKeyword('OR', true)) {
      const kw = s.eatKeyword('OR', true) as Span;
      if (s.atCommandEnd() || s.peek() === ')') throw s.error('spl.syntax', 'expected a search term after OR', kw);
      items.push(this.parseSearchNot(stopWords));
    }
    return items.length === 1 ? (items[0] as SearchExpr) : { kind: 'or', items, span: { start, end: s.pos } };
  }

  private parseSearchNot(stopWords: readonly string[]): SearchExpr {
    const s = this.s;
    s.skipWs();
    const start = s.pos;
    const not = s.eatKeyword('NOT', true);
    if (not) {
      if (s.atCommandEnd() || s.peek() === ')') throw s.error('spl.syntax', 'expected a search term after NOT', not);
      const expr = this.parseSearchNot(stopWords);
      return { kind: 'not', expr, span: { start, end: s.pos } };
    }
    return this.parseSearchPrimary(stopWords);
  }

  /**
   * primary := '(' searchExpr ')' | FIELD op value | FIELD 'IN' '(' value (',' value)* ')' | value
   * op      := '=' | '!=' | '<' | '<=' | '>' | '>='
   */
  private parseSearchPrimary(stopWords: readonly string[]): SearchExpr {
    const s = this.s;
    s.skipWs();
    const start = s.pos;
    if (s.peek() === '(') {
      s.pos++;
      const inner = this.parseSearchExpr([]);
      s.expect(')', '")" to close "("');
      return inner;
    }
    if (s.peek() === '"') {
      const q = s.readQuoted();
      return this.finishSearchTerm({ text: q.text, quoted: true, span: q.span }, start, stopWords);
    }
    const w = s.readSearchWord();
    if (w.text === '') {
      throw s.error('spl.syntax', `unexpected "${this.preview()}" in a search expression`, { start, end: start + 1 });
    }
    const wrapped = /^(TERM|CASE)$/.test(w.text) && s.peek() === '(';
    if (wrapped) {
      s.pos++;
      const inner = s.readSearchValue();
      s.expect(')', `")" to close ${w.text}(`);
      const value: SearchValue = {
        text: inner.text,
        quoted: inner.quoted,
        ...(w.text === 'TERM' ? { term: true } : { caseSensitive: true }),
        span: { start, end: s.pos },
      };
      return { kind: 'term', value, span: value.span };
    }
    return this.finishSearchTerm({ text: w.text, quoted: false, span: w.span }, start, stopWords);
  }

  /** After a word: a comparison, an IN list, or a bare term. */
  private finishSearchTerm(first: SearchValue, start: number, _stopWords: readonly string[]): SearchExpr {
    const s = this.s;
    const save = s.pos;
    s.skipWs();
    const op = this.readCompareOp();
    if (op) {
      s.skipWs();
      let value: SearchValue;
      const vStart = s.pos;
      const w = s.peek() === '"' ? null : s.readSearchWord();
      if (w && /^(TERM|CASE)$/.test(w.text) && s.peek() === '(') {
        s.pos++;
        const inner = s.readSearchValue();
        s.expect(')', `")" to close ${w.text}(`);
        value = { text: inner.text, quoted: inner.quoted, ...(w.text === 'TERM' ? { term: true } : { caseSensitive: true }), span: { start: vStart, end: s.pos } };
      } else if (w) {
        value = { text: w.text, quoted: false, span: w.span };
      } else {
        const q = s.readQuoted();
        value = { text: q.text, quoted: true, span: q.span };
      }
      if (!value.quoted && value.text === '') {
        throw s.error('spl.syntax', `expected a value after "${first.text}${op}"`, { start: s.pos, end: s.pos + 1 });
      }
      return { kind: 'compare', field: first.text, op, value, span: { start, end: s.pos } };
    }
    if (!first.quoted && s.peekKeyword('IN', false)) {
      const kwStart = s.pos;
      s.eatKeyword('IN', false);
      s.skipWs();
      if (s.peek() === '(') {
        s.pos++;
        const values: SearchValue[] = [];
        for (;;) {
          s.skipWs();
          if (s.peek() === ')') break;
          const v = s.readSearchValue();
          if (!v.quoted && v.text === '') throw s.error('spl.syntax', 'expected a value in the IN list', { start: s.pos, end: s.pos + 1 });
          values.push(v);
          s.skipWs();
          if (!s.eat(',')) break;
        }
        s.expect(')', '")" to close the IN list');
        return { kind: 'in', field: first.text, values, span: { start, end: s.pos } };
      }
      s.pos = kwStart;
    }
    s.pos = save;
    return { kind: 'term', value: first, span: first.span };
  }

  private readCompareOp(): SearchCompareOp | undefined {
    const s = this.s;
    for (const op of ['!=', '<=', '>=', '=', '<', '>'] as const) {
      if (s.text.startsWith(op, s.pos)) {
        s.pos += op.length;
        return op;
      }
    }
    return undefined;
  }

  // ------------------------------------------------------------ where / eval

  /** where := 'where' evalExpr */
  parseWhere(start: number): WhereCommand {
    const s = this.s;
    if (s.atCommandEnd()) throw s.error('spl.syntax', 'where needs an expression', { start, end: s.pos }, { command: 'where' });
    const expr = this.parseEvalExpr();
    if (!s.atCommandEnd()) throw s.error('spl.syntax', `unexpected "${this.preview()}" in where`, { start: s.pos, end: s.pos + 1 }, { command: 'where' });
    return { kind: 'where', expr, span: { start, end: s.pos } };
  }

  /** eval := 'eval' FIELD '=' evalExpr (',' FIELD '=' evalExpr)* */
  parseEval(start: number): EvalCommand {
    const s = this.s;
    const assignments: { field: string; expr: EvalExpr; span: Span }[] = [];
    do {
      s.skipWs();
      const aStart = s.pos;
      const field = s.peek() === '"' ? s.readQuoted() : s.peek() === "'" ? s.readSingleQuoted() : s.readIdent();
      if (field.text === '') throw s.error('spl.syntax', 'expected a field name to assign', { start: aStart, end: aStart + 1 }, { command: 'eval' });
      s.skipWs();
      if (s.peek() !== '=' || s.peek(1) === '=') throw s.error('spl.syntax', `expected "=" after "${field.text}"`, { start: s.pos, end: s.pos + 1 }, { command: 'eval' });
      s.pos++;
      const expr = this.parseEvalExpr();
      assignments.push({ field: field.text, expr, span: { start: aStart, end: s.pos } });
    } while (s.eat(','));
    if (!s.atCommandEnd()) throw s.error('spl.syntax', `unexpected "${this.preview()}" in eval`, { start: s.pos, end: s.pos + 1 }, { command: 'eval' });
    return { kind: 'eval', assignments, span: { start, end: s.pos } };
  }

  /**
   * Eval precedence, loosest first: XOR, OR, AND, NOT, comparison
   * (= == != < <= > >= LIKE IN), additive (+ - .), multiplicative (* / %), unary minus.
   */
  parseEvalExpr(): EvalExpr {
    return this.parseBinaryLevel(0);
  }

  private static readonly LEVELS: readonly (readonly EvalBinaryOp[])[] = [
    ['XOR'],
    ['OR'],
    ['AND'],
    [], // NOT (unary) handled in parseBinaryLevel
    ['==', '!=', '<=', '>=', '=', '<', '>', 'LIKE'],
    ['+', '-', '.'],
    ['*', '/', '%'],
  ];

  private parseBinaryLevel(level: number): EvalExpr {
    const s = this.s;
    if (level >= Parser.LEVELS.length) return this.parseEvalUnary();
    if (level === 3) {
      s.skipWs();
      const start = s.pos;
      const not = s.eatKeyword('NOT', true);
      if (not) {
        const expr = this.parseBinaryLevel(3);
        return { kind: 'unary', op: 'NOT', expr, span: { start, end: s.pos } };
      }
      return this.parseBinaryLevel(4);
    }
    s.skipWs();
    const start = s.pos;
    let left = this.parseBinaryLevel(level + 1);
    for (;;) {
      s.skipWs();
      if (level === 4 && s.peekKeyword('IN', true)) {
        const save = s.pos;
        s.eatKeyword('IN', true);
        s.skipWs();
        if (s.peek() === '(') {
          s.pos++;
          const values = this.parseEvalArgs();
          left = { kind: 'in', expr: left, values, span: { start, end: s.pos } };
          continue;
        }
        s.pos = save;
      }
      const op = this.readEvalOp(Parser.LEVELS[level] as readonly EvalBinaryOp[]);
      if (!op) return left;
      const right = this.parseBinaryLevel(level + 1);
      left = { kind: 'binary', op, left, right, span: { start, end: s.pos } };
    }
  }

  private readEvalOp(ops: readonly EvalBinaryOp[]): EvalBinaryOp | undefined {
    const s = this.s;
    for (const op of ops) {
      if (/^[A-Z]+$/.test(op)) {
        if (s.eatKeyword(op, true)) return op;
        continue;
      }
      if (!s.text.startsWith(op, s.pos)) continue;
      // `=` must not be the first half of `==`; `.` must not start a number like `.5`
      if (op === '=' && s.text[s.pos + 1] === '=') continue;
      if ((op === '<' || op === '>') && s.text[s.pos + 1] === '=') continue;
      if (op === '.' && /[0-9]/.test(s.text[s.pos + 1] ?? '')) continue;
      s.pos += op.length;
      return op;
    }
    return undefined;
  }

  private parseEvalUnary(): EvalExpr {
    const s = this.s;
    s.skipWs();
    const start = s.pos;
    if (s.peek() === '-' || s.peek() === '+') {
      const op = s.peek() as '-' | '+';
      s.pos++;
      const expr = this.parseEvalUnary();
      if (expr.kind === 'number' && op === '-') return { ...expr, value: -expr.value, text: `-${expr.text}`, span: { start, end: s.pos } };
      return { kind: 'unary', op, expr, span: { start, end: s.pos } };
    }
    return this.parseEvalPrimary();
  }

  /** primary := NUMBER | STRING | 'FIELD' | FIELD | FN '(' args ')' | '(' evalExpr ')' */
  private parseEvalPrimary(): EvalExpr {
    const s = this.s;
    s.skipWs();
    const start = s.pos;
    const c = s.peek();
    if (c === '(') {
      s.pos++;
      const e = this.parseEvalExpr();
      s.expect(')', '")"');
      return e;
    }
    if (c === '"') {
      const q = s.readQuoted();
      return { kind: 'string', value: q.text, span: q.span };
    }
    if (c === "'") {
      const q = s.readSingleQuoted();
      return { kind: 'field', name: q.text, span: q.span };
    }
    const num = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(s.text.slice(s.pos, s.pos + 64));
    if (num && !/[A-Za-z_]/.test(s.text[s.pos + num[0].length] ?? '')) {
      s.pos += num[0].length;
      return { kind: 'number', value: Number(num[0]), text: num[0], span: { start, end: s.pos } };
    }
    const m = /^[A-Za-z_@][A-Za-z0-9_.:@{}]*/.exec(s.text.slice(s.pos, s.pos + 512));
    if (!m) {
      if (s.atCommandEnd()) throw s.error('spl.syntax', 'the expression ends too early', { start, end: start + 1 });
      throw s.error('spl.syntax', `unexpected "${this.preview()}" in an expression`, { start, end: start + 1 });
    }
    let name = m[0];
    // A trailing dot belongs to the `.` operator, not the name.
    while (name.endsWith('.')) name = name.slice(0, -1);
    s.pos += name.length;
    if (s.peek() === '(') {
      s.pos++;
      const args = this.parseEvalArgs();
      return { kind: 'call', name, args, span: { start, end: s.pos } };
    }
    if (name === 'true' || name === 'false') {
      // Bare true/false are field names in Splunk; only true()/false() are booleans.
    }
    return { kind: 'field', name, span: { start, end: s.pos } };
  }

  /** args := [evalExpr (',' evalExpr)*] ')' */
  private parseEvalArgs(): EvalExpr[] {
    const s = this.s;
    const args: EvalExpr[] = [];
    s.skipWs();
    if (s.eat(')')) return args;
    for (;;) {
      args.push(this.parseEvalExpr());
      s.skipWs();
      if (s.eat(',')) continue;
      s.expect(')', '"," or ")" in the argument list');
      return args;
    }
  }

  // ------------------------------------------------------------ simple commands

  /** rename := 'rename' FIELD ('as'|'AS') FIELD (','? FIELD 'as' FIELD)* */
  parseRename(start: number): RenameCommand {
    const s = this.s;
    const pairs: { from: string; to: string; span: Span }[] = [];
    for (;;) {
      s.eat(',');
      if (s.atCommandEnd()) break;
      s.skipWs();
      const pStart = s.pos;
      const from = s.readFieldName('a field to rename');
      if (!s.eatKeyword('as')) throw s.error('spl.syntax', `expected "AS" after "${from.text}"`, { start: s.pos, end: s.pos + 1 }, { command: 'rename' });
      const to = s.readFieldName('the new field name');
      pairs.push({ from: from.text, to: to.text, span: { start: pStart, end: s.pos } });
    }
    if (pairs.length === 0) throw s.error('spl.syntax', 'rename needs "<field> AS <new name>"', { start, end: s.pos }, { command: 'rename' });
    return { kind: 'rename', pairs, span: { start, end: s.pos } };
  }

  /** convert := 'convert' ['timeformat=' STRING] (FN '(' FIELD ')' ['as' FIELD])+ */
  parseConvert(start: number): ConvertCommand {
    const s = this.s;
    let timeformat: string | undefined;
    const conversions: { fn: string; field: string; as?: string; span: Span }[] = [];
    for (;;) {
      s.eat(',');
      if (s.atCommandEnd()) break;
      s.skipWs();
      const cStart = s.pos;
      const fn = s.readIdent();
      if (/^timeformat$/i.test(fn.text) && s.eat('=')) {
        timeformat = s.readSearchValue().text;
        continue;
      }
      if (fn.text === '' || s.peek() !== '(') throw s.error('spl.syntax', `expected a conversion such as ctime(field), found "${this.preview()}"`, { start: cStart, end: cStart + 1 }, { command: 'convert' });
      s.pos++;
      const field = s.readFieldName('a field name');
      s.expect(')', '")"');
      let as: string | undefined;
      if (s.eatKeyword('as')) as = s.readFieldName('a name after "as"').text;
      conversions.push({ fn: fn.text.toLowerCase(), field: field.text, ...(as !== undefined ? { as } : {}), span: { start: cStart, end: s.pos } });
    }
    if (conversions.length === 0) throw s.error('spl.syntax', 'convert needs at least one conversion such as ctime(field)', { start, end: s.pos }, { command: 'convert' });
    return { kind: 'convert', ...(timeformat !== undefined ? { timeformat } : {}), conversions, span: { start, end: s.pos } };
  }

  /** stats := 'stats' option* aggregation+ [('by'|'groupby') byFields] */
  parseStats(start: number): StatsCommand {
    const s = this.s;
    const options = this.parseOptions();
    const aggregations = this.parseAggregations(['by', 'groupby']);
    let by: ByField[] = [];
    if (s.eatKeyword('by') || s.eatKeyword('groupby')) by = this.parseByFields();
    if (!s.atCommandEnd()) throw s.error('spl.syntax', `unexpected "${this.preview()}" in stats`, { start: s.pos, end: s.pos + 1 }, { command: 'stats' });
    if (aggregations.length === 0) throw s.error('spl.syntax', 'stats needs at least one aggregation, e.g. "count"', { start, end: s.pos }, { command: 'stats' });
    return { kind: 'stats', options, aggregations, by, span: { start, end: s.pos } };
  }

  /** table := 'table' FIELD (','? FIELD)* */
  parseTable(start: number): TableCommand {
    return { kind: 'table', fields: this.parseFieldList(), span: { start, end: this.s.pos } };
  }

  /** fields := 'fields' ['+'|'-'] FIELD (','? FIELD)* */
  parseFields(start: number): FieldsCommand {
    const s = this.s;
    s.skipWs();
    let mode: '+' | '-' = '+';
    if ((s.peek() === '+' || s.peek() === '-') && /\s/.test(s.peek(1))) {
      mode = s.peek() as '+' | '-';
      s.pos++;
    }
    const fields = this.parseFieldList();
    if (fields.length === 0) throw s.error('spl.syntax', 'fields needs at least one field name', { start, end: s.pos }, { command: 'fields' });
    return { kind: 'fields', mode, fields, span: { start, end: s.pos } };
  }

  private parseFieldList(): string[] {
    const s = this.s;
    const fields: string[] = [];
    for (;;) {
      s.eat(',');
      if (s.atCommandEnd()) return fields;
      fields.push(s.readFieldName().text);
    }
  }

  private afterWs(i: number): number {
    const t = this.s.text;
    while (i < t.length && /\s/.test(t[i] as string)) i++;
    return i;
  }

  private preview(): string {
    const s = this.s;
    s.skipWs();
    return s.text.slice(s.pos, s.pos + 20).split(/\s/)[0] || s.peek();
  }
}

function parseOptionValue(text: string, quoted: boolean): OptionValue {
  if (quoted) return text;
  if (/^(t|true)$/i.test(text)) return true;
  if (/^(f|false)$/i.test(text)) return false;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

const SPAN_UNITS: Readonly<Record<string, number>> = {
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400,
  w: 604800, week: 604800, weeks: 604800,
};

/** `1h` → 3600. Month and longer spans are calendar-based and not supported here. */
export function parseTimespan(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)?\s*([A-Za-z]+)$/.exec(text.trim());
  if (!m) return /^\d+$/.test(text) ? Number(text) : undefined;
  const unit = SPAN_UNITS[(m[2] as string).toLowerCase()];
  if (unit === undefined) return undefined;
  return (m[1] ? Number(m[1]) : 1) * unit;
}
