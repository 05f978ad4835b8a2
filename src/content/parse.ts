/**
 * ESCU detection and test-file YAML to the `Detection` model. Pure: text in,
 * value and issues out, no `node:*` (the file-system side is detections.ts).
 *
 * The three YAML generations and how each maps to the model are described in
 * README.md beside this file.
 */
import { FieldReader } from './fields.js';
import {
  DETECTION_TYPES,
  type AttackData,
  type ContentIssue,
  type Detection,
  type DetectionForm,
  type DetectionTest,
  type DetectionType,
  type RiskObject,
  type TestFile,
  type TestFileEntry,
  type ThreatObject,
} from './types.js';
import { YamlSource, isRecord, type YamlPath } from './yaml-source.js';

export interface ParseOptions {
  /** Marks the detection as shipped with the package (content/detections). */
  readonly builtin?: boolean;
}

/**
 * contentctl v4's observable → risk/threat mapping (detection_abstract.py `risk`),
 * which built `action.risk.param._risk` for every 2021-form detection ESCU shipped.
 */
const USER_TYPES = new Set(['user', 'username', 'email address']);
const SYSTEM_TYPES = new Set(['device', 'endpoint', 'hostname', 'ip address']);
const THREAT_TYPE_BY_OBSERVABLE: ReadonlyMap<string, string> = new Map([
  ['process name', 'process'],
  ['process', 'process'],
  ['file name', 'file_name'],
  ['file', 'file_name'],
  ['file hash', 'file_name'],
  ['ip address', 'ip_address'],
  ['url string', 'url'],
  ['url', 'url'],
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function detectionType(raw: string): DetectionType | undefined {
  const lower = raw.toLowerCase();
  return DETECTION_TYPES.find((t) => t.toLowerCase() === lower);
}

function formOf(value: Record<string, unknown>): DetectionForm {
  if ('finding' in value || 'intermediate_findings' in value) return '2026-finding';
  if ('rba' in value) return '2024-rba';
  return '2021-tags';
}

/** Data models a search reads (`datamodel=Endpoint.Processes`, `datamodel:"Web"`), when the YAML does not list them. */
export function dataModelsOfSearch(search: string): string[] {
  const out = new Set<string>();
  for (const m of search.matchAll(/\bdatamodel\s*[=:]\s*"?([A-Za-z_][A-Za-z0-9_]*)/g)) if (m[1]) out.add(m[1]);
  return [...out];
}

interface Rba {
  message: string;
  riskObjects: RiskObject[];
  threatObjects: ThreatObject[];
  riskScore: number;
}

function risk2021(r: FieldReader, score: number): Pick<Rba, 'riskObjects' | 'threatObjects'> {
  const riskObjects: RiskObject[] = [];
  const threatObjects: ThreatObject[] = [];
  for (const { index, value } of r.mapList(['tags', 'observable'])) {
    const path: YamlPath = ['tags', 'observable', index];
    const field = r.str([...path, 'name'], 'error');
    const obsType = r.str([...path, 'type'], 'warning') ?? 'Other';
    const roles = r.strList([...path, 'role']);
    if (field === undefined) continue;
    if (roles.length === 0 && !('role' in value))
      r.src.report('content.missing-field', 'warning', 'observable has no role', [...path, 'role']);
    const t = obsType.toLowerCase();
    const victim = roles.includes('Victim');
    if (victim && USER_TYPES.has(t)) riskObjects.push({ field, type: 'user', score, role: roles });
    else if (victim && SYSTEM_TYPES.has(t)) riskObjects.push({ field, type: 'system', score, role: roles });
    else if (roles.includes('Attacker')) threatObjects.push({ field, type: THREAT_TYPE_BY_OBSERVABLE.get(t) ?? t });
    else riskObjects.push({ field, type: 'other', score, role: roles });
  }
  return { riskObjects, threatObjects };
}

function readRiskObject(r: FieldReader, path: YamlPath, fallbackScore: number | undefined): RiskObject | undefined {
  const field = r.str([...path, 'field'], 'error');
  const type = r.str([...path, 'type'], 'warning') ?? 'other';
  const score = r.num([...path, 'score']) ?? fallbackScore;
  if (field === undefined) return undefined;
  if (score === undefined) {
    r.src.report('content.missing-field', 'warning', 'risk object has no score; 0 used', [...path, 'score']);
  }
  return { field, type, score: score ?? 0 };
}

function readThreatObjects(r: FieldReader, path: YamlPath): ThreatObject[] {
  const out: ThreatObject[] = [];
  for (const { index } of r.mapList(path)) {
    const field = r.str([...path, index, 'field'], 'error');
    const type = r.str([...path, index, 'type'], 'warning') ?? 'other';
    if (field !== undefined) out.push({ field, type });
  }
  return out;
}

function rba2024(r: FieldReader): Rba {
  const message = r.str(['rba', 'message'], 'warning') ?? '';
  const riskObjects: RiskObject[] = [];
  for (const { index } of r.mapList(['rba', 'risk_objects'])) {
    const ro = readRiskObject(r, ['rba', 'risk_objects', index], undefined);
    if (ro) riskObjects.push(ro);
  }
  // contentctl's rba_object.risk_score: the highest score of its risk objects.
  const riskScore = riskObjects.reduce((m, o) => Math.max(m, o.score), 0);
  return { message, riskObjects, threatObjects: readThreatObjects(r, ['rba', 'threat_objects']), riskScore };
}

/**
 * The 2026 (ESCU 6) form is only partly verified: its migration notes say the `rba:` block
 * became top-level `finding`, `intermediate_findings` and `threat_objects`, but the exact
 * keys inside `finding` were not found in public sources. Read the plausible spellings and
 * say so when nothing usable is found.
 */
function finding2026(r: FieldReader): Rba {
  const message = r.str(['finding', 'message']) ?? r.str(['finding', 'title']) ?? '';
  const findingScore = r.num(['finding', 'score']);
  const riskObjects: RiskObject[] = [];
  const entity = r.get(['finding', 'entity']);
  if (isRecord(entity)) {
    const ro = readRiskObject(r, ['finding', 'entity'], findingScore);
    if (ro) riskObjects.push(ro);
  }
  for (const key of ['entities', 'risk_objects'] as const) {
    for (const { index } of r.mapList(['finding', key])) {
      const ro = readRiskObject(r, ['finding', key, index], findingScore);
      if (ro) riskObjects.push(ro);
    }
  }
  if (riskObjects.length === 0 && r.get(['finding', 'field']) !== undefined) {
    const ro = readRiskObject(r, ['finding'], findingScore);
    if (ro) riskObjects.push(ro);
  }
  for (const { index, value } of r.mapList(['intermediate_findings'])) {
    const path: YamlPath = ['intermediate_findings', index];
    const ro = isRecord(value['entity']) ? readRiskObject(r, [...path, 'entity'], r.num([...path, 'score'])) : readRiskObject(r, path, undefined);
    if (ro) riskObjects.push(ro);
  }
  const threatObjects = [...readThreatObjects(r, ['threat_objects']), ...readThreatObjects(r, ['finding', 'threat_objects'])];
  if (message === '' || riskObjects.length === 0) {
    r.src.report(
      'content.finding-unverified',
      'warning',
      'the 2026 `finding` form is only partly known; no message or entity could be read from it',
      ['finding'],
    );
  }
  const riskScore = riskObjects.reduce((m, o) => Math.max(m, o.score), findingScore ?? 0);
  return { message, riskObjects, threatObjects, riskScore };
}

function readAttackData(r: FieldReader, path: YamlPath): AttackData[] {
  const out: AttackData[] = [];
  for (const { index } of r.mapList(path)) {
    const p: YamlPath = [...path, index];
    const data = r.str([...p, 'data'], 'warning');
    if (data === undefined) continue;
    const source = r.str([...p, 'source']);
    const sourcetype = r.str([...p, 'sourcetype']);
    const fileName = r.str([...p, 'file_name']);
    out.push({
      data: data.trim(),
      ...(source !== undefined ? { source } : {}),
      ...(sourcetype !== undefined ? { sourcetype } : {}),
      ...(fileName !== undefined ? { fileName } : {}),
    });
  }
  return out;
}

function readTests(r: FieldReader): DetectionTest[] {
  return r.mapList(['tests']).map(({ index }) => ({
    name: r.str(['tests', index, 'name']) ?? `test ${index + 1}`,
    attackData: readAttackData(r, ['tests', index, 'attack_data']),
  }));
}

/** `tags.X`, or top-level `X` (later forms moved some tags up). */
function tagList(r: FieldReader, key: string): string[] {
  const inTags = r.strList(['tags', key]);
  return inTags.length > 0 ? inTags : r.strList([key]);
}

function hasErrors(issues: readonly ContentIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/**
 * Parses one ESCU detection YAML file. Returns a detection only when no error was found;
 * warnings come back either way.
 *
 * @example parseDetectionYaml(text, 'endpoint/x.yml').detection?.riskScore // 56
 */
export function parseDetectionYaml(
  text: string,
  file: string,
  options: ParseOptions = {},
): { detection?: Detection; issues: ContentIssue[] } {
  const src = new YamlSource(text, file);
  if (src.value === undefined) return { issues: src.issues };
  if (!isRecord(src.value)) {
    src.report('content.not-a-mapping', 'error', 'a detection file must be a YAML mapping');
    return { issues: src.issues };
  }
  const r = new FieldReader(src);
  const value = src.value;

  const name = r.str(['name'], 'error');
  const id = r.str(['id'], 'error');
  const search = r.str(['search'], 'error');
  if (id !== undefined && !UUID.test(id)) src.report('content.invalid-id', 'warning', `id ${JSON.stringify(id)} is not a UUID`, ['id']);

  const rawType = r.str(['type'], 'error');
  let type: DetectionType | undefined;
  if (rawType !== undefined) {
    type = detectionType(rawType);
    if (type === undefined)
      src.report('content.unknown-type', 'error', `unknown detection type ${JSON.stringify(rawType)}; expected one of ${DETECTION_TYPES.join(', ')}`, ['type']);
  }
  const description = r.str(['description'], 'warning') ?? '';

  const form = formOf(value);
  const impact = r.num(['tags', 'impact']);
  const confidence = r.num(['tags', 'confidence']);
  let rba: Rba;
  if (form === '2021-tags') {
    const declared = r.num(['tags', 'risk_score']);
    const product = impact !== undefined && confidence !== undefined ? Math.round((impact * confidence) / 100) : undefined;
    if (declared !== undefined && product !== undefined && declared !== product)
      src.report(
        'content.risk-score-mismatch',
        'warning',
        `tags.risk_score ${declared} is not impact × confidence / 100 = ${product}; risk_score is used`,
        ['tags', 'risk_score'],
      );
    const riskScore = declared ?? product ?? 0;
    if (declared === undefined && product === undefined)
      src.report('content.missing-field', 'warning', 'no tags.risk_score and no tags.impact/tags.confidence; risk score 0', ['tags']);
    const message = r.str(['tags', 'message'], 'warning') ?? '';
    rba = { message, riskScore, ...risk2021(r, riskScore) };
  } else if (form === '2024-rba') {
    rba = rba2024(r);
  } else {
    rba = finding2026(r);
  }

  if (hasErrors(src.issues) || name === undefined || id === undefined || search === undefined || type === undefined)
    return { issues: src.issues };

  const declaredModels = r.strList(['datamodel']);
  const version = r.num(['version']);
  const date = r.str(['date']);
  const author = r.str(['author']);
  const status = r.str(['status']);
  const howToImplement = r.str(['how_to_implement']);
  const knownFalsePositives = r.str(['known_false_positives']);
  const securityDomain = r.str(['tags', 'security_domain']) ?? r.str(['security_domain']);
  const detection: Detection = {
    id,
    name,
    ...(version !== undefined ? { version } : {}),
    ...(date !== undefined ? { date } : {}),
    ...(author !== undefined ? { author } : {}),
    type,
    ...(status !== undefined ? { status } : {}),
    description,
    search,
    ...(howToImplement !== undefined ? { howToImplement } : {}),
    ...(knownFalsePositives !== undefined ? { knownFalsePositives } : {}),
    references: r.strList(['references']),
    dataModels: declaredModels.length > 0 ? declaredModels : dataModelsOfSearch(search),
    riskScore: rba.riskScore,
    ...(impact !== undefined ? { impact } : {}),
    ...(confidence !== undefined ? { confidence } : {}),
    message: rba.message,
    riskObjects: rba.riskObjects,
    threatObjects: rba.threatObjects,
    mitreAttackIds: tagList(r, 'mitre_attack_id'),
    killChainPhases: tagList(r, 'kill_chain_phases'),
    cves: tagList(r, 'cve'),
    analyticStories: tagList(r, 'analytic_story'),
    requiredFields: tagList(r, 'required_fields'),
    ...(securityDomain !== undefined ? { securityDomain } : {}),
    tests: readTests(r),
    source: { file, form, builtin: options.builtin ?? false },
  };
  return { detection, issues: src.issues };
}

/** Whether parsed YAML looks like an ESCU test-definition file: top-level `tests` whose items name a `file`, and no `search`. */
export function looksLikeTestFile(value: unknown): boolean {
  if (!isRecord(value) || 'search' in value || !Array.isArray(value['tests'])) return false;
  return value['tests'].some((t: unknown) => isRecord(t) && 'file' in t);
}

/**
 * Parses an ESCU test-definition file (`*.test.yml`): `name`, and `tests` each with
 * `name`, `file` (the detection, relative to `detections/`), `pass_condition`,
 * `earliest_time`, `latest_time` and `attack_data`.
 */
export function parseTestYaml(text: string, file: string): { testFile?: TestFile; issues: ContentIssue[] } {
  const src = new YamlSource(text, file);
  if (src.value === undefined) return { issues: src.issues };
  if (!isRecord(src.value)) {
    src.report('content.not-a-mapping', 'error', 'a test file must be a YAML mapping');
    return { issues: src.issues };
  }
  const r = new FieldReader(src);
  if (r.get(['tests']) === undefined) src.report('content.missing-field', 'error', 'missing required field tests', ['tests']);
  const tests: TestFileEntry[] = [];
  for (const { index } of r.mapList(['tests'])) {
    const p: YamlPath = ['tests', index];
    const detFile = r.str([...p, 'file'], 'error');
    if (detFile === undefined) continue;
    const passCondition = r.str([...p, 'pass_condition']);
    const earliestTime = r.str([...p, 'earliest_time']);
    const latestTime = r.str([...p, 'latest_time']);
    tests.push({
      name: r.str([...p, 'name']) ?? `test ${index + 1}`,
      file: detFile,
      ...(passCondition !== undefined ? { passCondition } : {}),
      ...(earliestTime !== undefined ? { earliestTime } : {}),
      ...(latestTime !== undefined ? { latestTime } : {}),
      attackData: readAttackData(r, [...p, 'attack_data']),
    });
  }
  if (hasErrors(src.issues)) return { issues: src.issues };
  const name = r.str(['name']);
  return { testFile: { ...(name !== undefined ? { name } : {}), tests, source: { file } }, issues: src.issues };
}

/** Parses YAML text just far enough to tell a test file from a detection. */
export function isTestYaml(text: string): boolean {
  const src = new YamlSource(text, '');
  return looksLikeTestFile(src.value);
}
