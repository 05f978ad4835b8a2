/**
 * Compiles a search-language expression (the `search` command, the `where`
 * clause of `tstats`) into a predicate over rows.
 *
 * Semantics (flagship.md §2):
 * - values compare case-insensitively, `*` is a wildcard, field names are case-sensitive;
 * - `f=v` matches when any value of f matches; `f!=v` needs f present and no value matching;
 *   `NOT f=v` also keeps rows without f; `f IN (a, b)` is `f=a OR f=b`;
 * - `<`, `>`, `<=`, `>=` compare numerically when both sides are numbers, else as strings;
 * - a bare term matches `_raw` (case-insensitive substring; `*` wildcards), or any field
 *   value when the row has no `_raw` (result rows); `*` alone matches everything.
 */
import type { SearchExpr, SearchValue } from '../language/ast.js';
import { parseSearchFragment } from '../language/parser.js';
import type { SplError } from '../language/errors.js';
import { parseTimeModifier, resolveTimeModifier } from '../time/index.js';
import { scalarToString, toNumber, type Row, type Scalar } from '../values.js';
import { compileWildcard } from './wildcard.js';

export type RowPredicate = (row: Row) => boolean;

/** Maps a field name as written to the row's field name (`Processes.dest` → `dest`). */
export type FieldResolver = (name: string) => string;

const identity: FieldResolver = (n) => n;

/** What time bounds and compile-time errors need. */
export interface SearchCompileContext {
  /** Epoch seconds that relative times (`earliest=-1d@d`) count from. */
  readonly now: number;
  readonly timezone: string;
  error(code: string, message: string, span: { start: number; end: number }): SplError;
  /** The predicate a subsearch term stands for, once the subsearch has run; absent where subsearches cannot run. */
  readonly subsearch?: (term: SubsearchTerm) => RowPredicate;
}

export type SubsearchTerm = Extract<SearchExpr, { kind: 'subsearch' }>;

const NO_CONTEXT: SearchCompileContext = {
  now: 0,
  timezone: 'UTC',
  error: (code, message) => {
    throw new Error(`${code}: ${message}`);
  },
};

export function compileSearchExpr(expr: SearchExpr, resolve: FieldResolver = identity, sc: SearchCompileContext = NO_CONTEXT): RowPredicate {
  const recurse = (e: SearchExpr): RowPredicate => compileSearchExpr(e, resolve, sc);
  switch (expr.kind) {
    case 'and': {
      const parts = expr.items.map((e) => recurse(e));
      return (row) => {
        for (const p of parts) if (!p(row)) return false;
        return true;
      };
    }
    case 'or': {
      const parts = expr.items.map((e) => recurse(e));
      return (row) => {
        for (const p of parts) if (p(row)) return true;
        return false;
      };
    }
    case 'not': {
      const inner = recurse(expr.expr);
      return (row) => !inner(row);
    }
    case 'compare':
      return compileCompare(resolve(expr.field), expr.op, expr.value);
    case 'in': {
      const field = resolve(expr.field);
      const tests = expr.values.map((v) => valueTest(v));
      return (row) => {
        const v = row[field];
        if (v === undefined) return false;
        const vals: readonly Scalar[] = Array.isArray(v) ? v : [v as Scalar];
        for (const x of vals) {
          const s = scalarToString(x);
          for (const t of tests) if (t(s)) return true;
        }
        return false;
      };
    }
    case 'term':
      return compileTerm(expr.value);
    case 'time':
      return compileTimeBound(expr.bound, expr.value, sc);
    case 'subsearch':
      if (sc.subsearch) return sc.subsearch(expr);
      throw sc.error('spl.unsupported-command', 'a subsearch is not supported here yet', expr.span);
  }
}

/**
 * `earliest=X` keeps rows with `_time >= X`, `latest=X` rows with `_time < X`
 * (Splunk's time range is half-open). Rows without a numeric `_time` fail.
 */
function compileTimeBound(bound: 'earliest' | 'latest', value: SearchValue, sc: SearchCompileContext): RowPredicate {
  const parsed = parseTimeModifier(value.text);
  if ('error' in parsed) throw sc.error(parsed.error.code, `${bound}=: ${parsed.error.message}`, value.span);
  const at = resolveTimeModifier(parsed.modifier, sc.now, sc.timezone);
  if (at === null) throw sc.error('spl.time.bad-modifier', `${bound}=: "${value.text}" is not a valid time`, value.span);
  return (row) => {
    const t = row['_time'];
    const n = t === undefined ? undefined : toNumber(Array.isArray(t) ? (t[0] as Scalar) : (t as Scalar));
    if (n === undefined) return false;
    return bound === 'earliest' ? n >= at : n < at;
  };
}

