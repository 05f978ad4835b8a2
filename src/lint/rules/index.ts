/** The rule table: every lint rule by its stable code. */
import type { Rule } from '../types.js';
import { caseSensitiveWhereRule } from './case-sensitive-where.js';
import { contradictionRule } from './contradiction.js';
import { filterMacroRule } from './filter-macro.js';
import { knownTypeRule } from './known-type.js';
import { messageTokenRule } from './message-token.js';
import { notEqualMissingRule } from './not-equal-missing.js';
import { precedenceRule } from './precedence.js';
import { riskFieldRule } from './risk-field.js';
import { splRule } from './spl.js';
import { tautologyRule } from './tautology.js';
import { unknownFunctionRule } from './unknown-function.js';
import { unknownLookupRule } from './unknown-lookup.js';
import { unknownMacroRule } from './unknown-macro.js';

export const RULE_CODES = [
  'lint.spl',
  'lint.unknown-macro',
  'lint.unknown-function',
  'lint.unknown-lookup',
  'lint.filter-macro',
  'lint.risk-field',
  'lint.message-token',
  'lint.unknown-type',
  'lint.tautology',
  'lint.contradiction',
  'lint.precedence',
  'lint.not-equal-missing',
  'lint.case-sensitive-where',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

export const RULES: Readonly<Record<RuleCode, Rule>> = {
  'lint.spl': splRule,
  'lint.unknown-macro': unknownMacroRule,
  'lint.unknown-function': unknownFunctionRule,
  'lint.unknown-lookup': unknownLookupRule,
  'lint.filter-macro': filterMacroRule,
  'lint.risk-field': riskFieldRule,
  'lint.message-token': messageTokenRule,
  'lint.unknown-type': knownTypeRule,
  'lint.tautology': tautologyRule,
  'lint.contradiction': contradictionRule,
  'lint.precedence': precedenceRule,
  'lint.not-equal-missing': notEqualMissingRule,
  'lint.case-sensitive-where': caseSensitiveWhereRule,
};
