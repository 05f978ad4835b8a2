/**
 * Runs compiled searches over input files in one pass: every event is read
 * once, normalised once, and offered to every search. The searches' literal
 * pre-filters are combined into one raw-text test for the readers.
 */
import type { ReadDiagnostic } from '../events/types.js';
import { readPaths, type ReadOptions, type ReadSummary } from '../readers/index.js';
import type { CompiledSearch, SearchResult } from '../spl/engine/compile.js';
import { compileLiteralTest } from '../spl/engine/literals.js';
import { WinEngineEvent } from './event.js';

export interface RunOptions {
  /** Called for each reader diagnostic (bad line, unreadable file, ...). */
  readonly onDiagnostic?: (d: ReadDiagnostic) => void;
  /** Called now and then with cumulative bytes and events read. */
  readonly onProgress?: (bytes: number, events: number) => void;
  /** Turn off the literal pre-filter (for measuring it, or when in doubt). */
  readonly noPrefilter?: boolean;
}

export interface RunOutcome {
  readonly results: readonly SearchResult[];
  readonly read: ReadSummary;
  /** The literals the readers filtered on, when a pre-filter was used. */
  readonly prefilter?: readonly string[];
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
  const prefilter = options.noPrefilter ? undefined : combinedPrefilter(searches);
  const needsRaw = searches.some((s) => s.input.kind === 'events');
  const readOpts: ReadOptions = {
    keepRaw: needsRaw,
    ...(prefilter ? { rawFilter: compileLiteralTest(prefilter) } : {}),
  };
  let events = 0;
  const read = await readPaths(paths, readOpts, {
    event(e) {
      events++;
      const ev = new WinEngineEvent(e);
      for (const r of runs) r.pushEvent(ev);
    },
    diagnostic(d) {
      options.onDiagnostic?.(d);
    },
    progress(bytes) {
      options.onProgress?.(bytes, events);
    },
  });
  return { results: runs.map((r) => r.finish()), read, ...(prefilter ? { prefilter } : {}) };
}
