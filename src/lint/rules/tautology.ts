/**
 * `lint.tautology`: an OR that is always true, e.g. `(f!="a" OR f!="b")`: every
 * value differs from "a" or from "b", so the clause excludes nothing (for `!=`:
 * nothing that has f). The bug of the flagship detection's version 1.
 * Also `f=v OR NOT f=v`. Wildcard values are skipped (patterns can overlap).
 */
import { searchExprs, toSource, walkSearch } from '../analyze.js';
import type { Finding, Rule } from '../types.js';
import { byField } from './conditions.js';

export const tautologyRule: Rule = {
  severity: 'error',
  description: 'An OR of negated conditions on one field with different values (f!="a" OR f!="b") is always true.',
  check({ analysis }) {
    const out: Finding[] = [];
    for (const root of searchExprs(analysis)) {
      for (const node of walkSearch(root)) {
        if (node.kind !== 'or') continue;
        for (const [field, conds] of byField(node.items)) {
          const negs = conds.filter((c) => !c.positive && !c.wildcard);
          const distinct = new Set(negs.map((c) => c.value));
          const pos = conds.filter((c) => c.positive);
          const complement = pos.find((p) => conds.some((n) => !n.positive && n.value === p.value));
          if (distinct.size >= 2) {
            const written = negs.map((c) => c.written).join(' OR ');
            const values = [...new Set(negs.map((c) => JSON.stringify(c.raw)))].join(', ');
            out.push({
              message: `(${written}) is always true${negs.every((c) => c.notEqual) ? ` for any event that has ${field}` : ''}: no value equals all of them, so nothing is excluded`,
              at: { span: toSource(analysis, node.span) },
              hint: `to exclude these values write NOT ${field} IN (${values})`,
            });
          } else if (complement) {
            out.push({
              message: `${field}=${complement.value} OR its negation is always true${conds.some((c) => c.notEqual) ? ` for any event that has ${field}` : ''}`,
              at: { span: toSource(analysis, node.span) },
            });
          }
        }
      }
    }
    return out;
  },
};
