/** `lint.not-equal-missing`: `f!=v` drops events that have no f; `NOT f=v` keeps them. */
import { searchExprs, toSource, walkSearch } from '../analyze.js';
import type { Finding, Rule } from '../types.js';

export const notEqualMissingRule: Rule = {
  severity: 'info',
  description: 'f!=v keeps only events that have f; NOT f=v also keeps events without f.',
  check({ analysis }) {
    const out: Finding[] = [];
    for (const root of searchExprs(analysis)) {
      for (const node of walkSearch(root)) {
        if (node.kind !== 'compare' || node.op !== '!=') continue;
        const v = node.value.quoted ? JSON.stringify(node.value.text) : node.value.text;
        out.push({
          message: `${node.field}!=${v} also drops events that have no ${node.field}`,
          at: { span: toSource(analysis, node.span) },
          hint: `write NOT ${node.field}=${v} if events without ${node.field} should be kept`,
        });
      }
    }
    return out;
  },
};
