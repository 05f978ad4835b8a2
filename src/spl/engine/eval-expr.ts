/**
 * Compiles eval expressions (the `eval` and `where` commands, `count(eval(...))`)
 * into functions of a row.
 *
 * Semantics:
 * - a field holding decimal text acts as a number in arithmetic and comparison;
 * - `=`/`==`/`!=`/`<`... compare numerically when both sides are numeric, else as
 *   strings, case-sensitively (use like()/match() otherwise);
 * - a comparison with null is false; AND/OR/XOR/NOT treat null as false;
 * - `+` adds numbers and concatenates two strings; `.` concatenates text;
 * - a multivalue operand of a comparison matches when any of its values does.
 */
import type { EvalExpr } from '../language/ast.js';
import { SplError } from '../language/errors.js';
import { EvalFunctionError, lookupFunction, suggestFunction, type EvalContext } from '../eval/functions.js';
import { compilePcre } from '../regex/index.js';
import { scalarToString, toNumber, type EvalValue, type Row, type Scalar } from '../values.js';
import { parseSearchFragment } from '../language/parser.js';
import { compileSearchExpr } from './search-predicate.js';

export type CompiledExpr = (row: Row) => EvalValue;

export interface EvalCompileContext {
  readonly ctx: EvalContext;
  /** Raises a compile-time error at a span of the expanded query. */
  error(code: string, message: string, span: { start: number; end: number }, suggestion?: string): SplError;
  /** Records a problem found while running (the value becomes null and the search goes on). */
  warn(code: string, message: string): void;
}

/** Functions whose argument at this index is a regular expression. */
const REGEX_ARG: Readonly<Record<string, number>> = { match: 1, replace: 1, mvfind: 1 };

