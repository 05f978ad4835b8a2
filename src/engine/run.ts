/**
 * Runs compiled searches over input files in one pass: every event is read
 * once, normalised once, and offered to every search. The searches' literal
 * pre-filters are combined into one raw-text test for the readers.
 */
import type { ReadDiagnostic, WinEvent } from '../events/types.js';
import { readPaths, type ReadOptions, type ReadSink, type ReadSummary } from '../readers/index.js';
import type { CompiledSearch, SearchResult, SearchRun } from '../spl/engine/compile.js';
import { GateIndex } from '../spl/engine/gate.js';
import { compileLiteralTest } from '../spl/engine/literals.js';
import { WinEngineEvent, type EventOverrides } from './event.js';
import { readPathsParallel } from './parallel.js';

export interface RunOptions {
  /** Called for each reader diagnostic (bad line, unreadable file, ...). */
  readonly onDiagnostic?: (d: ReadDiagnostic) => void;
  /** Called now and then with cumulative bytes and events read. */
  readonly onProgress?: (bytes: number, events: number) => void;
  /** Turn off the literal pre-filter (for measuring it, or when in doubt). */
  readonly noPrefilter?: boolean;
  /** An enrichment applied to every event before the searches see it (turns the pre-filter off). */
  readonly transform?: (e: WinEvent) => WinEvent;
  /** `source`/`sourcetype`/`host` for every event, as an input's settings give them. */
  readonly overrides?: EventOverrides;
  /** Decode every EventData field even when the searches read only data model records (for checking `ReadOptions.fields`). */
  readonly allFields?: boolean;
  /** Offer every event to every search (no gate index); for checking the index. */
  readonly noGate?: boolean;
  /**
   * Worker threads reading files in parallel (default 1: all on this thread).
   * Results, diagnostics and the summary are the same for any value; see
   * `readPathsParallel` and docs/design/parallel.md.
   */
  readonly jobs?: number;
  /** Also read events recovered from deleted space (`ReadOptions.recover`; EVTX slack space). */
  readonly recover?: boolean;
}

export interface RunOutcome {
  readonly results: readonly SearchResult[];
  readonly read: ReadSummary;
  /** The literals the readers filtered on, when a pre-filter was used. */
  readonly prefilter?: readonly string[];
}

/**
 * The EventData fields the searches read, when every one reads only data model
 * records (no raw events, no enrichment): the union of their datasets'
 * `sourceFields`. Undefined = every field (a search reads raw events, or a
 * dataset does not declare its fields).
 */
export function combinedFields(searches: readonly CompiledSearch[]): readonly string[] | undefined {
  if (searches.length === 0) return undefined;
  const all = new Set<string>();
  for (const s of searches) {
    if (s.input.kind !== 'datamodel') return undefined;
    const f = s.input.dataset.sourceFields;
    if (f === undefined) return undefined;
    for (const n of f) all.add(n);
  }
  return [...all].sort();
}

/** The raw-text test all searches allow, or undefined when one of them needs every event. */
export function combinedPrefilter(searches: readonly CompiledSearch[]): readonly string[] | undefined {
  if (searches.length === 0) return undefined;
  const all: string[] = [];
  for (const s of searches) {
    if (!s.literals) return undefined;
    all.push(...s.literals);
  }
  return [...new Set(all)];
}

export async function runSearches(searches: readonly CompiledSearch[], paths: readonly string[], options: RunOptions = {}): Promise<RunOutcome> {
  const runs = searches.map((s) => s.start());
  // An enrichment can put a literal into an event that its raw text lacks.
  const prefilter = options.noPrefilter || options.transform ? undefined : combinedPrefilter(searches);
  const transform = options.transform;
  const needsRaw = searches.some((s) => s.input.kind === 'events');
  // Only data model records read: the readers may leave out the EventData fields no mapping reads.
  const fields = needsRaw || options.allFields || options.transform ? undefined : combinedFields(searches);
  const readOpts: ReadOptions = {
    keepRaw: needsRaw,
    ...(fields ? { fields } : {}),
    ...(prefilter ? { rawFilter: compileLiteralTest(prefilter), literals: prefilter } : {}),
    ...(options.recover ? { recover: true } : {}),
  };
  // Data model searches go through a gate index per dataset; the rest see every event.
  const byDataset = new Map<string, { index: number; search: CompiledSearch }[]>();
  const plain: number[] = [];
  searches.forEach((s, index) => {
    if (options.noGate || s.input.kind !== 'datamodel' || searches.length < 8) plain.push(index);
    else {
      const list = byDataset.get(s.input.dataset.name) ?? [];
      list.push({ index, search: s });
      byDataset.set(s.input.dataset.name, list);
    }
  });
  const gates = [...byDataset].map(([name, members]) => new GateIndex(name, members, searches.length));
  let events = 0;
  const sink: ReadSink = {
    event(e) {
      events++;
      const ev = new WinEngineEvent(transform ? transform(e) : e, options.overrides);
      for (let k = 0; k < plain.length; k++) (runs[plain[k] as number] as SearchRun).pushEvent(ev);
      for (let k = 0; k < gates.length; k++) {
        const g = gates[k] as GateIndex;
        const rec = ev.dataset(g.dataset);
        if (!rec) continue;
        const list = g.candidateList(rec);
        for (let j = 0; j < list.length; j++) (runs[list[j] as number] as SearchRun).pushEvent(ev);
      }
    },
    diagnostic(d) {
      options.onDiagnostic?.(d);
    },
    progress(bytes) {
      options.onProgress?.(bytes, events);
    },
  };
  const jobs = options.jobs ?? 1;
  const read = jobs > 1 ? await readPathsParallel(paths, readOpts, sink, { jobs }) : await readPaths(paths, readOpts, sink);
  return { results: runs.map((r) => r.finish()), read, ...(prefilter ? { prefilter } : {}) };
}
