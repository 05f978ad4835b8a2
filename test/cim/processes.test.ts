/**
 * Endpoint.Processes normalization of real ESCU example events (Sysmon 1,
 * Security 4688 version 2) and of version 1 and 0 variants of the 4688 event
 * (fields removed as those versions lack them). Pins the decisions of
 * docs/design/cim-processes.md.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splunkFields } from '../../src/cim/fields.js';
import { decimalId, fileName, processesRecord } from '../../src/cim/processes.js';
import type { WinEvent } from '../../src/events/types.js';
import { parseEventXml } from '../../src/readers/index.js';
import { exampleLog, withFields } from '../support/escu-events.js';

function event(xml: string): WinEvent {
  const r = parseEventXml(xml);
  if (!r.ok) throw new Error(r.message);
  return { system: r.system, data: r.data, raw: xml, origin: { file: '<test>' } };
}

function asObject(r: object | undefined): Record<string, unknown> {
  return { ...(r ?? {}) };
}

describe('CIM Endpoint.Processes', () => {
  it('maps the real Sysmon EventID 1 example as the Sysmon add-on does', () => {
    const rec = asObject(processesRecord(event(exampleLog('sysmon_eventid_1'))));
    assert.deepEqual(
      {
        dest: rec['dest'],
        user: rec['user'],
        user_id: rec['user_id'],
        process_name: rec['process_name'],
        process_exec: rec['process_exec'],
        process_path: rec['process_path'],
        process_id: rec['process_id'],
        process_guid: rec['process_guid'],
        parent_process_name: rec['parent_process_name'],
        parent_process_path: rec['parent_process_path'],
        parent_process_id: rec['parent_process_id'],
        parent_process_guid: rec['parent_process_guid'],
        process_integrity_level: rec['process_integrity_level'],
        original_file_name: rec['original_file_name'],
        process_current_directory: rec['process_current_directory'],
        vendor_product: rec['vendor_product'],
        action: rec['action'],
        signature_id: rec['signature_id'],
        parent_user: rec['parent_user'],
        loaded_file: rec['loaded_file'],
      },
      {
        dest: 'win-dc-6764986.attackrange.local',
        user: 'ATTACKRANGE\\Administrator',
        user_id: 'S-1-5-18',
        process_name: 'cmd.exe',
        process_exec: 'cmd.exe',
        process_path: 'C:\\Windows\\System32\\cmd.exe',
        process_id: '2296',
        process_guid: '{96128EA2-F212-5F7E-E400-000000007F01}',
        parent_process_name: 'powershell.exe',
        parent_process_path: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
        parent_process_id: '4624',
        parent_process_guid: '{96128EA2-F211-5F7E-DF00-000000007F01}',
        process_integrity_level: 'high',
        original_file_name: 'Cmd.Exe',
        process_current_directory: 'C:\\Users\\ADMINI~1\\AppData\\Local\\Temp\\',
        vendor_product: 'Microsoft Sysmon',
        action: 'allowed',
        signature_id: '1',
        parent_user: 'unknown',
        loaded_file: 'unknown',
      },
    );
    assert.match(String(rec['process']), /^"C:\\Windows\\system32\\cmd\.exe" \/c "reg save HKLM\\sam/);
    assert.match(String(rec['parent_process']), /^"powershell\.exe" -noninteractive/);
    assert.match(String(rec['process_hash']), /^MD5=F4F684066175B77E0C3A000549D2922C,SHA256=/);
  });

  it('maps the real Security 4688 version 2 example: user with domain, decimal ids, parent path', () => {
    const rec = asObject(processesRecord(event(exampleLog('windows_event_log_security_4688'))));
    assert.equal(rec['dest'], 'ar-win-1');
    assert.equal(rec['user'], 'WORKGROUP\\AR-WIN-1$');
    assert.equal(rec['user_id'], 'NT AUTHORITY\\SYSTEM');
    assert.equal(rec['process_name'], 'splunk-powershell.exe');
    assert.equal(rec['process_path'], 'C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunk-powershell.exe');
    assert.equal(rec['process_id'], '3972'); // 0xf84
    assert.equal(rec['parent_process_id'], '2860'); // 0xb2c
    assert.equal(rec['parent_process_name'], 'splunkd.exe');
    assert.equal(rec['parent_process'], 'C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunkd.exe');
    assert.equal(rec['parent_process_path'], 'C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunkd.exe');
    assert.equal(rec['process'], '"C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunk-powershell.exe" --ps2');
    assert.equal(rec['process_integrity_level'], 'system');
    assert.equal(rec['vendor_product'], 'Microsoft Windows');
    assert.equal(rec['process_guid'], undefined, 'no fill for GUIDs');
  });

  it('4688 version 1 (no ParentProcessName): parent fields unknown, path absent', () => {
    const v1 = withFields(exampleLog('windows_event_log_security_4688').replace('<Version>2</Version>', '<Version>1</Version>'), {
      ParentProcessName: null,
      MandatoryLabel: null,
      TargetUserSid: null,
      TargetUserName: null,
      TargetDomainName: null,
      TargetLogonId: null,
    });
    const rec = asObject(processesRecord(event(v1)));
    assert.equal(rec['parent_process_name'], 'unknown');
    assert.equal(rec['parent_process'], 'unknown');
    assert.equal(rec['parent_process_path'], undefined);
    assert.equal(rec['parent_process_id'], '2860', 'the creator PID is still there');
    assert.equal(rec['process_integrity_level'], undefined);
    assert.equal(rec['process_name'], 'splunk-powershell.exe');
  });

  it('4688 version 0 (no CommandLine either): process unknown, process_name from the path', () => {
    const v0 = withFields(exampleLog('windows_event_log_security_4688').replace('<Version>2</Version>', '<Version>0</Version>'), {
      ParentProcessName: null,
      MandatoryLabel: null,
      CommandLine: null,
      TargetUserSid: null,
      TargetUserName: null,
      TargetDomainName: null,
      TargetLogonId: null,
    });
    const rec = asObject(processesRecord(event(v0)));
    assert.equal(rec['process'], 'unknown');
    assert.equal(rec['process_name'], 'splunk-powershell.exe');
    assert.equal(rec['parent_process_name'], 'unknown');
  });

  it('fills process_name from process when there is no path, and unknown when neither', () => {
    const noImage = withFields(exampleLog('sysmon_eventid_1'), { Image: null, CommandLine: 'C:\\x\\tool.exe' });
    assert.equal(processesRecord(event(noImage))?.['process_name'], 'tool.exe');
    const nothing = withFields(exampleLog('sysmon_eventid_1'), { Image: null, CommandLine: null, User: '' });
    const rec = asObject(processesRecord(event(nothing)));
    assert.equal(rec['process_name'], 'unknown');
    assert.equal(rec['process'], 'unknown');
    assert.equal(rec['user'], 'unknown');
  });

  it('is not a process record for other events', () => {
    assert.equal(processesRecord(event(exampleLog('sysmon_eventid_10'))), undefined);
    assert.equal(processesRecord(event(exampleLog('sysmon_eventid_11'))), undefined);
  });

  it('gives every event Splunk default fields and its EventData by name', () => {
    const f = splunkFields(event(exampleLog('sysmon_eventid_11')));
    assert.equal(f['source'], 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational');
    assert.equal(f['sourcetype'], 'XmlWinEventLog');
    assert.equal(f['EventCode'], '11');
    assert.equal(f['host'], 'win-dc-mhaag-attack-range-84.attackrange.local');
    assert.equal(f['_time'], 1675861271.065939);
    assert.equal(f['TargetFilename'], 'C:\\Users\\Administrator\\Downloads\\mimikatz_trunk\\x64\\CURRENT_USER_My_4_atomic@art2.local.pfx');
    assert.equal(f['EventRecordID'], '7712490');
    const p = splunkFields(event(exampleLog('windows_event_log_security_4688')));
    assert.equal(p['source'], 'XmlWinEventLog:Security');
    assert.equal(p['process_name'], 'splunk-powershell.exe', 'the add-on CIM fields on raw events');
    assert.equal(p['ProcessId'], '0xb2c', 'raw EventData unchanged');
  });

  it('helpers: file names and hex ids', () => {
    assert.equal(fileName('C:\\a\\b\\UMWorkerProcess.exe'), 'UMWorkerProcess.exe');
    assert.equal(fileName('/usr/bin/x'), 'x');
    assert.equal(decimalId('0x1B28'), '6952');
    assert.equal(decimalId('4120'), '4120');
  });
});
