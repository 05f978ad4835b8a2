/**
 * Corpus figures over ESCU's detections: how many parse, how many the engine
 * supports, and what it lacks. Shared by scripts/corpus.ts and the corpus test.
 */
import { LookupStore } from '../content/index.js';
import { join, relative, resolve } from 'node:path';
import { builtinMacros, loadDetections, loadMacroDir, mergeMacros, packageRoot, type ContentIssue } from '../content/index.js';
import { lookupFunction } from '../spl/eval/functions.js';
import { analyzeSearch, evalExprs, walkEval } from './analyze.js';

export interface CorpusEntry {
  /** Path relative to the detections folder, with `/`. */
  readonly file: string;
  readonly parsed: boolean;
  readonly supported: boolean;
  /** `<code>: <message>` of the first parse failure. */
  readonly failure?: string;
  readonly failureCode?: string;
  readonly unsupportedCommands: readonly string[];
  readonly unsupportedFunctions: readonly string[];
  /** Code of the error that keeps a parsed search from compiling. */
  readonly compileError?: string;
}

export interface CorpusReport {
  readonly entries: readonly CorpusEntry[];
  /** Detection files that did not load (YAML or model errors). */
  readonly loadErrors: readonly ContentIssue[];
}

/** `../shared/escu` beside the package root. */
export function escuDir(): string {
  return resolve(packageRoot(), '..', 'shared', 'escu');
}

/** Analyses every detection under `<escu>/detections` with ESCU's macros over the built-ins. */
export function runCorpus(escu = escuDir()): CorpusReport {
  const detectionsDir = join(escu, 'detections');
  const macros = mergeMacros(builtinMacros(), loadMacroDir(join(escu, 'macros')).macros);
  const { detections, issues } = loadDetections([detectionsDir]);
  const lookups = LookupStore.fromDir(join(escu, 'lookups')).store;
  const entries: CorpusEntry[] = [];
  for (const d of detections) {
    const a = analyzeSearch(d.search, macros, lookups);
    const functions = new Set<string>();
    for (const { expr } of evalExprs(a)) for (const e of walkEval(expr)) if (e.kind === 'call' && !lookupFunction(e.name)) functions.add(e.name);
    entries.push({
      file: relative(detectionsDir, d.source.file).split('\\').join('/'),
      parsed: a.parsed,
      supported: a.parsed && a.compiled,
      ...(a.parseError ? { failure: `${a.parseError.code}: ${a.parseError.message}`, failureCode: a.parseError.code } : {}),
      unsupportedCommands: [...new Set(a.unsupportedCommands)],
      unsupportedFunctions: [...functions],
      ...(a.compileError ? { compileError: a.compileError.code } : {}),
    });
  }
  entries.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : 0));
  return { entries, loadErrors: issues.filter((i) => i.severity === 'error') };
}

/** The known-failures table: file → `<code>: <reason>`. */
export function knownFailures(report: CorpusReport): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of report.entries) if (!e.parsed && e.failure) out[e.file] = e.failure;
  return out;
}

/** Where the checked-in known-failures list lives. */
export function knownFailuresPath(): string {
  return join(packageRoot(), 'test', 'lint', 'known-parse-failures.json');
}
