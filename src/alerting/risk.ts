/**
 * Risk-based alerting: risk events per object (host, user, ...) accumulate;
 * a risk notable is raised for an object when its total risk within a window
 * crosses a threshold, or when it shows enough distinct ATT&CK tactics within
 * a longer window (as ES's "Risk Threshold Exceeded" and "ATT&CK Tactic
 * Threshold Exceeded" correlation searches do).
 */
import type { Alert } from './alerts.js';
import { rowTimes } from './time.js';

export interface RiskPolicy {
  /** Total risk strictly above this within `scoreWindow` raises a notable (default 100). */
  readonly scoreThreshold: number;
  readonly scoreWindow: number;
  /** This many distinct tactics or more within `tacticWindow` raises a notable (default 3). */
  readonly tacticThreshold: number;
  readonly tacticWindow: number;
}

export const DEFAULT_RISK_POLICY: RiskPolicy = { scoreThreshold: 100, scoreWindow: 24 * 3600, tacticThreshold: 3, tacticWindow: 7 * 24 * 3600 };

export interface RiskEvent {
  readonly object: string;
  readonly objectType: string;
  readonly field: string;
  readonly score: number;
  /** Epoch seconds; undefined when the alert's row has no time. */
  readonly time?: number;
  readonly detection: string;
  readonly tactics: readonly string[];
  readonly techniques: readonly string[];
}

export interface RiskSummary {
  readonly object: string;
  readonly objectType: string;
  readonly totalScore: number;
  readonly riskEvents: number;
  readonly detections: readonly string[];
  readonly tactics: readonly string[];
  readonly techniques: readonly string[];
  readonly firstTime?: number;
  readonly lastTime?: number;
  /** The highest total within any `scoreWindow`, and the most distinct tactics within any `tacticWindow`. */
  readonly peakWindowScore: number;
  readonly peakWindowTactics: number;
  /** Why a risk notable is raised; empty when none is. */
  readonly notableReasons: readonly string[];
}

/** One risk event per risk object value of each alert whose detection writes risk. */
export function riskEvents(alerts: readonly Alert[]): RiskEvent[] {
  const out: RiskEvent[] = [];
  for (const a of alerts) {
    if (!a.outputs.includes('risk')) continue;
    const t = rowTimes(a.row);
    const tactics = [...new Set(a.mitre.flatMap((m) => m.tactics))];
    const techniques = a.mitre.map((m) => m.id);
    for (const o of a.riskObjects) {
      if (o.value === null || o.value === '') continue;
      out.push({
        object: o.value,
        objectType: o.type,
        field: o.field,
        score: o.score,
        ...(t ? { time: t.from } : {}),
        detection: a.detection.name,
        tactics,
        techniques,
      });
    }
  }
  return out;
}

function peakScore(events: readonly RiskEvent[], window: number): number {
  const timed = events.filter((e) => e.time !== undefined).sort((a, b) => (a.time as number) - (b.time as number));
  // Events without a time count in every window: the search that made them covered it.
  const untimed = events.filter((e) => e.time === undefined).reduce((s, e) => s + e.score, 0);
  let best = 0;
  let sum = 0;
  let lo = 0;
  for (let hi = 0; hi < timed.length; hi++) {
    sum += (timed[hi] as RiskEvent).score;
    while ((timed[hi] as RiskEvent).time as number - ((timed[lo] as RiskEvent).time as number) > window) sum -= (timed[lo++] as RiskEvent).score;
    best = Math.max(best, sum);
  }
  return best + untimed;
}

function peakTactics(events: readonly RiskEvent[], window: number): number {
  const timed = events.filter((e) => e.time !== undefined).sort((a, b) => (a.time as number) - (b.time as number));
  const untimed = events.filter((e) => e.time === undefined).flatMap((e) => e.tactics);
  let best = new Set(untimed).size;
  for (let lo = 0; lo < timed.length; lo++) {
    const set = new Set(untimed);
    const start = (timed[lo] as RiskEvent).time as number;
    for (let hi = lo; hi < timed.length && ((timed[hi] as RiskEvent).time as number) - start <= window; hi++) {
      for (const t of (timed[hi] as RiskEvent).tactics) set.add(t);
    }
    best = Math.max(best, set.size);
  }
  return best;
}

/** Per-object totals and risk notables, highest total first. */
export function summarizeRisk(events: readonly RiskEvent[], policy: RiskPolicy = DEFAULT_RISK_POLICY): RiskSummary[] {
  const byObject = new Map<string, RiskEvent[]>();
  for (const e of events) {
    const k = `${e.objectType}\u0000${e.object}`;
    const list = byObject.get(k) ?? [];
    list.push(e);
    byObject.set(k, list);
  }
  const out: RiskSummary[] = [];
  for (const list of byObject.values()) {
    const first = list[0] as RiskEvent;
    const times = list.map((e) => e.time).filter((t): t is number => t !== undefined);
    const peakWindowScore = peakScore(list, policy.scoreWindow);
    const peakWindowTactics = peakTactics(list, policy.tacticWindow);
    const reasons: string[] = [];
    if (peakWindowScore > policy.scoreThreshold) reasons.push(`total risk ${peakWindowScore} > ${policy.scoreThreshold} within ${policy.scoreWindow / 3600} h`);
    if (peakWindowTactics >= policy.tacticThreshold) reasons.push(`${peakWindowTactics} ATT&CK tactics (≥ ${policy.tacticThreshold}) within ${policy.tacticWindow / 86400} days`);
    out.push({
      object: first.object,
      objectType: first.objectType,
      totalScore: list.reduce((s, e) => s + e.score, 0),
      riskEvents: list.length,
      detections: [...new Set(list.map((e) => e.detection))].sort(),
      tactics: [...new Set(list.flatMap((e) => e.tactics))].sort(),
      techniques: [...new Set(list.flatMap((e) => e.techniques))].sort(),
      ...(times.length ? { firstTime: Math.min(...times), lastTime: Math.max(...times) } : {}),
      peakWindowScore,
      peakWindowTactics,
      notableReasons: reasons,
    });
  }
  return out.sort((a, b) => b.totalScore - a.totalScore || (a.object < b.object ? -1 : 1));
}
