import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/content/helpers.ts). */
import { REPO_ROOT } from '../support/paths.js';
export const REPO = REPO_ROOT;
/** The shared ESCU corpus beside the repository (never copied into it). */
export const ESCU = join(REPO, '..', 'shared', 'escu');
