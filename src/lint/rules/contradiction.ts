/**
 * `lint.contradiction`: an AND that can never be true: `f="a" f="b"` (one
 * single-valued field with two different literal values), `f=x NOT f=x`,
 * `f=x f!=x`, `f="a" f IN ("b","c")`.
 */
import type { SearchExpr } from '../../spl/language/ast.js';
import { searchExprs, toSource, walkSearch, type SearchAnalysis } from '../analyze.js';
import type { Finding, Rule } from '../types.js';
import { byField } from './conditions.js';

function andItems(root: SearchExpr): SearchExpr[][] {
  const out: SearchExpr[][] = [];
  for (const node of walkSearch(root)) if (node.kind === 'and') out.push([...node.items]);
  return out;
}

/** The search expression of the pipeline's first command (event fields, mostly single-valued), if any. */
function firstExpr(analysis: SearchAnalysis): SearchExpr | undefined {
  const a = analysis.commands[0]?.ast;
  return a?.kind === 'search' ? a.expr : a?.kind === 'tstats' ? a.where : undefined;
}

export const contradictionRule: Rule = {
  severity: 'error',
  description: 'An AND of conditions that cannot all hold (f="a" f="b", f=x NOT f=x) matches nothing.',
  check({ analysis }) {
    const out: Finding[] = [];
    const first = firstExpr(analysis);
    for (const root of searchExprs(analysis)) {
      // Later commands see fields built by stats values(), rex max_match, makemv...: often multivalue,
      // where f="a" f="b" is a legitimate "has both". Only the first command's fields are taken as single-valued.
      const singleValued = root === first;
      for (const items of andItems(root)) {
        const at = (n: SearchExpr) => ({ span: toSource(analysis, n.span) });
        for (const [field, conds] of byField(items)) {
          const exact = conds.filter((c) => c.positive && !c.wildcard);
          const values = new Set(exact.map((c) => c.value));
          if (values.size >= 2 && singleValued) {
            const [a, b] = exact.filter((c, i) => exact.findIndex((d) => d.value === c.value) === i);
            if (a && b)
              out.push({
                message: `${a.written} AND ${b.written} can never both hold when ${field} has one value, so the search matches nothing`,
                at: at(b.node),
                hint: `did you mean (${a.written} OR ${b.written})?`,
              });
            continue;
          }
          if (values.size >= 2) continue;
          for (const p of conds.filter((c) => c.positive)) {
            const neg = conds.find((n) => !n.positive && n.value === p.value);
            if (neg) {
              out.push({ message: `${p.written} AND ${neg.written} contradict each other, so the search matches nothing`, at: at(neg.node) });
              break;
            }
          }
        }
        // f="a" f IN ("b", "c")
        for (const item of items) {
          if (!singleValued || item.kind !== 'in' || item.values.some((v) => v.text.includes('*'))) continue;
          const list = new Set(item.values.map((v) => v.text.toLowerCase()));
          const eq = byField(items).get(item.field)?.find((c) => c.positive && !c.wildcard && !list.has(c.value));
          if (eq) out.push({ message: `${eq.written} AND ${item.field} IN (...) without that value can never both hold, so the search matches nothing`, at: at(item) });
        }
      }
    }
    return out;
  },
};
