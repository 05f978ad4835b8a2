/** Reading a flat folder of YAML content files (ESCU's `macros/`, `lookups/`). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContentIssue } from './types.js';

/**
 * The `*.yml|*.yaml` files directly in `dir`, sorted, with their text. A folder
 * or file that cannot be read is a `content.unreadable` issue; the others are
 * still returned.
 */
export function readYamlDir(dir: string): { files: { file: string; text: string }[]; issues: ContentIssue[]; unreadableDir: boolean } {
  const issues: ContentIssue[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (err) {
    return { files: [], issues: [{ code: 'content.unreadable', severity: 'error', message: (err as Error).message, file: dir }], unreadableDir: true };
  }
  const files: { file: string; text: string }[] = [];
  for (const n of names) {
    const file = join(dir, n);
    try {
      files.push({ file, text: readFileSync(file, 'utf8') });
    } catch (err) {
      issues.push({ code: 'content.unreadable', severity: 'error', message: (err as Error).message, file });
    }
  }
  return { files, issues, unreadableDir: false };
}
