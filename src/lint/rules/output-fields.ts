/**
 * Shared by `lint.risk-field` and `lint.message-token`: whether a field can be in
 * the search's result rows. Approximate: the field name appears in the search
 * (after macro expansion) as a word, e.g. in a BY list, `table`, or a rename target.
 * When no command restricts the output fields, every event field passes through
 * and nothing can be said.
 */
import type { Detection } from '../../content/index.js';
import type { SearchAnalysis } from '../analyze.js';

const RESTRICTING = new Set(['tstats', 'stats', 'table', 'chart', 'timechart', 'top', 'rare', 'xyseries', 'mstats', 'inputlookup', 'datamodel']);

/** True when the output fields are a known set (some command replaces the rows' fields). */
export function outputIsRestricted(analysis: SearchAnalysis): boolean {
  return analysis.commands.some((c) => RESTRICTING.has(c.name) || (c.ast?.kind === 'fields' && c.ast.mode === '+'));
}

/** Whether `field` appears as a word in the expanded search (`Processes.dest` counts for `dest`). */
export function mentionsField(analysis: SearchAnalysis, field: string): boolean {
  const text = analysis.expansion?.text ?? analysis.query;
  const escaped = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`).test(text) || text.includes(`"${field}"`);
}

export function riskPath(d: Detection): readonly (string | number)[] {
  switch (d.source.form) {
    case '2021-tags':
      return ['tags', 'observable'];
    case '2024-rba':
      return ['rba', 'risk_objects'];
    case '2026-finding':
      return ['finding'];
  }
}

export function messagePath(d: Detection): readonly (string | number)[] {
  switch (d.source.form) {
    case '2021-tags':
      return ['tags', 'message'];
    case '2024-rba':
      return ['rba', 'message'];
    case '2026-finding':
      return ['finding', 'message'];
  }
}
