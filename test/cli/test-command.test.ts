/** `spelunk test`: ESCU test replay over local attack data. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { localAttackData } from '../../src/engine/content-test.js';
import { ESCU, REPO_ROOT } from '../support/paths.js';
import { cli } from '../support/cli.js';



const DATA = join(REPO_ROOT, 'test', 'fixtures', 'attack_data');
const FLAGSHIP_V1 = join(ESCU, 'flagship', 'unified_messaging_service_spawning_a_process.v1.yml');
const FLAGSHIP_TEST = join(ESCU, 'flagship', 'unified_messaging_service_spawning_a_process.test.yml');

describe('spelunk test', () => {
  it('maps attack_data URLs onto the local folder by the path after datasets/', () => {
    const url = 'https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/attack_techniques/T1505.003/windows-sysmon_umservices.log';
    assert.equal(localAttackData(url, DATA), join(DATA, 'attack_techniques', 'T1505.003', 'windows-sysmon_umservices.log'));
    assert.equal(localAttackData(url, join(DATA, 'quiet')), join(DATA, 'quiet', 'windows-sysmon_umservices.log'), 'falls back to the file name');
    assert.equal(localAttackData(url, tmpdir()), undefined);
  });

  it('passes the flagship (version 1 with its separate test file) on the synthetic dataset', async () => {
    const r = await cli('test', FLAGSHIP_V1, FLAGSHIP_TEST, '--attack-data', DATA, '--format', 'jsonl');
    assert.equal(r.code, 0, r.err);
    const [o] = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    assert.equal(o?.status, 'pass');
    assert.equal(o?.rows, 14, 'version 1 returns every UM child: 2 + 12 WER');
    assert.match(r.err, /1 passed, 0 failed/);
  });

  it('passes the shipped flagship on the same data (WER children excluded)', async () => {
    const r = await cli('test', join(REPO_ROOT, 'content', 'detections', 'unified_messaging_service_spawning_a_process.yml'), '--attack-data', DATA, '--format', 'jsonl');
    assert.equal(r.code, 0, r.err);
    assert.equal((JSON.parse(r.out) as Record<string, unknown>)['rows'], 2);
  });

  it('fails when the search returns nothing, and reports missing data', async () => {
    const quiet = await cli('test', FLAGSHIP_V1, FLAGSHIP_TEST, '--attack-data', join(DATA, 'quiet'), '--format', 'jsonl');
    assert.equal(quiet.code, 1);
    assert.match(quiet.out, /"status":"fail".*"reason":"the search returned no row over 2 events"/);
    const missing = await cli('test', FLAGSHIP_V1, FLAGSHIP_TEST, '--attack-data', mkdtempSync(join(tmpdir(), 'spelunk-none-')));
    assert.equal(missing.code, 1);
    assert.match(missing.out, /MISSING-DATA/);
  });

  it('applies the test\'s source and sourcetype to the events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spelunk-det-'));
    const det = join(dir, 'custom_source.yml');
    writeFileSync(
      det,
      [
        'name: Custom Source Test',
        'id: 0b6b8c3e-1f7e-4c55-9d3a-6c0f6f0d2a11',
        'version: 1',
        'type: Hunting',
        'description: synthetic, for the test command',
        "search: 'search source=\"custom:umservices\" sourcetype=\"my_sourcetype\" EventCode=1 | stats count by dest'",
        'tags:',
        '  risk_score: 1',
        '  message: test on $dest$',
        '  observable:',
        '  - name: dest',
        '    type: Endpoint',
        '    role: [Victim]',
        'tests:',
        '- name: source applied',
        '  attack_data:',
        '  - data: https://example.invalid/datasets/attack_techniques/T1505.003/windows-sysmon_umservices.log',
        '    source: custom:umservices',
        '    sourcetype: my_sourcetype',
      ].join('\n') + '\n',
    );
    const r = await cli('test', det, '--attack-data', DATA, '--format', 'jsonl');
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal((JSON.parse(r.out) as Record<string, unknown>)['rows'], 1);
  });
});
