/**
 * The planner: turns a parsed pipeline into an executable search.
 *
 * The first command decides the input: `tstats ... from datamodel=X` reads the
 * data model's records, `search` and `tstats` without a model read raw events.
 * Every other command becomes a row stage. The planner also derives the
 * literal pre-filter (see literals.ts).
 */
import type { Aggregation, Command, EvalExpr, Pipeline, SearchCommand, TstatsCommand } from '../language/ast.js';
import { SplError, closest, type Span } from '../language/errors.js';
import type { MacroResolver } from '../language/macros.js';
import { parse } from '../language/parser.js';
import type { Row } from '../values.js';
import { AGGREGATIONS } from './aggregate.js';
import { compileEval, type CompiledExpr, type EvalCompileContext } from './eval-expr.js';
import { deriveLiterals } from './literals.js';
import { compileSearchExpr, type RowPredicate } from './search-predicate.js';
import {
  CONVERT_FUNCTIONS,
  aggregationSpecs,
  convertStage,
  evalStage,
  fieldsStage,
  filterStage,
  groupStage,
  renameStage,
  statsSpec,
  tableStage,
  type Stage,
} from './stages.js';
import type { DataModelCatalog, DatasetInfo, EngineEvent, ExecOptions, RowSink, RunDiagnostic } from './types.js';

export interface CompileOptions {
  readonly macros: MacroResolver;
  readonly catalog: DataModelCatalog;
  readonly exec: ExecOptions;
}

export type SearchInput = { readonly kind: 'events' } | { readonly kind: 'datamodel'; readonly dataset: DatasetInfo };

export interface SearchResult {
  readonly rows: readonly Row[];
  /** Output fields in order of first appearance. */
  readonly fields: readonly string[];
  readonly diagnostics: readonly RunDiagnostic[];
}

export interface SearchRun {
  pushEvent(event: EngineEvent): void;
  finish(): SearchResult;
}

export interface CompiledSearch {
  readonly query: string;
  /** The query after macro expansion. */
  readonly expanded: string;
  readonly pipeline: Pipeline;
  readonly input: SearchInput;
  /** Raw text every matching event contains (one of), or undefined when no sound pre-filter exists. */
  readonly literals?: readonly string[];
  start(): SearchRun;
}

/** Parses, expands and plans `query`. Throws `SplError` with a span in `query`. */
export function compileSearch(query: string, opts: CompileOptions): CompiledSearch {
  const { pipeline, expansion } = parse(query, opts.macros);
  const errorAt = (code: string, message: string, span: Span, extra: { command?: string; suggestion?: string } = {}): SplError =>
    new SplError(code, message, expansion.toSource(span), query, extra);
  // Runtime problems of the current run, reported once per code and message.
  let warnings = new Map<string, RunDiagnostic>();
  const evalCc: EvalCompileContext = {
    ctx: { now: opts.exec.now, timezone: opts.exec.timezone },
    error: (code, message, span, suggestion) => errorAt(code, message, span, suggestion ? { suggestion } : {}),
    warn: (code, message) => {
      const key = `${code}\u0000${message}`;
      if (!warnings.has(key)) warnings.set(key, { code, message });
    },
  };
  const text = (span: Span): string => expansion.text.slice(span.start, span.end);

  const [first, ...rest] = pipeline.commands;
  if (!first) throw errorAt('spl.empty', 'the search is empty', { start: 0, end: 0 });

  let input: SearchInput = { kind: 'events' };
  let literals: readonly string[] | undefined;
  let eventStage: (event: EngineEvent, sink: RowSink) => void;
  const stages: Stage[] = [];

  if (first.kind === 'tstats') {
    const t = planTstats(first, opts.catalog, errorAt, evalCc, text);
    input = t.input;
    literals = t.literals;
    eventStage = t.eventStage;
    stages.push(t.group);
  } else if (first.kind === 'search') {
    const pred: RowPredicate = first.expr ? compileSearchExpr(first.expr) : () => true;
    literals = first.expr ? deriveLiterals(first.expr, () => undefined, true) : undefined;
    eventStage = (event, sink) => {
      const row = event.fields();
      if (pred(row)) sink.push(row);
    };
  } else {
    throw errorAt('spl.not-generating', `a search must start with "search" or "| tstats"; "${first.kind}" needs input rows`, first.span, { command: first.kind });
  }
  for (const cmd of rest) stages.push(planStage(cmd, opts, errorAt, evalCc, text));

  return {
    query,
    expanded: expansion.text,
    pipeline,
    input,
    ...(literals ? { literals } : {}),
    start(): SearchRun {
      const rows: Row[] = [];
      warnings = new Map();
      const runWarnings = warnings;
      let ended = false;
      const collector: RowSink = { push: (r) => void rows.push(r), end: () => void (ended = true) };
      let sink = collector;
      for (let i = stages.length - 1; i >= 0; i--) sink = (stages[i] as Stage)(sink);
      const head = sink;
      return {
        pushEvent: (event) => eventStage(event, head),
        finish() {
          if (!ended) head.end();
          return { rows, fields: fieldOrder(rows), diagnostics: [...runWarnings.values()] };
        },
      };
    },
  };
}

type ErrorAt = (code: string, message: string, span: Span, extra?: { command?: string; suggestion?: string }) => SplError;

