import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/content/helpers.ts). */
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The shared ESCU corpus beside the repository (never copied into it). */
export const ESCU = join(REPO, '..', 'shared', 'escu');
