import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeDecoderFactory } from '../../src/readers/files.js';
import { FileReadSession, mapJsonEvent, normalizeTime, readBytes } from '../../src/readers/index.js';
import { collect, comparable, escuExample, utf16be, utf16le, utf8 } from './helpers.js';

const S1 = escuExample('sysmon_eventid_1.yml'); // holds ® (two UTF-8 bytes)
const TEXT = `${S1}\r\n${escuExample('windows_event_log_security_4688.yml')}\n`;

function chunked(bytes: Uint8Array, size: number, node: boolean) {
  const c = collect();
  const s = new FileReadSession('x', {}, c.sink, node ? { decoders: nodeDecoderFactory } : {});
  for (let i = 0; i < bytes.length; i += size) s.push(bytes.subarray(i, i + size));
  return { ...c, summary: s.end() };
}

describe('streaming across chunk boundaries', () => {
  const whole = readBytes('x', utf8(TEXT), {}, collect().sink);
  const expected = (() => {
    const c = collect();
    readBytes('x', utf8(TEXT), {}, c.sink);
    return c.events.map(comparable);
  })();

  it('gives the same events for any chunk size, in UTF-8, UTF-16LE and UTF-16BE, with both decoders', () => {
    assert.equal(whole.events, 2);
    for (const bytes of [utf8(TEXT), utf16le(TEXT), utf16be(TEXT)]) {
      for (const size of [1, 2, 3, 7, 4096]) {
        for (const node of [false, true]) {
          const r = chunked(bytes, size, node);
          assert.deepEqual(r.events.map(comparable), expected, `size ${size} node ${node}`);
          assert.deepEqual(r.diagnostics, []);
        }
      }
    }
  });

  it('the fast UTF-8 decoder matches TextDecoder on split multi-byte characters and long pieces', () => {
    const s = 'a®€😀'.repeat(3000) + 'x'.repeat(40000) + '®';
    const bytes = utf8(s);
    for (const size of [1, 5, 16383, 16385, 70000]) {
      const d = nodeDecoderFactory('utf-8');
      let out = '';
      for (let i = 0; i < bytes.length; i += size) out += d.write(bytes.subarray(i, i + size));
      out += d.end();
      assert.equal(out, s, `size ${size}`);
    }
  });

  it('rawFilter sees the raw line and filtered events are counted, not parsed', () => {
    const c = collect();
    const seen: string[] = [];
    const s = readBytes('x', utf8(`${TEXT}<Event>broken</Event>\n`), { rawFilter: (r) => (seen.push(r), r.includes('>4688<')) }, c.sink);
    assert.deepEqual([s.events, s.filtered, s.errors], [1, 2, 0]);
    assert.equal(seen[0], S1);
  });

  it('keepRaw: false leaves raw out', () => {
    const c = collect();
    readBytes('x', utf8(TEXT), { keepRaw: false }, c.sink);
    assert.equal(c.events.length, 2);
    assert.ok(!('raw' in c.events[0]!));
  });

  it('a line over maxRecordChars is reported once and skipped, and the next line is read', () => {
    const c = collect();
    const s = new FileReadSession('x', { maxRecordChars: 5000 }, c.sink);
    s.push(utf8(`${S1}\n<Event xmlns='x'>`));
    for (let i = 0; i < 100; i++) s.push(utf8('a'.repeat(1000)));
    s.push(utf8(`</Event>\n${S1}\n`));
    const sum = s.end();
    assert.equal(sum.events, 2);
    assert.deepEqual(c.diagnostics.map((d) => [d.code, d.origin.line]), [['read.too-long', 2]]);
    assert.deepEqual(c.events.map((e) => e.origin.line), [1, 3]);
  });

  it('several events on one line (wevtutil qe output) are each read', () => {
    const c = collect();
    readBytes('x', utf8(`${S1}${S1}\n`), {}, c.sink);
    assert.equal(c.events.length, 2);
    assert.equal(c.events[1]!.raw, S1);
  });
});

