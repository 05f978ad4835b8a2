/**
 * Reader contract: the same real events (ESCU `example_log`s) written as Splunk
 * XML lines, as an Event Viewer export (UTF-8, UTF-16LE, UTF-16BE) and as each
 * JSON shape give identical WinEvents, apart from what a shape cannot carry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WinEvent, WinSystem } from '../../src/events/types.js';
import { readBytes } from '../../src/readers/index.js';
import {
  collect,
  comparable,
  escuXmlExamples,
  eventViewerExport,
  msTime,
  nxlogTime,
  toEvtxJson,
  toNxlog,
  toWinlogbeat6,
  toWinlogbeat7,
  utf16be,
  utf16le,
  utf8,
} from './helpers.js';

const examples = escuXmlExamples();

function read(bytes: Uint8Array, name = 'input') {
  const c = collect();
  const summary = readBytes(name, bytes, {}, c.sink);
  return { ...c, summary };
}

/** Reference: the ESCU examples that are well-formed, read as Splunk XML lines. */
const referenceRun = read(utf8(examples.map((e) => e.xml).join('\n') + '\n'), 'escu.xml-lines');
const reference = referenceRun.events;
const goodXml = reference.map((e) => e.raw ?? '');

function without(s: WinSystem, keys: readonly (keyof WinSystem)[]): WinSystem {
  const out: Record<string, unknown> = { ...s };
  for (const k of keys) delete out[k];
  return out as unknown as WinSystem;
}

function sameEvents(actual: readonly WinEvent[], expected: readonly WinEvent[], project: (e: WinEvent) => unknown = comparable): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.deepEqual(project(actual[i]!), project(expected[i]!), `event ${i}`);
}

describe('reader contract over the ESCU example events', () => {
  it('reads every well-formed example and reports each truncated one with its line', () => {
    assert.ok(examples.length >= 60, `expected the ESCU XML examples, found ${examples.length}`);
    assert.ok(reference.length >= 45);
    const bad = referenceRun.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(reference.length + bad.length, examples.length);
    for (const d of bad) {
      assert.ok(d.code === 'read.bad-xml' || d.code === 'read.bad-event', d.code);
      const ex = examples[d.origin.line! - 1]!;
      // The examples ESCU ships truncated or with a broken tag are exactly the ones reported.
      assert.ok(!ex.xml.endsWith('</Event>') || /<Le>/.test(ex.xml), `${ex.file} reported: ${d.message}`);
    }
    assert.equal(referenceRun.summary.errors, bad.length);
    assert.equal(referenceRun.summary.format, 'xml-lines');
  });

  it('checks key values of the flagship events independently of any writer', () => {
    const s1 = reference.find((e) => e.system.provider === 'Microsoft-Windows-Sysmon' && e.system.eventId === 1)!;
    assert.equal(s1.system.timeCreated, '2020-10-08T11:03:46.617920300Z');
    assert.equal(s1.system.userId, 'S-1-5-18');
    assert.equal(s1.system.keywords, '0x8000000000000000');
    assert.equal(s1.data['Image'], 'C:\\Windows\\System32\\cmd.exe');
    assert.match(s1.data['CommandLine']!, /%temp%%\\sam & reg save/);
    assert.equal(s1.data['Product'], 'Microsoft\u00ae Windows\u00ae Operating System');
    const p = reference.find((e) => e.system.eventId === 4688 && e.system.channel === 'Security' && e.system.computer === 'ar-win-1')!;
    assert.equal(p.data['NewProcessId'], '0xf84');
    assert.equal(p.data['ParentProcessName'], 'C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunkd.exe');
    assert.equal(p.system.userId, undefined, '<Security/> has no UserID');
    assert.equal(p.system.recordId, 432820);
  });

  it('Event Viewer export (UTF-8) gives identical events', () => {
    const r = read(utf8(eventViewerExport(goodXml)));
    assert.equal(r.summary.format, 'event-xml');
    assert.deepEqual(r.diagnostics, []);
    sameEvents(r.events, reference);
  });

  it('Event Viewer export in UTF-16LE and UTF-16BE with BOM gives identical events', () => {
    const text = eventViewerExport(goodXml);
    for (const bytes of [utf16le(text), utf16be(text), utf16le(text, false)]) {
      const r = read(bytes);
      assert.equal(r.summary.format, 'event-xml');
      assert.deepEqual(r.diagnostics, []);
      sameEvents(r.events, reference);
    }
  });

  it('EVTX-as-JSON lines give identical events', () => {
    const r = read(utf8(reference.map(toEvtxJson).join('\n') + '\n'));
    assert.equal(r.summary.format, 'json-lines');
    assert.deepEqual(r.diagnostics, []);
    sameEvents(r.events, reference);
  });

  // Winlogbeat writes level, task, opcode and keywords as names and keeps milliseconds.
  const beatProjection = (e: WinEvent) => ({
    system: { ...without(e.system, ['level', 'task', 'opcode', 'keywords']), timeCreated: msTime(e.system.timeCreated) },
    data: Object.entries(e.data),
  });

  it('Winlogbeat 7+/ECS lines give identical events (less what names cannot carry)', () => {
    const r = read(utf8(reference.map(toWinlogbeat7).join('\n')));
    assert.deepEqual(r.diagnostics, []);
    sameEvents(r.events, reference, beatProjection);
    // What the reader produces for the dropped fields: absent, not guessed.
    assert.equal(r.events[0]!.system.level, undefined);
    assert.equal(r.events[0]!.system.keywords, undefined);
  });

  it('Winlogbeat 6 lines give identical events (less what names cannot carry)', () => {
    const r = read(utf8(reference.map((e) => toWinlogbeat6(e)).join('\r\n')));
    assert.deepEqual(r.diagnostics, []);
    sameEvents(r.events, reference, beatProjection);
  });

  it('NXLog flat lines give identical events (EventTime to the second, taken as UTC)', () => {
    // NXLog puts EventData beside its own metadata: events whose field names collide cannot round-trip.
    const meta = new Set(['EventType', 'Version', 'Category', 'Domain', 'AccountName', 'AccountType', 'Message', 'Keywords', 'Task', 'Opcode', 'Level', 'Severity', 'Hostname', 'Channel', 'UserID', 'ProcessID', 'ThreadID']);
    const usable = reference.filter((e) => !Object.keys(e.data).some((k) => meta.has(k)));
    assert.ok(usable.length >= 40, `only ${usable.length} events usable`);
    const r = read(utf8(usable.map(toNxlog).join('\n') + '\n\n'));
    assert.deepEqual(r.diagnostics, []);
    sameEvents(r.events, usable, (e) => ({
      system: { ...e.system, timeCreated: nxlogTime(e.system.timeCreated).replace(' ', 'T') + 'Z' },
      data: Object.entries(e.data),
    }));
  });

  it('mixed JSON shapes in one file are each recognised', () => {
    const e = reference[0]!;
    const r = read(utf8([toEvtxJson(e, 0), toWinlogbeat7(e, 0), toWinlogbeat6(e), toNxlog(e)].join('\n')));
    assert.equal(r.events.length, 4);
    const ids = new Set(r.events.map((x) => `${x.system.provider}/${x.system.eventId}/${x.system.recordId}/${Object.keys(x.data).length}`));
    assert.equal(ids.size, 1);
  });
});
