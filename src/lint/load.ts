/** File-system side of lint: the lookup names of an ESCU content folder. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * Names (and file names) of the lookup definitions in `dir` (`<content>/lookups/*.yml`),
 * or undefined when the folder cannot be read.
 */
export function loadLookupNames(dir: string): Set<string> | undefined {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n));
  } catch {
    return undefined;
  }
  const out = new Set<string>();
  for (const n of names) {
    try {
      const v: unknown = parse(readFileSync(join(dir, n), 'utf8'));
      if (typeof v !== 'object' || v === null) continue;
      const { name, filename } = v as { name?: unknown; filename?: unknown };
      if (typeof name === 'string') out.add(name);
      if (typeof filename === 'string') out.add(filename);
    } catch {
      // an unreadable definition simply defines nothing
    }
  }
  return out;
}
