/**
 * Endpoint.Services on System 7045 (the real ESCU example, whose example_log
 * is cut off inside ImagePath: completed here with the fields 7045 always
 * has) and Security 4697 (no ESCU example: an event in the documented
 * format); tstats through the engine; the literal pre-filter; the
 * `wineventlog_system` macro, which needs Splunk's eventtype.
 * Decisions: docs/design/cim-datamodels.md.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventtypesOf, splunkFields } from '../../src/cim/fields.js';
import { serviceType, servicesRecord, startMode } from '../../src/cim/services.js';
import { exampleLog } from '../support/escu-events.js';
import { event, mapped, prefilterCheck, run, tempFile } from './helpers.js';

const DC = 'ar-win-dc.attackrange.local';
const PS = 'powershell.exe -WindowStyle Hidden -nop -enc SQBFAFgA';

/** The real 7045 example, completed after the point where the YAML cuts it off. */
function service7045(name = 'KrbSCM', imagePath = PS, recordId?: number): string {
  const x = exampleLog('windows_event_log_system_7045').replace(/\r?\n\s*/g, ' ');
  const cut = x.indexOf("<Data Name='ImagePath'>");
  assert.ok(cut > 0);
  let head = x.slice(0, cut);
  head = head.replace(/<Data Name='ServiceName'>[^<]*<\/Data>/, `<Data Name='ServiceName'>${name}</Data>`);
  if (recordId !== undefined) head = head.replace(/<EventRecordID>\d+<\/EventRecordID>/, `<EventRecordID>${recordId}</EventRecordID>`);
  return (
    head +
    `<Data Name='ImagePath'>${imagePath}</Data><Data Name='ServiceType'>user mode service</Data>` +
    `<Data Name='StartType'>demand start</Data><Data Name='AccountName'>LocalSystem</Data></EventData></Event>`
  );
}

const SECURITY_4697 =
  "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-A5BA-3E3B0328C30D}'/>" +
  "<EventID>4697</EventID><Version>0</Version><Level>0</Level><Task>12289</Task><Opcode>0</Opcode><Keywords>0x8020000000000000</Keywords>" +
  "<TimeCreated SystemTime='2024-03-04T10:11:25.500000000Z'/><EventRecordID>90001</EventRecordID><Correlation/><Execution ProcessID='4' ThreadID='120'/>" +
  `<Channel>Security</Channel><Computer>${DC}</Computer><Security/></System><EventData>` +
  "<Data Name='SubjectUserSid'>S-1-5-21-3344543075-1022232225-2459664213-500</Data><Data Name='SubjectUserName'>Administrator</Data>" +
  "<Data Name='SubjectDomainName'>ATTACKRANGE</Data><Data Name='SubjectLogonId'>0x3e7</Data><Data Name='ServiceName'>KrbSCM</Data>" +
  `<Data Name='ServiceFileName'>${PS}</Data><Data Name='ServiceType'>0x10</Data><Data Name='ServiceStartType'>3</Data>` +
  "<Data Name='ServiceAccount'>LocalSystem</Data></EventData></Event>";

describe('CIM Endpoint.Services', () => {
  it('maps System 7045 (the real example, completed)', () => {
    assert.deepEqual(mapped(servicesRecord(event(service7045()))), {
      service_name: 'KrbSCM',
      service: 'KrbSCM',
      service_path: PS,
      service_type: 'user mode service',
      start_mode: 'manual',
      status: 'unknown',
      user: 'LocalSystem',
      user_id: 'S-1-5-21-3344543075-1022232225-2459664213-500',
      dest: DC,
      action: 'created',
      signature_id: '7045',
      vendor: 'Microsoft',
      product: 'Windows',
      vendor_product: 'Microsoft Windows',
    });
  });

  it('maps Security 4697 to the same values (hex type and numeric start type translated)', () => {
    assert.deepEqual(mapped(servicesRecord(event(SECURITY_4697))), {
      service_name: 'KrbSCM',
      service: 'KrbSCM',
      service_path: PS,
      service_type: 'user mode service',
      start_mode: 'manual',
      status: 'unknown',
      user: 'LocalSystem',
      user_id: 'S-1-5-21-3344543075-1022232225-2459664213-500',
      dest: DC,
      action: 'created',
      signature_id: '4697',
      vendor: 'Microsoft',
      product: 'Windows',
      vendor_product: 'Microsoft Windows',
    });
  });

  it('helpers: start modes and service types', () => {
    assert.equal(startMode('auto start'), 'auto');
    assert.equal(startMode('disabled'), 'disabled');
    assert.equal(startMode('2'), 'auto');
    assert.equal(startMode('0x4'), 'disabled');
    assert.equal(serviceType('0x1'), 'kernel mode driver');
    assert.equal(serviceType('kernel mode driver'), 'kernel mode driver');
  });

  it('raw events: eventtype per channel, the add-on fields unprefixed', () => {
    const f = splunkFields(event(service7045()));
    assert.equal(f['eventtype'], 'wineventlog_system');
    assert.equal(f['source'], 'XmlWinEventLog:System');
    assert.equal(f['ImagePath'], PS);
    assert.equal(f['service_name'], 'KrbSCM');
    assert.equal(splunkFields(event(SECURITY_4697))['eventtype'], 'wineventlog_security');
    assert.deepEqual(eventtypesOf(event(exampleLog('sysmon_eventid_1'))), []);
    assert.equal(servicesRecord(event(exampleLog('sysmon_eventid_1'))), undefined);
  });

  const file = tempFile('services.xml', [service7045(), service7045('sliver', 'C:\\Windows\\Temp\\sliver.exe', 168146), SECURITY_4697, exampleLog('sysmon_eventid_1'), exampleLog('windows_event_log_security_4688')]);

  it('tstats over the dataset', async () => {
    const rows = await run('| tstats count from datamodel=Endpoint.Services by Services.service_name Services.start_mode Services.dest | `drop_dm_object_name(Services)`', [file]);
    assert.deepEqual(rows, [
      { service_name: 'KrbSCM', start_mode: 'manual', dest: DC, count: 2 },
      { service_name: 'sliver', start_mode: 'manual', dest: DC, count: 1 },
    ]);
  });

  it('the pre-filter of a service-path search is sound', async () => {
    const spl =
      '| tstats `security_content_summariesonly` count min(_time) as firstTime max(_time) as lastTime from datamodel=Endpoint.Services where Services.service_path="*\\\\Temp\\\\*" by Services.dest Services.service_name Services.service_path | `drop_dm_object_name(Services)` | `security_content_ctime(firstTime)` | `security_content_ctime(lastTime)`';
    const { literals, rows, filtered } = await prefilterCheck(spl, [file]);
    assert.ok(literals && literals.length > 0, 'literals derived');
    assert.ok(filtered > 0);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.['service_name'], 'sliver');
  });

  it('ESCU plain searches with the wineventlog_system and wineventlog_security macros', async () => {
    const rows = await run(
      '`wineventlog_system` EventCode=7045 ServiceName="sliver" | stats count min(_time) as firstTime max(_time) as lastTime by Computer EventCode ImagePath ServiceName ServiceType | rename Computer as dest',
      [file],
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.['dest'], DC);
    assert.equal(rows[0]?.['ImagePath'], 'C:\\Windows\\Temp\\sliver.exe');
    const sec = await run('`wineventlog_security` EventCode=4697 | stats count by service_name user dest', [file]);
    assert.deepEqual(sec, [{ service_name: 'KrbSCM', user: 'LocalSystem', dest: DC, count: 1 }]);
  });
});
