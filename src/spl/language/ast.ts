/**
 * The SPL syntax tree. Every node is immutable, has a `kind`, and carries its
 * span in the expanded query text (map it back with `Expansion.toSource`).
 */
import type { Span } from './errors.js';

// ---------------------------------------------------------------- search language

/** A value as written in the search language: `foo`, `"a b"`, `C:\\x*`. `*` is a wildcard. */
export interface SearchValue {
  readonly text: string;
  readonly quoted: boolean;
  /** `TERM(x)`: match x as one indexed term; `CASE(x)`: match case-sensitively. */
  readonly term?: boolean;
  readonly caseSensitive?: boolean;
  readonly span: Span;
}

export const SEARCH_COMPARE_OPS = ['=', '!=', '<', '<=', '>', '>='] as const;
export type SearchCompareOp = (typeof SEARCH_COMPARE_OPS)[number];

export type SearchExpr =
  | { readonly kind: 'and'; readonly items: readonly SearchExpr[]; readonly span: Span }
  | { readonly kind: 'or'; readonly items: readonly SearchExpr[]; readonly span: Span }
  | { readonly kind: 'not'; readonly expr: SearchExpr; readonly span: Span }
  | { readonly kind: 'compare'; readonly field: string; readonly op: SearchCompareOp; readonly value: SearchValue; readonly span: Span }
  | { readonly kind: 'in'; readonly field: string; readonly values: readonly SearchValue[]; readonly span: Span }
  | { readonly kind: 'term'; readonly value: SearchValue; readonly span: Span }
  /** `earliest=-1d@d`, `latest=now`: bounds on `_time`, resolved against the search's `now`. */
  | { readonly kind: 'time'; readonly bound: 'earliest' | 'latest'; readonly value: SearchValue; readonly span: Span }
  /** `[ search ... | fields x ]` as a search term. */
  | { readonly kind: 'subsearch'; readonly subsearch: Subsearch; readonly span: Span };

// ---------------------------------------------------------------- eval language

export const EVAL_BINARY_OPS = ['OR', 'XOR', 'AND', '=', '==', '!=', '<', '<=', '>', '>=', 'LIKE', '+', '-', '.', '*', '/', '%'] as const;
export type EvalBinaryOp = (typeof EVAL_BINARY_OPS)[number];

export type EvalExpr =
  | { readonly kind: 'string'; readonly value: string; readonly span: Span }
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly span: Span }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'field'; readonly name: string; readonly span: Span }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly EvalExpr[]; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: 'NOT' | '-' | '+'; readonly expr: EvalExpr; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: EvalBinaryOp; readonly left: EvalExpr; readonly right: EvalExpr; readonly span: Span }
  | { readonly kind: 'in'; readonly expr: EvalExpr; readonly values: readonly EvalExpr[]; readonly span: Span };

// ---------------------------------------------------------------- aggregations

/** `count`, `dc(x) as n`, `count(eval(x>1))`, `values(Processes.dest)`. */
export interface Aggregation {
  readonly fn: string;
  readonly field?: string;
  /** `count(eval(...))` and friends. */
  readonly expr?: EvalExpr;
  /** Extra parameter, e.g. the 95 of `perc95(x)`. */
  readonly param?: number;
  readonly as?: string;
  readonly span: Span;
}

export interface ByField {
  readonly field: string;
  /** `_time span=1h`: the bucket size in seconds. */
  readonly span?: TimeSpan;
  readonly loc: Span;
}

export type OptionValue = string | number | boolean;

// ---------------------------------------------------------------- commands

export interface TstatsCommand {
  readonly kind: 'tstats';
  readonly options: Readonly<Record<string, OptionValue>>;
  readonly aggregations: readonly Aggregation[];
  /** `Endpoint.Processes` (data model and dataset), or just the model. */
  readonly datamodel?: { readonly name: string; readonly span: Span };
  readonly where?: SearchExpr;
  readonly by: readonly ByField[];
  readonly span: Span;
}

