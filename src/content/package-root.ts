/**
 * Where the package's own files (content/) are at run time.
 *
 * Compiled code runs from dist/src/content/ (root three levels up); under tsx it
 * runs from src/content/ (two levels up). Rather than count levels, walk up to
 * the folder whose package.json names this package and that holds content/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'spelunk';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(join(dir, 'content'))) {
      try {
        const name = (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name;
        if (name === PACKAGE_NAME) return (cached = dir);
      } catch {
        // An unreadable package.json is not ours; keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`spelunk: cannot find the package root (package.json + content/) above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The built-in content folder (`<package>/content`). */
export function builtinContentDir(): string {
  return join(packageRoot(), 'content');
}
