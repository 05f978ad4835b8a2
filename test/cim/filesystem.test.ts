/**
 * Endpoint.Filesystem on the real ESCU example events (Sysmon 11, 15, 23) and
 * on variants of them for Sysmon 2 and 26 (no ESCU example exists); tstats
 * through the engine; the literal pre-filter of a typical ESCU search.
 * Decisions: docs/design/cim-datamodels.md.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splunkFields } from '../../src/cim/fields.js';
import { filesystemRecord } from '../../src/cim/filesystem.js';
import { exampleLog, withFields } from '../support/escu-events.js';
import { event, mapped, prefilterCheck, run, tempFile } from './helpers.js';

const SYSMON_FILE = 'Microsoft Sysmon';

/** Sysmon 26 (FileDeleteDetected) made from the real 23 example: same fields, no Archived. */
function sysmon26(): string {
  return withFields(exampleLog('sysmon_eventid_23').replace('<EventID>23</EventID>', '<EventID>26</EventID>'), { Archived: null, TargetFilename: 'C:\\Temp\\evil.dll' }, { recordId: 281772 });
}

/** Sysmon 2 (file creation time changed) made from the real 11 example. */
function sysmon2(): string {
  return withFields(exampleLog('sysmon_eventid_11').replace('<EventID>11</EventID>', '<EventID>2</EventID>'), {
    CreationUtcTime: '2019-01-01 00:00:00.000',
    PreviousCreationUtcTime: '2023-02-08 13:01:11.053',
  });
}

