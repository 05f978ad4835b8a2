/**
 * Events as Windows writes them: a System template with substitutions (the
 * shape the Event Log service uses) and an EventData block, built from a
 * `WinEvent` so that reading the bytes back must give the same `WinEvent`.
 */
import type { WinEvent } from '../../src/events/types.js';
import { V, type WElement, type WNode, type WRecord, type WTemplate, type WValue } from './writer.js';

export const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

const S = (subst: number, type: number, optional = true) => ({ subst, type, optional });

/** The System block of Windows' templates: values 0-14. */
export function systemElement(): WElement {
  return {
    name: 'System',
    children: [
      { name: 'Provider', attrs: [['Name', S(0, 0x01)], ['Guid', S(1, 0x0f)]] },
      { name: 'EventID', attrs: [['Qualifiers', S(2, 0x06)]], children: [S(3, 0x06)] },
      { name: 'Version', children: [S(4, 0x04)] },
      { name: 'Level', children: [S(5, 0x04)] },
      { name: 'Task', children: [S(6, 0x06)] },
      { name: 'Opcode', children: [S(7, 0x04)] },
      { name: 'Keywords', children: [S(8, 0x15)] },
      { name: 'TimeCreated', attrs: [['SystemTime', S(9, 0x11)]] },
      { name: 'EventRecordID', children: [S(10, 0x0a)] },
      { name: 'Correlation', attrs: [['ActivityID', S(11, 0x0f)], ['RelatedActivityID', S(12, 0x0f)]] },
      { name: 'Execution', attrs: [['ProcessID', S(13, 0x08)], ['ThreadID', S(14, 0x08)]] },
      { name: 'Channel', children: [S(15, 0x01)] },
      { name: 'Computer', children: [S(16, 0x01)] },
      { name: 'Security', attrs: [['UserID', S(17, 0x13)]] },
    ],
  };
}
export const SYSTEM_VALUES = 18;

const GUID = /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/;
const SID = /^S-1-\d{1,9}(-\d{1,10})*$/;

/** A value for one EventData string, in the type Windows would likely have used (checked to render back identically). */
export function typedValue(s: string): WValue {
  if (/^0x[1-9a-f][0-9a-f]{0,7}$|^0x0$/.test(s)) return V.hex32(parseInt(s.slice(2), 16));
  if (/^0x[1-9a-f][0-9a-f]{8,15}$/.test(s)) return V.hex64(BigInt(s));
  if (GUID.test(s)) return V.guid(s);
  if (SID.test(s) && s.split('-').slice(3).every((x) => Number(x) < 2 ** 32)) return V.sid(s);
  if (/^(0|[1-9]\d{0,8})$/.test(s)) return V.uint32(Number(s));
  if (/^-[1-9]\d{0,8}$/.test(s)) return V.int32(Number(s));
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}00Z$/.test(s)) return V.fileTime(s);
  if (s === 'true' || s === 'false') return V.bool(s === 'true');
  return V.string(s);
}

const templates = new Map<string, WTemplate>();
let nextGuid = 1;

/** The template for events with these EventData names (shared by events of the same shape). */
function templateFor(names: readonly string[]): WTemplate {
  const key = JSON.stringify(names);
  let t = templates.get(key);
  if (t === undefined) {
    const guid = new Uint8Array(16);
    new DataView(guid.buffer).setUint32(0, nextGuid++, true);
    guid.set([0x5e, 0x1f, 0x7a, 0x11], 12);
    const data: WNode[] = names.map((n, i) => ({ name: 'Data', attrs: [['Name', n]], children: [{ subst: SYSTEM_VALUES + i, type: 0x01, optional: true }] }));
    t = { guid, root: { name: 'Event', attrs: [['xmlns', EVENT_NS]], children: [systemElement(), { name: 'EventData', children: data }] } };
    templates.set(key, t);
  }
  return t;
}

const opt = <T>(v: T | undefined, f: (x: T) => WValue): WValue => (v === undefined ? V.null() : f(v));

/** A record that renders to `e` (recordId from the event, or `id`). */
export function recordOf(e: WinEvent, id = e.system.recordId ?? 1): WRecord {
  const s = e.system;
  const names = Object.keys(e.data);
  const keywords = s.keywords !== undefined && /^0x[0-9a-f]+$/.test(s.keywords) && BigInt(s.keywords).toString(16) === s.keywords.slice(2) ? V.hex64(BigInt(s.keywords)) : opt(s.keywords, V.string);
  const values: WValue[] = [
    V.string(s.provider),
    opt(s.providerGuid, (g) => (GUID.test(g) ? V.guid(g) : V.string(g))),
    V.null(),
    V.uint16(s.eventId),
    opt(s.version, V.uint8),
    opt(s.level, V.uint8),
    opt(s.task, V.uint16),
    opt(s.opcode, V.uint8),
    keywords,
    V.fileTime(s.timeCreated),
    opt(s.recordId, (n) => V.uint64(BigInt(n))),
    V.null(),
    V.null(),
    opt(s.processId, V.uint32),
    opt(s.threadId, V.uint32),
    V.string(s.channel),
    V.string(s.computer),
    opt(s.userId, (u) => (SID.test(u) ? V.sid(u) : V.string(u))),
    ...names.map((n) => typedValue(e.data[n]!)),
  ];
  return { id, written: s.timeCreated, body: { kind: 'template', template: templateFor(names), values } };
}

/** `2020-10-08T11:03:46.6179203Z` → `2020-10-08T11:03:46.617920300Z`: how EVTX renders FILETIME. */
export function nineDigits(iso: string): string {
  return iso.replace(/\.(\d{1,9})Z$/, (_, f: string) => `.${f.padEnd(9, '0')}Z`);
}
