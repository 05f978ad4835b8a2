/** The CLI end to end: commands, formats, exit codes, and bad input handling. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths.js';
import { cli } from '../support/cli.js';

const EXAMPLES = join(REPO_ROOT, 'examples');



function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'spelunk-cli-'));
}

describe('spelunk hunt', () => {
  it('finds the example intrusion: 3 flagship alerts and 1 WER anomaly, exit code 1', async () => {
    const r = await cli('hunt', EXAMPLES, '--format', 'jsonl');
    assert.equal(r.code, 1, r.err);
    const alerts = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    assert.equal(alerts.length, 4);
    const flagship = alerts.filter((a) => a.detection.id === 'f1126df0-7bd5-11eb-988f-acde48001122');
    assert.deepEqual(
      flagship.map((a) => [a.result.dest, a.result.process_name, a.message]),
      [
        ['EXCH01.corp.example', 'UMWorkerProcess.exe', 'Possible CVE-2021-26857 exploitation on EXCH01.corp.example'],
        ['EXCH01.corp.example', 'cmd.exe', 'Possible CVE-2021-26857 exploitation on EXCH01.corp.example'],
        ['EXCH02.corp.example', 'cmd.exe', 'Possible CVE-2021-26857 exploitation on EXCH02.corp.example'],
      ],
    );
    for (const a of flagship) {
      assert.equal(a.risk_score, 56);
      assert.deepEqual(a.outputs, ['notable', 'risk']);
      assert.deepEqual(a.mitre_attack, [{ id: 'T1190', name: 'Exploit Public-Facing Application', tactics: ['Initial Access'] }]);
      assert.deepEqual(a.risk_objects, [{ field: 'dest', type: 'system', value: a.result.dest, score: 56 }]);
      assert.deepEqual(a.cve, ['CVE-2021-26857']);
      assert.deepEqual(a.kill_chain_phases, ['Exploitation']);
      assert.deepEqual(a.analytic_story, ['HAFNIUM Group']);
    }
    const wer = alerts.find((a) => a.detection.type === 'Anomaly');
    assert.equal(wer?.result.count, 12);
    assert.deepEqual(wer?.outputs, ['risk']);
    assert.deepEqual(wer?.result.process_name, ['WerFault.exe', 'wermgr.exe']);
    assert.match(r.err, /3 files|2 files/);
  });

  it('prints a table grouped by detection by default', async () => {
    const r = await cli('hunt', EXAMPLES);
    assert.equal(r.code, 1);
    assert.match(r.out, /== Unified Messaging Service Spawning a Process {2}\[TTP, risk 56, notable \+ risk\] {2}3 alerts/);
    assert.match(r.out, /== Excessive WER Children of Unified Messaging Service {2}\[Anomaly, risk 35, risk\] {2}1 alert/);
    assert.match(r.out, /T1190 \(Initial Access\)/);
  });

  it('writes JSON and CSV to --output', async () => {
    const dir = tmp();
    const r = await cli('hunt', EXAMPLES, '--format', 'json', '--output', join(dir, 'a.json'));
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    const doc = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')) as { alerts: unknown[]; risk: Record<string, unknown>[] };
    assert.equal(doc.alerts.length, 4);
    assert.deepEqual(
      doc.risk.map((r) => [r['risk_object'], r['total_score'], r['peak_window_score'], r['risk_notable']]),
      [
        ['EXCH01.corp.example', 147, 91, false],
        ['EXCH02.corp.example', 56, 56, false],
      ],
    );
    const c = await cli('hunt', EXAMPLES, '--format', 'csv', '--quiet');
    const lines = c.out.trim().split('\r\n');
    assert.equal(lines[0], 'detection_id,detection,type,outputs,risk_score,risk_object,message,mitre_attack,result');
    assert.equal(lines.length, 5);
    assert.equal(c.err, '');
  });

  it('reports a missing, an empty and a binary file by name, runs the rest, exit code 3', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'empty.xml'), '');
    writeFileSync(join(dir, 'blob.bin'), Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 0, 9, 8, 7]));
    const r = await cli('hunt', join(dir, 'nope.xml'), join(dir, 'empty.xml'), join(dir, 'blob.bin'), join(EXAMPLES, 'exch01-sysmon.xml'), '--format', 'jsonl');
    assert.equal(r.code, 3);
    assert.match(r.err, /nope\.xml: error: read\.not-found/);
    assert.match(r.err, /empty\.xml: \w+: read\.empty/);
    assert.match(r.err, /blob\.bin: error: read\.binary/);
    assert.equal(r.out.trim().split('\n').length, 3, 'the readable file still alerts');
    assert.doesNotMatch(r.err, /at .*\.js:\d+/, 'no stack trace');
  });

  it('counts, reports and skips a corrupt line; the rest of the file still runs', async () => {
    const dir = tmp();
    const lines = readFileSync(join(EXAMPLES, 'exch01-sysmon.xml'), 'utf8').trim().split('\n');
    lines.splice(3, 0, "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>1</Even");
    writeFileSync(join(dir, 'damaged.xml'), lines.join('\n') + '\n');
    const r = await cli('hunt', join(dir, 'damaged.xml'), '--format', 'jsonl');
    assert.equal(r.code, 3);
    assert.match(r.err, /damaged\.xml:4: error: read\.bad-xml/);
    assert.equal(r.out.trim().split('\n').length, 3);
  });

  it('runs detections from --detections, e.g. the published version 1 text', async () => {
    const v1 = join(REPO_ROOT, '..', 'shared', 'escu', 'flagship', 'unified_messaging_service_spawning_a_process.v1.yml');
    const r = await cli('hunt', EXAMPLES, '--detections', v1, '--format', 'jsonl');
    assert.equal(r.code, 1, r.err);
    // Version 1 alerts on every UM child: 2 + 12 WER children on EXCH01, 1 on EXCH02.
    assert.equal(r.out.trim().split('\n').length, 15);
  });

  it('is a usage error without input, with a bad format, or with an unknown option', async () => {
    assert.equal((await cli('hunt')).code, 2);
    assert.equal((await cli('hunt', EXAMPLES, '--format', 'xml')).code, 2);
    const r = await cli('hunt', EXAMPLES, '--frmat', 'json');
    assert.equal(r.code, 2);
    assert.match(r.err, /--frmat/);
  });

  it('--rebuild-parents fills in the parent of a 4688 v1 event and marks the alert', async () => {
    const plain = await cli('hunt', EXAMPLES, '--format', 'jsonl');
    const rebuilt = await cli('hunt', EXAMPLES, '--format', 'jsonl', '--rebuild-parents');
    assert.equal(rebuilt.code, 1);
    const alerts = rebuilt.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    assert.equal(alerts.length, plain.out.trim().split('\n').length + 1);
    const extra = alerts.find((a) => a.result.process_name === 'rundll32.exe');
    assert.ok(extra, 'the lsass dump under the UM worker on EXCH02');
    assert.equal(extra.result.parent_process, 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\UMWorkerProcess.exe');
    assert.equal(extra.enrichments[0].kind, 'rebuilt-parent');
    assert.match(extra.enrichments[0].detail, /creator pid 5904 on EXCH02\.corp\.example was .*UMWorkerProcess\.exe, named as the parent of pid 5904 by the 4688 event at .*exch02-security\.jsonl:1/);
    assert.ok(alerts.filter((a) => a !== extra).every((a) => a.enrichments === undefined));
    const table = await cli('hunt', EXAMPLES, '--rebuild-parents');
    assert.match(table.out, /EXCH02\.corp\.example +system +112 +112 +2 .*total risk 112 > 100 within 24 h/);
  });

  it('gives every flagship alert response guidance: contain, patch (fixed builds), monitor', async () => {
    const r = await cli('hunt', EXAMPLES, '--format', 'jsonl');
    for (const a of r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>)) {
      assert.match(a.guidance.contain.join(' '), /egress/);
      assert.match(a.guidance.contain.join(' '), /public access/);
      assert.match(a.guidance.patch.join(' '), /15\.00\.1497\.012.*15\.01\.2106\.013.*15\.01\.2176\.009.*15\.02\.0721\.013.*15\.02\.0792\.010/);
      assert.ok(a.guidance.monitor.length > 0);
    }
  });

  it('attaches each alert\'s context in JSON and prints it under the table', async () => {
    const r = await cli('hunt', EXAMPLES, '--format', 'jsonl');
    const cmd = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>).find((a) => a.result.process_name === 'cmd.exe' && a.result.dest === 'EXCH01.corp.example');
    assert.deepEqual(cmd?.context.ancestors.map((x: any) => x.item.name), ['UMWorkerProcess.exe', 'UMService.exe']);
    const t = await cli('hunt', EXAMPLES);
    assert.match(t.out, /> cmd\.exe \(pid 7312, 2021-03-03T03:14:07\.225Z\)/);
    assert.match(t.out, /!! file created: C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\discover\.aspx/);
    const none = await cli('hunt', EXAMPLES, '--format', 'jsonl', '--no-context');
    assert.ok(none.out.trim().split('\n').every((l) => !('context' in JSON.parse(l))));
  });

  it('--exchange-logs adds the Exchange log review to every alert context and to the report', async () => {
    const folder = join(REPO_ROOT, 'test', 'fixtures', 'exchange', 'compromised');
    const dir = tmp();
    const r = await cli('hunt', EXAMPLES, '--format', 'jsonl', '--exchange-logs', folder, '--report', join(dir, 'r.html'));
    assert.equal(r.code, 1, r.err);
    const alerts = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    for (const a of alerts) {
      assert.deepEqual(
        a.context.exchange.map((c: any) => [c.id, c.status]),
        [['CVE-2021-26855', 'found'], ['CVE-2021-26858', 'found'], ['CVE-2021-27065', 'found'], ['CVE-2021-26857', 'found'], ['suspicious-files', 'found']],
      );
    }
    const ssrf = alerts[0]?.context.exchange[0].evidence[0];
    assert.match(ssrf.fields.AnchorMailbox, /^ServerInfo~/i);
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    assert.match(html, /<h2>Exchange log review<\/h2>/);
    assert.match(html, /CVE-2021-26855: /);
    const clean = await cli('hunt', EXAMPLES, '--format', 'jsonl', '--exchange-logs', join(REPO_ROOT, 'test', 'fixtures', 'exchange', 'clean'));
    assert.ok(clean.out.trim().split('\n').every((l) => (JSON.parse(l) as any).context.exchange.every((c: any) => c.status !== 'found')));
  });

  it('the known UMService → UMWorkerProcess false positive is tuned in the filter macro (--content)', async () => {
    const content = tmp();
    mkdirSync(join(content, 'macros'));
    writeFileSync(
      join(content, 'macros', 'unified_messaging_service_spawning_a_process_filter.yml'),
      [
        'name: unified_messaging_service_spawning_a_process_filter',
        'description: synthetic tuning for a test',
        "definition: 'search NOT (parent_process=\"*\\\\UMService.exe*\" process_name=UMWorkerProcess.exe)'",
      ].join('\n') + '\n',
    );
    const r = await cli('hunt', EXAMPLES, '--content', content, '--format', 'jsonl', '--no-context');
    assert.equal(r.code, 1, r.err);
    const flagship = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>).filter((a) => a.detection.type === 'TTP');
    assert.deepEqual(flagship.map((a) => a.result.process_name), ['cmd.exe', 'cmd.exe']);
  });

  it('reads stdin with -', () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'spelunk.js'), 'hunt', '-', '--format', 'jsonl', '--quiet'], {
      input: readFileSync(join(EXAMPLES, 'exch01-sysmon.xml')),
      encoding: 'utf8',
    });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 3);
  });
});

describe('spelunk search', () => {
  it('prints rows as JSON lines with multivalue fields as arrays', async () => {
    const r = await cli(
      'search',
      '| tstats count values(Processes.process_name) as children from datamodel=Endpoint.Processes where Processes.parent_process_name=UMWorkerProcess.exe by Processes.dest | `drop_dm_object_name(Processes)`',
      EXAMPLES,
      '--format',
      'jsonl',
    );
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      r.out.trim().split('\n').map((l) => JSON.parse(l)),
      [
        { dest: 'EXCH01.corp.example', count: 13, children: ['WerFault.exe', 'cmd.exe', 'wermgr.exe'] },
        { dest: 'EXCH02.corp.example', count: 1, children: 'cmd.exe' },
      ],
    );
  });

  it('uses the lookups of --content (ESCU lookup definitions and CSVs)', async () => {
    const r = await cli(
      'search',
      '| tstats count from datamodel=Endpoint.Processes by Processes.process_name | rename Processes.process_name as filename | lookup is_windows_system_file filename OUTPUT systemFile | table filename systemFile',
      EXAMPLES,
      '--content',
      join(REPO_ROOT, '..', 'shared', 'escu'),
      '--format',
      'jsonl',
      '--quiet',
    );
    assert.equal(r.code, 0, r.err);
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    assert.equal(rows.find((x) => x['filename'] === 'cmd.exe')?.['systemFile'], 'true');
    assert.equal(rows.find((x) => x['filename'] === 'UMWorkerProcess.exe')?.['systemFile'], 'false', "default_match 'false'");
    assert.equal(r.err, '');
    const without = await cli('search', '| tstats count from datamodel=Endpoint.Processes | lookup is_windows_system_file filename', EXAMPLES);
    assert.equal(without.code, 2);
    assert.match(without.err, /lookup/);
  });

  it('shows a syntax error with a caret under the bad spot, exit code 2', async () => {
    const r = await cli('search', '| tstats count from datamodel=Endpoint.Processes | statz count', EXAMPLES);
    assert.equal(r.code, 2);
    assert.match(r.err, /spl\.unknown-command: unknown command "statz" \(did you mean "stats"\?\)/);
    assert.match(r.err, /\n\s+\^{5}/);
  });

  it('names an unknown macro and suggests the closest one', async () => {
    const r = await cli('search', '| tstats count from datamodel=Endpoint.Processes | `drop_dm_object_nam(Processes)`', EXAMPLES);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown macro "drop_dm_object_nam\(1\)" \(did you mean "drop_dm_object_name\(1\)"\?\)/);
  });

  it('prints CSV and tables', async () => {
    const q = '| tstats count from datamodel=Endpoint.Processes by Processes.dest | rename Processes.dest as dest';
    const csv = await cli('search', q, EXAMPLES, '--format', 'csv');
    assert.equal(csv.out, 'dest,count\r\nEXCH01.corp.example,18\r\nEXCH02.corp.example,3\r\n');
    const table = await cli('search', q, EXAMPLES);
    assert.equal(table.out.split('\n')[0]?.trim(), 'dest                 count');
  });
});

describe('help and usage', () => {
  it('has --help with examples and exit codes for every command', async () => {
    for (const argv of [['--help'], ['hunt', '--help'], ['search', '--help']]) {
      const r = await cli(...argv);
      assert.equal(r.code, 0);
      assert.match(r.out, /Examples:/);
      assert.match(r.out, /Exit codes:/);
    }
  });

  it('rejects an unknown command', async () => {
    const r = await cli('hutn');
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown command "hutn"/);
  });
});
