/** `lint.risk-field`: risk and threat object fields must be fields of the result rows. */
import type { Finding, Rule } from '../types.js';
import { mentionsField, outputIsRestricted, riskPath } from './output-fields.js';

export const riskFieldRule: Rule = {
  severity: 'warning',
  description: 'Risk object and threat object fields must appear in the search output (approximate: named in the search).',
  check({ detection, analysis }) {
    if (!analysis.parsed || !outputIsRestricted(analysis)) return [];
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const [kind, o] of [...detection.riskObjects.map((r) => ['risk', r] as const), ...detection.threatObjects.map((t) => ['threat', t] as const)]) {
      if (seen.has(o.field) || mentionsField(analysis, o.field)) continue;
      seen.add(o.field);
      out.push({ message: `${kind} object field "${o.field}" does not appear in the search's output`, at: { yamlPath: riskPath(detection) } });
    }
    return out;
  },
};