export interface SearchCommand {
  readonly kind: 'search';
  /** Absent for an empty search (`search`), which matches everything. */
  readonly expr?: SearchExpr;
  readonly span: Span;
}

export interface WhereCommand {
  readonly kind: 'where';
  readonly expr: EvalExpr;
  readonly span: Span;
}

export interface EvalCommand {
  readonly kind: 'eval';
  readonly assignments: readonly { readonly field: string; readonly expr: EvalExpr; readonly span: Span }[];
  readonly span: Span;
}

export interface RenameCommand {
  readonly kind: 'rename';
  readonly pairs: readonly { readonly from: string; readonly to: string; readonly span: Span }[];
  readonly span: Span;
}

export interface ConvertCommand {
  readonly kind: 'convert';
  readonly timeformat?: string;
  readonly conversions: readonly { readonly fn: string; readonly field: string; readonly as?: string; readonly span: Span }[];
  readonly span: Span;
}

export interface StatsCommand {
  readonly kind: 'stats';
  readonly options: Readonly<Record<string, OptionValue>>;
  readonly aggregations: readonly Aggregation[];
  readonly by: readonly ByField[];
  readonly span: Span;
}

export interface TableCommand {
  readonly kind: 'table';
  readonly fields: readonly string[];
  readonly span: Span;
}

export interface FieldsCommand {
  readonly kind: 'fields';
  readonly mode: '+' | '-';
  readonly fields: readonly string[];
  readonly span: Span;
}

/** `[ ... ]`: a nested pipeline; its span covers the brackets. */
export interface Subsearch {
  readonly pipeline: Pipeline;
  readonly span: Span;
}

/**
 * `lookup`, `inputlookup`, `outputlookup`: the arguments are kept as text and
 * parsed when planning, by src/spl/engine/lookup.ts, which knows the tables.
 */
export interface LookupCommand {
  readonly kind: 'lookup' | 'inputlookup' | 'outputlookup';
  readonly args: { readonly text: string; readonly span: Span };
  readonly span: Span;
}

/** `map search="..." [maxsearches=N]`: a search template run once per input row, `$field$` replaced. */
export interface MapCommand {
  readonly kind: 'map';
  readonly template: { readonly text: string; readonly span: Span };
  readonly maxsearches: number;
  readonly span: Span;
}

/** `| from datamodel:Endpoint.Processes`: the dataset's records, fields unprefixed, with `_raw`. */
export interface FromCommand {
  readonly kind: 'from';
  readonly datamodel: { readonly name: string; readonly span: Span };
  readonly span: Span;
}

/** `makeresults [count=N]`: generates N rows holding only `_time` (the search's now). */
export interface MakeresultsCommand {
  readonly kind: 'makeresults';
  readonly count: number;
  readonly span: Span;
}

/** `eventstats`: stats whose results are added to every input row of the group. */
export interface EventstatsCommand {
  readonly kind: 'eventstats';
  readonly options: Readonly<Record<string, OptionValue>>;
  readonly aggregations: readonly Aggregation[];
  readonly by: readonly ByField[];
  readonly span: Span;
}

/** `streamstats`: running stats added to each row in input order. */
export interface StreamstatsCommand {
  readonly kind: 'streamstats';
  readonly options: Readonly<Record<string, OptionValue>>;
  readonly aggregations: readonly Aggregation[];
  readonly by: readonly ByField[];
  readonly span: Span;
}

export interface TimeSpan {
  readonly seconds: number;
  readonly text: string;
}

/** `bin` / `bucket`. */
export interface BinCommand {
  readonly kind: 'bin';
  readonly field: string;
  readonly as?: string;
  /** `span=`: in seconds for times, in field units otherwise (`span=10`). */
  readonly binSpan?: TimeSpan;
  readonly bins?: number;
  readonly start?: number;
  readonly end?: number;
  readonly span: Span;
}

