/** `lint.unknown-lookup`: `lookup NAME` / `inputlookup NAME` must name an ESCU lookup definition. */
import { closest } from '../../spl/language/errors.js';
import type { Finding, Rule } from '../types.js';

export const unknownLookupRule: Rule = {
  severity: 'error',
  description: 'A `lookup NAME` or `inputlookup NAME` needs a lookup definition (--content DIR/lookups/NAME.yml). Checked only when lookups are known.',
  check({ analysis, context }) {
    const known = context.lookups;
    if (!known) return [];
    const out: Finding[] = [];
    for (const ref of analysis.lookups) {
      if (known.has(ref.name)) continue;
      const suggestion = closest(ref.name, known);
      out.push({
        message: `unknown lookup "${ref.name}" in ${ref.command}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        at: { span: ref.span },
      });
    }
    return out;
  },
};
