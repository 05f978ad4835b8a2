/**
 * Literal pre-filter derivation: the plan pass that finds text every matching
 * event's raw text must contain, so readers can skip other events without
 * parsing them (as Splunk's index skips events lacking a search's terms).
 *
 * The result is sound, never exact: an event that could match is never
 * skipped. A literal is only taken from a value of a field whose values are
 * verbatim substrings of the raw text, only when the pattern cannot match a
 * value the data model fills in by itself, and only from characters that no
 * input format escapes.
 */
import type { SearchExpr } from '../language/ast.js';
import type { DatasetField } from './types.js';
import { compileWildcard } from './wildcard.js';

/** The raw text must contain (case-insensitively) at least one of these. */
export interface LiteralFilter {
  readonly anyOf: readonly string[];
}

const MIN_LITERAL = 4;

/** Characters that read the same in every raw format (no XML, JSON or Windows escaping). */
const SAFE_RUN = /[A-Za-z0-9 _.,:;!?@#$%+=~^()[\]{}|\/-]+/g;

/** The longest run of safe characters in a pattern's literal parts, or undefined when too short. */
export function longestSafeLiteral(pattern: string): string | undefined {
  let best = '';
  for (const part of pattern.split('*')) {
    for (const m of part.matchAll(SAFE_RUN)) if (m[0].length > best.length) best = m[0];
  }
  best = best.trim();
  return best.length >= MIN_LITERAL ? best : undefined;
}

export type FieldInfo = (field: string) => DatasetField | undefined;

/** Literals for a search expression, or undefined when no sound literal exists. */
export function deriveLiterals(expr: SearchExpr, info: FieldInfo, bareTerms: boolean): readonly string[] | undefined {
  switch (expr.kind) {
    case 'compare': {
      if (expr.op !== '=') return undefined;
      return literalForValue(expr.field, expr.value.text, info);
    }
    case 'in': {
      const all: string[] = [];
      for (const v of expr.values) {
        const l = literalForValue(expr.field, v.text, info);
        if (!l) return undefined;
        all.push(...l);
      }
      return all.length > 0 ? all : undefined;
    }
    case 'term': {
      if (!bareTerms) return undefined;
      const l = longestSafeLiteral(expr.value.text);
      return l ? [l] : undefined;
    }
    case 'not':
    case 'time':
    case 'subsearch':
      return undefined;
    case 'or': {
      const all: string[] = [];
      for (const item of expr.items) {
        const l = deriveLiterals(item, info, bareTerms);
        if (!l) return undefined;
        all.push(...l);
      }
      return dedupe(all);
    }
    case 'and': {
      let best: readonly string[] | undefined;
      for (const item of expr.items) {
        const l = deriveLiterals(item, info, bareTerms);
        if (l && (!best || score(l) > score(best))) best = l;
      }
      return best;
    }
  }
}

function literalForValue(field: string, pattern: string, info: FieldInfo): readonly string[] | undefined {
  const f = info(field);
  if (!f || !f.rawDerived) return undefined;
  const m = compileWildcard(pattern);
  if (f.fills.some((fill) => m.test(fill))) return undefined;
  const l = longestSafeLiteral(pattern);
  return l ? [l] : undefined;
}

/** Fewer, longer alternatives filter better. */
function score(ls: readonly string[]): number {
  return Math.min(...ls.map((l) => l.length)) / ls.length;
}

function dedupe(ls: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const l of ls) {
    const k = l.toLowerCase();
    if (!seen.has(k)) {
      seen.add(k);
      out.push(l);
    }
  }
  return out;
}

/**
 * A raw-text test for a set of literal filters (any filter may pass). Text that
 * holds an escape able to hide a literal (`&#65;` in XML, `\u0041` in JSON)
 * always passes.
 */
export function compileLiteralTest(anyOf: readonly string[]): (raw: string) => boolean {
  const alts = anyOf.map((l) => l.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  const re = new RegExp([...alts, '&#', '\\\\u[0-9a-fA-F]{4}'].join('|'), 'i');
  return (raw) => re.test(raw);
}
