/**
 * The second pass of `hunt`: when detections alerted, read the inputs again,
 * keeping only the events of the alerting hosts (a literal pre-filter on their
 * names), and build each alert's context. Standard input cannot be read twice,
 * so it gets no context.
 */
import type { Alert } from '../alerting/index.js';
import type { ReadDiagnostic } from '../events/types.js';
import { readPaths } from '../readers/index.js';
import { compileLiteralTest, longestSafeLiteral } from '../spl/engine/literals.js';
import { scalarToString, valuesOf } from '../spl/values.js';
import { ContextCollector, type AlertContext } from '../triage/index.js';

export interface ContextOptions {
  readonly windowSeconds?: number;
  readonly onDiagnostic?: (d: ReadDiagnostic) => void;
  /** Read recovered events too, as the first pass did (`ReadOptions.recover`). */
  readonly recover?: boolean;
}

/** Alert hosts: the values of the alerts' `dest` (or `host`) fields. */
function alertHosts(alerts: readonly Alert[]): string[] {
  const hosts = new Set<string>();
  for (const a of alerts) for (const v of valuesOf(a.row['dest'] ?? a.row['host'])) hosts.add(scalarToString(v));
  return [...hosts];
}

export async function alertContexts(alerts: readonly Alert[], paths: readonly string[], opts: ContextOptions = {}): Promise<(AlertContext | undefined)[]> {
  const files = paths.filter((p) => p !== '-');
  if (alerts.length === 0 || files.length === 0) return alerts.map(() => undefined);
  const hosts = alertHosts(alerts);
  const literals = hosts.map((h) => longestSafeLiteral(h) === h ? h : undefined);
  const collector = new ContextCollector();
  await readPaths(
    files,
    {
      keepRaw: false,
      ...(literals.every((l) => l !== undefined) && literals.length > 0 ? { rawFilter: compileLiteralTest(literals as string[]) } : {}),
      ...(opts.recover ? { recover: true } : {}),
    },
    {
      event: (e) => collector.add(e),
      // The first pass reported every problem of these files already.
      diagnostic: () => {},
    },
  );
  return alerts.map((a) => collector.contextFor(a.row, opts.windowSeconds));
}
