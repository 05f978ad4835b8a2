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
  | { readonly kind: 'term'; readonly value: SearchValue; readonly span: Span };

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
  readonly span?: { readonly seconds: number; readonly text: string };
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

export type Command =
  | TstatsCommand
  | SearchCommand
  | WhereCommand
  | EvalCommand
  | RenameCommand
  | ConvertCommand
  | StatsCommand
  | TableCommand
  | FieldsCommand;

export type CommandKind = Command['kind'];

export interface Pipeline {
  readonly kind: 'pipeline';
  readonly commands: readonly Command[];
  readonly span: Span;
}