/** A regular expression written as a quoted literal, with its position. */
export interface PatternLiteral {
  readonly text: string;
  readonly span: Span;
}

export interface RexCommand {
  readonly kind: 'rex';
  readonly field: string;
  readonly pattern: PatternLiteral;
  /** 1 by default; 0 means unlimited. */
  readonly maxMatch: number;
  readonly mode?: 'sed';
  readonly offsetField?: string;
  readonly span: Span;
}

export interface RegexCommand {
  readonly kind: 'regex';
  readonly field: string;
  readonly negate: boolean;
  readonly pattern: PatternLiteral;
  readonly span: Span;
}

export interface FillnullCommand {
  readonly kind: 'fillnull';
  readonly value: string;
  /** Empty: every field seen in the results. */
  readonly fields: readonly string[];
  readonly span: Span;
}

export const SORT_TYPES = ['auto', 'num', 'str', 'ip'] as const;
export type SortType = (typeof SORT_TYPES)[number];

export interface SortKey {
  readonly field: string;
  readonly desc: boolean;
  readonly type: SortType;
  readonly span: Span;
}

export interface DedupCommand {
  readonly kind: 'dedup';
  /** How many rows to keep per combination (the optional leading number). */
  readonly count: number;
  readonly fields: readonly string[];
  readonly keepempty: boolean;
  readonly consecutive: boolean;
  readonly keepevents: boolean;
  readonly sortby: readonly SortKey[];
  readonly span: Span;
}

export interface SortCommand {
  readonly kind: 'sort';
  /** 0 means no limit. */
  readonly limit: number;
  readonly keys: readonly SortKey[];
  /** A trailing `d` reverses the whole order. */
  readonly reverse: boolean;
  readonly span: Span;
}

export interface HeadCommand {
  readonly kind: 'head';
  readonly count: number;
  readonly span: Span;
}

export interface TailCommand {
  readonly kind: 'tail';
  readonly count: number;
  readonly span: Span;
}

export interface TopCommand {
  readonly kind: 'top' | 'rare';
  readonly limit: number;
  readonly fields: readonly string[];
  readonly by: readonly string[];
  readonly countfield: string;
  readonly percentfield: string;
  readonly showcount: boolean;
  readonly showperc: boolean;
  readonly span: Span;
}

export interface MvexpandCommand {
  readonly kind: 'mvexpand';
  readonly field: string;
  readonly limit?: number;
  readonly span: Span;
}

export interface MakemvCommand {
  readonly kind: 'makemv';
  readonly field: string;
  readonly delim?: string;
  readonly tokenizer?: PatternLiteral;
  readonly allowempty: boolean;
  readonly setsv: boolean;
  readonly span: Span;
}

export interface ReplaceCommand {
  readonly kind: 'replace';
  readonly pairs: readonly { readonly from: string; readonly to: string; readonly span: Span }[];
  /** Empty: every field. */
  readonly fields: readonly string[];
  readonly span: Span;
}

export interface AddtotalsCommand {
  readonly kind: 'addtotals';
  readonly row: boolean;
  readonly col: boolean;
  readonly fieldname: string;
  readonly labelfield?: string;
  readonly label: string;
  /** Empty: every numeric field. */
  readonly fields: readonly string[];
  readonly span: Span;
}

export interface AppendCommand {
  readonly kind: 'append';
  readonly subsearch: Subsearch;
  readonly span: Span;
}

export interface AppendpipeCommand {
  readonly kind: 'appendpipe';
  readonly subsearch: Subsearch;
  readonly span: Span;
}

export const JOIN_TYPES = ['inner', 'left', 'outer'] as const;
export type JoinType = (typeof JOIN_TYPES)[number];

