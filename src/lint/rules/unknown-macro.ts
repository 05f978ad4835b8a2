/** `lint.unknown-macro`: every macro the search uses (directly or through other macros) must be defined. */
import { closest } from '../../spl/language/errors.js';
import { macroKey } from '../../content/index.js';
import type { Finding, Rule } from '../types.js';

export const unknownMacroRule: Rule = {
  severity: 'error',
  description: 'Every macro the search calls must be built in or defined in --content DIR/macros (an undefined *_filter macro is `search *`).',
  check({ analysis, context }) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const call of analysis.macroCalls) {
      const key = macroKey(call.name, call.argCount);
      if (call.defined || seen.has(key)) continue;
      seen.add(key);
      const suggestion = closest(key, context.macros.keys());
      out.push({
        message: `unknown macro \`${key}\`${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}`,
        at: { span: call.span },
        hint: 'define it in DIR/macros and pass --content DIR',
      });
    }
    return out;
  },
};
