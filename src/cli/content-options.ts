/** The `--content DIR` options of the commands that run detections: macros and lookups. */
import { existsSync } from 'node:fs';
import { LookupStore, builtinMacros, loadMacroDir, mergeMacros, type ContentIssue, type Macro } from '../content/index.js';
import { UsageError } from './common.js';

/** Built-in macros, overridden by those of `--content DIR`. */
export function loadMacros(contentDir: string | undefined, report: (issue: ContentIssue) => void): Map<string, Macro> {
  const builtin = builtinMacros();
  if (contentDir === undefined) return builtin;
  const dir = contentDir.replace(/\/+$/, '') + '/macros';
  const { macros, issues } = loadMacroDir(dir);
  // Warnings about a content folder's YAML style are `spelunk lint`'s business, not every search's.
  issues.filter((i) => i.severity === 'error').forEach(report);
  if (issues.some((i) => i.code === 'content.unreadable' && i.file === dir)) {
    throw new UsageError(`--content ${contentDir}: no readable macros/ folder`);
  }
  return mergeMacros(builtin, macros);
}

/** The lookup tables of `--content DIR` (its `lookups/` folder), or none. */
export function loadLookups(contentDir: string | undefined, report: (issue: ContentIssue) => void): LookupStore | undefined {
  if (contentDir === undefined) return undefined;
  const dir = contentDir.replace(/\/+$/, '') + '/lookups';
  if (!existsSync(dir)) return undefined;
  const { store, issues } = LookupStore.fromDir(dir);
  issues.filter((i) => i.severity === 'error').forEach(report);
  return store;
}

