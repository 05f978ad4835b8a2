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
import { scalarToString, toNumber, type Row, type Scalar } from '../values.js';
import { compileWildcard } from './wildcard.js';

export type RowPredicate = (row: Row) => boolean;

/** Maps a field name as written to the row's field name (`Processes.dest` → `dest`). */
export type FieldResolver = (name: string) => string;

const identity: FieldResolver = (n) => n;

export function compileSearchExpr(expr: SearchExpr, resolve: FieldResolver = identity): RowPredicate {
  switch (expr.kind) {
    case 'and': {
      const parts = expr.items.map((e) => compileSearchExpr(e, resolve));
      return (row) => {
        for (const p of parts) if (!p(row)) return false;
        return true;
      };
    }
    case 'or': {
      const parts = expr.items.map((e) => compileSearchExpr(e, resolve));
      return (row) => {
        for (const p of parts) if (p(row)) return true;
        return false;
      };
    }
    case 'not': {
      const inner = compileSearchExpr(expr.expr, resolve);
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
  }
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
