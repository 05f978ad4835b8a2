/** Paths the tests share: the repository root and `../shared` beside it. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
}

export const REPO_ROOT = findRoot();
export const SHARED = resolve(REPO_ROOT, '..', 'shared');
export const ESCU = join(SHARED, 'escu');
export const SHARED_DATA = join(SHARED, 'data');
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
