/** Field conditions of the search language, as the tautology and contradiction rules see them. */
import type { SearchExpr } from '../../spl/language/ast.js';

export interface Condition {
  readonly field: string;
  /** `f=v` (true) or `f!=v` / `NOT f=v` (false). */
  readonly positive: boolean;
  /** `f!=v` (needs the field) rather than `NOT f=v`. */
  readonly notEqual: boolean;
  /** The value, lower-cased: search-language values compare case-insensitively. */
  readonly value: string;
  readonly written: string;
  /** The value as written (case kept). */
  readonly raw: string;
  readonly wildcard: boolean;
  readonly node: SearchExpr;
}

/** `f=v`, `f!=v` or `NOT f=v` (CASE() values are skipped: they compare differently). */
export function condition(e: SearchExpr): Condition | undefined {
  let inner = e;
  let negated = false;
  while (inner.kind === 'not') {
    negated = !negated;
    inner = inner.expr;
  }
  if (inner.kind !== 'compare' || (inner.op !== '=' && inner.op !== '!=') || inner.value.caseSensitive || inner.value.term) return undefined;
  const positive = (inner.op === '=') !== negated;
  return {
    field: inner.field,
    positive,
    notEqual: inner.op === '!=' && !negated,
    value: inner.value.text.toLowerCase(),
    written: `${negated ? 'NOT ' : ''}${inner.field}${inner.op}${inner.value.quoted ? JSON.stringify(inner.value.text) : inner.value.text}`,
    raw: inner.value.text,
    wildcard: inner.value.text.includes('*'),
    node: e,
  };
}

/** Conditions of `items` grouped by field, in order of first appearance. */
export function byField(items: readonly SearchExpr[]): Map<string, Condition[]> {
  const out = new Map<string, Condition[]>();
  for (const item of items) {
    const c = condition(item);
    if (!c) continue;
    const list = out.get(c.field) ?? [];
    list.push(c);
    out.set(c.field, list);
  }
  return out;
}
