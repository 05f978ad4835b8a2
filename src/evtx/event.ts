/**
 * A rendered `<Event>` tree → the shared `WinSystem` + data fields. Mirrors what
 * `readers/xml-event.ts` does with the XML text of the same event (System fields,
 * `EventData` `Data` by `Name`, unnamed `Data` → `Data1`…, other `EventData`
 * children by element name, `UserData` leaves by element name, first value of a
 * repeated name kept), so EVTX and XML give identical WinEvents; the readers'
 * contract test holds both to it. Kept here rather than imported so that the
 * EVTX layer depends only on the event model.
 */
import type { WinSystem } from '../events/types.js';
import type { XmlElement, XmlNode } from './render.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type EventMapResult =
  | { readonly ok: true; readonly system: WinSystem; readonly data: Record<string, string> }
  | { readonly ok: false; readonly message: string };

/** Decimal (or `0x` hex) integer; undefined when empty or not a number (as the XML reader reads). */
function toInt(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const t = s.trim();
  if (/^-?[0-9]+$/.test(t)) return Number(t);
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t.slice(2), 16);
  return undefined;
}

function attr(e: XmlElement, name: string): string | undefined {
  for (const a of e.attrs) if (a.name === name) return a.value;
  return undefined;
}

/** The text the XML scanner sees at `</name>`: what follows the last child element. */
function trailingText(children: readonly XmlNode[]): string {
  let s = '';
  for (let i = children.length - 1; i >= 0; i--) {
    const c = children[i]!;
    if (typeof c !== 'string') break;
    s = c + s;
  }
  return s;
}

function setField(data: Record<string, string>, name: string, value: string): void {
  if (Object.hasOwn(data, name)) return;
  if (name === '__proto__') Object.defineProperty(data, name, { value, enumerable: true, writable: true, configurable: true });
  else data[name] = value;
}

function isLeaf(e: XmlElement): boolean {
  for (const c of e.children) if (typeof c !== 'string') return false;
  return true;
}

/** Leaves below `e` (exclusive) in document order → fields named after the element. */
function userDataLeaves(e: XmlElement, data: Record<string, string>): void {
  for (const c of e.children) {
    if (typeof c === 'string') continue;
    if (isLeaf(c)) setField(data, c.name, trailingText(c.children));
    else userDataLeaves(c, data);
  }
}

function systemField(sys: Partial<Mutable<WinSystem>>, e: XmlElement, setEventId: (t: string) => void): void {
  const text = (): string => trailingText(e.children);
  const setInt = (key: 'version' | 'level' | 'task' | 'opcode' | 'recordId' | 'processId' | 'threadId', s: string | undefined): void => {
    const n = toInt(s);
    if (n !== undefined) sys[key] = n;
  };
  switch (e.name) {
    case 'Provider': {
      const n = attr(e, 'Name');
      if (n !== undefined) sys.provider = n;
      const g = attr(e, 'Guid');
      if (g !== undefined && g !== '') sys.providerGuid = g;
      break;
    }
    case 'TimeCreated': {
      const t = attr(e, 'SystemTime');
      if (t !== undefined) sys.timeCreated = t;
      break;
    }
    case 'Execution':
      setInt('processId', attr(e, 'ProcessID'));
      setInt('threadId', attr(e, 'ThreadID'));
      break;
    case 'Security': {
      const u = attr(e, 'UserID') ?? attr(e, 'UserId');
      if (u !== undefined && u !== '') sys.userId = u;
      break;
    }
    case 'EventID':
      setEventId(text());
      break;
    case 'Version':
      setInt('version', text());
      break;
    case 'Level':
      setInt('level', text());
      break;
    case 'Task':
      setInt('task', text());
      break;
    case 'Opcode':
      setInt('opcode', text());
      break;
    case 'EventRecordID':
      setInt('recordId', text());
      break;
    case 'Keywords': {
      const k = text();
      if (k !== '') sys.keywords = k;
      break;
    }
    case 'Channel':
      sys.channel = text();
      break;
    case 'Computer':
      sys.computer = text();
      break;
  }
}

/**
 * Maps a rendered `<Event>` element to the event model.
 * @example mapEvent(root).ok && mapEvent(root).system.eventId === 4688
 */
export function mapEvent(root: XmlElement): EventMapResult {
  if (root.name !== 'Event') return { ok: false, message: `root element is <${root.name}>, expected <Event>` };
  const sys: Partial<Mutable<WinSystem>> = {};
  const data: Record<string, string> = {};
  let eventIdText: string | undefined;
  let sawSystem = false;
  let unnamed = 0;
  for (const section of root.children) {
    if (typeof section === 'string') continue;
    switch (section.name) {
      case 'System':
        sawSystem = true;
        for (const f of section.children) if (typeof f !== 'string') systemField(sys, f, (t) => (eventIdText = t));
        break;
      case 'EventData':
        for (const f of section.children) {
          if (typeof f === 'string') continue;
          const n = f.name === 'Data' ? attr(f, 'Name') : f.name;
          setField(data, n !== undefined && n !== '' ? n : `Data${++unnamed}`, trailingText(f.children));
        }
        break;
      case 'UserData':
        for (const f of section.children) if (typeof f !== 'string') userDataLeaves(f, data);
        break;
    }
  }
  if (!sawSystem) return { ok: false, message: 'event has no <System>' };
  const eventId = toInt(eventIdText);
  if (eventId === undefined) return { ok: false, message: 'event has no numeric <EventID>' };
  const system: Mutable<WinSystem> = {
    provider: sys.provider ?? '',
    eventId,
    timeCreated: sys.timeCreated ?? '',
    channel: sys.channel ?? '',
    computer: sys.computer ?? '',
  };
  for (const k of ['providerGuid', 'version', 'level', 'task', 'opcode', 'keywords', 'recordId', 'processId', 'threadId', 'userId'] as const) {
    const v = sys[k];
    if (v !== undefined) (system as Record<string, unknown>)[k] = v;
  }
  return { ok: true, system, data };
}
