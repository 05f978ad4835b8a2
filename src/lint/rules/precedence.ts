/**
 * `lint.precedence`: in the search language OR binds tighter than the implied
 * AND, so `a OR b c` is `(a OR b) c`, the opposite of eval and most languages.
 * An unparenthesised OR next to another term is flagged so the author makes the
 * grouping explicit.
 */
import type { SearchExpr } from '../../spl/language/ast.js';
import { searchExprs, toSource, walkSearch, type SearchAnalysis } from '../analyze.js';
import type { Finding, Rule } from '../types.js';

/** Whether the text around `node` in the expanded search is `( ... )` enclosing exactly it. */
function parenthesised(analysis: SearchAnalysis, node: SearchExpr): boolean {
  const text = analysis.expansion?.text ?? '';
  let i = node.span.start - 1;
  while (i >= 0 && /\s/.test(text[i] as string)) i--;
  let j = node.span.end;
  while (j < text.length && /\s/.test(text[j] as string)) j++;
  return text[i] === '(' && text[j] === ')';
}

export const precedenceRule: Rule = {
  severity: 'warning',
  description: 'An OR next to an implied AND without parentheses (a OR b c): Splunk reads (a OR b) c.',
  check({ analysis }) {
    const out: Finding[] = [];
    const text = analysis.expansion?.text ?? '';
    for (const root of searchExprs(analysis)) {
      for (const node of walkSearch(root)) {
        if (node.kind !== 'and') continue;
        for (const item of node.items) {
          if (item.kind !== 'or' || parenthesised(analysis, item)) continue;
          const written = text.slice(item.span.start, item.span.end).replace(/\s+/g, ' ').trim();
          const short = written.length > 80 ? written.slice(0, 77) + '...' : written;
          out.push({
            message: `OR binds tighter than the implied AND in the search language: "${short}" is one group, ANDed with the other terms`,
            at: { span: toSource(analysis, item.span) },
            hint: `add parentheses to say what you mean: (${short}) ...`,
          });
        }
      }
    }
    return out;
  },
};
