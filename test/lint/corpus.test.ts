/**
 * The ESCU corpus against the checked-in list of known parse failures, in both
 * directions: every listed file still fails with the listed code, every other file parses.
 * Regenerate the list with `npm run build && node dist/scripts/corpus.js --write-known-failures`.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCorpus } from '../../src/lint/corpus.js';
import { ESCU, REPO_ROOT } from '../support/paths.js';

const LIST = join(REPO_ROOT, 'test', 'lint', 'known-parse-failures.json');
const REGENERATE = 'regenerate with: npm run build && node dist/scripts/corpus.js --write-known-failures';

describe('ESCU corpus parse failures', { skip: !existsSync(join(ESCU, 'detections')) && 'no ../shared/escu' }, () => {
  const known = JSON.parse(readFileSync(LIST, 'utf8')) as Record<string, string>;
  const report = runCorpus(ESCU);
  const byFile = new Map(report.entries.map((e) => [e.file, e]));

  it('every listed file still exists and still fails with the listed code', () => {
    const stale: string[] = [];
    for (const [file, reason] of Object.entries(known)) {
      const e = byFile.get(file);
      const code = reason.split(':')[0];
      if (!e) stale.push(`  ${file}: no longer in the corpus`);
      else if (e.parsed) stale.push(`  ${file}: now parses (listed as "${reason}")`);
      else if (e.failureCode !== code) stale.push(`  ${file}: now fails with "${e.failure}" (listed as "${reason}")`);
    }
    assert.equal(stale.length, 0, `stale entries in test/lint/known-parse-failures.json:\n${stale.join('\n')}\n${REGENERATE}`);
  });

  it('every file not listed parses', () => {
    const fresh = report.entries.filter((e) => !e.parsed && !(e.file in known)).map((e) => `  ${e.file}: ${e.failure}`);
    assert.equal(fresh.length, 0, `new parse failures (fix the parser, or list them):\n${fresh.join('\n')}\n${REGENERATE}`);
  });
});