export interface JoinCommand {
  readonly kind: 'join';
  readonly type: JoinType;
  /** Empty: the fields both sides have in common. */
  readonly fields: readonly string[];
  /** Subsearch rows joined to each main row; 0 means all. */
  readonly max: number;
  readonly overwrite: boolean;
  readonly subsearch: Subsearch;
  readonly span: Span;
}

export interface SpathCommand {
  readonly kind: 'spath';
  readonly input: string;
  readonly output?: string;
  readonly path?: string;
  readonly span: Span;
}

export interface FromjsonCommand {
  readonly kind: 'fromjson';
  readonly field: string;
  readonly prefix: string;
  readonly span: Span;
}

export interface XmlkvCommand {
  readonly kind: 'xmlkv';
  readonly field: string;
  readonly span: Span;
}

/** `foreach f* [eval <<FIELD>>=...]`: the body is a template, instantiated per matching field. */
export interface ForeachCommand {
  readonly kind: 'foreach';
  readonly fields: readonly string[];
  readonly fieldstr: string;
  readonly matchstr: string;
  /** The body's text between the brackets, and its span. */
  readonly template: { readonly text: string; readonly span: Span };
  readonly span: Span;
}

/** A `startswith=`/`endswith=` condition of transaction. */
export type TransactionCondition =
  | { readonly kind: 'search'; readonly expr: SearchExpr; readonly span: Span }
  | { readonly kind: 'eval'; readonly expr: EvalExpr; readonly span: Span };

export interface TransactionCommand {
  readonly kind: 'transaction';
  readonly fields: readonly string[];
  /** Seconds; undefined: no limit. */
  readonly maxspan?: number;
  readonly maxpause?: number;
  readonly maxevents: number;
  readonly startswith?: TransactionCondition;
  readonly endswith?: TransactionCondition;
  readonly connected: boolean;
  readonly keepevicted: boolean;
  readonly mvlist: boolean;
  readonly span: Span;
}

/** `limit=`, `useother=`, `otherstr=`, `usenull=`, `nullstr=` of chart and timechart. */
export interface SeriesLimit {
  /** Split-by values kept; 0 keeps all. */
  readonly limit: number;
  /** `limit=bottomN` keeps the lowest scoring values. */
  readonly bottom: boolean;
  readonly useother: boolean;
  readonly otherstr: string;
  readonly usenull: boolean;
  readonly nullstr: string;
}

export interface TimechartCommand {
  readonly kind: 'timechart';
  /** Absent: picked from the data's time range (at most 100 buckets). */
  readonly binSpan?: TimeSpan;
  readonly aggregations: readonly Aggregation[];
  readonly splitBy?: string;
  readonly series: SeriesLimit;
  readonly span: Span;
}

export interface ChartCommand {
  readonly kind: 'chart';
  readonly aggregations: readonly Aggregation[];
  readonly over?: string;
  readonly splitBy?: string;
  readonly series: SeriesLimit;
  readonly span: Span;
}

export type Command =
  | TstatsCommand
  | SearchCommand
  | WhereCommand
  | EvalCommand
  | RenameCommand
  | ConvertCommand
  | StatsCommand
  | TableCommand
  | FieldsCommand
  | MakeresultsCommand
  | FromCommand
  | MapCommand
  | LookupCommand
  | EventstatsCommand
  | StreamstatsCommand
  | BinCommand
  | RexCommand
  | RegexCommand
  | FillnullCommand
  | DedupCommand
  | SortCommand
  | HeadCommand
  | TailCommand
  | TopCommand
  | MvexpandCommand
  | MakemvCommand
  | ReplaceCommand
  | AddtotalsCommand
  | AppendCommand
  | AppendpipeCommand
  | JoinCommand
  | SpathCommand
  | FromjsonCommand
  | XmlkvCommand
  | ForeachCommand
  | TransactionCommand
  | TimechartCommand
  | ChartCommand;

export type CommandKind = Command['kind'];

export interface Pipeline {
  readonly kind: 'pipeline';
  readonly commands: readonly Command[];
  readonly span: Span;
}
