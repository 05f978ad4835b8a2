/**
 * The flagship detection end to end through the readers: synthetic positives
 * made from real ESCU example events with only parent and child fields changed.
 * Version 1's text returns the WER children exactly as Splunk would (its
 * exclusion is a tautology); version 2 and the shipped detection do not.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { builtinDetections, builtinMacros } from '../../src/content/index.js';
import { catalog } from '../../src/engine/event.js';
import { runSearches } from '../../src/engine/run.js';
import { compileSearch } from '../../src/spl/engine/compile.js';
import { mapResolver } from '../../src/spl/language/macros.js';
import type { Row } from '../../src/spl/values.js';
import { exampleLog, toEvtxJsonLine, withFields } from '../support/escu-events.js';
import { ESCU } from '../support/paths.js';

const BIN = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin';
const UMW = `${BIN}\\UMWorkerProcess.exe`;
const UMS = `${BIN}\\UMService.exe`;
const UMW_CMD = `"${UMW}" -pipe:2544 -subprocessid:1`;
const UMS_CMD = `"${UMS}"`;
const HOST = 'EXCH01.corp.example';

interface Spawn {
  parent: string;
  parentCmd: string;
  parentPid: number;
  image: string;
  cmd: string;
  pid: number;
  time: string;
}

const SPAWNS: Spawn[] = [
  { parent: UMW, parentCmd: UMW_CMD, parentPid: 5904, image: 'C:\\Windows\\System32\\cmd.exe', cmd: 'cmd.exe /c whoami', pid: 7312, time: '2021-03-03T03:14:07.2250000Z' },
  { parent: UMW, parentCmd: UMW_CMD, parentPid: 5904, image: 'C:\\Windows\\System32\\WerFault.exe', cmd: 'C:\\Windows\\system32\\WerFault.exe -u -p 5904 -s 1200', pid: 8400, time: '2021-03-03T03:14:30.1000000Z' },
  { parent: UMS, parentCmd: UMS_CMD, parentPid: 4120, image: 'C:\\Windows\\System32\\wermgr.exe', cmd: 'C:\\Windows\\system32\\wermgr.exe -outproc 0 4120', pid: 8412, time: '2021-03-03T03:14:38.5000000Z' },
  { parent: UMS, parentCmd: UMS_CMD, parentPid: 4120, image: UMW, cmd: UMW_CMD, pid: 5904, time: '2021-03-02T02:10:05.5020000Z' },
  // Near miss: a web shell under IIS, not UM.
  { parent: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe', parentCmd: 'w3wp.exe -ap "MSExchangeOWAAppPool"', parentPid: 6880, image: 'C:\\Windows\\System32\\cmd.exe', cmd: 'cmd /c hostname', pid: 8120, time: '2021-03-03T04:02:13.0040000Z' },
  // Case variant of the parent: matches.
  { parent: 'c:\\program files\\microsoft\\exchange server\\v15\\bin\\umworkerprocess.exe', parentCmd: 'umworkerprocess.exe', parentPid: 5905, image: 'C:\\Windows\\System32\\net.exe', cmd: 'net user', pid: 9000, time: '2021-03-03T03:30:00.0000000Z' },
  // Parent paths that merely contain the name: no match.
  { parent: 'C:\\Temp\\UMWorkerProcess.exe\\evil.exe', parentCmd: 'evil.exe', parentPid: 9101, image: 'C:\\Windows\\System32\\cmd.exe', cmd: 'cmd', pid: 9100, time: '2021-03-03T03:31:00.0000000Z' },
  { parent: 'C:\\Temp\\NotUMService.exe', parentCmd: 'NotUMService.exe', parentPid: 9201, image: 'C:\\Windows\\System32\\cmd.exe', cmd: 'cmd', pid: 9200, time: '2021-03-03T03:32:00.0000000Z' },
];

function sysmonEvents(): string[] {
  const base = exampleLog('sysmon_eventid_1');
  return SPAWNS.map((s, i) =>
    withFields(
      base,
      {
        Image: s.image,
        CommandLine: s.cmd,
        ProcessId: String(s.pid),
        ParentImage: s.parent,
        ParentCommandLine: s.parentCmd,
        ParentProcessId: String(s.parentPid),
        OriginalFileName: s.image.slice(s.image.lastIndexOf('\\') + 1),
      },
      { time: s.time, computer: HOST, recordId: 5000 + i },
    ),
  );
}

/** Security 4688 v2 made from the real example: UMWorkerProcess.exe → cmd.exe on EXCH02. */
function securityEvent(): string {
  return withFields(
    exampleLog('windows_event_log_security_4688'),
    { NewProcessName: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd.exe /c net group', NewProcessId: '0x1c4c', ProcessId: '0x1710', ParentProcessName: UMW },
    { time: '2021-03-03T05:41:12.3300000Z', computer: 'EXCH02', recordId: 7000 },
  );
}

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'spelunk-flagship-'));
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function run(spl: string, paths: string[]): Promise<Row[]> {
  const c = compileSearch(spl, { macros: mapResolver(builtinMacros()), catalog, exec: { now: 1614800000, timezone: 'UTC' } });
  const out = await runSearches([c], paths);
  assert.equal(out.read.errors, 0);
  return (out.results[0]?.rows ?? []).map((r) => ({ ...r }));
}