describe('JSON shape details', () => {
  it('Winlogbeat 8 ECS fields fill missing Sysmon 1 and 4688 EventData fields', () => {
    const sysmon = mapJsonEvent({
      '@timestamp': '2021-03-02T10:11:12.123Z',
      winlog: { event_id: '1', provider_name: 'Microsoft-Windows-Sysmon', channel: 'c', computer_name: 'h', event_data: { RuleName: '-', IntegrityLevel: 'High' } },
      process: { executable: 'C:\\a.exe', pid: 10, parent: { executable: 'C:\\p.exe', command_line: 'p -x', pid: 4 } },
      user: { name: 'bob', domain: 'CORP' },
    });
    assert.ok(sysmon.ok);
    if (sysmon.ok) {
      assert.deepEqual(sysmon.data, { RuleName: '-', IntegrityLevel: 'High', ProcessId: '10', Image: 'C:\\a.exe', ParentProcessId: '4', ParentImage: 'C:\\p.exe', ParentCommandLine: 'p -x', User: 'CORP\\bob' });
      assert.equal(sysmon.system.timeCreated, '2021-03-02T10:11:12.123Z');
    }
    const p = mapJsonEvent({ winlog: { event_id: 4688, provider_name: 'Microsoft-Windows-Security-Auditing', event_data: { NewProcessName: 'C:\\n.exe' } }, process: { pid: 3972, executable: 'C:\\other.exe', parent: { pid: 2860 } } });
    assert.ok(p.ok && p.data['NewProcessId'] === '0xf84' && p.data['ProcessId'] === '0xb2c' && p.data['NewProcessName'] === 'C:\\n.exe');
  });

  it('NXLog: zone-less EventTime is UTC, ExecutionProcessID makes ProcessID an EventData field, Sysmon EventType stays data', () => {
    const r = mapJsonEvent({ EventTime: '2021-03-02 10:11:12', Hostname: 'h', EventID: 12, SourceName: 'Microsoft-Windows-Sysmon', Channel: 'c', EventType: 'DeleteKey', ExecutionProcessID: 7, ProcessID: 99, Keywords: '-9223372036854775808', n: null, f: 1.5 });
    assert.ok(r.ok);
    if (r.ok) {
      assert.equal(r.system.timeCreated, '2021-03-02T10:11:12Z');
      assert.equal(r.system.processId, 7);
      assert.equal(r.system.keywords, '0x8000000000000000');
      assert.deepEqual(r.data, { EventType: 'DeleteKey', ProcessID: '99', n: '', f: '1.5' });
    }
  });

  it('EVTX-as-JSON: unnamed Data list and UserData', () => {
    const r = mapJsonEvent({ Event: { System: { Provider: { '#attributes': { Name: 'Service Control Manager' } }, EventID: { '#attributes': { Qualifiers: 16384 }, '#text': 7036 }, Channel: 'System', Computer: 'h' }, EventData: { Data: { '#text': ['WinHTTP', 'running'] } }, UserData: { X: { '#attributes': { xmlns: 'u' }, A: 1, B: { C: 'c' } } } } });
    assert.ok(r.ok);
    if (r.ok) assert.deepEqual([r.system.eventId, r.data], [7036, { Data1: 'WinHTTP', Data2: 'running', A: '1', C: 'c' }]);
  });

  it('a record of a known shape without an event id is read.bad-event', () => {
    const r = mapJsonEvent({ winlog: { channel: 'x' } });
    assert.equal(r.ok ? 'ok' : r.code, 'read.bad-event');
  });
});

describe('normalizeTime', () => {
  it('keeps ISO UTC as written and converts offsets to UTC', () => {
    assert.equal(normalizeTime('2024-04-23T08:48:30.449376Z'), '2024-04-23T08:48:30.449376Z');
    assert.equal(normalizeTime('2021-03-02T00:11:12.5+02:00'), '2021-03-01T22:11:12.5Z');
    assert.equal(normalizeTime('2021-03-02 10:11:12'), '2021-03-02T10:11:12Z');
    assert.equal(normalizeTime('2021-03-02T10:11:12-0130'), '2021-03-02T11:41:12Z');
    assert.equal(normalizeTime('yesterday'), undefined);
  });
});
