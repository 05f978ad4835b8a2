/**
 * The SPL parser: one method per grammar production (see
 * docs/design/spl-grammar.md). Syntax errors throw `SplError` with the span of
 * the offending text in the user's query.
 */
import type {
  AddtotalsCommand,
  Aggregation,
  AppendCommand,
  AppendpipeCommand,
  BinCommand,
  ByField,
  ChartCommand,
  Command,
  DedupCommand,
  EventstatsCommand,
  FillnullCommand,
  ForeachCommand,
  FromjsonCommand,
  HeadCommand,
  LookupCommand,
  FromCommand,
  MakeresultsCommand,
  MapCommand,
  JoinCommand,
  JoinType,
  MakemvCommand,
  MvexpandCommand,
  PatternLiteral,
  RegexCommand,
  ReplaceCommand,
  RexCommand,
  SortCommand,
  SortKey,
  SortType,
  SpathCommand,
  StreamstatsCommand,
  Subsearch,
  TailCommand,
  TimechartCommand,
  TimeSpan,
  TopCommand,
  TransactionCommand,
  TransactionCondition,
  XmlkvCommand,
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
import { closest, SplError, type Span } from './errors.js';
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
  makeresults: (p: Parser, start: number) => p.parseMakeresults(start),
  from: (p: Parser, start: number) => p.parseFrom(start),
  map: (p: Parser, start: number) => p.parseMap(start),
  lookup: (p: Parser, start: number) => p.parseLookup(start, 'lookup'),
  inputlookup: (p: Parser, start: number) => p.parseLookup(start, 'inputlookup'),
  outputlookup: (p: Parser, start: number) => p.parseLookup(start, 'outputlookup'),
  eventstats: (p: Parser, start: number) => p.parseEventstats(start),
  streamstats: (p: Parser, start: number) => p.parseStreamstats(start),
  bin: (p: Parser, start: number) => p.parseBin(start),
  rex: (p: Parser, start: number) => p.parseRex(start),
  regex: (p: Parser, start: number) => p.parseRegex(start),
  fillnull: (p: Parser, start: number) => p.parseFillnull(start),
  dedup: (p: Parser, start: number) => p.parseDedup(start),
  sort: (p: Parser, start: number) => p.parseSort(start),
  head: (p: Parser, start: number) => p.parseHead(start, 'head'),
  tail: (p: Parser, start: number) => p.parseHead(start, 'tail'),
  top: (p: Parser, start: number) => p.parseTop(start, 'top'),
  rare: (p: Parser, start: number) => p.parseTop(start, 'rare'),
  mvexpand: (p: Parser, start: number) => p.parseMvexpand(start),
  makemv: (p: Parser, start: number) => p.parseMakemv(start),
  replace: (p: Parser, start: number) => p.parseReplace(start),
  addtotals: (p: Parser, start: number) => p.parseAddtotals(start),
  append: (p: Parser, start: number) => p.parseAppend(start),
  appendpipe: (p: Parser, start: number) => p.parseAppendpipe(start),
  join: (p: Parser, start: number) => p.parseJoin(start),
  spath: (p: Parser, start: number) => p.parseSpath(start),
  fromjson: (p: Parser, start: number) => p.parseFromjson(start),
  xmlkv: (p: Parser, start: number) => p.parseXmlkv(start),
  foreach: (p: Parser, start: number) => p.parseForeach(start),
  transaction: (p: Parser, start: number) => p.parseTransaction(start),
  timechart: (p: Parser, start: number) => p.parseTimechart(start),
  chart: (p: Parser, start: number) => p.parseChart(start),
} as const satisfies Record<Command['kind'], (p: Parser, start: number) => Command>;

/** Other names Splunk accepts for a command. */
const COMMAND_ALIASES: Readonly<Record<string, keyof typeof COMMAND_PARSERS>> = {
  bucket: 'bin',
};

export const SUPPORTED_COMMANDS: readonly string[] = [...Object.keys(COMMAND_PARSERS), ...Object.keys(COMMAND_ALIASES)];

/**
 * Splunk commands that exist but this engine does not run yet: parsing stops
 * with `spl.unsupported-command` rather than `spl.unknown-command`.
 */
export const KNOWN_SPLUNK_COMMANDS: readonly string[] = [
  'addinfo', 'appendcols', 'collect',
  'delete', 'extract', 'format',
  'iplocation', 'kvform', 'multisearch', 'mvcombine',
  'rest', 'return', 'reverse',
  'uniq', 'datamodel', 'apply', 'fit', 'union',
  'untable', 'xyseries', 'mstats', 'makejson', 'tojson', 'sendalert', 'strcat', 'accum', 'delta', 'predict',
  'anomalydetection', 'cluster', 'kmeans', 'localop', 'nomv', 'setfields', 'sichart', 'sitimechart', 'sistats',
  'dbinspect', 'metadata', 'loadjob', 'savedsearch', 'typer', 'filldown', 'highlight', 'iconify', 'outputcsv',
  'inputcsv', 'rangemap', 'relevancy', 'reltime', 'scrub', 'searchtxn', 'selfjoin', 'set', 'trendline', 'xpath',
  'multikv', 'kv', 'eventcount', 'gentimes', 'makecontinuous', 'fieldsummary', 'geostats', 'walklex',
  'outlier', 'associate', 'contingency', 'correlate', 'diff', 'erex', 'findtypes', 'gauge', 'history', 'input',
  'inputintelligence', 'mcollect', 'meventcollect', 'mpreview', 'msearch', 'mcatalog', 'redistribute', 'require',
  'script', 'run', 'showperc', 'tags', 'tscollect', 'x11', 'audit', 'overlap', 'concurrency',
  // Commands of Splunkbase apps that ESCU detections call (CyberChef, URL Toolbox, MLTK, DSDL, ...).
  'cyberchef', 'ut_parse_extended', 'ut_shannon', 'score', 'summary',
];

const AGG_AS = /^as$/i;

/** Options of chart and timechart that shape the split-by series. */
const SERIES_OPTIONS = ['limit', 'useother', 'otherstr', 'usenull', 'nullstr'] as const;

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

/**
 * Parses a search-language fragment on its own (the argument of
 * `searchmatch()`); undefined when it is empty. Errors carry spans in `text`.
 */
export function parseSearchFragment(text: string): SearchExpr | undefined {
  const s = new Scanner(text, text, (span) => span);
  const p = new Parser(s);
  if (s.atCommandEnd() && s.atEnd()) return undefined;
  const expr = p.parseSearchExpr([]);
  if (!s.atEnd()) throw s.error('spl.syntax', `unexpected "${s.peek()}" in the search string`, { start: s.pos, end: s.pos + 1 });
  return expr;
}

/**
 * Parses `text` as the commands of a subpipeline (`eval x=1 | eval y=2`),
 * for foreach bodies instantiated at plan time. Errors carry spans in `text`.
 */