/** A test of one field value against a search value (wildcards, case, numbers). */
function valueTest(value: SearchValue): (s: string) => boolean {
  const m = compileWildcard(value.text, value.caseSensitive === true);
  const n = !m.hasWildcard ? toNumber(value.text) : undefined;
  if (n === undefined) return (s) => m.test(s);
  return (s) => {
    if (m.test(s)) return true;
    const x = toNumber(s);
    return x !== undefined && x === n;
  };
}

function compileCompare(field: string, op: '=' | '!=' | '<' | '<=' | '>' | '>=', value: SearchValue): RowPredicate {
  if (op === '=' || op === '!=') {
    const test = valueTest(value);
    const anyMatch = (row: Row): boolean | undefined => {
      const v = row[field];
      if (v === undefined) return undefined;
      if (Array.isArray(v)) {
        for (const x of v) if (test(scalarToString(x))) return true;
        return false;
      }
      return test(scalarToString(v as Scalar));
    };
    if (op === '=') return (row) => anyMatch(row) === true;
    return (row) => anyMatch(row) === false;
  }
  const rhsNum = toNumber(value.text);
  const rhs = value.text;
  const cmp = (x: Scalar): boolean => {
    const ln = toNumber(x);
    let c: number;
    if (ln !== undefined && rhsNum !== undefined) c = ln - rhsNum;
    else {
      const ls = scalarToString(x);
      c = ls < rhs ? -1 : ls > rhs ? 1 : 0;
    }
    switch (op) {
      case '<': return c < 0;
      case '<=': return c <= 0;
      case '>': return c > 0;
      default: return c >= 0;
    }
  };
  return (row) => {
    const v = row[field];
    if (v === undefined) return false;
    if (Array.isArray(v)) return v.some(cmp);
    return cmp(v as Scalar);
  };
}

function compileTerm(value: SearchValue): RowPredicate {
  if (value.text === '*' && !value.quoted) return () => true;
  const m = compileWildcard(`*${value.text}*`, value.caseSensitive === true);
  const test = (s: string): boolean => m.test(s);
  return (row) => {
    const raw = row['_raw'];
    if (raw !== undefined) return typeof raw === 'string' ? test(raw) : false;
    for (const k in row) {
      const v = row[k];
      if (v === undefined) continue;
      if (Array.isArray(v)) {
        if (v.some((x) => test(scalarToString(x)))) return true;
      } else if (test(scalarToString(v as Scalar))) return true;
    }
    return false;
  };
}

/** True when the expression holds a subsearch term. */
export function hasSubsearch(expr: SearchExpr): boolean {
  return subsearchTerms(expr).length > 0;
}

/** The subsearch terms of an expression, in order. */
export function subsearchTerms(expr: SearchExpr, out: SubsearchTerm[] = []): SubsearchTerm[] {
  switch (expr.kind) {
    case 'and':
    case 'or':
      expr.items.forEach((e) => subsearchTerms(e, out));
      break;
    case 'not':
      subsearchTerms(expr.expr, out);
      break;
    case 'subsearch':
      out.push(expr);
      break;
    default:
      break;
  }
  return out;
}

/** Splunk's subsearch result limit (limits.conf `maxout`). */
export const SUBSEARCH_MAX_ROWS = 10000;

/**
 * What a subsearch's rows mean as a search term, as Splunk's implicit
 * `format` writes them: `(f1="a" AND f2="b") OR (...)`, a multivalue field as
 * `(f="a" OR f="b")`; internal `_` fields are left out; a `search` field's
 * first value is search text as written, a `query` field's values bare terms.
 * No rows (or only empty ones) match nothing, as `NOT ()` does.
 */
export function subsearchPredicate(rows: readonly Row[], sc: SearchCompileContext): RowPredicate {
  const span = { start: 0, end: 0 };
  const ors: SearchExpr[] = [];
  for (const row of rows.slice(0, SUBSEARCH_MAX_ROWS)) {
    const ands: SearchExpr[] = [];
    for (const k in row) {
      const v = row[k];
      if (v === undefined || k.startsWith('_')) continue;
      const vals = (Array.isArray(v) ? v : [v as Scalar]).map(scalarToString);
      if (k === 'search') {
        const parsed = vals[0] === undefined ? undefined : parseSearchFragment(vals[0]);
        if (parsed) ands.push(parsed);
        continue;
      }
      const items: SearchExpr[] = vals.map((text) =>
        k === 'query'
          ? { kind: 'term', value: { text, quoted: true, span }, span }
          : { kind: 'compare', field: k, op: '=', value: { text, quoted: true, span }, span },
      );
      if (items.length === 1) ands.push(items[0] as SearchExpr);
      else if (items.length > 1) ands.push({ kind: 'or', items, span });
    }
    if (ands.length === 1) ors.push(ands[0] as SearchExpr);
    else if (ands.length > 1) ors.push({ kind: 'and', items: ands, span });
  }
  if (ors.length === 0) return () => false;
  return compileSearchExpr(ors.length === 1 ? (ors[0] as SearchExpr) : { kind: 'or', items: ors, span }, identity, sc);
}
