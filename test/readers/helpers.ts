/**
 * Test helpers for the readers: the real ESCU example events, writers that render
 * one parsed event in each supported container/shape, and a collecting sink.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from "node:path";
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import type { ReadDiagnostic, WinEvent } from '../../src/events/types.js';
import type { ReadSink } from '../../src/readers/index.js';

import { REPO_ROOT } from '../support/paths.js';
export { REPO_ROOT };
export const ESCU_DATA_SOURCES = resolve(REPO_ROOT, '../shared/escu/data_sources');
export const FIXTURES = join(REPO_ROOT, 'test/fixtures/readers');

export interface EscuExample {
  readonly file: string;
  readonly xml: string;
}

/** Every ESCU data source whose `example_log` is a Windows XML event, in file order. */
export function escuXmlExamples(): EscuExample[] {
  const out: EscuExample[] = [];
  for (const f of readdirSync(ESCU_DATA_SOURCES).sort()) {
    if (!f.endsWith('.yml')) continue;
    const doc = YAML.parse(readFileSync(join(ESCU_DATA_SOURCES, f), 'utf8')) as { example_log?: unknown } | null;
    const ex = doc?.example_log;
    if (typeof ex === 'string' && ex.trimStart().startsWith('<Event')) out.push({ file: f, xml: ex.trim() });
  }
  return out;
}

export function escuExample(file: string): string {
  const ex = escuXmlExamples().find((e) => e.file === file);
  if (ex === undefined) throw new Error(`no ESCU example ${file}`);
  return ex.xml;
}

export interface Collected {
  readonly events: WinEvent[];
  readonly diagnostics: ReadDiagnostic[];
  readonly progress: number[];
  readonly sink: ReadSink;
}

export function collect(): Collected {
  const events: WinEvent[] = [];
  const diagnostics: ReadDiagnostic[] = [];
  const progress: number[] = [];
  return {
    events,
    diagnostics,
    progress,
    sink: { event: (e) => events.push(e), diagnostic: (d) => diagnostics.push(d), progress: (b) => progress.push(b) },
  };
}

/** The comparable part of an event: system and data, with data keys in order. */
export function comparable(e: WinEvent): { system: WinEvent['system']; data: [string, string][] } {
  return { system: e.system, data: Object.entries(e.data) };
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

export function utf16le(s: string, bom = true): Uint8Array {
  const b = Buffer.from(s, 'utf16le');
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), b]) : b;
}

export function utf16be(s: string): Uint8Array {
  const b = Buffer.from(s, 'utf16le');
  for (let i = 0; i + 1 < b.length; i += 2) {
    const t = b[i]!;
    b[i] = b[i + 1]!;
    b[i + 1] = t;
  }
  return Buffer.concat([Buffer.from([0xfe, 0xff]), b]);
}

/**
 * Event Viewer style: double quotes, one element per line, `<RenderingInfo>`
 * added. Only whitespace between tags changes, never inside a `<Data>` value.
 */
export function toEventViewerXml(lineXml: string): string {
  const dq = lineXml.replace(/<[^<>]*>/g, (tag) =>
    tag.replace(/(\s[\w:]+)='([^']*)'/g, (_m, n: string, v: string) => `${n}="${v.replace(/"/g, '&quot;')}"`),
  );
  const spread = dq.replace(/(<\/[^>]+>|\/>)</g, '$1\r\n  <');
  return spread.replace(
    /<\/Event>$/,
    '<RenderingInfo Culture="en-US"><Message>A message &amp; more</Message><Level>Information</Level><Keywords><Keyword>Audit Success</Keyword></Keywords></RenderingInfo></Event>',
  );
}

