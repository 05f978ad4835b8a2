/** `lint.unknown-lookup`: `lookup NAME` / `inputlookup NAME` must name an ESCU lookup definition. */
import { closest } from '../../spl/language/errors.js';
import type { Finding, Rule } from '../types.js';

/** Lookups that Splunk Enterprise Security and common apps (URL Toolbox) define, which ESCU uses but does not ship. */
export const PLATFORM_LOOKUPS: ReadonlySet<string> = new Set([
  'asset_lookup_by_str', 'asset_lookup_by_cidr', 'identity_lookup_expanded', 'ut_shannon_lookup', 'ut_parse_extended_lookup',
  'ut_parse_simple_lookup', 'ut_levenshtein_lookup', 'ut_countset_lookup', 'ut_meaning_lookup',
]);

export const unknownLookupRule: Rule = {
  severity: 'error',
  description: 'A `lookup NAME` or `inputlookup NAME` needs a lookup definition (--content DIR/lookups/NAME.yml). Checked only when lookups are known.',
  check({ analysis, context }) {
    const known = context.lookups;
    if (!known) return [];
    const out: Finding[] = [];
    for (const ref of analysis.lookups) {
      if (known.has(ref.name) || PLATFORM_LOOKUPS.has(ref.name)) continue;
      const suggestion = closest(ref.name, known);
      out.push({
        message: `unknown lookup "${ref.name}" in ${ref.command}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        at: { span: ref.span },
      });
    }
    return out;
  },
};
