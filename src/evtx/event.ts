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
import type { XmlAttr, XmlElement, XmlNode } from './render.js';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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

/** The first attribute called `name` (as the XML reader reads). */
export function attrOf(attrs: readonly XmlAttr[], name: string): string | undefined {
  for (let i = 0; i < attrs.length; i++) if (attrs[i]!.name === name) return attrs[i]!.value;
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

/**
 * A System child element (its name, rendered attributes and trailing text) → the System
 * fields (the last element of a name wins). Returns the text of an `EventID` element.
 */
export function systemFieldOf(sys: Partial<Mutable<WinSystem>>, name: string, attrs: readonly XmlAttr[], text: string): string | undefined {
  const setInt = (key: 'version' | 'level' | 'task' | 'opcode' | 'recordId' | 'processId' | 'threadId', s: string | undefined): void => {
    const n = toInt(s);
    if (n !== undefined) sys[key] = n;
  };
  switch (name) {
    case 'Provider': {
      const n = attrOf(attrs, 'Name');
      if (n !== undefined) sys.provider = n;
      const g = attrOf(attrs, 'Guid');
      if (g !== undefined && g !== '') sys.providerGuid = g;
      break;
    }
    case 'TimeCreated': {
      const t = attrOf(attrs, 'SystemTime');
      if (t !== undefined) sys.timeCreated = t;
      break;
    }
    case 'Execution':
      setInt('processId', attrOf(attrs, 'ProcessID'));
      setInt('threadId', attrOf(attrs, 'ThreadID'));
      break;
    case 'Security': {
      const u = attrOf(attrs, 'UserID') ?? attrOf(attrs, 'UserId');
      if (u !== undefined && u !== '') sys.userId = u;
      break;
    }
    case 'EventID':
      return text;
    case 'Version':
      setInt('version', text);
      break;
    case 'Level':
      setInt('level', text);
      break;
    case 'Task':
      setInt('task', text);
      break;
    case 'Opcode':
      setInt('opcode', text);
      break;
    case 'EventRecordID':
      setInt('recordId', text);
      break;
    case 'Keywords':
      if (text !== '') sys.keywords = text;
      break;
    case 'Channel':
      sys.channel = text;
      break;
    case 'Computer':
      sys.computer = text;
      break;
  }
  return undefined;
}

/**
 * The mapping of one event, fed element by element in document order: by `mapEvent`
 * from a rendered tree, or by the compiled templates (`compiled.ts`) while they write
 * the XML, so both give the same WinEvent by construction.
 */
export class EventMapState {
  readonly sys: Partial<Mutable<WinSystem>> = {};
  readonly data: Record<string, string> = {};
  private eventIdText: string | undefined;
  sawSystem = false;
  private unnamed = 0;

  /** A `System` child element. */
  system(name: string, attrs: readonly XmlAttr[], text: string): void {
    const id = systemFieldOf(this.sys, name, attrs, text);
    if (id !== undefined) this.eventIdText = id;
  }

  /** An `EventData` child element: `Data` by its `Name`, others by element name, unnamed → `Data1`…. */
  eventData(name: string, attrs: readonly XmlAttr[], text: string): void {
    const n = name === 'Data' ? attrOf(attrs, 'Name') : name;
    setField(this.data, n !== undefined && n !== '' ? n : `Data${++this.unnamed}`, text);
  }

  /** A leaf element below `UserData`. */
  leaf(name: string, text: string): void {
    setField(this.data, name, text);
  }

  /** A rendered child element of `<Event>`. */
  section(section: XmlElement): void {
    switch (section.name) {
      case 'System':
        this.sawSystem = true;
        for (const f of section.children) if (typeof f !== 'string') this.systemElement(f);
        break;
      case 'EventData':
        for (const f of section.children) if (typeof f !== 'string') this.eventDataElement(f);
        break;
      case 'UserData':
        for (const f of section.children) if (typeof f !== 'string') this.userDataElement(f);
        break;
    }
  }

  systemElement(f: XmlElement): void {
    this.system(f.name, f.attrs, trailingText(f.children));
  }

  eventDataElement(f: XmlElement): void {
    this.eventData(f.name, f.attrs, trailingText(f.children));
  }

  /** A rendered element below `UserData`: a leaf, or the leaves below it. */
  userDataElement(f: XmlElement): void {
    if (isLeaf(f)) setField(this.data, f.name, trailingText(f.children));
    else userDataLeaves(f, this.data);
  }

  result(): EventMapResult {
    if (!this.sawSystem) return { ok: false, message: 'event has no <System>' };
    const eventId = toInt(this.eventIdText);
    if (eventId === undefined) return { ok: false, message: 'event has no numeric <EventID>' };
    const sys = this.sys;
    const system: Mutable<WinSystem> = {
      provider: sys.provider ?? '',
      eventId,
      timeCreated: sys.timeCreated ?? '',
      channel: sys.channel ?? '',
      computer: sys.computer ?? '',
    };
    for (const k of SYSTEM_OPTIONAL) {
      const v = sys[k];
      if (v !== undefined) (system as Record<string, unknown>)[k] = v;
    }
    return { ok: true, system, data: this.data };
  }
}

const SYSTEM_OPTIONAL = ['providerGuid', 'version', 'level', 'task', 'opcode', 'keywords', 'recordId', 'processId', 'threadId', 'userId'] as const;

/**
 * Maps a rendered `<Event>` element to the event model.
 * @example mapEvent(root).ok && mapEvent(root).system.eventId === 4688
 */
export function mapEvent(root: XmlElement): EventMapResult {
  if (root.name !== 'Event') return { ok: false, message: `root element is <${root.name}>, expected <Event>` };
  const m = new EventMapState();
  for (const section of root.children) if (typeof section !== 'string') m.section(section);
  return m.result();
}
