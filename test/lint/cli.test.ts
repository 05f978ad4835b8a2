/** `spelunk lint` end to end: formats, SARIF shape, exit codes. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESCU, FIXTURES } from '../support/paths.js';
import { cli } from '../support/cli.js';

const DIR = join(FIXTURES, 'lint');
const CONTENT = join(DIR, 'content');



describe('spelunk lint', () => {
  it('exit 1 when an error is found (flagship v1), 0 when only warnings (v2)', async () => {
    const v1 = await cli('lint', join(ESCU, 'flagship', 'unified_messaging_service_spawning_a_process.v1.yml'), '--content', ESCU);
    assert.equal(v1.code, 1, v1.err);
    assert.match(v1.out, /lint\.tautology/);
    const v2 = await cli('lint', join(ESCU, 'flagship', 'unified_messaging_service_spawning_a_process.v2.yml'), '--content', ESCU);
    assert.equal(v2.code, 0, v2.out + v2.err);
  });
  it('exit 2 for usage errors', async () => {
    assert.equal((await cli('lint')).code, 2);
    assert.equal((await cli('lint', DIR, '--format', 'csv')).code, 2);
    assert.equal((await cli('lint', join(DIR, 'does-not-exist'))).code, 2);
    assert.equal((await cli('lint', DIR, '--bogus')).code, 2);
  });
  it('--help exits 0', async () => {
    const r = await cli('lint', '--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /--format FMT/);
  });
  it('jsonl: one record per detection with the documented fields', async () => {
    const r = await cli('lint', DIR, '--content', CONTENT, '--format', 'jsonl');
    const records = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(records.length >= 24);
    for (const rec of records) {
      assert.deepEqual(Object.keys(rec).sort(), ['diagnostics', 'file', 'name', 'parsed', 'supported']);
      for (const d of rec['diagnostics'] as Record<string, unknown>[]) {
        for (const k of ['code', 'severity', 'message', 'line', 'column']) assert.ok(k in d, k);
      }
    }
  });
  it('sarif: a SARIF 2.1.0 log with tool spelunk, rules from the codes, and located results', async () => {
    const r = await cli('lint', DIR, '--content', CONTENT, '--format', 'sarif');
    const log = JSON.parse(r.out) as any;
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif/);
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'spelunk');
    const ids = run.tool.driver.rules.map((x: any) => x.id);
    assert.ok(ids.includes('lint.tautology'));
    assert.ok(run.results.length > 0);
    for (const res of run.results) {
      assert.ok(ids.includes(res.ruleId));
      assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      assert.equal(typeof res.message.text, 'string');
      const loc = res.locations[0].physicalLocation;
      assert.match(loc.artifactLocation.uri, /\.yml$/);
      assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
    }
  });
});
