/**
 * Turning a detection's result rows into alerts: what Splunk Enterprise Security's
 * notable and risk actions would record for each row.
 */
import type { Detection, DetectionType } from '../content/types.js';
import { scalarToString, valuesOf, type FieldValue, type Row } from '../spl/values.js';
import { attackTechnique } from './attack.js';
import { guidanceFor, type ResponseGuidance } from './guidance.js';

export const ALERT_OUTPUTS = ['notable', 'risk'] as const;
export type AlertOutput = (typeof ALERT_OUTPUTS)[number];

export interface AlertRiskObject {
  readonly field: string;
  readonly type: string;
  /** The row's value; `null` when the row lacks the field (ES creates no risk event for it). */
  readonly value: string | null;
  readonly score: number;
}

export interface AlertThreatObject {
  readonly field: string;
  readonly type: string;
  readonly value: string | null;
}

export interface AlertMitre {
  readonly id: string;
  readonly name?: string;
  readonly tactics: readonly string[];
}

export interface Alert {
  readonly detection: { readonly id: string; readonly name: string; readonly type: DetectionType; readonly version?: number };
  readonly notable: boolean;
  readonly outputs: readonly AlertOutput[];
  readonly riskScore: number;
  readonly riskObjects: readonly AlertRiskObject[];
  readonly threatObjects: readonly AlertThreatObject[];
  /** The detection's message with `$field$` tokens filled from the row. */
  readonly message: string;
  readonly mitre: readonly AlertMitre[];
  readonly killChainPhases: readonly string[];
  readonly cves: readonly string[];
  readonly analyticStories: readonly string[];
  /** Contain / patch / monitor, for detections of vulnerabilities spelunk has guidance for. */
  readonly guidance?: ResponseGuidance;
  /** Enrichments that changed what the search saw (not Splunk-exact), e.g. a rebuilt 4688 parent. */
  readonly enrichments?: readonly AlertEnrichment[];
  readonly row: Row;
}

export interface AlertEnrichment {
  readonly kind: 'rebuilt-parent';
  readonly detail: string;
}

/**
 * What ESCU's deployment of each type turns on in ES: TTP and Correlation searches
 * create a notable event and risk events; Anomaly only risk events (they surface
 * through risk-based correlation); Hunting, Baseline and Investigation searches create
 * neither (their rows are for an analyst to read). Table typed by type so a new type
 * cannot be added without deciding.
 */
export const OUTPUTS_BY_TYPE: Readonly<Record<DetectionType, readonly AlertOutput[]>> = {
  TTP: ['notable', 'risk'],
  Correlation: ['notable', 'risk'],
  Anomaly: ['risk'],
  Hunting: [],
  Baseline: [],
  Investigation: [],
};

/** Text of a field for a message or an object value; a multivalue field joins its values with ", ". */
function fieldText(v: FieldValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  return valuesOf(v).map(scalarToString).join(', ');
}

const TOKEN = /\$([A-Za-z0-9_.]+)\$/g;

/**
 * Fills `$field$` tokens from the row: `Possible exploitation on $dest$` → `... on EXCH01`.
 * A token whose field the row lacks becomes empty text, as Splunk's alert-action token
 * substitution renders it. Token names are letters, digits, `_` and `.` (the characters
 * that substitution accepts); anything else between dollars is left as written.
 */
export function renderMessage(template: string, row: Row): string {
  return template.replace(TOKEN, (_m, name: string) => fieldText(row[name]) ?? '');
}

/** One value per entry: a multivalue field gives one object per value, as ES's risk action does. */
function objectValues(v: FieldValue | undefined): (string | null)[] {
  if (v === undefined) return [null];
  const vs = valuesOf(v).map(scalarToString);
  return vs.length === 0 ? [null] : vs;
}

/** One alert per result row of `detection`. */
export function buildAlerts(detection: Detection, rows: readonly Row[]): Alert[] {
  const outputs = OUTPUTS_BY_TYPE[detection.type];
  const mitre: AlertMitre[] = detection.mitreAttackIds.map((id) => {
    const t = attackTechnique(id);
    return t ? { id: t.id, name: t.name, tactics: t.tactics } : { id, tactics: [] };
  });
  const guidance = guidanceFor(detection.cves);
  const header = {
    id: detection.id,
    name: detection.name,
    type: detection.type,
    ...(detection.version !== undefined ? { version: detection.version } : {}),
  };
  return rows.map((row) => ({
    detection: header,
    notable: outputs.includes('notable'),
    outputs,
    riskScore: detection.riskScore,
    riskObjects: detection.riskObjects.flatMap((o) =>
      objectValues(row[o.field]).map((value) => ({ field: o.field, type: o.type, value, score: o.score })),
    ),
    threatObjects: detection.threatObjects.flatMap((o) =>
      objectValues(row[o.field]).map((value) => ({ field: o.field, type: o.type, value })),
    ),
    message: renderMessage(detection.message, row),
    mitre,
    killChainPhases: detection.killChainPhases,
    cves: detection.cves,
    analyticStories: detection.analyticStories,
    ...(guidance ? { guidance } : {}),
    row,
  }));
}
