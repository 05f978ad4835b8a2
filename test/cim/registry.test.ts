/**
 * Endpoint.Registry on the real ESCU example events (Sysmon 12 DeleteKey, 13
 * SetValue) and on variants of them (a DWORD value set, a key created, a key
 * renamed); tstats through the engine; the literal pre-filter of a typical
 * ESCU search. Decisions: docs/design/cim-datamodels.md.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splunkFields } from '../../src/cim/fields.js';
import { registryHive, registryRecord, splitDetails } from '../../src/cim/registry.js';
import { exampleLog, withFields } from '../support/escu-events.js';
import { event, mapped, prefilterCheck, run, tempFile } from './helpers.js';

const DEFENDER = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Signature Updates\\DisableScanOnUpdate';
const HOST = 'win-host-623.attackrange.local';

/** Sysmon 13 setting a DWORD, made from the real 13 example (newer schema: with User). */
function setDword(value: string, recordId: number, time: string): string {
  return withFields(
    exampleLog('sysmon_eventid_13'),
    { TargetObject: DEFENDER, Details: `DWORD (${value})`, Image: 'C:\\Windows\\regedit.exe', User: 'ATTACKRANGE\\Administrator' },
    { recordId, time },
  );
}

function createKey(): string {
  return withFields(exampleLog('sysmon_eventid_12'), { EventType: 'CreateKey', TargetObject: 'HKLM\\SOFTWARE\\Evil' }, { recordId: 1055580 });
}

function renameKey(): string {
  return withFields(exampleLog('sysmon_eventid_12').replace('<EventID>12</EventID>', '<EventID>14</EventID>'), {
    EventType: 'RenameKey',
    TargetObject: 'HKLM\\SOFTWARE\\Old',
    NewName: 'HKLM\\SOFTWARE\\New',
  });
}

