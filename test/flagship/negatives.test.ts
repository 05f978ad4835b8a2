/**
 * The flagship stays silent on real data: every real Windows example event of
 * ESCU's data sources, the real logs in ../shared/data when present, and the
 * near misses (web shells under w3wp.exe; UMWorkerProcess.exe named in a field
 * other than the parent).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { builtinDetections, builtinMacros, loadDetectionFile } from '../../src/content/index.js';
import { hunt } from '../../src/engine/hunt.js';
import { allWindowsExamples, exampleLog, withFields } from '../support/escu-events.js';
import { ESCU, SHARED_DATA } from '../support/paths.js';

const FLAGSHIP_ID = 'f1126df0-7bd5-11eb-988f-acde48001122';

function detections() {
  const v1 = loadDetectionFile(join(ESCU, 'flagship', 'unified_messaging_service_spawning_a_process.v1.yml')).detection;
  const v2 = loadDetectionFile(join(ESCU, 'flagship', 'unified_messaging_service_spawning_a_process.v2.yml')).detection;
  assert.ok(v1 && v2);
  return [...builtinDetections(), v1, v2];
}

async function alertsOn(paths: string[]) {
  const r = await hunt({ detections: detections(), macros: builtinMacros(), paths, noPrefilter: true });
  for (const run of r.runs) assert.equal(run.error, undefined, run.error?.format());
  return r;
}

describe('flagship negatives', () => {
  it('no alert on any real Windows example event of the ESCU data sources', async () => {
    const examples = allWindowsExamples();
    assert.ok(examples.length > 40, `only ${examples.length} examples`);
    const dir = mkdtempSync(join(tmpdir(), 'spelunk-neg-'));
    const file = join(dir, 'examples.xml');
    writeFileSync(file, examples.map((e) => e.xml).join('\n') + '\n');
    const r = await alertsOn([file]);
    assert.ok(r.read.events > 40);
    assert.deepEqual(r.alerts.filter((a) => a.detection.id === FLAGSHIP_ID), []);
  });

  it('near misses stay silent: w3wp.exe web shells, UMWorkerProcess.exe as a process-access target or as the child', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spelunk-neg-'));
    const file = join(dir, 'near.xml');
    const umw = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\UMWorkerProcess.exe';
    writeFileSync(
      file,
      [
        withFields(exampleLog('sysmon_eventid_1'), { ParentImage: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe', ParentCommandLine: 'w3wp.exe -ap "MSExchangeOWAAppPool"' }),
        withFields(exampleLog('sysmon_eventid_10'), { TargetImage: umw }),
        withFields(exampleLog('sysmon_eventid_1'), { CommandLine: `cmd /c tasklist | findstr UMWorkerProcess.exe` }),
        withFields(exampleLog('windows_event_log_security_4688'), { ParentProcessName: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe' }),
      ].join('\n') + '\n',
    );
    const r = await alertsOn([file]);
    assert.equal(r.read.events, 4);
    assert.deepEqual(r.alerts.map((a) => a.message), []);
  });

  it('no alert on the real logs in ../shared/data', { skip: existsSync(SHARED_DATA) ? false : `${SHARED_DATA} is not present in this workplace` }, async () => {
    const r = await alertsOn([SHARED_DATA]);
    assert.ok(r.read.events > 0);
    assert.deepEqual(r.alerts.filter((a) => a.detection.id === FLAGSHIP_ID).map((a) => a.message), []);
  });
});