describe('CIM Endpoint.Filesystem', () => {
  it('maps the real Sysmon 11 example (FileCreate; no User in schema 4.x: user unknown)', () => {
    assert.deepEqual(mapped(filesystemRecord(event(exampleLog('sysmon_eventid_11')))), {
      file_path: 'C:\\Users\\Administrator\\Downloads\\mimikatz_trunk\\x64\\CURRENT_USER_My_4_atomic@art2.local.pfx',
      file_name: 'CURRENT_USER_My_4_atomic@art2.local.pfx',
      file_create_time: '2023-02-08 13:01:11.053',
      process_path: 'C:\\Users\\Administrator\\Downloads\\mimikatz_trunk\\x64\\mimikatz.exe',
      process_name: 'mimikatz.exe',
      process_exec: 'mimikatz.exe',
      process_guid: '{0F9A6540-A70E-63E2-3091-00000000BD02}',
      process_id: '9332',
      user: 'unknown',
      user_id: 'S-1-5-18',
      dest: 'win-dc-mhaag-attack-range-84.attackrange.local',
      action: 'created',
      object_category: 'file',
      signature_id: '11',
      vendor_product: SYSMON_FILE,
    });
  });

  it('maps the real Sysmon 15 example (FileCreateStreamHash: Hash → file_hash)', () => {
    assert.deepEqual(mapped(filesystemRecord(event(exampleLog('sysmon_eventid_15')))), {
      file_path: 'C:\\Users\\DefaultAccount\\Downloads\\Telegram Desktop\\Good(NLA).txt:Zone.Identifier',
      file_name: 'Good(NLA).txt:Zone.Identifier',
      file_create_time: '2021-04-28 20:11:33.238',
      file_hash: 'MD5=C785C55D5FA3443A11B8417209C4B524,SHA256=D07777E0DC36EBECCE3FA9644F0F44DC4A0B7EDE0CBC1F5D33E8D6CB07AF5B5C,IMPHASH=00000000000000000000000000000000',
      process_path: 'C:\\Users\\DefaultAccount\\AppData\\Roaming\\Telegram Desktop\\Telegram.exe',
      process_name: 'Telegram.exe',
      process_exec: 'Telegram.exe',
      process_guid: '{ED2ECF8A-C154-6089-F967-00000000BB01}',
      process_id: '7000',
      user: 'unknown',
      user_id: 'S-1-5-18',
      dest: 'project-mumbai-host',
      action: 'created',
      object_category: 'file',
      signature_id: '15',
      vendor_product: SYSMON_FILE,
    });
  });

  it('maps the real Sysmon 23 example (FileDelete: User, Hashes, UtcTime → file_modify_time)', () => {
    assert.deepEqual(mapped(filesystemRecord(event(exampleLog('sysmon_eventid_23')))), {
      file_path: 'C:\\Python311\\vcruntime140_1.dll',
      file_name: 'vcruntime140_1.dll',
      file_modify_time: '2023-02-01 10:57:09.814',
      file_hash: 'MD5=75E78E4BF561031D39F86143753400FF,SHA256=1758085A61527B427C4380F0C976D29A8BEE889F2AC480C356A3F166433BF70E,IMPHASH=BF380CA954CBF10D1A4CEF9EC18E46FD',
      process_path: 'C:\\Temp\\swiftslicer.exe',
      process_name: 'swiftslicer.exe',
      process_exec: 'swiftslicer.exe',
      process_guid: '{F522A29C-446D-63DA-9F01-00000000BB02}',
      process_id: '2428',
      user: 'ATTACKRANGE\\Administrator',
      user_id: 'S-1-5-18',
      dest: 'win-dc-ctus-attack-range-865.attackrange.local',
      action: 'deleted',
      object_category: 'file',
      signature_id: '23',
      vendor_product: SYSMON_FILE,
    });
  });

  it('Sysmon 26 is a deletion, Sysmon 2 a modification with the new creation time', () => {
    const r26 = mapped(filesystemRecord(event(sysmon26())));
    assert.equal(r26['action'], 'deleted');
    assert.equal(r26['file_name'], 'evil.dll');
    assert.match(String(r26['file_hash']), /^MD5=75E78E4B/);
    const r2 = mapped(filesystemRecord(event(sysmon2())));
    assert.equal(r2['action'], 'modified');
    assert.equal(r2['file_create_time'], '2019-01-01 00:00:00.000');
    assert.equal(r2['signature_id'], '2');
  });

  it('is not a file record for other events', () => {
    assert.equal(filesystemRecord(event(exampleLog('sysmon_eventid_1'))), undefined);
    assert.equal(filesystemRecord(event(exampleLog('sysmon_eventid_13'))), undefined);
  });

  it('raw events carry the add-on fields unprefixed', () => {
    const f = splunkFields(event(exampleLog('sysmon_eventid_23')));
    assert.equal(f['TargetFilename'], 'C:\\Python311\\vcruntime140_1.dll');
    assert.equal(f['file_name'], 'vcruntime140_1.dll');
    assert.equal(f['action'], 'deleted');
    assert.equal(f['User'], 'ATTACKRANGE\\Administrator');
    assert.equal(f['eventtype'], undefined, 'no Windows eventtype for the Sysmon channel');
  });

  const file = tempFile('sysmon-file.xml', [
    exampleLog('sysmon_eventid_11'),
    exampleLog('sysmon_eventid_15'),
    exampleLog('sysmon_eventid_23'),
    sysmon26(),
    sysmon2(),
    exampleLog('sysmon_eventid_1'),
    exampleLog('sysmon_eventid_13'),
  ]);

  it('tstats over the dataset', async () => {
    const rows = await run(
      '| tstats count from datamodel=Endpoint.Filesystem where Filesystem.action=deleted by Filesystem.dest Filesystem.file_name Filesystem.user Filesystem.action | `drop_dm_object_name(Filesystem)`',
      [file],
    );
    const dest = 'win-dc-ctus-attack-range-865.attackrange.local';
    const user = 'ATTACKRANGE\\Administrator';
    assert.deepEqual(rows, [
      { dest, file_name: 'evil.dll', user, action: 'deleted', count: 1 },
      { dest, file_name: 'vcruntime140_1.dll', user, action: 'deleted', count: 1 },
    ]);
    const all = await run('| tstats count from datamodel=Endpoint.Filesystem by Filesystem.action', [file]);
    assert.deepEqual(all, [
      { 'Filesystem.action': 'created', count: 2 },
      { 'Filesystem.action': 'deleted', count: 2 },
      { 'Filesystem.action': 'modified', count: 1 },
    ]);
  });

  it('the pre-filter of a typical ESCU search is sound', async () => {
    const spl =
      '| tstats `security_content_summariesonly` count min(_time) as firstTime max(_time) as lastTime FROM datamodel=Endpoint.Filesystem where Filesystem.file_path IN ("*\\\\users\\\\*","*\\\\programdata\\\\*") Filesystem.file_name="*.pfx" by Filesystem.dest Filesystem.file_name Filesystem.file_path Filesystem.process_guid | `drop_dm_object_name(Filesystem)` | `security_content_ctime(firstTime)` | `security_content_ctime(lastTime)`';
    const { literals, rows, filtered } = await prefilterCheck(spl, [file]);
    assert.ok(literals && literals.length > 0, 'literals derived');
    assert.ok(filtered > 0, 'lines skipped');
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.['file_name'], 'CURRENT_USER_My_4_atomic@art2.local.pfx');
    assert.equal(rows[0]?.['firstTime'], '2023-02-08T13:01:11');
  });

  it('a plain search with the sysmon macro and raw field names', async () => {
    const rows = await run('`sysmon` EventCode=11 TargetFilename="*.pfx" | table dest file_name action process_name', [file]);
    assert.deepEqual(rows, [{ dest: 'win-dc-mhaag-attack-range-84.attackrange.local', file_name: 'CURRENT_USER_My_4_atomic@art2.local.pfx', action: 'created', process_name: 'mimikatz.exe' }]);
  });
});