describe('CIM Endpoint.Registry', () => {
  it('maps the real Sysmon 12 example (DeleteKey: a key, no value)', () => {
    assert.deepEqual(mapped(registryRecord(event(exampleLog('sysmon_eventid_12')))), {
      registry_path: 'HKU\\S-1-5-21-2333072374-3391925831-3197092227-1112_Classes\\exefile\\shell\\runas\\command',
      registry_hive: 'HKEY_USERS',
      registry_key_name: 'command',
      process_path: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      process_name: 'powershell.exe',
      process_exec: 'powershell.exe',
      process_guid: '{466BC892-F8F2-60EB-107E-00000000CF01}',
      process_id: '10188',
      user: 'unknown',
      user_id: 'S-1-5-18',
      dest: 'win-dc-890.attackrange.local',
      action: 'deleted',
      status: 'success',
      object_category: 'registry',
      signature_id: '12',
      vendor_product: 'Microsoft Sysmon',
    });
  });

  it('maps the real Sysmon 13 example (SetValue of a QWORD: the data inside the parentheses)', () => {
    assert.deepEqual(mapped(registryRecord(event(exampleLog('sysmon_eventid_13')))), {
      registry_path: 'HKLM\\System\\CurrentControlSet\\Services\\W32Time\\SecureTimeLimits\\SecureTimeHigh',
      registry_hive: 'HKEY_LOCAL_MACHINE',
      registry_key_name: 'SecureTimeLimits',
      registry_value_name: 'SecureTimeHigh',
      registry_value_data: '0x01d776fd-0xd724b8c5',
      registry_value_type: 'REG_QWORD',
      process_path: 'C:\\Windows\\system32\\lsass.exe',
      process_name: 'lsass.exe',
      process_exec: 'lsass.exe',
      process_guid: '{0C1E0330-048F-60E8-0B00-00000000D001}',
      process_id: '628',
      user: 'unknown',
      user_id: 'S-1-5-18',
      dest: HOST,
      action: 'modified',
      status: 'success',
      object_category: 'registry',
      signature_id: '13',
      vendor_product: 'Microsoft Sysmon',
    });
  });

  it('CreateKey is created, RenameKey (14) modified; User when present', () => {
    assert.equal(registryRecord(event(createKey()))?.['action'], 'created');
    assert.equal(registryRecord(event(createKey()))?.['registry_key_name'], 'Evil');
    const r14 = mapped(registryRecord(event(renameKey())));
    assert.equal(r14['action'], 'modified');
    assert.equal(r14['registry_path'], 'HKLM\\SOFTWARE\\Old');
    assert.equal(r14['signature_id'], '14');
    assert.equal(registryRecord(event(setDword('0x00000001', 1, '2021-07-12T08:11:05.0000000Z')))?.['user'], 'ATTACKRANGE\\Administrator');
  });

  it('helpers: Details and hives', () => {
    assert.deepEqual(splitDetails('DWORD (0x00000001)'), { data: '0x00000001', type: 'REG_DWORD' });
    assert.deepEqual(splitDetails('Binary Data'), { data: 'Binary Data', type: 'REG_BINARY' });
    assert.deepEqual(splitDetails('C:\\x\\evil.exe'), { data: 'C:\\x\\evil.exe' });
    assert.equal(registryHive('HKCR\\exefile'), 'HKEY_CLASSES_ROOT');
    assert.equal(registryHive('\\REGISTRY\\MACHINE\\SOFTWARE'), 'HKEY_LOCAL_MACHINE');
    assert.equal(registryHive('HKLMX\\a'), undefined);
  });

  it('is not a registry record for other events; raw events carry the add-on fields', () => {
    assert.equal(registryRecord(event(exampleLog('sysmon_eventid_11'))), undefined);
    const f = splunkFields(event(exampleLog('sysmon_eventid_13')));
    assert.equal(f['Details'], 'QWORD (0x01d776fd-0xd724b8c5)', 'raw Details unchanged');
    assert.equal(f['registry_value_data'], '0x01d776fd-0xd724b8c5');
    assert.equal(f['registry_path'], 'HKLM\\System\\CurrentControlSet\\Services\\W32Time\\SecureTimeLimits\\SecureTimeHigh');
  });

  const file = tempFile('sysmon-reg.xml', [
    exampleLog('sysmon_eventid_12'),
    exampleLog('sysmon_eventid_13'),
    setDword('0x00000001', 810990, '2021-07-12T08:12:00.0000000Z'),
    setDword('0x00000000', 810991, '2021-07-12T08:13:00.0000000Z'),
    createKey(),
    renameKey(),
    exampleLog('sysmon_eventid_1'),
    exampleLog('sysmon_eventid_11'),
  ]);

  it('tstats over the dataset', async () => {
    const rows = await run('| tstats count from datamodel=Endpoint.Registry by Registry.action Registry.registry_hive | `drop_dm_object_name(Registry)`', [file]);
    assert.deepEqual(rows, [
      { action: 'created', registry_hive: 'HKEY_LOCAL_MACHINE', count: 1 },
      { action: 'deleted', registry_hive: 'HKEY_USERS', count: 1 },
      { action: 'modified', registry_hive: 'HKEY_LOCAL_MACHINE', count: 4 },
    ]);
  });

  it('the pre-filter of a typical ESCU search is sound (Windows Defender DisableScanOnUpdate)', async () => {
    const spl =
      '| tstats `security_content_summariesonly` count min(_time) as firstTime max(_time) as lastTime FROM datamodel=Endpoint.Registry where Registry.registry_path= "*\\\\Windows Defender\\\\Signature Updates\\\\DisableScanOnUpdate" Registry.registry_value_data="0x00000001" by Registry.registry_key_name Registry.user Registry.registry_path Registry.registry_value_data Registry.action Registry.dest | `drop_dm_object_name(Registry)` | `security_content_ctime(firstTime)` | `security_content_ctime(lastTime)`';
    const { literals, rows, filtered } = await prefilterCheck(spl, [file]);
    assert.ok(literals && literals.length > 0, 'literals derived');
    assert.ok(filtered > 0, 'lines skipped');
    assert.deepEqual(rows, [
      {
        registry_key_name: 'Signature Updates',
        user: 'ATTACKRANGE\\Administrator',
        registry_path: DEFENDER,
        registry_value_data: '0x00000001',
        action: 'modified',
        dest: HOST,
        count: 1,
        firstTime: '2021-07-12T08:12:00',
        lastTime: '2021-07-12T08:12:00',
      },
    ]);
  });
});