export function eventViewerExport(lineXmls: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\r\n<Events>\r\n${lineXmls.map(toEventViewerXml).join('\r\n')}\r\n</Events>\r\n`;
}

/** Numbers as evtx tools type them: plain decimal strings become JSON numbers, '' becomes null. */
function evtxValue(v: string): string | number | null {
  if (v === '') return null;
  if (/^(0|[1-9][0-9]{0,14})$/.test(v)) return Number(v);
  return v;
}

export function toEvtxJson(e: WinEvent, n: number): string {
  const s = e.system;
  const sys: Record<string, unknown> = {
    Provider: { '#attributes': { Name: s.provider, ...(s.providerGuid !== undefined ? { Guid: s.providerGuid } : {}) } },
    // Alternate plain and attributed EventID, as evtx_dump writes both.
    EventID: n % 2 === 0 ? s.eventId : { '#attributes': { Qualifiers: '' }, '#text': s.eventId },
    Version: s.version,
    Level: s.level,
    Task: s.task,
    Opcode: s.opcode,
    Keywords: s.keywords,
    TimeCreated: { '#attributes': { SystemTime: s.timeCreated } },
    EventRecordID: s.recordId,
    Correlation: null,
    Execution: { '#attributes': { ProcessID: s.processId, ThreadID: s.threadId } },
    Channel: s.channel,
    Computer: s.computer,
    Security: s.userId !== undefined ? { '#attributes': { UserID: s.userId } } : null,
  };
  const data = Object.fromEntries(Object.entries(e.data).map(([k, v]) => [k, evtxValue(v)]));
  return JSON.stringify({ Event: { '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' }, System: sys, EventData: data } });
}

/** Winlogbeat keeps milliseconds only. */
export function msTime(t: string): string {
  return t.replace(/^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,3})\d*)?Z$/, (_m, a: string, f: string | undefined) => `${a}.${(f ?? '').padEnd(3, '0')}Z`);
}

export function toWinlogbeat7(e: WinEvent, n: number): string {
  const s = e.system;
  return JSON.stringify({
    '@timestamp': msTime(s.timeCreated),
    event: { code: String(s.eventId), kind: 'event', provider: s.provider },
    host: { name: s.computer.toLowerCase() },
    log: { level: 'information' },
    winlog: {
      api: 'wineventlog',
      channel: s.channel,
      computer_name: s.computer,
      event_data: e.data,
      event_id: n % 2 === 0 ? String(s.eventId) : s.eventId,
      keywords: ['Audit Success'],
      opcode: 'Info',
      process: { pid: s.processId, thread: { id: s.threadId } },
      provider_guid: s.providerGuid,
      provider_name: s.provider,
      record_id: s.recordId,
      task: 'Process Creation',
      version: s.version,
      ...(s.userId !== undefined ? { user: { identifier: s.userId, name: 'SYSTEM', domain: 'NT AUTHORITY', type: 'User' } } : {}),
    },
  });
}

export function toWinlogbeat6(e: WinEvent): string {
  const s = e.system;
  return JSON.stringify({
    '@timestamp': msTime(s.timeCreated),
    beat: { hostname: 'collector', name: 'collector', version: '6.8.0' },
    computer_name: s.computer,
    event_data: e.data,
    event_id: s.eventId,
    keywords: ['Audit Success'],
    level: 'Information',
    log_name: s.channel,
    opcode: 'Info',
    process_id: s.processId,
    provider_guid: s.providerGuid,
    record_number: s.recordId === undefined ? undefined : String(s.recordId),
    source_name: s.provider,
    task: 'Process Create',
    thread_id: s.threadId,
    type: 'wineventlog',
    ...(s.userId !== undefined ? { user: { identifier: s.userId, name: 'SYSTEM', domain: 'NT AUTHORITY', type: 'Well Known Group' } } : {}),
    version: s.version,
  });
}

/** NXLog writes the keyword mask as a signed 64-bit number. */
function signedKeywords(k: string | undefined): string | undefined {
  if (k === undefined) return undefined;
  const n = BigInt(k);
  return String(n >= 1n << 63n ? n - (1n << 64n) : n);
}

/** Seconds only, no zone: NXLog's default EventTime. */
export function nxlogTime(t: string): string {
  return t.slice(0, 19).replace('T', ' ');
}

export function toNxlog(e: WinEvent): string {
  const s = e.system;
  const kw = signedKeywords(s.keywords);
  const obj: Record<string, unknown> = {
    EventTime: nxlogTime(s.timeCreated),
    Hostname: s.computer,
    Keywords: '__KW__',
    EventType: 'INFO',
    SeverityValue: 2,
    Severity: 'INFO',
    EventID: s.eventId,
    SourceName: s.provider,
    ProviderGuid: s.providerGuid,
    Version: s.version,
    Task: s.task,
    OpcodeValue: s.opcode,
    Level: s.level,
    RecordNumber: s.recordId,
    ProcessID: s.processId,
    ThreadID: s.threadId,
    Channel: s.channel,
    ...(s.userId !== undefined ? { Domain: 'NT AUTHORITY', AccountName: 'SYSTEM', UserID: s.userId, AccountType: 'User' } : {}),
    Category: 'Process Create (rule: ProcessCreate)',
    Opcode: 'Info',
    ...e.data,
    EventReceivedTime: '2024-01-01 00:00:00',
    SourceModuleName: 'eventlog',
    SourceModuleType: 'im_msvistalog',
  };
  const json = JSON.stringify(obj);
  // Written as a bare JSON number, as NXLog does.
  return kw === undefined ? json.replace('"Keywords":"__KW__",', '') : json.replace('"__KW__"', kw);
}
