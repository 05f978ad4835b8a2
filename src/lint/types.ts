/**
 * The lint data model: diagnostics with stable codes, one record per detection,
 * and the rule interface. Pure types; no `node:*`.
 */
import type { LookupCatalog } from '../spl/engine/lookup.js';
import type { Detection, MacroTable } from '../content/index.js';
import type { Span } from '../spl/language/errors.js';
import type { SearchAnalysis } from './analyze.js';

export const LINT_SEVERITIES = ['error', 'warning', 'info'] as const;
export type LintSeverity = (typeof LINT_SEVERITIES)[number];

/** One finding. `line`/`column` are 1-based, in the YAML file when it is known, else in the search text. */
export interface LintDiagnostic {
  readonly code: string;
  readonly severity: LintSeverity;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  /** A suggested fix, for people. */
  readonly hint?: string;
}

/** The result of linting one detection (or one file that could not be loaded as one). */
export interface LintRecord {
  readonly file: string;
  readonly name: string;
  /** Every command parsed, or is a Splunk command the engine does not run yet. See docs/design/lint.md. */
  readonly parsed: boolean;
  /** Parsed, and the engine can compile and run the whole search. */
  readonly supported: boolean;
  readonly diagnostics: readonly LintDiagnostic[];
}

/** What a lint run knows besides the detection itself. */
export interface LintContext {
  /** Built-in macros merged with the user's (`--content DIR/macros`). */
  readonly macros: MacroTable;
  /** Names and file names of known lookups (`--content DIR/lookups/*.yml`); undefined: lookups are not checked. */
  readonly lookups?: ReadonlySet<string>;
  /** The lookup tables themselves, so searches using them can be compiled (`supported`). */
  readonly lookupCatalog?: LookupCatalog;
}

/** Where a rule's finding is: a span of the search text (as written), or a YAML path (`tags.message`). */
export type LintLocation = { readonly span: Span } | { readonly yamlPath: readonly (string | number)[] } | Record<string, never>;

export interface Finding {
  readonly message: string;
  readonly at: LintLocation;
  /** Overrides the rule's code (rules that forward SPL errors keep the SPL code). */
  readonly code?: string;
  /** Overrides the rule's default severity. */
  readonly severity?: LintSeverity;
  readonly hint?: string;
}

export interface RuleInput {
  readonly detection: Detection;
  readonly analysis: SearchAnalysis;
  readonly context: LintContext;
}

export interface Rule {
  readonly severity: LintSeverity;
  /** One line for people and for SARIF's rule description. */
  readonly description: string;
  check(input: RuleInput): readonly Finding[];
}