function checkAggregations(aggs: readonly Aggregation[], errorAt: ErrorAt, command: string): void {
  for (const a of aggs) {
    if (!AGGREGATIONS[a.fn]) {
      const suggestion = closest(a.fn, Object.keys(AGGREGATIONS));
      throw errorAt('spl.unknown-aggregation', `unknown aggregation function "${a.fn}"`, a.span, suggestion ? { command, suggestion } : { command });
    }
  }
}

function planTstats(cmd: TstatsCommand, catalog: DataModelCatalog, errorAt: ErrorAt, cc: EvalCompileContext, text: (s: Span) => string) {
  checkAggregations(cmd.aggregations, errorAt, 'tstats');
  let input: SearchInput = { kind: 'events' };
  let resolve = (name: string): string => name;
  let dataset: DatasetInfo | undefined;
  if (cmd.datamodel) {
    dataset = catalog.dataset(cmd.datamodel.name);
    if (!dataset) {
      const suggestion = closest(cmd.datamodel.name, catalog.names());
      throw errorAt('spl.unknown-datamodel', `unknown data model "${cmd.datamodel.name}" (known: ${catalog.names().join(', ')})`, cmd.datamodel.span, suggestion ? { command: 'tstats', suggestion } : { command: 'tstats' });
    }
    input = { kind: 'datamodel', dataset };
    const prefix = dataset.prefix + '.';
    resolve = (name) => (name.startsWith(prefix) ? name.slice(prefix.length) : name);
  }
  const where: RowPredicate = cmd.where ? compileSearchExpr(cmd.where, resolve) : () => true;
  const ds = dataset;
  const literals = cmd.where && ds ? deriveLiterals(cmd.where, (f) => ds.fields.get(resolve(f)), false) : undefined;
  const fill = cmd.options['fillnull_value'];
  const aggs = aggregationSpecs(
    cmd.aggregations,
    resolve,
    (a) => (a.expr ? compileEval(a.expr, cc) : undefined),
    (a) => (a.expr ? text(a.expr.span) : ''),
  );
  const group = groupStage({
    by: cmd.by,
    read: (row, f) => row[resolve(f)],
    ...(fill !== undefined ? { fillnull: String(fill) } : {}),
    aggregations: aggs,
  });
  const name = dataset?.name;
  const eventStage = (event: EngineEvent, sink: RowSink): void => {
    const rec = name ? event.dataset(name) : event.fields();
    if (rec && where(rec)) sink.push(rec);
  };
  return { input, literals, eventStage, group };
}

function planStage(cmd: Command, opts: CompileOptions, errorAt: ErrorAt, cc: EvalCompileContext, text: (s: Span) => string): Stage {
  switch (cmd.kind) {
    case 'search':
      return filterStage(cmd.expr ? compileSearchExpr(cmd.expr) : () => true);
    case 'where': {
      const e = compileEval(cmd.expr, cc);
      return filterStage((row) => e(row) === true);
    }
    case 'eval': {
      const exprs: CompiledExpr[] = cmd.assignments.map((a) => {
        if (isBooleanExpr(a.expr)) {
          throw errorAt('spl.eval-boolean', `the result of eval cannot be a boolean; wrap it in if(...), e.g. if(${text(a.expr.span)}, 1, 0)`, a.expr.span, { command: 'eval' });
        }
        return compileEval(a.expr, cc);
      });
      return evalStage(cmd, exprs);
    }
    case 'rename':
      return renameStage(cmd);
    case 'convert':
      for (const c of cmd.conversions) {
        if (!(CONVERT_FUNCTIONS as readonly string[]).includes(c.fn)) {
          const suggestion = closest(c.fn, CONVERT_FUNCTIONS);
          throw errorAt('spl.unknown-function', `unknown convert function "${c.fn}"`, c.span, suggestion ? { command: 'convert', suggestion } : { command: 'convert' });
        }
      }
      return convertStage(cmd, opts.exec);
    case 'stats': {
      checkAggregations(cmd.aggregations, errorAt, 'stats');
      const aggs = aggregationSpecs(
        cmd.aggregations,
        (n) => n,
        (a) => (a.expr ? compileEval(a.expr, cc) : undefined),
        (a) => (a.expr ? text(a.expr.span) : ''),
      );
      return groupStage(statsSpec(cmd, aggs));
    }
    case 'table':
      return tableStage(cmd);
    case 'fields':
      return fieldsStage(cmd);
    case 'tstats':
      if (cmd.options['append'] === true) {
        throw errorAt('spl.unsupported-option', 'tstats append=true is not supported yet', cmd.span, { command: 'tstats' });
      }
      throw errorAt('spl.not-first', 'tstats is a generating command: it must be the first command ("| tstats ...")', cmd.span, { command: 'tstats' });
  }
}

function isBooleanExpr(e: EvalExpr): boolean {
  if (e.kind === 'unary') return e.op === 'NOT';
  if (e.kind === 'in') return true;
  if (e.kind === 'boolean') return true;
  if (e.kind !== 'binary') return false;
  return ['OR', 'XOR', 'AND', '=', '==', '!=', '<', '<=', '>', '>=', 'LIKE'].includes(e.op);
}

function fieldOrder(rows: readonly Row[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k in r) if (r[k] !== undefined) seen.add(k);
  return [...seen];
}

export type { SearchCommand };
