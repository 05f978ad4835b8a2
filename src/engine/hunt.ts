/**
 * `hunt`: compile a set of detections, run them over the inputs in one pass,
 * and turn their rows into alerts. Compile errors are collected per detection;
 * the other detections still run.
 */
import { buildAlerts, type Alert } from '../alerting/index.js';
import type { Detection, LookupStore, MacroTable } from '../content/index.js';
import type { ReadDiagnostic } from '../events/types.js';
import type { ReadSummary } from '../readers/index.js';
import { compileSearch, type CompiledSearch, type SearchResult } from '../spl/engine/compile.js';
import type { ExecOptions } from '../spl/engine/types.js';
import { SplError } from '../spl/language/errors.js';
import { mapResolver } from '../spl/language/macros.js';
import { catalog } from './event.js';
import { runSearches } from './run.js';
import { ParentRebuilder } from '../triage/index.js';
import { scalarToString, valuesOf } from '../spl/values.js';

export interface HuntOptions {
  readonly detections: readonly Detection[];
  readonly macros: MacroTable;
  /** Lookup tables (`--content DIR/lookups`) for `lookup`, `inputlookup`, `outputlookup`. */
  readonly lookups?: LookupStore;
  readonly paths: readonly string[];
  readonly exec?: Partial<ExecOptions>;
  readonly noPrefilter?: boolean;
  /** Fill in the parents of 4688 v0/v1 events from earlier events (not Splunk-exact; marked on alerts). */
  readonly rebuildParents?: boolean;
  readonly onDiagnostic?: (d: ReadDiagnostic) => void;
  readonly onProgress?: (bytes: number, events: number) => void;
  /** Worker threads reading files in parallel (default 1); results are the same for any value. */
  readonly jobs?: number;
  /** Also read events recovered from deleted space (`ReadOptions.recover`; EVTX slack space). */
  readonly recover?: boolean;
}

export interface DetectionRun {
  readonly detection: Detection;
  /** Set when the detection's search could not be compiled; it did not run. */
  readonly error?: SplError;
  readonly result?: SearchResult;
  readonly alerts: readonly Alert[];
}

export interface HuntResult {
  readonly runs: readonly DetectionRun[];
  readonly alerts: readonly Alert[];
  readonly read: ReadSummary;
  readonly prefilter?: readonly string[];
}

export function execOptions(exec: Partial<ExecOptions> = {}): ExecOptions {
  return { now: exec.now ?? Date.now() / 1000, timezone: exec.timezone ?? 'UTC' };
}

/** Compiles one detection's search, or returns the SplError that stops it. */
export function compileDetection(d: Detection, macros: MacroTable, exec: ExecOptions, lookups?: LookupStore): CompiledSearch | SplError {
  try {
    return compileSearch(d.search, { macros: mapResolver(macros), catalog, exec, ...(lookups ? { lookups, lookupWriter: lookups } : {}) });
  } catch (err) {
    if (err instanceof SplError) return err;
    throw err;
  }
}

export async function hunt(opts: HuntOptions): Promise<HuntResult> {
  const exec = execOptions(opts.exec);
  const compiled = opts.detections.map((d) => ({ d, c: compileDetection(d, opts.macros, exec, opts.lookups) }));
  const runnable = compiled.filter((x): x is { d: Detection; c: CompiledSearch } => !(x.c instanceof SplError));
  const rebuilder = opts.rebuildParents ? new ParentRebuilder() : undefined;
  const outcome = await runSearches(
    runnable.map((x) => x.c),
    opts.paths,
    {
      ...(opts.onDiagnostic ? { onDiagnostic: opts.onDiagnostic } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(opts.noPrefilter ? { noPrefilter: true } : {}),
      ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}),
      ...(opts.recover ? { recover: true } : {}),
      ...(rebuilder ? { transform: (e) => rebuilder.process(e) } : {}),
    },
  );
  const resultOf = new Map(runnable.map((x, i) => [x.d, outcome.results[i] as SearchResult]));
  const runs: DetectionRun[] = compiled.map(({ d, c }) => {
    if (c instanceof SplError) return { detection: d, error: c, alerts: [] };
    const result = resultOf.get(d) as SearchResult;
    return { detection: d, result, alerts: buildAlerts(d, result.rows) };
  });
  const first = (v: unknown): string | undefined => {
    const vs = valuesOf(v as never);
    return vs.length > 0 ? scalarToString(vs[0] as string) : undefined;
  };
  // Alerts whose process had its parent rebuilt say so.
  const marked = (a: Alert): Alert => {
    if (!rebuilder) return a;
    const host = first(a.row['dest']);
    const pid = first(a.row['process_id']);
    const r = host !== undefined && pid !== undefined ? rebuilder.lookup(host, pid) : undefined;
    if (!r) return a;
    const detail = `parent rebuilt (--rebuild-parents): creator pid ${r.parentPid} on ${r.host} was ${r.parentImage}, ${r.evidence}`;
    return { ...a, enrichments: [...(a.enrichments ?? []), { kind: 'rebuilt-parent', detail }] };
  };
  const markedRuns = runs.map((r) => ({ ...r, alerts: r.alerts.map(marked) }));
  return {
    runs: markedRuns,
    alerts: markedRuns.flatMap((r) => r.alerts),
    read: outcome.read,
    ...(outcome.prefilter ? { prefilter: outcome.prefilter } : {}),
  };
}
