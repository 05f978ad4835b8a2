/**
 * Network_Traffic.All_Traffic on the real ESCU Sysmon 3 example and variants
 * (an inbound connection without host names); tstats with the All_Traffic
 * prefix through the engine; the literal pre-filter of a typical ESCU search.
 * Decisions: docs/design/cim-datamodels.md.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splunkFields } from '../../src/cim/fields.js';
import { networkTrafficRecord } from '../../src/cim/network-traffic.js';
import { exampleLog, withFields } from '../support/escu-events.js';
import { event, mapped, prefilterCheck, run, tempFile } from './helpers.js';

const HOST = 'win-dc-ctus-attack-range-403.attackrange.local';

/** An inbound LDAP connection to the DC, no host names resolved. */
function inbound(): string {
  return withFields(
    exampleLog('sysmon_eventid_3'),
    {
      Image: 'C:\\Windows\\System32\\lsass.exe',
      User: 'NT AUTHORITY\\SYSTEM',
      Initiated: 'false',
      SourceIp: '10.0.1.15',
      SourceHostname: '-',
      SourcePort: '50123',
      DestinationIp: '10.0.1.14',
      DestinationHostname: '',
      DestinationPort: '389',
      DestinationPortName: 'ldap',
    },
    { recordId: 156838, time: '2022-09-15T12:57:00.0000000Z' },
  );
}

/** A tool in a temp folder talking Kerberos to the DC. */
function kerberos(): string {
  return withFields(
    exampleLog('sysmon_eventid_3'),
    { Image: 'C:\\Users\\Public\\Rubeus.exe', DestinationIp: '10.0.1.14', DestinationHostname: HOST, DestinationPort: '88', DestinationPortName: 'kerberos' },
    { recordId: 156839, time: '2022-09-15T12:58:00.0000000Z' },
  );
}

describe('CIM Network_Traffic.All_Traffic', () => {
  it('maps the real Sysmon 3 example', () => {
    assert.deepEqual(mapped(networkTrafficRecord(event(exampleLog('sysmon_eventid_3')))), {
      src: HOST,
      src_ip: '10.0.1.14',
      src_host: HOST,
      src_port: '61722',
      dest: 'youssef5.genious.net',
      dest_ip: '41.77.117.236',
      dest_host: 'youssef5.genious.net',
      dest_port: '21',
      dest_port_name: 'ftp',
      transport: 'tcp',
      transport_dest_port: 'tcp/21',
      protocol: 'ip',
      protocol_version: 'ipv4',
      direction: 'outbound',
      app: 'C:\\Temp\\agent_tesla-deob.exe',
      process_path: 'C:\\Temp\\agent_tesla-deob.exe',
      process_name: 'agent_tesla-deob.exe',
      process_exec: 'agent_tesla-deob.exe',
      process_id: '5728',
      process_guid: '{6820D070-1F1B-6323-E113-000000007402}',
      user: 'ATTACKRANGE\\Administrator',
      user_id: 'S-1-5-18',
      dvc: HOST,
      action: 'allowed',
      signature_id: '3',
      vendor_product: 'Microsoft Sysmon',
    });
  });

  it('inbound without host names: src/dest fall back to the addresses', () => {
    const r = mapped(networkTrafficRecord(event(inbound())));
    assert.equal(r['direction'], 'inbound');
    assert.equal(r['src'], '10.0.1.15');
    assert.equal(r['dest'], '10.0.1.14');
    assert.equal(r['src_host'], undefined);
    assert.equal(r['dest_host'], undefined);
    assert.equal(r['dvc'], HOST);
  });

  it('is not a traffic record for other events; raw events carry the add-on fields', () => {
    assert.equal(networkTrafficRecord(event(exampleLog('sysmon_eventid_1'))), undefined);
    const f = splunkFields(event(exampleLog('sysmon_eventid_3')));
    assert.equal(f['dest_port'], '21');
    assert.equal(f['DestinationPort'], '21');
    assert.equal(f['dest'], 'youssef5.genious.net');
    assert.equal(f['app'], 'C:\\Temp\\agent_tesla-deob.exe');
  });

  const file = tempFile('sysmon-net.xml', [exampleLog('sysmon_eventid_3'), inbound(), kerberos(), exampleLog('sysmon_eventid_1'), exampleLog('sysmon_eventid_11')]);

  it('tstats over the dataset, fields prefixed All_Traffic', async () => {
    const rows = await run(
      '| tstats count from datamodel=Network_Traffic.All_Traffic where All_Traffic.dest_port != 0 by All_Traffic.direction All_Traffic.dest_port All_Traffic.process_id',
      [file],
    );
    assert.deepEqual(rows, [
      { 'All_Traffic.direction': 'inbound', 'All_Traffic.dest_port': '389', 'All_Traffic.process_id': '5728', count: 1 },
      { 'All_Traffic.direction': 'outbound', 'All_Traffic.dest_port': '21', 'All_Traffic.process_id': '5728', count: 1 },
      { 'All_Traffic.direction': 'outbound', 'All_Traffic.dest_port': '88', 'All_Traffic.process_id': '5728', count: 1 },
    ]);
  });

  it('the pre-filter of a typical ESCU search is sound (suspect process with authentication traffic)', async () => {
    const spl =
      '| tstats `security_content_summariesonly` count min(_time) as firstTime max(_time) as lastTime values(All_Traffic.process_id) as process_id  from datamodel=Network_Traffic.All_Traffic where All_Traffic.dest_port IN ("88","389","636")  AND All_Traffic.app IN ("*\\\\users\\\\*", "*\\\\programdata\\\\*", "*\\\\temp\\\\*", "*\\\\Windows\\\\Tasks\\\\*", "*\\\\appdata\\\\*", "*\\\\perflogs\\\\*")  by All_Traffic.app,All_Traffic.src,All_Traffic.src_ip,All_Traffic.user,All_Traffic.dest,All_Traffic.dest_ip,All_Traffic.dest_port | `drop_dm_object_name(All_Traffic)`  | rename app as process | `security_content_ctime(firstTime)`  | `security_content_ctime(lastTime)`';
    const { literals, rows } = await prefilterCheck(spl, [file]);
    assert.ok(literals && literals.length > 0, 'literals derived');
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.['process'], 'C:\\Users\\Public\\Rubeus.exe');
    assert.equal(rows[0]?.['dest_port'], '88');
  });
});
