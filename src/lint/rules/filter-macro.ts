/** `lint.filter-macro`: an ESCU search ends with its own `<name>_filter` macro, the user's tuning point. */
import { filterMacroName } from '../../content/index.js';
import type { Rule } from '../types.js';

export const filterMacroRule: Rule = {
  severity: 'warning',
  description: "The search must end with the detection's filter macro, `<name with _ for spaces, lower case>_filter`.",
  check({ detection, analysis }) {
    const want = filterMacroName(detection.name);
    const text = analysis.query.replace(/\s+$/, '');
    const last = /`\s*([^`]*?)\s*`$/.exec(text);
    if (last && last[1] === want) return [];
    const used = analysis.macroCalls.some((c) => c.name === want && c.argCount === 0);
    return [
      {
        message: used ? `the filter macro \`${want}\` is not the last command of the search` : `the search does not end with its filter macro \`${want}\``,
        at: { span: { start: text.length, end: text.length } },
        hint: `end the search with | \`${want}\``,
      },
    ];
  },
};
