/** Alert context: process trees (GUIDs; PIDs with reuse), siblings, nearby processes, file writes, WER counts. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { builtinDetections, builtinMacros } from '../../src/content/index.js';
import { alertContexts } from '../../src/engine/context-pass.js';
import { hunt } from '../../src/engine/hunt.js';
import { ContextCollector } from '../../src/triage/index.js';
import { newRow } from '../../src/spl/values.js';
import { makeEvent } from '../support/events.js';
import { REPO_ROOT } from '../support/paths.js';

describe('alert context on the example intrusion', async () => {
  const paths = [join(REPO_ROOT, 'examples')];
  const r = await hunt({ detections: builtinDetections(), macros: builtinMacros(), paths });
  const contexts = await alertContexts(r.alerts, paths);
  const find = (name: string, dest: string) => r.alerts.findIndex((a) => a.row['process_name'] === name && a.row['dest'] === dest);

  it('rebuilds the tree of the UM worker → cmd.exe alert through process GUIDs', () => {
    const ctx = contexts[find('cmd.exe', 'EXCH01.corp.example')];
    assert.ok(ctx?.process);
    assert.equal(ctx.process.name, 'cmd.exe');
    assert.deepEqual(ctx.ancestors.map((a) => [a.item.name, a.why]), [
      ['UMWorkerProcess.exe', 'parent of the alerting process'],
      ['UMService.exe', 'ancestor (2 levels up)'],
    ]);
    assert.deepEqual(ctx.descendants.map((d) => [d.item.name, d.item.depth]), [['powershell.exe', 1]]);
    assert.equal(ctx.siblings.length, 12);
    assert.ok(ctx.siblings.every((s) => /^(WerFault|wermgr)\.exe$/.test(s.item.name) && s.why === 'also started by UMWorkerProcess.exe (pid 5904)'));
    assert.equal(ctx.werChildrenOfUm, 12);
    assert.deepEqual(ctx.fileWrites.map((f) => [f.item.path, f.item.scriptInWebPath]), [['C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\discover.aspx', true]]);
    assert.match(ctx.fileWrites[0]?.why ?? '', /written by UMWorkerProcess\.exe of the alert's process tree/);
  });

  it('lists other processes started on the host within ±15 minutes, not the tree itself', () => {
    const ctx = contexts[find('cmd.exe', 'EXCH01.corp.example')];
    assert.deepEqual(ctx?.nearby.map((n) => n.item.name), []);
    const um = contexts[find('UMWorkerProcess.exe', 'EXCH01.corp.example')];
    // 02:10:05 ± 15 min: UMService.exe (02:10:00) is its parent, shown in the tree, so only w3wp.exe (02:11:40).
    assert.deepEqual(um?.ancestors.map((n) => n.item.name), ['UMService.exe']);
    assert.deepEqual(um?.nearby.map((n) => n.item.name), ['w3wp.exe']);
  });

  it('says why there is no tree when the start event of the parent is missing (4688 host)', () => {
    const ctx = contexts[find('cmd.exe', 'EXCH02.corp.example')];
    assert.equal(ctx?.process?.name, 'cmd.exe');
    assert.deepEqual(ctx?.ancestors, []);
  });
});

describe('process trees from PIDs', () => {
  const sysmon1 = (pid: number, ppid: number, image: string, time: string) => makeEvent({ sysmon1: { Computer: 'h', ProcessId: pid, ParentProcessId: ppid, Image: image, time } });
  const exit = (pid: number, time: string) => makeEvent({ event: { provider: 'Microsoft-Windows-Sysmon', eventId: 5, channel: 'Microsoft-Windows-Sysmon/Operational', computer: 'h', time, data: { ProcessId: pid } } });
  const row = (pid: number, name: string, t: string) => {
    const r = newRow();
    r['dest'] = 'h';
    r['process_id'] = String(pid);
    r['process_name'] = name;
    r['firstTime'] = t;
    return r;
  };

  it('gives a reused PID to the newest process created with it, until that process exits', () => {
    const c = new ContextCollector();
    [
      sysmon1(100, 4, 'C:\\a\\first.exe', '2021-03-03T10:00:00Z'),
      exit(100, '2021-03-03T10:00:10Z'),
      sysmon1(200, 100, 'C:\\a\\orphan.exe', '2021-03-03T10:00:15Z'),
      sysmon1(100, 4, 'C:\\a\\second.exe', '2021-03-03T10:00:20Z'),
      sysmon1(300, 100, 'C:\\a\\child.exe', '2021-03-03T10:00:25Z'),
    ].forEach((e) => c.add(e));
    const orphan = c.contextFor(row(200, 'orphan.exe', '2021-03-03T10:00:15'));
    assert.deepEqual(orphan.ancestors, [], 'first.exe had exited; second.exe did not exist yet');
    const child = c.contextFor(row(300, 'child.exe', '2021-03-03T10:00:25'));
    assert.deepEqual(child.ancestors.map((a) => a.item.name), ['second.exe']);
  });

  it('builds trees from Security 4688 creator PIDs (hex) when there are no GUIDs', () => {
    const c = new ContextCollector();
    const e4688 = (pid: string, ppid: string, image: string, time: string) =>
      makeEvent({ security4688: { Computer: 'h', NewProcessId: pid, ProcessId: ppid, NewProcessName: image, time } });
    [
      e4688('0x64', '0x4', 'C:\\w\\UMWorkerProcess.exe', '2021-03-03T10:00:00Z'),
      e4688('0xc8', '0x64', 'C:\\w\\cmd.exe', '2021-03-03T10:01:00Z'),
      e4688('0x12c', '0xc8', 'C:\\w\\net.exe', '2021-03-03T10:01:01Z'),
    ].forEach((e) => c.add(e));
    const ctx = c.contextFor(row(200, 'cmd.exe', '2021-03-03T10:01:00'));
    assert.deepEqual(ctx.ancestors.map((a) => a.item.name), ['UMWorkerProcess.exe']);
    assert.deepEqual(ctx.descendants.map((d) => d.item.name), ['net.exe']);
  });

  it('finds UM errors with System.InvalidCastException in the Application log', () => {
    const c = new ContextCollector();
    c.add(makeEvent({ event: { provider: 'MSExchange Unified Messaging', eventId: 1040, channel: 'Application', computer: 'h', data: { Data1: 'Unhandled System.InvalidCastException: Unable to cast object' } } }));
    c.add({ ...makeEvent({ event: { provider: 'MSExchange Unified Messaging', eventId: 1040, channel: 'Application', computer: 'h', data: { Data1: 'Unhandled System.InvalidCastException' } } }), system: { ...makeEvent({ event: { provider: 'MSExchange Unified Messaging', eventId: 1040, channel: 'Application', computer: 'h' } }).system, level: 2 } });
    const ctx = c.contextFor(row(1, 'x.exe', '2021-03-03T10:00:00'));
    assert.equal(ctx.umErrors.length, 1, 'only the Error-level one');
    assert.match(ctx.umErrors[0]?.item.message ?? '', /InvalidCastException/);
  });
});