function flagshipSearch(version: 'v1' | 'v2'): string {
  const doc = parse(readFileSync(join(ESCU, 'flagship', `unified_messaging_service_spawning_a_process.${version}.yml`), 'utf8')) as { search: string };
  return doc.search;
}

const USER = 'ATTACKRANGE\\Administrator';
const row = (parentField: 'parent_process' | 'parent_process_name', parent: string, s: Spawn, name: string): Record<string, unknown> => ({
  dest: HOST,
  user: USER,
  [parentField]: parent,
  process_name: name,
  process: s.cmd,
  process_id: String(s.pid),
  parent_process_id: String(s.parentPid),
  count: 1,
  firstTime: s.time.slice(0, 19),
  lastTime: s.time.slice(0, 19),
});
const S = SPAWNS as [Spawn, Spawn, Spawn, Spawn, Spawn, Spawn, Spawn, Spawn];

describe('flagship: Unified Messaging Service Spawning a Process', () => {
  const xmlFile = tempFile('sysmon.xml', sysmonEvents().join('\n') + '\n');

  it('version 1 returns the WER children too, exactly as Splunk (the exclusion is a tautology)', async () => {
    const rows = await run(flagshipSearch('v1'), [xmlFile]);
    // Sorted by the BY fields as text: "C..UMService" < "C..UMWorker" < "c:..umworker"; "W" < "c" < "w".
    assert.deepEqual(rows, [
      row('parent_process', UMS_CMD, S[3], 'UMWorkerProcess.exe'),
      row('parent_process', UMS_CMD, S[2], 'wermgr.exe'),
      row('parent_process', UMW_CMD, S[1], 'WerFault.exe'),
      row('parent_process', UMW_CMD, S[0], 'cmd.exe'),
      row('parent_process', 'umworkerprocess.exe', S[5], 'net.exe'),
    ]);
  });

  it('version 2 excludes wermgr.exe and werfault.exe and groups by parent_process_name', async () => {
    const rows = await run(flagshipSearch('v2'), [xmlFile]);
    assert.deepEqual(rows, [
      row('parent_process_name', 'UMService.exe', S[3], 'UMWorkerProcess.exe'),
      row('parent_process_name', 'UMWorkerProcess.exe', S[0], 'cmd.exe'),
      row('parent_process_name', 'umworkerprocess.exe', S[5], 'net.exe'),
    ]);
  });

  it('the shipped detection keeps version 1 metadata and BY list and excludes WER children', async () => {
    const shipped = builtinDetections().find((d) => d.id === 'f1126df0-7bd5-11eb-988f-acde48001122');
    assert.ok(shipped);
    assert.equal(shipped.type, 'TTP');
    assert.equal(shipped.riskScore, 56);
    assert.equal(shipped.name, 'Unified Messaging Service Spawning a Process');
    const rows = await run(shipped.search, [xmlFile]);
    assert.deepEqual(rows, [
      row('parent_process', UMS_CMD, S[3], 'UMWorkerProcess.exe'),
      row('parent_process', UMW_CMD, S[0], 'cmd.exe'),
      row('parent_process', 'umworkerprocess.exe', S[5], 'net.exe'),
    ]);
  });

  it('the same events as XML lines and as JSON lines give identical rows', async () => {
    const jsonFile = tempFile('sysmon.jsonl', sysmonEvents().map(toEvtxJsonLine).join('\n') + '\n');
    for (const v of ['v1', 'v2'] as const) {
      assert.deepEqual(await run(flagshipSearch(v), [jsonFile]), await run(flagshipSearch(v), [xmlFile]));
    }
  });

  it('fires on Security 4688 with ParentProcessName (ids in decimal, user with domain)', async () => {
    const shipped = builtinDetections().find((d) => d.id === 'f1126df0-7bd5-11eb-988f-acde48001122');
    const file = tempFile('security.xml', securityEvent() + '\n');
    const rows = await run(shipped?.search ?? '', [file]);
    assert.deepEqual(rows, [
      {
        dest: 'EXCH02',
        user: 'WORKGROUP\\AR-WIN-1$',
        parent_process: UMW,
        process_name: 'cmd.exe',
        process: 'cmd.exe /c net group',
        process_id: '7244',
        parent_process_id: '5904',
        count: 1,
        firstTime: '2021-03-03T05:41:12',
        lastTime: '2021-03-03T05:41:12',
      },
    ]);
  });

  it('the pre-filter changes nothing: same rows with every event parsed', async () => {
    const c = compileSearch(flagshipSearch('v1'), { macros: mapResolver(builtinMacros()), catalog, exec: { now: 0, timezone: 'UTC' } });
    assert.deepEqual(c.literals, ['umworkerprocess.exe', 'UMService.exe']);
    const a = await runSearches([c], [xmlFile]);
    const b = await runSearches([c], [xmlFile], { noPrefilter: true });
    assert.ok(a.read.filtered > 0);
    assert.equal(b.read.filtered, 0);
    assert.deepEqual(a.results[0]?.rows, b.results[0]?.rows);
  });
});
