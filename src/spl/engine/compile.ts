/**
 * The planner: turns a parsed pipeline into an executable search.
 *
 * The first command decides the input: `tstats ... from datamodel=X` reads the
 * data model's records, `search` and `tstats` without a model read raw events.
 * Every other command becomes a row stage. The planner also derives the
 * literal pre-filter (see literals.ts).
 */
import type { Aggregation, Command, EvalExpr, ForeachCommand, LookupCommand, MapCommand, PatternLiteral, Pipeline, SearchExpr, TransactionCondition, SearchCommand, StreamstatsCommand, TstatsCommand } from '../language/ast.js';
import { SplError, closest, type Span } from '../language/errors.js';
import type { MacroResolver } from '../language/macros.js';
import { parse, parseCommandList, parseSearchFragment } from '../language/parser.js';
import { newRow, type Row } from '../values.js';
import { AGGREGATIONS } from './aggregate.js';
import { compileEval, type CompiledExpr, type EvalCompileContext } from './eval-expr.js';
import { deriveLiterals } from './literals.js';
import { compilePcre, compileSed } from '../regex/index.js';
import { appendpipeStage, appendStage, joinStage, mapStage, subsearchFilterStage } from './combine-stages.js';
import { foreachStage, fromjsonStage, regexStage, rexSedStage, rexStage, spathStage, xmlkvStage, type Pcre } from './extract-stages.js';
import {
  addtotalsStage,
  binStage,
  dedupStage,
  fillnullStage,
  headStage,
  makemvStage,
  mvexpandStage,
  replaceStage,
  sortStage,
  tailStage,
} from './row-stages.js';
import { compileSearchExpr, hasSubsearch, subsearchTerms, type RowPredicate, type SearchCompileContext, type SubsearchTerm } from './search-predicate.js';
import {
  LookupError,
  checkLookupSpec,
  inputlookupRows,
  inputlookupStage,
  lookupStage,
  outputlookupStage,
  parseInputlookupArgs,
  parseLookupArgs,
  parseOutputlookupArgs,
  type InputlookupSpec,
  type LookupCatalog,
  type LookupWriter,
} from './lookup.js';
import { transactionStage } from './transaction-stage.js';
import { chartStage, eventstatsStage, streamstatsStage, topStage, type StreamstatsOptions } from './stats-stages.js';
import {
  CONVERT_FUNCTIONS,
  aggregationSpecs,
  convertStage,
  copyRow,
  evalStage,
  fieldsStage,
  filterStage,
  groupStage,
  renameStage,
  statsSpec,
  tableStage,
  type GroupSpec,
  type PipelineRun,
  type RunContext,
  type Stage,
} from './stages.js';
import type { DataModelCatalog, DatasetInfo, EngineEvent, ExecOptions, RowSink, RunDiagnostic } from './types.js';

export interface CompileOptions {
  readonly macros: MacroResolver;
  readonly catalog: DataModelCatalog;
  readonly exec: ExecOptions;
  /** Lookup tables for `lookup`/`inputlookup`; without them those commands are `spl.unsupported-command`. */
  readonly lookups?: LookupCatalog;
  /** Where `outputlookup` writes; without it `outputlookup` is `spl.unsupported-command`. */
  readonly lookupWriter?: LookupWriter;
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
  const env: Env = {
    opts,
    errorAt,
    cc: evalCc,
    sc: { now: opts.exec.now, timezone: opts.exec.timezone, error: (code, message, span) => errorAt(code, message, span) },
    text: (span: Span): string => expansion.text.slice(span.start, span.end),
  };
  const plan = planPipeline(pipeline, env);

  return {
    query,
    expanded: expansion.text,
    pipeline,
    input: plan.input,
    ...(plan.literals ? { literals: plan.literals } : {}),
    start(): SearchRun {
      warnings = new Map();
      const runWarnings = warnings;
      const run = plan.open();
      return {
        pushEvent: (event) => run.pushEvent(event),
        finish() {
          const rows = run.finish();
          return { rows, fields: fieldOrder(rows), diagnostics: [...runWarnings.values()] };
        },
      };
    },
  };
}

/** What planning needs: options, error constructors, and the expanded text. */
interface Env {
  readonly opts: CompileOptions;
  readonly errorAt: ErrorAt;
  readonly cc: EvalCompileContext;
  readonly sc: SearchCompileContext;
  readonly text: (s: Span) => string;
}