export function parseCommandList(text: string): Command[] {
  const s = new Scanner(text, text, (span) => span);
  const p = new Parser(s);
  const commands: Command[] = [];
  s.skipWs();
  if (s.peek() === '|') s.pos++;
  commands.push(p.parseCommand());
  for (;;) {
    s.skipWs();
    if (s.atEnd()) return commands;
    if (s.peek() !== '|') throw s.error('spl.syntax', `unexpected "${s.peek()}" where a new command should start`, { start: s.pos, end: s.pos + 1 });
    s.pos++;
    commands.push(p.parseCommand());
  }
}

export class Parser {
  constructor(readonly s: Scanner) {}

  /**
   * pipeline := ['|'] command ('|' command)*
   * A query that does not start with `|` starts with an implied `search`.
   */
  parsePipeline(inner = false): Pipeline {
    const s = this.s;
    s.skipWs();
    const start = s.pos;
    const commands: Command[] = [];
    if (s.peek() === '|') {
      s.pos++;
      commands.push(this.parseCommand());
    } else if (inner && s.peek() === ']') {
      throw s.error('spl.syntax', 'the subsearch is empty', { start, end: start + 1 });
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
      if (inner && s.peek() === ']') break;
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
    const lower = name.text.toLowerCase();
    const key = COMMAND_ALIASES[lower] ?? lower;
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
        // `as aceFlags(inheritance)`: Splunk takes a parenthesized suffix as part of the name (ESCU has it).
        const paren = /^\([^()\s|]*\)/.exec(s.text.slice(s.pos, s.pos + 200));
        if (paren) {
          as += paren[0];
          s.pos += paren[0].length;
        }
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
      // Empty items (`by a, , b`) are tolerated, as Splunk does.
      while (s.eat(','));
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
    if (s.peek() === '[') {
      const subsearch = this.parseSubsearch('');
      return { kind: 'subsearch', subsearch, span: subsearch.span };
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
      const bound = first.text.toLowerCase();
      if (!first.quoted && op === '=' && (bound === 'earliest' || bound === 'latest')) {
        return { kind: 'time', bound, value, span: { start, end: s.pos } };
      }
      return { kind: 'compare', field: first.text, op, value, span: { start, end: s.pos } };
    }
    if (s.peekKeyword("IN", false)) {
      const kwStart = s.pos;
      s.eatKeyword('IN', false);
      s.skipWs();
      if (s.peek() === '(') {
        s.pos++;
        const values: SearchValue[] = [];
        // Splunk tolerates empty items and missing commas in IN lists (`("a",,"b" "c")`), and ESCU has both.
        for (;;) {
          while (s.eat(','));
          s.skipWs();
          if (s.peek() === ')' || s.atEnd()) break;
          const v = s.readSearchValue();
          if (!v.quoted && v.text === '') throw s.error('spl.syntax', 'expected a value in the IN list', { start: s.pos, end: s.pos + 1 });
          values.push(v);
        }
        s.expect(')', '")" to close the IN list');
        return { kind: 'in', field: first.text, values, span: { start, end: s.pos } };
      }
      s.pos = kwStart;
    }
    s.pos = save;
    return { kind: 'term', value: first, span: first.span };
  }

  /** subsearch := '[' pipeline ']' */
  parseSubsearch(what: string): Subsearch {
    const s = this.s;
    s.skipWs();
    const start = s.pos;
    if (s.peek() !== '[') throw s.error('spl.syntax', `expected a subsearch "[ ... ]" ${what}`, { start, end: start + 1 });
    s.pos++;
    const pipeline = this.parsePipeline(true);
    s.skipWs();
    if (s.peek() !== ']') throw s.error('spl.syntax', 'expected "]" to close the subsearch', { start: s.pos, end: s.pos + 1 });
    s.pos++;
    return { pipeline, span: { start, end: s.pos } };
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
      // Eval keywords are case-insensitive (ESCU writes `where a >= 5 and b >= 1`).
      const not = s.eatKeyword('NOT');
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
      if (level === 4 && s.peekKeyword('IN')) {
        const save = s.pos;
        s.eatKeyword('IN');
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
        if (s.eatKeyword(op)) return op;
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
    // `LIKE (a, b)`: a name then a parenthesis can only be a call (eval has no implicit operator).
    if (s.peek() !== '(' && /^\s+\(/.test(s.text.slice(s.pos, s.pos + 16))) s.skipWs();
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

  /**
   * lookup       := 'lookup' ARGS
   * inputlookup  := 'inputlookup' ARGS
   * outputlookup := 'outputlookup' ARGS
   * ARGS: the text to the end of the command (quotes respected), parsed when planning.
   */
  parseLookup(start: number, kind: LookupCommand['kind']): LookupCommand {
    const s = this.s;
    s.skipWs();
    const from = s.pos;
    const t = s.text;
    let i = from;
    let depth = 0;
    while (i < t.length) {
      const c = t[i];
      if (c === '"') {
        i++;
        while (i < t.length && t[i] !== '"') i += t[i] === '\\' ? 2 : 1;
        i++;
        continue;
      }
      if (c === '(') depth++;
      else if (c === ')') depth = Math.max(0, depth - 1);
      else if ((c === '|' || c === ']') && depth === 0) break;
      i++;
    }
    let end = i;
    while (end > from && /\s/.test(t[end - 1] as string)) end--;
    s.pos = i;
    return { kind, args: { text: t.slice(from, end), span: { start: from, end } }, span: { start, end: s.pos } };
  }

  /**
   * map := 'map' ('search=' '"' TEMPLATE '"' | '[' TEMPLATE ']') ['maxsearches=' INT]
   * The template is kept as text: `$field$` is replaced per input row before it is parsed.
   */
  parseMap(start: number): MapCommand {
    const s = this.s;
    let template: { text: string; span: Span } | undefined;
    let maxsearches = 10;
    for (;;) {
      if (s.atCommandEnd() && s.peek() !== '[') break;
      s.skipWs();
      if (s.peek() === '[') {
        const open = s.pos;
        const close = this.matchingBracket(open);
        template = { text: s.text.slice(open + 1, close), span: { start: open + 1, end: close } };
        s.pos = close + 1;
        continue;
      }
      const o = this.readNamedOption(['search', 'maxsearches']);
      if (!o) throw s.error('spl.syntax', `unexpected "${this.preview()}" in map`, { start: s.pos, end: s.pos + 1 }, { command: 'map' });
      if (o.name === 'maxsearches') maxsearches = this.intOption(o, 'map', 0);
      else template = { text: o.value, span: o.span };
    }
    if (!template) throw s.error('spl.syntax', 'map needs search="..." or a [ ... ] search', { start, end: s.pos }, { command: 'map' });
    return { kind: 'map', template, maxsearches, span: { start, end: s.pos } };
  }

  /** The offset of the `]` closing the `[` at `open`, skipping quoted strings. */
  private matchingBracket(open: number): number {
    const t = this.s.text;
    let depth = 0;
    for (let i = open; i < t.length; i++) {
      const c = t[i];
      if (c === '"') {
        i++;
        while (i < t.length && t[i] !== '"') i += t[i] === '\\' ? 2 : 1;
        continue;
      }
      if (c === '[') depth++;
      else if (c === ']' && --depth === 0) return i;
    }
    throw this.s.error('spl.syntax', 'expected "]" to close "["', { start: open, end: open + 1 });
  }

  /** makeresults := 'makeresults' ['count=' INT]   -- annotate=, splunk_server=: unsupported */
  /**
   * from := 'from' 'datamodel' ('=' | ':' | ' ') NAME     -- `| from datamodel:"Web.Web"`, `| from datamodel Risk.All_Risk`
   * Other sources of `from` (lookups, saved searches) are not supported.
   */
  parseFrom(start: number): FromCommand {
    const s = this.s;
    s.skipWs();
    const kw = /^datamodel(?=[=:\s])/i.test(s.text.slice(s.pos, s.pos + 10));
    if (kw) s.pos += 'datamodel'.length;
    else {
      throw s.error('spl.unsupported-command', 'from supports only "from datamodel:<Model>.<Dataset>"', { start: s.pos, end: s.pos + 1 }, { command: 'from' });
    }
    s.skipWs();
    if (s.peek() === '=' || s.peek() === ':') s.pos++;
    const v = s.readSearchValue();
    if (v.text === '') throw s.error('spl.syntax', 'expected a data model name after "from datamodel"', { start: s.pos, end: s.pos + 1 }, { command: 'from' });
    if (!s.atCommandEnd()) throw s.error('spl.syntax', `unexpected "${this.preview()}" in from`, { start: s.pos, end: s.pos + 1 }, { command: 'from' });
    return { kind: 'from', datamodel: { name: v.text, span: v.span }, span: { start, end: s.pos } };
  }

  parseMakeresults(start: number): MakeresultsCommand {
    const s = this.s;
    let count = 1;
    for (;;) {
      if (s.atCommandEnd()) break;
      const o = this.readNamedOption(['count', 'annotate', 'splunk_server', 'splunk_server_group', 'format', 'data']);
      if (!o) throw s.error('spl.syntax', `unexpected "${this.preview()}" in makeresults`, { start: s.pos, end: s.pos + 1 }, { command: 'makeresults' });
      if (o.name === 'count') count = this.intOption(o, 'makeresults', 1);
      else if (o.name === 'annotate' && !this.boolOption(o, 'makeresults')) continue;
      else throw s.error('spl.unsupported-option', `makeresults ${o.name}= is not supported yet`, o.span, { command: 'makeresults' });
    }
    return { kind: 'makeresults', count, span: { start, end: s.pos } };
  }

  // ------------------------------------------------------------ stats family

  /** eventstats := 'eventstats' option* aggregation+ [('by'|'groupby') byFields] */
  parseEventstats(start: number): EventstatsCommand {
    const r = this.parseStatsLike(start, 'eventstats');
    return { kind: 'eventstats', ...r };
  }

  /**
   * streamstats := 'streamstats' option* aggregation+ [('by'|'groupby') byFields]
   * option: current, window, global, reset_on_change, time_window, ...
   */
  parseStreamstats(start: number): StreamstatsCommand {
    const r = this.parseStatsLike(start, 'streamstats');
    return { kind: 'streamstats', ...r };
  }

  private parseStatsLike(start: number, command: string): Pick<EventstatsCommand, 'options' | 'aggregations' | 'by' | 'span'> {
    const s = this.s;
    const options = this.parseOptions();
    const aggregations = this.parseAggregations(['by', 'groupby']);
    let by: ByField[] = [];
    if (s.eatKeyword('by') || s.eatKeyword('groupby')) by = this.parseByFields();
    if (!s.atCommandEnd()) throw s.error('spl.syntax', `unexpected "${this.preview()}" in ${command}`, { start: s.pos, end: s.pos + 1 }, { command });
    if (aggregations.length === 0) throw s.error('spl.syntax', `${command} needs at least one aggregation, e.g. "count"`, { start, end: s.pos }, { command });
    return { options, aggregations, by, span: { start, end: s.pos } };
  }

  /**
   * timechart := 'timechart' tcOption* aggregation+ ['by' FIELD] tcOption*
   * tcOption  := 'span=' TIMESPAN | seriesOption | ('cont' | 'partial' | 'fixedrange' | 'minspan' | 'bins') '=' VALUE
   */
  parseTimechart(start: number): TimechartCommand {
    const s = this.s;
    let binSpan: TimeSpan | undefined;
    const series = this.defaultSeries();
    const options = (): void => {
      for (;;) {
        const o = this.readNamedOption(['span', ...SERIES_OPTIONS, 'cont', 'partial', 'fixedrange', 'minspan', 'bins']);
        if (!o) return;
        if (o.name === 'span') binSpan = this.timespanOf(o.value, o.span);
        else this.seriesOption(series, o, 'timechart');
      }
    };
    options();
    const aggregations = this.parseAggregations(['by', 'span', ...SERIES_OPTIONS]);
    let splitBy: string | undefined;
    if (s.eatKeyword('by')) splitBy = s.readFieldName('a field after "by"').text;
    options();
    if (!s.atCommandEnd()) throw s.error('spl.syntax', `unexpected "${this.preview()}" in timechart`, { start: s.pos, end: s.pos + 1 }, { command: 'timechart' });
    if (aggregations.length === 0) throw s.error('spl.syntax', 'timechart needs an aggregation, e.g. "count"', { start, end: s.pos }, { command: 'timechart' });
    return {
      kind: 'timechart',
      ...(binSpan ? { binSpan } : {}),
      aggregations,
      ...(splitBy !== undefined ? { splitBy } : {}),
      series,
      span: { start, end: s.pos },
    };
  }

  /** chart := 'chart' seriesOption* aggregation+ ['over' FIELD] ['by' FIELD [','? FIELD]] seriesOption* */
  parseChart(start: number): ChartCommand {
    const s = this.s;
    const series = this.defaultSeries();
    const options = (): void => {
      for (;;) {
        const o = this.readNamedOption([...SERIES_OPTIONS, 'cont']);
        if (!o) return;
        this.seriesOption(series, o, 'chart');
      }
    };
    options();
    const aggregations = this.parseAggregations(['by', 'over', ...SERIES_OPTIONS]);
    let over: string | undefined;
    let splitBy: string | undefined;
    if (s.eatKeyword('over')) over = s.readFieldName('a field after "over"').text;
    if (s.eatKeyword('by')) {
      const first = s.readFieldName('a field after "by"').text;
      s.eat(',');
      if (over === undefined && !s.atCommandEnd() && !SERIES_OPTIONS.some((o) => s.peekKeyword(o))) {
        over = first;
        splitBy = s.readFieldName('a field after "by"').text;
      } else if (over === undefined) over = first;
      else splitBy = first;
    }
    options();
    if (!s.atCommandEnd()) throw s.error('spl.syntax', `unexpected "${this.preview()}" in chart`, { start: s.pos, end: s.pos + 1 }, { command: 'chart' });
    if (aggregations.length === 0) throw s.error('spl.syntax', 'chart needs an aggregation, e.g. "count"', { start, end: s.pos }, { command: 'chart' });
    return { kind: 'chart', aggregations, ...(over !== undefined ? { over } : {}), ...(splitBy !== undefined ? { splitBy } : {}), series, span: { start, end: s.pos } };
  }

  private defaultSeries(): { limit: number; bottom: boolean; useother: boolean; otherstr: string; usenull: boolean; nullstr: string } {
    return { limit: 10, bottom: false, useother: true, otherstr: 'OTHER', usenull: true, nullstr: 'NULL' };
  }

  /** seriesOption := 'limit=' (INT | 'top' INT | 'bottom' INT) | ('useother' | 'usenull') '=' BOOL | ('otherstr' | 'nullstr') '=' VALUE */
  private seriesOption(
    series: { limit: number; bottom: boolean; useother: boolean; otherstr: string; usenull: boolean; nullstr: string },
    o: { name: string; value: string; span: Span },
    command: string,
  ): void {
    switch (o.name) {
      case 'limit': {
        const m = /^(top|bottom)?(\d+)$/i.exec(o.value);
        if (!m) throw this.s.error('spl.bad-option', `${command} limit= needs N, topN or bottomN, got "${o.value}"`, o.span, { command });
        series.limit = Number(m[2]);
        series.bottom = (m[1] ?? '').toLowerCase() === 'bottom';
        return;
      }
      case 'useother':
      case 'usenull':
        series[o.name] = this.boolOption(o, command);
        return;
      case 'otherstr':
      case 'nullstr':
        series[o.name] = o.value;
        return;
      default:
        return;
    }
  }

  // ------------------------------------------------------------ row commands

  /**
   * bin := ('bin' | 'bucket') binOption* FIELD ['as' FIELD] binOption*
   * binOption := ('span' | 'bins' | 'minspan' | 'start' | 'end' | 'aligntime') '=' VALUE
   */
  parseBin(start: number): BinCommand {
    const s = this.s;
    let binSpan: TimeSpan | undefined;
    let bins: number | undefined;
    let startAt: number | undefined;
    let endAt: number | undefined;
    let field: string | undefined;
    let as: string | undefined;
    const NAMES = ['span', 'bins', 'minspan', 'start', 'end', 'aligntime'];
    for (;;) {
      s.eat(',');
      if (s.atCommandEnd()) break;
      const o = this.readNamedOption(NAMES);
      if (o) {
        if (o.name === 'span') binSpan = this.timespanOf(o.value, o.span);
        else if (o.name === 'bins') bins = this.intOption(o, 'bin', 1);
        else if (o.name === 'start') startAt = this.numberOption(o, 'bin');
        else if (o.name === 'end') endAt = this.numberOption(o, 'bin');
        else throw s.error('spl.unsupported-option', `bin ${o.name}= is not supported yet`, o.span, { command: 'bin' });
        continue;
      }
      if (field !== undefined && s.eatKeyword('as')) {
        as = s.readFieldName('a name after "as"').text;
        continue;
      }
      if (field !== undefined) throw s.error('spl.syntax', `unexpected "${this.preview()}" in bin`, { start: s.pos, end: s.pos + 1 }, { command: 'bin' });
      field = s.readFieldName('the field to bin').text;
    }
    if (field === undefined) throw s.error('spl.syntax', 'bin needs a field, e.g. "bin _time span=1h"', { start, end: s.pos }, { command: 'bin' });
    return {
      kind: 'bin',
      field,
      ...(as !== undefined ? { as } : {}),
      ...(binSpan ? { binSpan } : {}),
      ...(bins !== undefined ? { bins } : {}),
      ...(startAt !== undefined ? { start: startAt } : {}),
      ...(endAt !== undefined ? { end: endAt } : {}),
      span: { start, end: s.pos },
    };
  }

  /**
   * rex := 'rex' rexOption* PATTERN rexOption*
   * rexOption := ('field' | 'max_match' | 'mode' | 'offset_field') '=' VALUE
   */
  parseRex(start: number): RexCommand {
    const s = this.s;
    let field = '_raw';
    let maxMatch = 1;
    let mode: 'sed' | undefined;
    let offsetField: string | undefined;
    let pattern: PatternLiteral | undefined;
    for (;;) {
      if (s.atCommandEnd()) break;
      const o = this.readNamedOption(['field', 'max_match', 'mode', 'offset_field']);
      if (o) {
        if (o.name === 'field') field = o.value;
        else if (o.name === 'max_match') maxMatch = this.intOption(o, 'rex', 0);
        else if (o.name === 'offset_field') offsetField = o.value;
        else if (o.value.toLowerCase() === 'sed') mode = 'sed';
        else throw s.error('spl.bad-option', `rex mode must be "sed", got "${o.value}"`, o.span, { command: 'rex' });
        continue;
      }
      if (pattern) throw s.error('spl.syntax', `unexpected "${this.preview()}" in rex`, { start: s.pos, end: s.pos + 1 }, { command: 'rex' });
      if (s.peek() !== '"') throw s.error('spl.syntax', 'rex needs a quoted regular expression', { start: s.pos, end: s.pos + 1 }, { command: 'rex' });
      const q = s.readQuoted();
      pattern = { text: q.text, span: q.span };
    }
    if (!pattern) throw s.error('spl.syntax', 'rex needs a quoted regular expression', { start, end: s.pos }, { command: 'rex' });
    return { kind: 'rex', field, pattern, maxMatch, ...(mode ? { mode } : {}), ...(offsetField !== undefined ? { offsetField } : {}), span: { start, end: s.pos } };
  }

  /** regex := 'regex' [FIELD ('=' | '!=')] PATTERN */
  parseRegex(start: number): RegexCommand {
    const s = this.s;
    s.skipWs();
    let field = '_raw';
    let negate = false;
    if (s.peek() !== '"') {
      const save = s.pos;
      const w = s.readSearchWord();
      // `regex f = "re"`: Splunk allows spaces around the operator.
      s.skipWs();
      if (w.text !== '' && s.text.startsWith('!=', s.pos)) {
        field = w.text;
        negate = true;
        s.pos += 2;
      } else if (w.text !== '' && s.peek() === '=') {
        field = w.text;
        s.pos++;
      } else s.pos = save;
    }
    s.skipWs();
    const v = s.peek() === '"' ? s.readQuoted() : this.readRestOfCommand();
    if (v.text === '') throw s.error('spl.syntax', 'regex needs a regular expression', { start: s.pos, end: s.pos + 1 }, { command: 'regex' });
    if (!s.atCommandEnd()) throw s.error('spl.syntax', `unexpected "${this.preview()}" in regex`, { start: s.pos, end: s.pos + 1 }, { command: 'regex' });
    return { kind: 'regex', field, negate, pattern: { text: v.text, span: v.span }, span: { start, end: s.pos } };
  }

  /** An unquoted regex runs to whitespace or the end of the command. */
  private readRestOfCommand(): { text: string; span: Span } {
    const s = this.s;
    const start = s.pos;
    while (!s.atEnd() && !/\s|\|/.test(s.peek())) s.pos++;
    return { text: s.text.slice(start, s.pos), span: { start, end: s.pos } };
  }

  /** fillnull := 'fillnull' ['value=' VALUE] FIELD* */
  parseFillnull(start: number): FillnullCommand {
    const s = this.s;
    let value = '0';
    const fields: string[] = [];
    for (;;) {
      s.eat(',');
      if (s.atCommandEnd()) break;
      const o = this.readNamedOption(['value']);
      if (o) value = o.value;
      else fields.push(s.readFieldName().text);
    }
    return { kind: 'fillnull', value, fields, span: { start, end: s.pos } };
  }

  /**
   * dedup := 'dedup' [INT] dedupOption* FIELD (','? FIELD)* dedupOption* ['sortby' sortKey (','? sortKey)*]
   * dedupOption := ('keepempty' | 'consecutive' | 'keepevents') '=' BOOL
   */
  parseDedup(start: number): DedupCommand {
    const s = this.s;
    let count = 1;
    s.skipWs();
    const n = /^(\d+)(?=\s)/.exec(s.text.slice(s.pos, s.pos + 20));
    if (n) {
      count = Number(n[1]);
      s.pos += (n[1] as string).length;
    }
    const opts = { keepempty: false, consecutive: false, keepevents: false };
    const fields: string[] = [];
    let sortby: SortKey[] = [];
    for (;;) {
      s.eat(',');
      if (s.atCommandEnd()) break;
      const o = this.readNamedOption(['keepempty', 'consecutive', 'keepevents']);
      if (o) {
        opts[o.name as keyof typeof opts] = this.boolOption(o, 'dedup');
        continue;
      }
      if (s.eatKeyword('sortby')) {
        sortby = this.parseSortKeys();
        break;
      }
      fields.push(s.readFieldName().text);
    }
    if (!s.atCommandEnd()) throw s.error('spl.syntax', `unexpected "${this.preview()}" in dedup`, { start: s.pos, end: s.pos + 1 }, { command: 'dedup' });
    if (fields.length === 0) throw s.error('spl.syntax', 'dedup needs at least one field', { start, end: s.pos }, { command: 'dedup' });
    return { kind: 'dedup', count, fields, ...opts, sortby, span: { start, end: s.pos } };
  }

  /** sort := 'sort' [INT | 'limit=' INT] sortKey (','? sortKey)* ['d' | 'desc'] */
  parseSort(start: number): SortCommand {
    const s = this.s;
    let limit = 10000;
    s.skipWs();
    const n = /^(\d+)(?=[\s,])/.exec(s.text.slice(s.pos, s.pos + 20));
    if (n) {
      limit = Number(n[1]);
      s.pos += (n[1] as string).length;
    } else {
      const o = this.readNamedOption(['limit']);
      if (o) limit = this.intOption(o, 'sort', 0);
    }
    const keys = this.parseSortKeys();
    let reverse = false;
    const last = keys[keys.length - 1];
    if (keys.length > 1 && last && !last.desc && last.type === 'auto' && /^(d|desc)$/i.test(last.field)) {
      keys.pop();
      reverse = true;
    }
    if (!s.atCommandEnd()) throw s.error('spl.syntax', `unexpected "${this.preview()}" in sort`, { start: s.pos, end: s.pos + 1 }, { command: 'sort' });
    if (keys.length === 0) throw s.error('spl.syntax', 'sort needs at least one field', { start, end: s.pos }, { command: 'sort' });
    return { kind: 'sort', limit, keys, reverse, span: { start, end: s.pos } };
  }

  /** sortKey := ['-' | '+'] (FIELD | ('auto' | 'num' | 'str' | 'ip') '(' FIELD ')') */
  parseSortKeys(): SortKey[] {
    const s = this.s;
    const keys: SortKey[] = [];
    for (;;) {
      s.eat(',');
      if (s.atCommandEnd()) return keys;
      const kStart = s.pos;
      let desc = false;
      if (s.peek() === '-' || s.peek() === '+') {
        desc = s.peek() === '-';
        s.pos++;
        s.skipWs();
      }
      let type: SortType = 'auto';
      const fn = /^(auto|num|str|ip)\(/i.exec(s.text.slice(s.pos, s.pos + 5));
      let field: string;
      if (fn) {
        type = (fn[1] as string).toLowerCase() as SortType;
        s.pos += fn[0].length;
        field = s.readFieldName().text;
        s.expect(')', `")" to close ${type}(`);
      } else field = s.readFieldName().text;
      keys.push({ field, desc, type, span: { start: kStart, end: s.pos } });
    }
  }

  /** head := 'head' [INT | 'limit=' INT];  tail := 'tail' [INT] */
  parseHead(start: number, kind: 'head' | 'tail'): HeadCommand | TailCommand {
    const s = this.s;
    let count = 10;
    for (;;) {
      if (s.atCommandEnd()) break;
      const o = this.readNamedOption(['limit', 'null', 'keeplast']);
      if (o) {
        if (o.name === 'limit') count = this.intOption(o, kind, 0);
        else throw s.error('spl.unsupported-option', `${kind} ${o.name}= is not supported yet`, o.span, { command: kind });
        continue;
      }
      const w = s.readSearchWord();
      if (!/^\d+$/.test(w.text)) throw s.error('spl.unsupported-option', `${kind} takes a number of results; "${w.text || this.preview()}" is not supported`, w.text ? w.span : { start: s.pos, end: s.pos + 1 }, { command: kind });
      count = Number(w.text);
    }
    return { kind, count, span: { start, end: s.pos } };
  }

  /**
   * top  := 'top'  [INT] topOption* FIELD (','? FIELD)* ['by' FIELD (','? FIELD)*]
   * rare := 'rare' [INT] topOption* FIELD (','? FIELD)* ['by' FIELD (','? FIELD)*]
   * topOption := ('limit' | 'countfield' | 'percentfield' | 'showcount' | 'showperc' | 'useother' | 'otherstr') '=' VALUE
   */
  parseTop(start: number, kind: 'top' | 'rare'): TopCommand {
    const s = this.s;
    const out = { limit: 10, countfield: 'count', percentfield: 'percent', showcount: true, showperc: true };
    const fields: string[] = [];
    const by: string[] = [];
    let inBy = false;
    const NAMES = ['limit', 'countfield', 'percentfield', 'showcount', 'showperc', 'useother', 'otherstr'];
    s.skipWs();
    const n = /^(\d+)(?=\s)/.exec(s.text.slice(s.pos, s.pos + 20));
    if (n) {
      out.limit = Number(n[1]);
      s.pos += (n[1] as string).length;
    }
    for (;;) {
      s.eat(',');
      if (s.atCommandEnd()) break;
      const o = this.readNamedOption(NAMES);
      if (o) {
        if (o.name === 'limit') out.limit = this.intOption(o, kind, 0);
        else if (o.name === 'countfield') out.countfield = o.value;
        else if (o.name === 'percentfield') out.percentfield = o.value;
        else if (o.name === 'showcount') out.showcount = this.boolOption(o, kind);
        else if (o.name === 'showperc') out.showperc = this.boolOption(o, kind);
        else if (o.name === 'useother' && this.boolOption(o, kind)) throw s.error('spl.unsupported-option', `${kind} useother=true is not supported yet`, o.span, { command: kind });
        continue;
      }
      if (!inBy && s.eatKeyword('by')) {
        inBy = true;
        continue;
      }
      (inBy ? by : fields).push(s.readFieldName().text);
    }
    if (fields.length === 0) throw s.error('spl.syntax', `${kind} needs at least one field`, { start, end: s.pos }, { command: kind });
    return { kind, ...out, fields, by, span: { start, end: s.pos } };
  }

  /** mvexpand := 'mvexpand' ['limit=' INT] FIELD ['limit=' INT] */
  parseMvexpand(start: number): MvexpandCommand {
    const s = this.s;
    let limit: number | undefined;
    let field: string | undefined;
    for (;;) {
      if (s.atCommandEnd()) break;
      const o = this.readNamedOption(['limit']);
      if (o) limit = this.intOption(o, 'mvexpand', 0);
      else if (field === undefined) field = s.readFieldName().text;
      else throw s.error('spl.syntax', `unexpected "${this.preview()}" in mvexpand`, { start: s.pos, end: s.pos + 1 }, { command: 'mvexpand' });
    }
    if (field === undefined) throw s.error('spl.syntax', 'mvexpand needs a field', { start, end: s.pos }, { command: 'mvexpand' });
    return { kind: 'mvexpand', field, ...(limit !== undefined ? { limit } : {}), span: { start, end: s.pos } };
  }

  /**
   * makemv := 'makemv' makemvOption* FIELD makemvOption*
   * makemvOption := ('delim' | 'tokenizer' | 'allowempty' | 'setsv') '=' VALUE
   */
  parseMakemv(start: number): MakemvCommand {
    const s = this.s;
    let delim: string | undefined;
    let tokenizer: PatternLiteral | undefined;
    let allowempty = false;
    let setsv = false;
    let field: string | undefined;
    for (;;) {
      if (s.atCommandEnd()) break;
      const o = this.readNamedOption(['delim', 'tokenizer', 'allowempty', 'setsv']);
      if (o) {
        if (o.name === 'delim') delim = o.value;
        else if (o.name === 'tokenizer') tokenizer = { text: o.value, span: o.span };
        else if (o.name === 'allowempty') allowempty = this.boolOption(o, 'makemv');
        else setsv = this.boolOption(o, 'makemv');
        continue;
      }
      if (field !== undefined) throw s.error('spl.syntax', `unexpected "${this.preview()}" in makemv`, { start: s.pos, end: s.pos + 1 }, { command: 'makemv' });
      field = s.readFieldName().text;
    }
    if (field === undefined) throw s.error('spl.syntax', 'makemv needs a field', { start, end: s.pos }, { command: 'makemv' });
    return {
      kind: 'makemv',
      field,
      ...(delim !== undefined ? { delim } : {}),
      ...(tokenizer ? { tokenizer } : {}),
      allowempty,
      setsv,
      span: { start, end: s.pos },
    };
  }

  /** replace := 'replace' VALUE 'with' VALUE (',' VALUE 'with' VALUE)* ['in' FIELD (','? FIELD)*] */
  parseReplace(start: number): ReplaceCommand {
    const s = this.s;
    const pairs: { from: string; to: string; span: Span }[] = [];
    const fields: string[] = [];
    for (;;) {
      s.eat(',');
      if (s.atCommandEnd() || s.peekKeyword('in')) break;
      s.skipWs();
      const pStart = s.pos;
      const from = s.readSearchValue();
      if (!s.eatKeyword('with')) throw s.error('spl.syntax', `expected "with" after "${from.text}"`, { start: s.pos, end: s.pos + 1 }, { command: 'replace' });
      const to = s.readSearchValue();
      pairs.push({ from: from.text, to: to.text, span: { start: pStart, end: s.pos } });
    }
    if (s.eatKeyword('in')) fields.push(...this.parseFieldList());
    if (pairs.length === 0) throw s.error('spl.syntax', 'replace needs "<value> with <value>"', { start, end: s.pos }, { command: 'replace' });
    return { kind: 'replace', pairs, fields, span: { start, end: s.pos } };
  }

  /**
   * addtotals := 'addtotals' addtotalsOption* FIELD*
   * addtotalsOption := ('row' | 'col' | 'fieldname' | 'labelfield' | 'label') '=' VALUE
   */
  parseAddtotals(start: number): AddtotalsCommand {
    const s = this.s;
    const out = { row: true, col: false, fieldname: 'Total', label: 'Total' };
    let labelfield: string | undefined;
    const fields: string[] = [];
    for (;;) {
      s.eat(',');
      if (s.atCommandEnd()) break;
      const o = this.readNamedOption(['row', 'col', 'fieldname', 'labelfield', 'label']);
      if (o) {
        if (o.name === 'row' || o.name === 'col') out[o.name] = this.boolOption(o, 'addtotals');
        else if (o.name === 'labelfield') labelfield = o.value;
        else out[o.name as 'fieldname' | 'label'] = o.value;
        continue;
      }
      fields.push(s.readFieldName().text);
    }
    return { kind: 'addtotals', ...out, ...(labelfield !== undefined ? { labelfield } : {}), fields, span: { start, end: s.pos } };
  }

  // ------------------------------------------------------------ subsearch commands

  /** append := 'append' option* subsearch */
  parseAppend(start: number): AppendCommand {
    this.skipOptions(['extendtimerange', 'maxtime', 'maxout', 'timeout']);
    const subsearch = this.parseSubsearch('after append');
    return { kind: 'append', subsearch, span: { start, end: this.s.pos } };
  }

  /** appendpipe := 'appendpipe' ['run_in_preview=' BOOL] subsearch   -- the subsearch runs over the current results */
  parseAppendpipe(start: number): AppendpipeCommand {
    this.skipOptions(['run_in_preview']);
    const s = this.s;
    s.skipWs();
    const open = s.pos;
    if (s.peek() !== '[') throw s.error('spl.syntax', 'expected a subpipeline "[ ... ]" after appendpipe', { start: open, end: open + 1 }, { command: 'appendpipe' });
    s.pos++;
    s.skipWs();
    // The subpipeline has no generating command: it starts with a command name, `|` optional.
    if (s.peek() === '|') s.pos++;
    const commands: Command[] = [this.parseCommand()];
    for (;;) {
      s.skipWs();
      if (s.peek() === ']') break;
      if (s.peek() !== '|') throw s.error('spl.syntax', 'expected "]" to close the subpipeline', { start: s.pos, end: s.pos + 1 }, { command: 'appendpipe' });
      s.pos++;
      commands.push(this.parseCommand());
    }
    s.pos++;
    const span = { start: open, end: s.pos };
    return { kind: 'appendpipe', subsearch: { pipeline: { kind: 'pipeline', commands, span }, span }, span: { start, end: s.pos } };
  }

  /**
   * join := 'join' joinOption* [FIELD (','? FIELD)*] subsearch
   * joinOption := ('type' | 'max' | 'overwrite' | 'usetime' | 'earlier') '=' VALUE
   */
  parseJoin(start: number): JoinCommand {
    const s = this.s;
    let type: JoinType = 'inner';
    let max = 1;
    let overwrite = true;
    const fields: string[] = [];
    for (;;) {
      s.eat(',');
      s.skipWs();
      if (s.peek() === '[' || s.atCommandEnd()) break;
      const o = this.readNamedOption(['type', 'max', 'overwrite', 'usetime', 'earlier']);
      if (o) {
        if (o.name === 'type') {
          const t = o.value.toLowerCase();
          if (t !== 'inner' && t !== 'left' && t !== 'outer') throw s.error('spl.bad-option', `join type must be inner, left or outer, got "${o.value}"`, o.span, { command: 'join' });
          type = t;
        } else if (o.name === 'max') max = this.intOption(o, 'join', 0);
        else if (o.name === 'overwrite') overwrite = this.boolOption(o, 'join');
        else if (this.boolOption(o, 'join')) throw s.error('spl.unsupported-option', `join ${o.name}=true is not supported yet`, o.span, { command: 'join' });
        continue;
      }
      fields.push(s.readFieldName().text);
    }
    const subsearch = this.parseSubsearch('after join');
    return { kind: 'join', type, fields, max, overwrite, subsearch, span: { start, end: s.pos } };
  }

  // ------------------------------------------------------------ structured data

  /** spath := 'spath' spathOption* [PATH] spathOption*;  spathOption := ('input' | 'output' | 'path') '=' VALUE */
  parseSpath(start: number): SpathCommand {
    const s = this.s;
    let input = '_raw';
    let output: string | undefined;
    let path: string | undefined;
    for (;;) {
      if (s.atCommandEnd()) break;
      const o = this.readNamedOption(['input', 'output', 'path']);
      if (o) {
        if (o.name === 'input') input = o.value;
        else if (o.name === 'output') output = o.value;
        else path = o.value;
        continue;
      }
      if (path !== undefined) throw s.error('spl.syntax', `unexpected "${this.preview()}" in spath`, { start: s.pos, end: s.pos + 1 }, { command: 'spath' });
      path = s.readSearchValue().text;
    }
    return { kind: 'spath', input, ...(output !== undefined ? { output } : {}), ...(path !== undefined ? { path } : {}), span: { start, end: s.pos } };
  }

  /** fromjson := 'fromjson' FIELD ['prefix=' VALUE] */
  parseFromjson(start: number): FromjsonCommand {
    const s = this.s;
    let prefix = '';
    let field: string | undefined;
    for (;;) {
      if (s.atCommandEnd()) break;
      const o = this.readNamedOption(['prefix']);
      if (o) prefix = o.value;
      else if (field === undefined) field = s.readFieldName().text;
      else throw s.error('spl.syntax', `unexpected "${this.preview()}" in fromjson`, { start: s.pos, end: s.pos + 1 }, { command: 'fromjson' });
    }
    if (field === undefined) throw s.error('spl.syntax', 'fromjson needs a field', { start, end: s.pos }, { command: 'fromjson' });
    return { kind: 'fromjson', field, prefix, span: { start, end: s.pos } };
  }

  /** xmlkv := 'xmlkv' [FIELD] ['maxinputs=' INT] */
  parseXmlkv(start: number): XmlkvCommand {
    const s = this.s;
    let field = '_raw';
    for (;;) {
      if (s.atCommandEnd()) break;
      if (this.readNamedOption(['maxinputs'])) continue;
      field = s.readFieldName().text;
    }
    return { kind: 'xmlkv', field, span: { start, end: s.pos } };
  }

  /**
   * foreach := 'foreach' FIELD (','? FIELD)* foreachOption* '[' TEMPLATE ']'
   * foreachOption := ('fieldstr' | 'matchstr' | 'matchseg1' | 'mode') '=' VALUE
   * The template is kept as text: `<<FIELD>>` and `<<MATCHSTR>>` are replaced per field before it is parsed.
   */
  parseForeach(start: number): ForeachCommand {
    const s = this.s;
    const fields: string[] = [];
    let fieldstr = '<<FIELD>>';
    let matchstr = '<<MATCHSTR>>';
    for (;;) {
      s.eat(',');
      s.skipWs();
      if (s.peek() === '[' || s.atCommandEnd()) break;
      const o = this.readNamedOption(['fieldstr', 'matchstr', 'matchseg1', 'mode']);
      if (o) {
        if (o.name === 'fieldstr') fieldstr = o.value;
        else if (o.name === 'matchstr') matchstr = o.value;
        else throw s.error('spl.unsupported-option', `foreach ${o.name}= is not supported yet`, o.span, { command: 'foreach' });
        continue;
      }
      fields.push(s.readFieldName().text);
    }
    if (fields.length === 0) throw s.error('spl.syntax', 'foreach needs at least one field (wildcards allowed)', { start, end: s.pos }, { command: 'foreach' });
    s.skipWs();
    if (s.peek() !== '[') throw s.error('spl.syntax', 'expected "[ ... ]" after the foreach fields', { start: s.pos, end: s.pos + 1 }, { command: 'foreach' });
    const open = s.pos;
    // Find the matching "]", skipping quoted strings.
    let depth = 0;
    let i = open;
    for (; i < s.text.length; i++) {
      const c = s.text[i];
      if (c === '"') {
        i++;
        while (i < s.text.length && s.text[i] !== '"') i += s.text[i] === '\\' ? 2 : 1;
        continue;
      }
      if (c === '[') depth++;
      else if (c === ']' && --depth === 0) break;
    }
    if (depth !== 0) throw s.error('spl.syntax', 'expected "]" to close the foreach body', { start: open, end: open + 1 }, { command: 'foreach' });
    const template = { text: s.text.slice(open + 1, i), span: { start: open + 1, end: i } };
    s.pos = i + 1;
    return { kind: 'foreach', fields, fieldstr, matchstr, template, span: { start, end: s.pos } };
  }

  /**
   * transaction := 'transaction' [FIELD (','? FIELD)*] txnOption*
   * txnOption := ('maxspan' | 'maxpause') '=' TIMESPAN | 'maxevents=' INT
   *            | ('startswith' | 'endswith') '=' ('(' searchExpr ')' | 'eval(' evalExpr ')' | '"' search '"')
   *            | ('connected' | 'keepevicted' | 'mvlist') '=' BOOL | ('maxopentxn' | 'maxopenevents') '=' INT
   */
  parseTransaction(start: number): TransactionCommand {
    const s = this.s;
    const fields: string[] = [];
    let maxspan: number | undefined;
    let maxpause: number | undefined;
    let maxevents = 1000;
    let startswith: TransactionCondition | undefined;
    let endswith: TransactionCondition | undefined;
    const flags = { connected: true, keepevicted: false, mvlist: false };
    const LIMITS = ['maxspan', 'maxpause', 'maxevents', 'connected', 'keepevicted', 'mvlist', 'maxopentxn', 'maxopenevents', 'unifyends', 'keeporphans', 'delim', 'nullstr', 'mvraw', 'name'];
    for (;;) {
      s.eat(',');
      if (s.atCommandEnd()) break;
      s.skipWs();
      const cond = /^(startswith|endswith)\s*=/i.exec(s.text.slice(s.pos, s.pos + 16));
      if (cond) {
        s.pos += cond[0].length;
        const c = this.parseTransactionCondition();
        if ((cond[1] as string).toLowerCase() === 'startswith') startswith = c;
        else endswith = c;
        continue;
      }
      const o = this.readNamedOption(LIMITS);
      if (o) {
        if (o.name === 'maxspan' || o.name === 'maxpause') {
          const v = o.value === '-1' ? undefined : this.timespanOf(o.value, o.span).seconds;
          if (o.name === 'maxspan') maxspan = v;
          else maxpause = v;
        } else if (o.name === 'maxevents') maxevents = o.value === '-1' ? Infinity : this.intOption(o, 'transaction', 1);
        else if (o.name === 'connected' || o.name === 'keepevicted' || o.name === 'mvlist') flags[o.name] = this.boolOption(o, 'transaction');
        else if (o.name === 'maxopentxn' || o.name === 'maxopenevents') this.intOption(o, 'transaction', 0);
        else throw s.error('spl.unsupported-option', `transaction ${o.name}= is not supported yet`, o.span, { command: 'transaction' });
        continue;
      }
      fields.push(s.readFieldName().text);
    }
    return {
      kind: 'transaction',
      fields,
      ...(maxspan !== undefined ? { maxspan } : {}),
      ...(maxpause !== undefined ? { maxpause } : {}),
      maxevents,
      ...(startswith ? { startswith } : {}),
      ...(endswith ? { endswith } : {}),
      ...flags,
      span: { start, end: s.pos },
    };
  }

  /** condition := '(' searchExpr ')' | 'eval(' evalExpr ')' | '"' search '"' */
  private parseTransactionCondition(): TransactionCondition {
    const s = this.s;
    s.skipWs();
    const start = s.pos;
    if (s.peek() === '(') {
      s.pos++;
      const expr = this.parseSearchExpr([]);
      s.expect(')', '")" to close the condition');
      return { kind: 'search', expr, span: { start, end: s.pos } };
    }
    if (/^eval\s*\(/i.test(s.text.slice(s.pos, s.pos + 8))) {
      s.eatKeyword('eval');
      s.expect('(', '"(" after eval');
      const expr = this.parseEvalExpr();
      s.expect(')', '")" to close eval(...)');
      return { kind: 'eval', expr, span: { start, end: s.pos } };
    }
    if (s.peek() === '"') {
      const q = s.readQuoted();
      // The string is a search, as if written in parentheses; errors point at the string.
      try {
        const expr = parseSearchFragment(q.text);
        if (!expr) throw s.error('spl.syntax', 'the condition is empty', q.span, { command: 'transaction' });
        return { kind: 'search', expr, span: q.span };
      } catch (err) {
        if (err instanceof SplError && err.source === q.text) throw s.error(err.code, `transaction condition: ${err.message}`, q.span, { command: 'transaction' });
        throw err;
      }
    }
    throw s.error('spl.syntax', 'expected a condition such as (EventCode=4698), eval(...) or "text"', { start, end: start + 1 }, { command: 'transaction' });
  }

  // ------------------------------------------------------------ option helpers

  /** Reads `NAME=VALUE` when NAME (case-insensitive) is one of `names`; else reads nothing. */
  private readNamedOption(names: readonly string[]): { name: string; value: string; quoted: boolean; span: Span } | undefined {
    const s = this.s;
    s.skipWs();
    const save = s.pos;
    const w = s.readIdent();
    const name = w.text.toLowerCase();
    if (w.text !== '' && names.includes(name)) {
      s.skipWs();
      if (s.peek() === '=' && s.peek(1) !== '=') {
        s.pos++;
        s.skipWs();
        const v = s.readSearchValue();
        return { name, value: v.text, quoted: v.quoted, span: v.span };
      }
    }
    s.pos = save;
    return undefined;
  }

  /** Options a command accepts and spelunk ignores because they only tune Splunk's resources. */
  private skipOptions(names: readonly string[]): void {
    while (this.readNamedOption(names)) {
      /* ignored */
    }
  }

  private intOption(o: { name: string; value: string; span: Span }, command: string, min: number): number {
    if (!/^\d+$/.test(o.value) || Number(o.value) < min) {
      throw this.s.error('spl.bad-option', `${command} ${o.name}= needs a whole number${min > 0 ? ` of at least ${min}` : ''}, got "${o.value}"`, o.span, { command });
    }
    return Number(o.value);
  }

  private numberOption(o: { name: string; value: string; span: Span }, command: string): number {
    if (!/^-?\d+(\.\d+)?$/.test(o.value)) throw this.s.error('spl.bad-option', `${command} ${o.name}= needs a number, got "${o.value}"`, o.span, { command });
    return Number(o.value);
  }

  private boolOption(o: { name: string; value: string; span: Span }, command: string): boolean {
    if (/^(t|true|1)$/i.test(o.value)) return true;
    if (/^(f|false|0)$/i.test(o.value)) return false;
    throw this.s.error('spl.bad-option', `${command} ${o.name}= needs true or false, got "${o.value}"`, o.span, { command });
  }

  private timespanOf(text: string, span: Span): TimeSpan {
    const seconds = parseTimespan(text);
    if (seconds === undefined || seconds <= 0) throw this.s.error('spl.bad-timespan', `"${text}" is not a time span such as 1h or 5m`, span);
    return { seconds, text };
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
