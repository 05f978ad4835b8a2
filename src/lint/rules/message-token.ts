/** `lint.message-token`: every `$field$` of the risk message must be a field of the result rows. */
import type { Finding, Rule } from '../types.js';
import { mentionsField, messagePath, outputIsRestricted } from './output-fields.js';

export const messageTokenRule: Rule = {
  severity: 'warning',
  description: 'Each $field$ token of the message must appear in the search output (approximate: named in the search).',
  check({ detection, analysis }) {
    if (!analysis.parsed || !outputIsRestricted(analysis)) return [];
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const m of detection.message.matchAll(/\$([^$\s]+)\$/g)) {
      const field = m[1] as string;
      if (seen.has(field) || mentionsField(analysis, field)) continue;
      seen.add(field);
      out.push({
        message: `message token $${field}$ does not appear in the search's output; the alert would show it empty`,
        at: { yamlPath: messagePath(detection) },
      });
    }
    return out;
  },
};