/** A planned pipeline (the main search or a subsearch). */
interface Plan {
  readonly input: SearchInput;
  /** Undefined when no sound pre-filter exists (always so with subsearches: they need every event). */
  readonly literals?: readonly string[];
  /** Whether this pipeline or one of its subsearches reads raw events. */
  readonly readsEvents: boolean;
  open(): PipelineRun;
}

function planPipeline(pipeline: Pipeline, env: Env): Plan {
  const { errorAt } = env;
  const [first, ...rest] = pipeline.commands;
  if (!first) throw errorAt('spl.empty', 'the search is empty', pipeline.span);

  let input: SearchInput = { kind: 'events' };
  let literals: readonly string[] | undefined;
  let eventStage: (event: EngineEvent, sink: RowSink) => void;
  const stages: Stage[] = [];
  const subs: Plan[] = [];

  // Rows a generating command makes when the events have all been seen.
  let generate: ((sink: RowSink) => void) | undefined;
  if (first.kind === 'inputlookup') {
    const spec = inputlookupSpec(first, env);
    const catalog = lookupCatalog(first, env);
    let rows: Row[];
    try {
      rows = inputlookupRows(spec, catalog);
    } catch (err) {
      if (err instanceof LookupError) throw lookupError(err, first, env, true);
      throw err;
    }
    eventStage = () => undefined;
    generate = (sink) => rows.forEach((r) => sink.push(r));
  } else if (first.kind === 'from') {
    const name = first.datamodel.name;
    const dataset = env.opts.catalog.dataset(name);
    if (!dataset) {
      const suggestion = closest(name, env.opts.catalog.names());
      throw errorAt('spl.unknown-datamodel', `unknown data model "${name}" (known: ${env.opts.catalog.names().join(', ')})`, first.datamodel.span, suggestion ? { command: 'from', suggestion } : { command: 'from' });
    }
    input = { kind: 'datamodel', dataset };
    const full = dataset.name;
    // The dataset's records with their fields unprefixed, and the event's text as `_raw`.
    eventStage = (event, sink) => {
      const rec = event.dataset(full);
      if (!rec) return;
      const row = newRow();
      for (const k in rec) row[k] = rec[k];
      const raw = event.fields()['_raw'];
      if (raw !== undefined) row['_raw'] = raw;
      sink.push(row);
    };
  } else if (first.kind === 'makeresults') {
    const now = env.opts.exec.now;
    const n = first.count;
    eventStage = () => undefined;
    generate = (sink) => {
      for (let i = 0; i < n; i++) {
        const row = newRow();
        row['_time'] = now;
        sink.push(row);
      }
    };
  } else if (first.kind === 'tstats') {
    const t = planTstats(first, env);
    input = t.input;
    literals = t.literals;
    eventStage = t.eventStage;
    stages.push(t.group);
  } else if (first.kind === 'search' && first.expr && hasSubsearch(first.expr)) {
    // The filter needs the subsearch rows, known only when every event has been seen; the
    // AND-ed terms without a subsearch can drop events now, so fewer rows wait.
    const eager = first.expr.kind === 'and' ? first.expr.items.filter((e) => !hasSubsearch(e)) : [];
    const pre: RowPredicate =
      eager.length === 0 ? () => true : compileSearchExpr({ kind: 'and', items: eager, span: first.expr.span }, undefined, env.sc);
    eventStage = (event, sink) => {
      const row = event.fields();
      if (pre(row)) sink.push(row);
    };
    stages.push(subsearchStage(first.expr, env, subs));
  } else if (first.kind === 'search') {
    const pred: RowPredicate = first.expr ? compileSearchExpr(first.expr, undefined, env.sc) : () => true;
    literals = first.expr ? deriveLiterals(first.expr, () => undefined, true) : undefined;
    eventStage = (event, sink) => {
      const row = event.fields();
      if (pred(row)) sink.push(row);
    };
  } else {
    throw errorAt('spl.not-generating', `a search must start with "search" or "| tstats"; "${first.kind}" needs input rows`, first.span, { command: first.kind });
  }
  const needs: Needs = { eventLog: false };
  for (const cmd of rest) stages.push(planStage(cmd, env, subs, needs));
  const generating = first.kind === 'makeresults' || first.kind === 'inputlookup';
  const readsEvents = (input.kind === 'events' && !generating) || subs.some((p) => p.readsEvents) || needs.eventLog;
  if (subs.length > 0 || needs.eventLog) literals = undefined;
  if (readsEvents) input = { kind: 'events' };

  return {
    input,
    ...(literals ? { literals } : {}),
    readsEvents,
    open(): PipelineRun {
      const rows: Row[] = [];
      const subRuns: PipelineRun[] = [];
      let ended = false;
      const log: EngineEvent[] = [];
      const ctx: RunContext = {
        open(p) {
          const r = p.open();
          subRuns.push(r);
          return r;
        },
        events: () => log,
      };
      let sink: RowSink = { push: (r) => void rows.push(r), end: () => void (ended = true) };
      for (let i = stages.length - 1; i >= 0; i--) sink = (stages[i] as Stage)(sink, ctx);
      const head = sink;
      return {
        pushEvent(event) {
          if (needs.eventLog) log.push(event);
          // Subsearches first, as Splunk runs them before the main search.
          for (const r of subRuns) r.pushEvent(event);
          eventStage(event, head);
        },
        finish() {
          if (!ended) {
            generate?.(head);
            head.end();
          }
          return rows;
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

function planTstats(cmd: TstatsCommand, env: Env) {
  const { errorAt, cc, text } = env;
  const catalog = env.opts.catalog;
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
  const where: RowPredicate = cmd.where ? compileSearchExpr(cmd.where, resolve, env.sc) : () => true;
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
    byNames: cmd.by.map((b) => resolve(b.field)),
    // The group stage is the first: its rows are the events' records, shared and never changed.
    sharedRows: true,
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

/** What a pipeline's stages need from its runs. */
interface Needs {
  /** `map` runs searches over the events again, so the run keeps them. */
  eventLog: boolean;
}

function planStage(cmd: Command, env: Env, subs: Plan[], needs: Needs): Stage {
  const { opts, errorAt, cc, text } = env;
  switch (cmd.kind) {
    case 'search':
      if (cmd.expr && hasSubsearch(cmd.expr)) return subsearchStage(cmd.expr, env, subs);
      return filterStage(cmd.expr ? compileSearchExpr(cmd.expr, undefined, env.sc) : () => true);
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
    case 'stats':
      return groupStage(statsSpec(cmd, statsAggs(cmd.aggregations, env, 'stats')));
    case 'eventstats':
      return eventstatsStage(cmd.by, statsAggs(cmd.aggregations, env, 'eventstats'));
    case 'streamstats':
      return streamstatsStage(cmd.by, statsAggs(cmd.aggregations, env, 'streamstats'), streamstatsOptions(cmd, env));
    case 'timechart':
      return chartStage({ over: '_time', bucket: cmd.binSpan?.seconds ?? 'auto', splitBy: cmd.splitBy, series: cmd.series, aggregations: cmd.aggregations, aggs: statsAggs(cmd.aggregations, env, 'timechart') });
    case 'chart':
      return chartStage({ over: cmd.over, splitBy: cmd.splitBy, series: cmd.series, aggregations: cmd.aggregations, aggs: statsAggs(cmd.aggregations, env, 'chart') });
    case 'top':
    case 'rare':
      return topStage(cmd);
    case 'bin':
      return binStage(cmd);
    case 'rex': {
      if (cmd.offsetField !== undefined) throw errorAt('spl.unsupported-option', 'rex offset_field= is not supported yet', cmd.span, { command: 'rex' });
      if (cmd.mode === 'sed') {
        const program = compileSed(cmd.pattern.text);
        if ('error' in program) throw errorAt(program.error.code, `rex: ${program.error.message}`, cmd.pattern.span, { command: 'rex' });
        return rexSedStage(cmd, program);
      }
      const pcre = regexOf(cmd.pattern, env, 'rex');
      if (!pcre.compiled.groupNames.some((n) => n !== undefined)) {
        throw errorAt('spl.rex-no-groups', 'rex needs at least one named group such as (?<name>...)', cmd.pattern.span, { command: 'rex' });
      }
      return rexStage(cmd, pcre);
    }
    case 'regex':
      return regexStage(cmd, regexOf(cmd.pattern, env, 'regex'));
    case 'fillnull':
      return fillnullStage(cmd);
    case 'dedup':
      return dedupStage(cmd);
    case 'sort':
      return sortStage(cmd.keys, cmd.limit, cmd.reverse);
    case 'head':
      return headStage(cmd.count);
    case 'tail':
      return tailStage(cmd.count);
    case 'mvexpand':
      return mvexpandStage(cmd);
    case 'makemv':
      return makemvStage(cmd, cmd.tokenizer ? regexOf(cmd.tokenizer, env, 'makemv') : undefined);
    case 'replace':
      return replaceStage(cmd);
    case 'addtotals':
      return addtotalsStage(cmd);
    case 'append': {
      const sub = planPipeline(cmd.subsearch.pipeline, env);
      subs.push(sub);
      return appendStage(sub);
    }
    case 'join': {
      const sub = planPipeline(cmd.subsearch.pipeline, env);
      subs.push(sub);
      return joinStage(cmd, sub);
    }
    case 'appendpipe': {
      const inner = cmd.subsearch.pipeline.commands.map((c) => planStage(c, env, subs, needs));
      return appendpipeStage(inner);
    }
    case 'xmlkv':
      return xmlkvStage(cmd);
    case 'transaction': {
      const cond = (c: TransactionCondition | undefined): RowPredicate | undefined => {
        if (!c) return undefined;
        if (c.kind === 'search') return compileSearchExpr(c.expr, undefined, env.sc);
        const e = compileEval(c.expr, cc);
        return (row) => e(row) === true;
      };
      return transactionStage(cmd, cond(cmd.startswith), cond(cmd.endswith));
    }
    case 'foreach':
      return foreachStage(cmd, foreachBody(cmd, env));
    case 'spath':
      return spathStage(cmd);
    case 'fromjson':
      return fromjsonStage(cmd);
    case 'table':
      return tableStage(cmd);
    case 'fields':
      return fieldsStage(cmd);
    case 'lookup': {
      const catalog = lookupCatalog(cmd, env);
      const spec = lookupArgs(cmd, env, parseLookupArgs);
      const problem = checkLookupSpec(spec, catalog);
      if (problem) throw lookupError(problem, cmd, env, true);
      return lookupStage(spec, catalog);
    }
    case 'inputlookup': {
      const spec = inputlookupSpec(cmd, env);
      if (spec.append !== true) {
        throw errorAt('spl.not-first', 'inputlookup is a generating command: use it first ("| inputlookup ...") or with append=true', cmd.span, { command: 'inputlookup' });
      }
      const catalog = lookupCatalog(cmd, env);
      try {
        return inputlookupStage(spec, catalog);
      } catch (err) {
        if (err instanceof LookupError) throw lookupError(err, cmd, env, true);
        throw err;
      }
    }
    case 'outputlookup': {
      const writer = env.opts.lookupWriter;
      if (!writer) throw errorAt('spl.unsupported-command', 'outputlookup needs somewhere to write lookups, and none was given', cmd.span, { command: 'outputlookup' });
      return outputlookupStage(lookupArgs(cmd, env, parseOutputlookupArgs), writer);
    }
    case 'map':
      needs.eventLog = true;
      return mapStage(cmd.template.text, cmd.maxsearches, mapSearches(cmd, env));
    case 'makeresults':
      throw errorAt('spl.not-first', 'makeresults is a generating command: it must be the first command ("| makeresults ...")', cmd.span, { command: 'makeresults' });
    case 'from':
      throw errorAt('spl.not-first', 'from is a generating command: it must be the first command ("| from datamodel:...")', cmd.span, { command: 'from' });
    case 'tstats':
      if (cmd.options['append'] === true) {
        throw errorAt('spl.unsupported-option', 'tstats append=true is not supported yet', cmd.span, { command: 'tstats' });
      }
      throw errorAt('spl.not-first', 'tstats is a generating command: it must be the first command ("| tstats ...")', cmd.span, { command: 'tstats' });
  }
}

/**
 * Instantiates a foreach body for one field: the template text with
 * `<<FIELD>>`/`<<MATCHSTR>>` replaced, parsed and compiled (cached per field).
 * Bodies are `eval` commands only, which is what foreach is for in ESCU; the
 * template is checked once with a stand-in name so errors show at compile time.
 */
function foreachBody(cmd: ForeachCommand, env: Env): (field: string, match: string) => ((row: Row) => Row) | undefined {
  const instantiate = (field: string, match: string): ((row: Row) => Row) => {
    const text = cmd.template.text.split(cmd.fieldstr).join(field).split(cmd.matchstr).join(match);
    const where = (err: unknown): never => {
      if (err instanceof SplError) throw env.errorAt(err.code, `foreach body: ${err.message}`, cmd.template.span, { command: 'foreach' });
      throw err;
    };
    let commands: Command[] = [];
    try {
      commands = parseCommandList(text);
    } catch (err) {
      where(err);
    }
    const evals: { field: string; expr: CompiledExpr }[] = [];
    for (const c of commands) {
      if (c.kind !== 'eval') throw env.errorAt('spl.unsupported-command', `foreach bodies may only hold eval commands, not "${c.kind}"`, cmd.template.span, { command: 'foreach' });
      for (const a of c.assignments) {
        // Spans inside the body point into the instantiated text; report them at the body.
        const cc: EvalCompileContext = { ...env.cc, error: (code, message) => env.errorAt(code, `foreach body: ${message}`, cmd.template.span, { command: 'foreach' }) };
        evals.push({ field: a.field, expr: compileEval(a.expr, cc) });
      }
    }
    return (row) => {
      const out = copyRow(row);
      for (const e of evals) {
        const v = e.expr(out);
        if (v === null || typeof v === 'boolean') delete out[e.field];
        else out[e.field] = v;
      }
      return out;
    };
  };
  instantiate('spelunk_field', 'spelunk_field');
  const cache = new Map<string, (row: Row) => Row>();
  return (field, match) => {
    const key = `${field}\u0000${match}`;
    let fn = cache.get(key);
    if (!fn) {
      try {
        fn = instantiate(field, match);
      } catch (err) {
        if (!(err instanceof SplError)) throw err;
        env.cc.warn(err.code, err.message);
        return undefined;
      }
      cache.set(key, fn);
    }
    return fn;
  };
}

/** Plans the subsearches of a search expression and the filter that waits for them. */
function subsearchStage(expr: SearchExpr, env: Env, subs: Plan[]): Stage {
  const plans = new Map<SubsearchTerm, Plan>();
  for (const term of subsearchTerms(expr)) {
    const plan = planPipeline(term.subsearch.pipeline, env);
    plans.set(term, plan);
    subs.push(plan);
  }
  // Checks the rest of the expression now, so errors show at compile time.
  compileSearchExpr(expr, undefined, { ...env.sc, subsearch: () => () => false });
  return subsearchFilterStage(expr, plans, env.sc);
}

/**
 * Compiles map's searches (cached by text). Errors point at the template: its
 * text is the user's, but each instance is a new text. The template is checked
 * once with a stand-in for every `$field$`, so a broken one fails at compile time;
 * an instance that still fails is reported as a warning and skipped.
 */
function mapSearches(cmd: MapCommand, env: Env): (text: string) => Plan | undefined {
  const at = cmd.template.span;
  const compileText = (text: string): Plan => {
    const wrap = (code: string, message: string): SplError => env.errorAt(code, `map search: ${message}`, at, { command: 'map' });
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(text, env.opts.macros);
    } catch (err) {
      if (err instanceof SplError) throw wrap(err.code, err.message);
      throw err;
    }
    const { pipeline, expansion } = parsed;
    const sub: Env = {
      ...env,
      errorAt: (code, message) => wrap(code, message),
      cc: { ...env.cc, error: (code, message) => wrap(code, message) },
      sc: { ...env.sc, error: (code, message) => wrap(code, message) },
      text: (span) => expansion.text.slice(span.start, span.end),
    };
    return planPipeline(pipeline, sub);
  };
  // A stand-in value, not an empty one: `TargetLogonId=$TargetLogonId$` must stay a comparison.
  compileText(cmd.template.text.replace(/\$([^$\s]+)\$/g, 'spelunk_value'));
  const cache = new Map<string, Plan | undefined>();
  return (text) => {
    if (cache.has(text)) return cache.get(text);
    let plan: Plan | undefined;
    try {
      plan = compileText(text);
    } catch (err) {
      if (!(err instanceof SplError)) throw err;
      env.cc.warn(err.code, err.message);
    }
    cache.set(text, plan);
    return plan;
  };
}

/** The lookup catalog, or the error saying there is none. */
function lookupCatalog(cmd: LookupCommand, env: Env): LookupCatalog {
  const catalog = env.opts.lookups;
  if (!catalog) throw env.errorAt('spl.unsupported-command', `${cmd.kind} needs lookup tables, and none were given`, cmd.span, { command: cmd.kind });
  return catalog;
}

/** A LookupError as an SplError: at its offset in the arguments, else at the arguments. */
function lookupError(err: LookupError, cmd: LookupCommand, env: Env, wholeArgs = false): SplError {
  const at = err.extra.offset;
  const span =
    at === undefined || wholeArgs ? cmd.args.span : { start: cmd.args.span.start + at, end: Math.min(cmd.args.span.end, cmd.args.span.start + at + 1) };
  const extra: { command: string; suggestion?: string } = { command: cmd.kind };
  if (err.extra.suggestion !== undefined) extra.suggestion = err.extra.suggestion;
  return env.errorAt(err.code, err.message, span, extra);
}

function lookupArgs<T>(cmd: LookupCommand, env: Env, parseArgs: (text: string) => T): T {
  try {
    return parseArgs(cmd.args.text);
  } catch (err) {
    if (err instanceof LookupError) throw lookupError(err, cmd, env);
    throw err;
  }
}

/** `inputlookup` arguments with the WHERE clause parsed by the search-language parser. */
function inputlookupSpec(cmd: LookupCommand, env: Env): InputlookupSpec {
  const { spec, where } = lookupArgs(cmd, env, parseInputlookupArgs);
  if (!where) return spec;
  try {
    const expr = parseSearchFragment(where.text);
    return expr ? { ...spec, where: expr } : spec;
  } catch (err) {
    if (!(err instanceof SplError)) throw err;
    const start = cmd.args.span.start + where.offset + err.span.start;
    throw env.errorAt(err.code, err.message, { start, end: start + Math.max(1, err.span.end - err.span.start) }, { command: 'inputlookup' });
  }
}

function statsAggs(aggregations: readonly Aggregation[], env: Env, command: string): GroupSpec['aggregations'] {
  checkAggregations(aggregations, env.errorAt, command);
  return aggregationSpecs(
    aggregations,
    (n) => n,
    (a) => (a.expr ? compileEval(a.expr, env.cc) : undefined),
    (a) => (a.expr ? env.text(a.expr.span) : ''),
  );
}

const STREAMSTATS_OPTIONS = ['current', 'window', 'global', 'reset_on_change', 'allnum'] as const;

function streamstatsOptions(cmd: StreamstatsCommand, env: Env): StreamstatsOptions {
  const o = cmd.options;
  for (const name of Object.keys(o)) {
    if (!(STREAMSTATS_OPTIONS as readonly string[]).includes(name)) {
      throw env.errorAt('spl.unsupported-option', `streamstats ${name}= is not supported yet`, cmd.span, { command: 'streamstats' });
    }
  }
  const bool = (name: string, dflt: boolean): boolean => {
    const v = o[name];
    if (v === undefined) return dflt;
    if (typeof v === 'boolean') return v;
    if (v === 1 || v === 0) return v === 1;
    throw env.errorAt('spl.bad-option', `streamstats ${name}= needs true or false, got "${String(v)}"`, cmd.span, { command: 'streamstats' });
  };
  const window = o['window'] ?? 0;
  if (typeof window !== 'number' || !Number.isInteger(window) || window < 0) {
    throw env.errorAt('spl.bad-option', `streamstats window= needs a whole number, got "${String(window)}"`, cmd.span, { command: 'streamstats' });
  }
  return { current: bool('current', true), window, global: bool('global', true), resetOnChange: bool('reset_on_change', false) };
}

/** Compiles a literal PCRE pattern; a pattern that cannot compile is an error at the pattern. */
function regexOf(p: PatternLiteral, env: Env, command: string): Pcre {
  const r = compilePcre(p.text);
  if ('error' in r) throw env.errorAt(r.error.code, `${command}: ${r.error.message}`, p.span, { command });
  return r;
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
