/**
 * Lint for ESCU detections: pure functions from a detection (and, when known,
 * its YAML text) to a `LintRecord`. The CLI reads files and prints records.
 *
 * @example lintFile(yamlText, 'x.yml', { macros: builtinMacros() }).diagnostics
 */
import { parseDetectionYaml, type ContentIssue, type Detection } from '../content/index.js';
import { analyzeSearch, type SearchAnalysis } from './analyze.js';
import { searchTextPositions, yamlPositions, type PositionMap } from './position.js';
import { RULES, RULE_CODES, type RuleCode } from './rules/index.js';
import type { Finding, LintContext, LintDiagnostic, LintRecord, LintSeverity } from './types.js';

export * from './types.js';
export { analyzeSearch, type SearchAnalysis, type CommandOutcome } from './analyze.js';
export { RULES, RULE_CODES, type RuleCode } from './rules/index.js';

const SEVERITY_ORDER: Readonly<Record<LintSeverity, number>> = { error: 0, warning: 1, info: 2 };

/** Lints one loaded detection. `yamlText`, when given, lets positions point into the YAML file. */
export function lintDetection(detection: Detection, context: LintContext, yamlText?: string): LintRecord {
  const analysis = analyzeSearch(detection.search, context.macros, context.lookupCatalog);
  const positions = yamlText !== undefined ? yamlPositions(yamlText, detection.search) : searchTextPositions(detection.search);
  const diagnostics: LintDiagnostic[] = [];
  for (const code of RULE_CODES) {
    const rule = RULES[code];
    for (const f of rule.check({ detection, analysis, context })) diagnostics.push(toDiagnostic(code, rule.severity, f, positions));
  }
  return {
    file: detection.source.file,
    name: detection.name,
    parsed: analysis.parsed,
    supported: isSupported(analysis),
    diagnostics: sortDiagnostics(diagnostics),
  };
}

/** Parsed, every command supported, and the engine compiles the search. */
export function isSupported(analysis: SearchAnalysis): boolean {
  return analysis.parsed && analysis.compiled;
}

/**
 * Lints a detection YAML file's text. A file that does not load as a detection
 * gives a record with the loader's errors; loader warnings are kept either way.
 */
export function lintFile(text: string, file: string, context: LintContext): LintRecord {
  const { detection, issues } = parseDetectionYaml(text, file);
  const fromIssues = issues.map(issueDiagnostic);
  if (!detection) {
    const name = /^name:\s*(.+)$/m.exec(text)?.[1]?.trim().replace(/^['"]|['"]$/g, '') ?? '';
    return { file, name, parsed: false, supported: false, diagnostics: sortDiagnostics(fromIssues) };
  }
  const record = lintDetection(detection, context, text);
  return { ...record, diagnostics: sortDiagnostics([...fromIssues, ...record.diagnostics]) };
}

/** A content-loader issue as a lint diagnostic (`content.unknown-type` becomes `lint.unknown-type`). */
export function issueDiagnostic(i: ContentIssue): LintDiagnostic {
  return {
    code: i.code === 'content.unknown-type' ? 'lint.unknown-type' : i.code,
    severity: i.severity,
    message: i.message + (i.path ? ` (at ${i.path})` : ''),
    line: i.line ?? 1,
    column: i.column ?? 1,
  };
}

function toDiagnostic(code: RuleCode, severity: LintSeverity, f: Finding, positions: PositionMap): LintDiagnostic {
  const at = f.at;
  const pos = 'span' in at ? positions.search(at.span.start) : 'yamlPath' in at ? positions.path(at.yamlPath) : positions.path([]);
  return {
    code: f.code ?? code,
    severity: f.severity ?? severity,
    message: f.message,
    line: pos.line,
    column: pos.column,
    ...(f.hint !== undefined ? { hint: f.hint } : {}),
  };
}

function sortDiagnostics(ds: LintDiagnostic[]): LintDiagnostic[] {
  return ds.sort((a, b) => a.line - b.line || a.column - b.column || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** The rule a diagnostic code comes from, for reporters (`spl.*` codes come from `lint.spl`). */
export function ruleOf(code: string): RuleCode | undefined {
  if ((RULE_CODES as readonly string[]).includes(code)) return code as RuleCode;
  if (code.startsWith('spl.unsupported-function')) return 'lint.unknown-function';
  if (code.startsWith('spl.')) return 'lint.spl';
  return undefined;
}
