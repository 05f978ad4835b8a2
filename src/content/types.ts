/**
 * The detection model shared by the loader, the built-in content and alerting.
 *
 * One shape for all three ESCU YAML generations (2021 `tags` + observables,
 * 2024 `rba:`, 2026 `finding:`), so the engine and alerting never look at YAML.
 */

export const DETECTION_TYPES = ['TTP', 'Anomaly', 'Hunting', 'Correlation', 'Baseline', 'Investigation'] as const;
export type DetectionType = (typeof DETECTION_TYPES)[number];

/** Which YAML generation a detection was written in (see README.md). */
export const DETECTION_FORMS = ['2021-tags', '2024-rba', '2026-finding'] as const;
export type DetectionForm = (typeof DETECTION_FORMS)[number];

/** A field of the result rows that receives risk. `type` is ES's risk object type: user, system or other. */
export interface RiskObject {
  readonly field: string;
  readonly type: string;
  readonly score: number;
  /** The 2021 observable's roles (Victim, Parent Process, ...); absent in later forms. */
  readonly role?: readonly string[];
}

/** A field of the result rows that names the threat (process, file_name, ip_address, url, ...). */
export interface ThreatObject {
  readonly field: string;
  readonly type: string;
}

export interface AttackData {
  readonly data: string;
  readonly source?: string;
  readonly sourcetype?: string;
  readonly fileName?: string;
}

export interface DetectionTest {
  readonly name: string;
  readonly attackData: readonly AttackData[];
}

export interface Detection {
  readonly id: string;
  readonly name: string;
  readonly version?: number;
  readonly date?: string;
  readonly author?: string;
  readonly type: DetectionType;
  readonly status?: string;
  readonly description: string;
  readonly search: string;
  readonly howToImplement?: string;
  readonly knownFalsePositives?: string;
  readonly references: readonly string[];
  readonly dataModels: readonly string[];
  readonly riskScore: number;
  readonly impact?: number;
  readonly confidence?: number;
  readonly message: string;
  readonly riskObjects: readonly RiskObject[];
  readonly threatObjects: readonly ThreatObject[];
  readonly mitreAttackIds: readonly string[];
  readonly killChainPhases: readonly string[];
  readonly cves: readonly string[];
  readonly analyticStories: readonly string[];
  readonly requiredFields: readonly string[];
  readonly securityDomain?: string;
  readonly tests: readonly DetectionTest[];
  readonly source: { readonly file: string; readonly form: DetectionForm; readonly builtin: boolean };
}

/** One test of an ESCU test-definition file (`*.test.yml`), which names its detection by `file`. */
export interface TestFileEntry extends DetectionTest {
  /** Path of the detection, relative to ESCU's `detections/` folder (e.g. `endpoint/x.yml`). */
  readonly file: string;
  readonly passCondition?: string;
  readonly earliestTime?: string;
  readonly latestTime?: string;
}

export interface TestFile {
  readonly name?: string;
  readonly tests: readonly TestFileEntry[];
  readonly source: { readonly file: string };
}

export const ISSUE_SEVERITIES = ['error', 'warning'] as const;
export type IssueSeverity = (typeof ISSUE_SEVERITIES)[number];

/**
 * A problem found in a content file. `code` is stable (tests and tools match on it);
 * `message` is for people. `path` is the YAML path (`tags.risk_score`, `tests[0].name`).
 */
export interface ContentIssue {
  readonly code: string;
  readonly severity: IssueSeverity;
  readonly message: string;
  readonly file: string;
  readonly path?: string;
  readonly line?: number;
  readonly column?: number;
}

/** `file:line:column: severity code: message (at path)`, the form compilers print. */
export function formatIssue(issue: ContentIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  const at = issue.path === undefined ? '' : ` (at ${issue.path})`;
  return `${where}: ${issue.severity} ${issue.code}: ${issue.message}${at}`;
}
