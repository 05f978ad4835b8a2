/** Alert reporters for `hunt`: a grouped table for people, JSON / JSON lines / CSV for machines. */
import type { Alert, RiskSummary } from '../../alerting/index.js';
import type { DetectionRun } from '../../engine/hunt.js';
import { newRow, type Row } from '../../spl/values.js';
import type { AlertContext } from '../../triage/index.js';
import { renderContextText } from './context.js';
import { renderCsv } from './csv.js';
import { renderTable } from './table.js';
import { jsonRow } from './values.js';

export type ContextOf = ReadonlyMap<Alert, AlertContext | undefined>;

/** An alert as one JSON object (the row's fields under `result`, its context under `context`). */
export function alertJson(a: Alert, context?: AlertContext): Record<string, unknown> {
  return {
    detection: a.detection,
    outputs: a.outputs,
    notable: a.notable,
    risk_score: a.riskScore,
    risk_objects: a.riskObjects,
    threat_objects: a.threatObjects,
    message: a.message,
    mitre_attack: a.mitre,
    kill_chain_phases: a.killChainPhases,
    cve: a.cves,
    analytic_story: a.analyticStories,
    ...(a.enrichments ? { enrichments: a.enrichments } : {}),
    ...(a.guidance ? { guidance: a.guidance } : {}),
    result: jsonRow(a.row, Object.keys(a.row)),
    ...(context ? { context } : {}),
  };
}

export function renderAlertsJsonl(alerts: readonly Alert[], contexts: ContextOf = new Map()): string {
  return alerts.map((a) => JSON.stringify(alertJson(a, contexts.get(a))) + '\n').join('');
}

/** `{ "alerts": [...], "risk": [...] }`: the alerts, then the risk per object. */
export function renderAlertsJson(alerts: readonly Alert[], contexts: ContextOf = new Map(), risk: readonly RiskSummary[] = []): string {
  return JSON.stringify({ alerts: alerts.map((a) => alertJson(a, contexts.get(a))), risk: risk.map(riskJson) }, null, 2) + '\n';
}

function iso(t: number | undefined): string | undefined {
  return t === undefined ? undefined : new Date(Math.round(t * 1000)).toISOString();
}

export function riskJson(r: RiskSummary): Record<string, unknown> {
  return {
    risk_object: r.object,
    risk_object_type: r.objectType,
    total_score: r.totalScore,
    risk_events: r.riskEvents,
    detections: r.detections,
    tactics: r.tactics,
    techniques: r.techniques,
    first_time: iso(r.firstTime),
    last_time: iso(r.lastTime),
    peak_window_score: r.peakWindowScore,
    peak_window_tactics: r.peakWindowTactics,
    risk_notable: r.notableReasons.length > 0,
    reasons: r.notableReasons,
  };
}

/** The per-object risk table printed after the alerts. */
export function renderRiskTable(risk: readonly RiskSummary[], width: number | undefined): string {
  if (risk.length === 0) return '';
  const rows = risk.map((r) => {
    const row = newRow();
    row['risk_object'] = r.object;
    row['type'] = r.objectType;
    row['total'] = r.totalScore;
    row['peak'] = r.peakWindowScore;
    row['events'] = r.riskEvents;
    row['tactics'] = r.tactics.length > 0 ? [...r.tactics] : '-';
    row['detections'] = [...r.detections];
    row['risk notable'] = r.notableReasons.length > 0 ? [...r.notableReasons] : 'no';
    return row;
  });
  return '\n== Risk by object\n' + renderTable(rows, ['risk_object', 'type', 'total', 'peak', 'events', 'tactics', 'detections', 'risk notable'], width ? { width } : {});
}

const CSV_FIELDS = ['detection_id', 'detection', 'type', 'outputs', 'risk_score', 'risk_object', 'message', 'mitre_attack', 'result'] as const;

export function renderAlertsCsv(alerts: readonly Alert[]): string {
  const rows: Row[] = alerts.map((a) => {
    const r = newRow();
    r['detection_id'] = a.detection.id;
    r['detection'] = a.detection.name;
    r['type'] = a.detection.type;
    r['outputs'] = a.outputs.join('+');
    r['risk_score'] = a.riskScore;
    r['risk_object'] = a.riskObjects.map((o) => `${o.field}=${o.value ?? ''}`).join(' ');
    r['message'] = a.message;
    r['mitre_attack'] = a.mitre.map((m) => m.id).join(' ');
    r['result'] = JSON.stringify(jsonRow(a.row, Object.keys(a.row)));
    return r;
  });
  return renderCsv(rows, CSV_FIELDS);
}

/** A section per detection that alerted: its header, then its alerts as a table. */
export function renderAlertsTable(runs: readonly DetectionRun[], width: number | undefined, contexts: ContextOf = new Map()): string {
  const out: string[] = [];
  for (const run of runs) {
    if (run.alerts.length === 0) continue;
    const d = run.detection;
    const first = run.alerts[0] as Alert;
    const outputs = first.outputs.length > 0 ? first.outputs.join(' + ') : 'no alert action';
    const mitre = first.mitre.map((m) => `${m.id}${m.tactics.length ? ` (${m.tactics.join(', ')})` : ''}`).join(', ');
    out.push(`== ${d.name}  [${d.type}, risk ${first.riskScore}, ${outputs}]  ${run.alerts.length} alert${run.alerts.length === 1 ? '' : 's'}`);
    if (mitre) out.push(`   ATT&CK ${mitre}${first.cves.length ? `; ${first.cves.join(', ')}` : ''}`);
    if (first.guidance) {
      out.push(`   Contain: ${first.guidance.contain[0] ?? ''}`);
      out.push(`   Patch:   ${first.guidance.patch[0] ?? ''}`);
      out.push(`   Monitor: ${first.guidance.monitor[0] ?? ''}`);
    }
    const rows = run.alerts.map((a) => {
      const r = newRow();
      r['risk'] = a.riskScore;
      r['risk_object'] = a.riskObjects.map((o) => o.value ?? '(none)').join(', ');
      r['message'] = a.message;
      for (const k in a.row) r[k] = a.row[k];
      return r;
    });
    const fields = ['risk', 'risk_object', 'message', ...Object.keys(run.alerts[0]?.row ?? {})];
    out.push(renderTable(rows, fields, width ? { width } : {}));
    run.alerts.forEach((a, i) => {
      const ctx = contexts.get(a);
      const notes = (a.enrichments ?? []).map((e) => `    note: ${e.detail}\n`).join('');
      if (ctx || notes) out.push(`  context of alert ${i + 1} (${a.riskObjects.map((o) => o.value ?? '').join(', ')}):\n${notes}${ctx ? renderContextText(ctx) : ''}`);
    });
  }
  return out.join('\n');
}