export function compileEval(expr: EvalExpr, cc: EvalCompileContext): CompiledExpr {
  switch (expr.kind) {
    case 'string': {
      const v = expr.value;
      return () => v;
    }
    case 'number': {
      const v = expr.value;
      return () => v;
    }
    case 'boolean': {
      const v = expr.value;
      return () => v;
    }
    case 'field': {
      const name = expr.name;
      return (row) => {
        const v = row[name];
        return v === undefined ? null : v;
      };
    }
    case 'call': {
      const special = SPECIAL_FORMS[expr.name];
      if (special) return special(expr, cc);
      // Names are matched as written, then in lower case (ESCU writes `LIKE(x, "%a%")`).
      const fn = lookupFunction(expr.name) ?? lookupFunction(expr.name.toLowerCase());
      if (!fn) {
        const suggestion = suggestFunction(expr.name);
        throw cc.error('spl.unknown-function', `unknown eval function "${expr.name}"`, expr.span, suggestion);
      }
      if (expr.args.length < fn.minArgs || expr.args.length > fn.maxArgs) {
        const want = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : fn.maxArgs === Infinity ? `at least ${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
        throw cc.error('spl.bad-arguments', `${expr.name}() takes ${want} argument(s), got ${expr.args.length}`, expr.span);
      }
      const regexAt = REGEX_ARG[expr.name];
      const regexArg = regexAt !== undefined ? expr.args[regexAt] : undefined;
      if (regexArg?.kind === 'string') {
        const r = compilePcre(regexArg.value);
        if ('error' in r) throw cc.error(r.error.code, `${expr.name}(): ${r.error.message}`, regexArg.span);
      }
      const args = expr.args.map((a) => compileEval(a, cc));
      const ctx = cc.ctx;
      return (row) => {
        try {
          return fn.call(args.map((a) => a(row)), ctx);
        } catch (err) {
          if (!(err instanceof EvalFunctionError)) throw err;
          cc.warn(err.code, `${expr.name}(): ${err.message}`);
          return null;
        }
      };
    }
    case 'unary': {
      const inner = compileEval(expr.expr, cc);
      if (expr.op === 'NOT') return (row) => !truthy(inner(row));
      const sign = expr.op === '-' ? -1 : 1;
      return (row) => {
        const n = numeric(inner(row));
        return n === undefined ? null : sign * n;
      };
    }
    case 'in': {
      const left = compileEval(expr.expr, cc);
      const values = expr.values.map((v) => compileEval(v, cc));
      return (row) => {
        const l = left(row);
        return values.some((v) => compare('=', l, v(row)));
      };
    }
    case 'binary': {
      const l = compileEval(expr.left, cc);
      const r = compileEval(expr.right, cc);
      switch (expr.op) {
        case 'AND':
          return (row) => truthy(l(row)) && truthy(r(row));
        case 'OR':
          return (row) => truthy(l(row)) || truthy(r(row));
        case 'XOR':
          return (row) => truthy(l(row)) !== truthy(r(row));
        case '=':
        case '==':
        case '!=':
        case '<':
        case '<=':
        case '>':
        case '>=': {
          const op = expr.op === '==' ? '=' : expr.op;
          return (row) => compare(op, l(row), r(row));
        }
        case 'LIKE':
          return (row) => {
            const a = l(row);
            const p = r(row);
            if (a === null || p === null || typeof a === 'boolean' || typeof p === 'boolean') return false;
            return anyValue(a, (x) => likeMatch(scalarToString(x), scalarToString(Array.isArray(p) ? (p[0] as Scalar) : (p as Scalar))));
          };
        case '.':
          return (row) => {
            const a = l(row);
            const b = r(row);
            if (a === null || b === null) return null;
            return text(a) + text(b);
          };
        case '+':
          return (row) => {
            const a = l(row);
            const b = r(row);
            const na = numeric(a);
            const nb = numeric(b);
            if (na !== undefined && nb !== undefined) return na + nb;
            if (typeof a === 'string' && typeof b === 'string') return a + b;
            return null;
          };
        case '-':
        case '*':
        case '/':
        case '%': {
          const op = expr.op;
          return (row) => {
            const na = numeric(l(row));
            const nb = numeric(r(row));
            if (na === undefined || nb === undefined) return null;
            switch (op) {
              case '-': return na - nb;
              case '*': return na * nb;
              case '/': return nb === 0 ? null : na / nb;
              default: return nb === 0 ? null : na % nb;
            }
          };
        }
      }
    }
  }
}

type CallExpr = Extract<EvalExpr, { kind: 'call' }>;

/**
 * Functions that are not functions of their argument values: they read a
 * search string, or evaluate an expression once per value of a field.
 */
const SPECIAL_FORMS: Readonly<Record<string, (expr: CallExpr, cc: EvalCompileContext) => CompiledExpr>> = {
  searchmatch: compileSearchmatch,
  mvfilter: compileMvfilter,
  mvmap: compileMvmap,
};

function arity(expr: CallExpr, n: number, cc: EvalCompileContext): void {
  if (expr.args.length !== n) throw cc.error('spl.bad-arguments', `${expr.name}() takes ${n} argument(s), got ${expr.args.length}`, expr.span);
}

/** searchmatch("<search>"): the search language applied to the row; the string must be literal. */
function compileSearchmatch(expr: CallExpr, cc: EvalCompileContext): CompiledExpr {
  arity(expr, 1, cc);
  const arg = expr.args[0] as EvalExpr;
  if (arg.kind !== 'string') throw cc.error('spl.bad-arguments', 'searchmatch() needs a quoted search string', arg.span);
  let pred: (row: Row) => boolean;
  try {
    const parsed = parseSearchFragment(arg.value);
    if (!parsed) return () => true;
    pred = compileSearchExpr(parsed, undefined, {
      now: cc.ctx.now,
      timezone: cc.ctx.timezone ?? 'UTC',
      error: (code, message) => cc.error(code, `searchmatch(): ${message}`, arg.span),
    });
  } catch (err) {
    if (err instanceof SplError && err.source === arg.value) throw cc.error(err.code, `searchmatch(): ${err.message}`, arg.span);
    throw err;
  }
  return (row) => pred(row);
}

/** The distinct field names an expression reads. */
function fieldsOf(e: EvalExpr, out: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case 'field':
      out.add(e.name);
      break;
    case 'call':
      e.args.forEach((a) => fieldsOf(a, out));
      break;
    case 'unary':
      fieldsOf(e.expr, out);
      break;
    case 'binary':
      fieldsOf(e.left, out);
      fieldsOf(e.right, out);
      break;
    case 'in':
      fieldsOf(e.expr, out);
      e.values.forEach((v) => fieldsOf(v, out));
      break;
    default:
      break;
  }
  return out;
}

/** The row seen while evaluating for one value: the field holds just that value. */
function bind(row: Row, field: string, value: Scalar): Row {
  const r = Object.create(row) as Row;
  r[field] = value;
  return r;
}

/** mvfilter(<predicate on one field>): the values of that field for which the predicate is true. */
function compileMvfilter(expr: CallExpr, cc: EvalCompileContext): CompiledExpr {
  arity(expr, 1, cc);
  const pred = expr.args[0] as EvalExpr;
  const names = [...fieldsOf(pred)];
  if (names.length !== 1) {
    throw cc.error('spl.bad-arguments', `mvfilter() needs an expression over exactly one field, found ${names.length}`, pred.span);
  }
  const field = names[0] as string;
  const test = compileEval(pred, cc);
  return (row) => {
    const v = row[field];
    if (v === undefined) return null;
    const kept = (Array.isArray(v) ? v : [v as Scalar]).filter((x) => test(bind(row, field, x)) === true);
    return kept.length === 0 ? null : kept.length === 1 ? (kept[0] as Scalar) : kept;
  };
}

/** mvmap(<field>, <expression>): the expression for each value of the field (null results dropped). */
function compileMvmap(expr: CallExpr, cc: EvalCompileContext): CompiledExpr {
  arity(expr, 2, cc);
  const target = expr.args[0] as EvalExpr;
  if (target.kind !== 'field') throw cc.error('spl.bad-arguments', 'mvmap() needs a field name as its first argument', target.span);
  const field = target.name;
  const map = compileEval(expr.args[1] as EvalExpr, cc);
  return (row) => {
    const v = row[field];
    if (v === undefined) return null;
    const out: Scalar[] = [];
    for (const x of Array.isArray(v) ? v : [v as Scalar]) {
      const r = map(bind(row, field, x));
      if (r === null || typeof r === 'boolean') continue;
      if (Array.isArray(r)) out.push(...r);
      else out.push(r as Scalar);
    }
    return out.length === 0 ? null : out.length === 1 ? (out[0] as Scalar) : out;
  };
}

/** True for boolean true, and for nothing else (null and non-booleans are false). */
export function truthy(v: EvalValue): boolean {
  return v === true;
}

function numeric(v: EvalValue): number | undefined {
  if (v === null || typeof v === 'boolean') return undefined;
  if (Array.isArray(v)) return v.length > 0 ? toNumber(v[0] as Scalar) : undefined;
  return toNumber(v as Scalar);
}

function text(v: EvalValue): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return v.map(scalarToString).join(' ');
  return scalarToString(v as Scalar);
}

function anyValue(v: EvalValue, test: (x: Scalar) => boolean): boolean {
  if (v === null || typeof v === 'boolean') return false;
  if (Array.isArray(v)) return v.some(test);
  return test(v as Scalar);
}

function compareScalars(a: Scalar, b: Scalar): number {
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  const sa = scalarToString(a);
  const sb = scalarToString(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function compare(op: '=' | '!=' | '<' | '<=' | '>' | '>=', a: EvalValue, b: EvalValue): boolean {
  if (a === null || b === null) return false;
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    if (op === '=') return a === b;
    if (op === '!=') return a !== b;
    return false;
  }
  const bs: readonly Scalar[] = Array.isArray(b) ? b : [b as Scalar];
  return anyValue(a, (x) =>
    bs.some((y) => {
      const c = compareScalars(x, y);
      switch (op) {
        case '=': return c === 0;
        case '!=': return c !== 0;
        case '<': return c < 0;
        case '<=': return c <= 0;
        case '>': return c > 0;
        default: return c >= 0;
      }
    }),
  );
}

const likeCache = new Map<string, RegExp>();

/** SQL LIKE: `%` any run, `_` one character; case-sensitive. */
export function likeMatch(value: string, pattern: string): boolean {
  let re = likeCache.get(pattern);
  if (!re) {
    let src = '^';
    for (const ch of pattern) {
      if (ch === '%') src += '.*';
      else if (ch === '_') src += '.';
      else src += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
    re = new RegExp(src + '$', 's');
    if (likeCache.size > 1000) likeCache.clear();
    likeCache.set(pattern, re);
  }
  return re.test(value);
}

