/**
 * A scanner for one Windows `<Event>` element, as rendered by the Event Log
 * service (Splunk XmlWinEventLog lines, Event Viewer / wevtutil exports).
 *
 * Not a general XML parser: no DTDs, no namespaces beyond ignoring `xmlns`. It
 * checks what it needs for correct results (tags balance, quotes and comments
 * terminate, the `<Event>` closes) and is built on `indexOf` so that it runs at
 * hundreds of MB/s. Pure: no `node:*` imports.
 */
import type { WinSystem } from '../events/types.js';
import { READ_CODES } from './types.js';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface ParsedEvent {
  readonly ok: true;
  readonly system: WinSystem;
  readonly data: Record<string, string>;
  /** Index just after `</Event>`. */
  readonly end: number;
}
export interface EventParseError {
  readonly ok: false;
  readonly code: typeof READ_CODES.badXml | typeof READ_CODES.badEvent;
  readonly message: string;
  /** Index in the input where the problem was seen. */
  readonly offset: number;
}
export type EventParseResult = ParsedEvent | EventParseError;

const LT = 60; // <
const GT = 62; // >
const SLASH = 47;
const BANG = 33;
const QMARK = 63;
const SQ = 39;
const DQ = 34;
const AMP = 38;

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** True when `s` at `i` opens an `<Event>` element (and not `<Events>` or `<EventData>`). */
export function isEventStart(s: string, i: number): boolean {
  if (!s.startsWith('<Event', i)) return false;
  const c = s.charCodeAt(i + 6);
  return c === GT || c === SLASH || isWs(c);
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Decodes the five XML entities and numeric character references. An unknown or
 * unterminated `&...` is kept literally: a stray `&` in text must not lose the event.
 */
export function decodeEntities(s: string): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let from = 0;
  while (amp >= 0) {
    const semi = s.indexOf(';', amp + 1);
    if (semi < 0 || semi - amp > 12) {
      amp = s.indexOf('&', amp + 1);
      continue;
    }
    const ref = s.slice(amp + 1, semi);
    let rep: string | undefined;
    if (ref.charCodeAt(0) === 35 /* # */) {
      const hex = ref.charCodeAt(1) === 120 /* x */ || ref.charCodeAt(1) === 88;
      const digits = hex ? ref.slice(2) : ref.slice(1);
      if (hex ? /^[0-9a-fA-F]+$/.test(digits) : /^[0-9]+$/.test(digits)) {
        const cp = parseInt(digits, hex ? 16 : 10);
        if (cp <= 0x10ffff) rep = String.fromCodePoint(cp);
      }
    } else {
      rep = NAMED_ENTITIES[ref];
    }
    if (rep !== undefined) {
      out += s.slice(from, amp) + rep;
      from = semi + 1;
    }
    amp = s.indexOf('&', rep !== undefined ? semi + 1 : amp + 1);
  }
  return out + s.slice(from);
}

/** Decimal (or `0x` hex) integer; undefined when empty or not a number. */
export function toInt(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  // Fast path for the common short unsigned decimal.
  const len = s.length;
  if (len > 0 && len < 16) {
    let n = 0;
    let i = 0;
    for (; i < len; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      n = n * 10 + c;
    }
    if (i === len) return n;
  }
  const t = s.trim();
  if (/^-?[0-9]+$/.test(t)) return Number(t);
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t.slice(2), 16);
  return undefined;
}

// Section of the event the scanner is in; decides what an element means.
const SEC_NONE = 0;
const SEC_SYSTEM = 1;
const SEC_EVENTDATA = 2;
const SEC_USERDATA = 3;
const SEC_OTHER = 4;

function fail(code: EventParseError['code'], message: string, offset: number): EventParseError {
  return { ok: false, code, message, offset };
}

/**
 * Parses the `<Event>` element that starts at `start` (leading whitespace allowed)
 * and ends before `end`.
 * @example parseEventXml("<Event><System><EventID>1</EventID></System></Event>")
 */
export function parseEventXml(s: string, start = 0, end = s.length): EventParseResult {
  let i = start;
  while (i < end && isWs(s.charCodeAt(i))) i++;
  if (!isEventStart(s, i)) return fail(READ_CODES.badXml, 'expected <Event>', i);

  const sys: Partial<Mutable<WinSystem>> = {};
  let eventIdText: string | undefined;
  let sawSystem = false;
  const data: Record<string, string> = {};
  let unnamed = 0;

  const stack: string[] = [];
  const hadChild: boolean[] = [];
  let section = SEC_NONE;
  let text = '';
  let dataName: string | undefined; // Name of the open <Data>, or the generated DataN
  // Reused across tags: name, value, name, value…; only the first nAttrs are live.
  const attrs: string[] = [];
  let nAttrs = 0;

  while (i < end) {
    const lt = s.indexOf('<', i);
    if (lt < 0 || lt >= end) return fail(READ_CODES.badXml, `unterminated <${stack[stack.length - 1] ?? 'Event'}>`, end);
    if (lt > i && stack.length > 0) {
      const seg = s.slice(i, lt);
      text += seg.charCodeAt(0) === AMP || seg.indexOf('&') >= 0 ? decodeEntities(seg) : seg;
    }
    const c = s.charCodeAt(lt + 1);
    if (c === SLASH) {
      // Closing tag.
      const gt = s.indexOf('>', lt + 2);
      if (gt < 0 || gt >= end) return fail(READ_CODES.badXml, 'unterminated closing tag', lt);
      let nameEnd = gt;
      while (nameEnd > lt + 2 && isWs(s.charCodeAt(nameEnd - 1))) nameEnd--;
      const name = s.slice(lt + 2, nameEnd);
      const open = stack.pop();
      if (open !== name) return fail(READ_CODES.badXml, `</${name}> does not close <${open ?? ''}>`, lt);
      const leaf = hadChild.pop() === false;
      const depth = stack.length; // depth of the closed element's parent chain
      if (depth === 0) {
        return finish(sys, eventIdText, sawSystem, data, gt + 1, start);
      }
      if (depth === 2) {
        if (section === SEC_SYSTEM) closeSystemField(sys, name, text, (t) => (eventIdText = t));
        else if (section === SEC_EVENTDATA && dataName !== undefined) {
          setField(data, dataName, text);
          dataName = undefined;
        }
      } else if (depth === 1) {
        section = SEC_NONE;
      }
      if (section === SEC_USERDATA && depth >= 3 && leaf) setField(data, name, text);
      text = '';
      i = gt + 1;
      continue;
    }
    if (c === BANG) {
      if (s.startsWith('<!--', lt)) {
        const close = s.indexOf('-->', lt + 4);
        if (close < 0 || close + 3 > end) return fail(READ_CODES.badXml, 'unterminated comment', lt);
        i = close + 3;
        continue;
      }
      if (s.startsWith('<![CDATA[', lt)) {
        const close = s.indexOf(']]>', lt + 9);
        if (close < 0 || close + 3 > end) return fail(READ_CODES.badXml, 'unterminated CDATA section', lt);
        text += s.slice(lt + 9, close);
        i = close + 3;
        continue;
      }
      return fail(READ_CODES.badXml, 'unexpected markup declaration', lt);
    }
    if (c === QMARK) {
      const close = s.indexOf('?>', lt + 2);
      if (close < 0 || close + 2 > end) return fail(READ_CODES.badXml, 'unterminated processing instruction', lt);
      i = close + 2;
      continue;
    }
    // Opening tag: name, attributes, then `>` or `/>`.
    let j = lt + 1;
    while (j < end) {
      const k = s.charCodeAt(j);
      if (isWs(k) || k === GT || k === SLASH) break;
      j++;
    }
    if (j === lt + 1) return fail(READ_CODES.badXml, "'<' not followed by a tag name", lt);
    const name = s.slice(lt + 1, j);
    nAttrs = 0;
    let selfClosing = false;
    for (;;) {
      while (j < end && isWs(s.charCodeAt(j))) j++;
      if (j >= end) return fail(READ_CODES.badXml, `unterminated <${name}> tag`, lt);
      const k = s.charCodeAt(j);
      if (k === GT) {
        j++;
        break;
      }
      if (k === SLASH) {
        if (s.charCodeAt(j + 1) !== GT) return fail(READ_CODES.badXml, `bad '/' in <${name}>`, j);
        selfClosing = true;
        j += 2;
        break;
      }
      const eq = s.indexOf('=', j);
      if (eq < 0 || eq >= end) return fail(READ_CODES.badXml, `attribute without value in <${name}>`, j);
      let ae = eq;
      while (ae > j && isWs(s.charCodeAt(ae - 1))) ae--;
      const an = s.slice(j, ae);
      const ltInName = s.indexOf('<', j);
      if (an.length === 0 || (ltInName >= 0 && ltInName < eq)) return fail(READ_CODES.badXml, `bad attribute in <${name}>`, j);
      let q = eq + 1;
      while (q < end && isWs(s.charCodeAt(q))) q++;
      const quote = s.charCodeAt(q);
      if (quote !== SQ && quote !== DQ) return fail(READ_CODES.badXml, `unquoted attribute ${an} in <${name}>`, q);
      const qe = s.indexOf(quote === SQ ? "'" : '"', q + 1);
      if (qe < 0 || qe >= end) return fail(READ_CODES.badXml, `unterminated attribute ${an} in <${name}>`, q);
      const raw = s.slice(q + 1, qe);
      if (raw.indexOf('<') >= 0) return fail(READ_CODES.badXml, `'<' in attribute ${an} of <${name}>`, q);
      attrs[nAttrs++] = an;
      attrs[nAttrs++] = raw.indexOf('&') < 0 ? raw : decodeEntities(raw);
      j = qe + 1;
      const after = s.charCodeAt(j);
      if (!(isWs(after) || after === GT || after === SLASH)) return fail(READ_CODES.badXml, `no space after attribute ${an}`, j);
    }

    const depth = stack.length; // depth of the new element's parent chain
    if (depth === 0 && name !== 'Event') return fail(READ_CODES.badXml, 'expected <Event>', lt);
    if (hadChild.length > 0) hadChild[hadChild.length - 1] = true;
    if (depth === 1) {
      section =
        name === 'System' ? SEC_SYSTEM : name === 'EventData' ? SEC_EVENTDATA : name === 'UserData' ? SEC_USERDATA : SEC_OTHER;
      if (section === SEC_SYSTEM) sawSystem = true;
    } else if (depth === 2) {
      if (section === SEC_SYSTEM) openSystemField(sys, name, attrs, nAttrs);
      else if (section === SEC_EVENTDATA) {
        // `<Binary>` and unnamed `<Data>` still become fields so nothing rendered is lost.
        const n = name === 'Data' ? attrValue(attrs, nAttrs, 'Name') : name;
        dataName = n !== undefined && n !== '' ? n : `Data${++unnamed}`;
        if (selfClosing) setField(data, dataName, '');
      }
    }
    if (selfClosing) {
      if (depth === 0) return finish(sys, eventIdText, sawSystem, data, j, start);
      if (section === SEC_USERDATA && depth >= 3) setField(data, name, '');
      if (depth === 2 && section === SEC_EVENTDATA) dataName = undefined;
      if (depth === 1) section = SEC_NONE;
    } else {
      stack.push(name);
      hadChild.push(false);
    }
    text = '';
    i = j;
  }
  return fail(READ_CODES.badXml, `unterminated <${stack[stack.length - 1] ?? 'Event'}>`, end);
}

/**
 * Sets a field unless already set: a repeated name keeps its first value (the
 * event model has one string per name). Own-property checks so that names such as
 * `constructor` or `__proto__` are ordinary fields.
 */
export function setField(data: Record<string, string>, name: string, value: string): void {
  if (Object.hasOwn(data, name)) return;
  if (name === '__proto__') Object.defineProperty(data, name, { value, enumerable: true, writable: true, configurable: true });
  else data[name] = value;
}

function attrValue(attrs: readonly string[], n: number, name: string): string | undefined {
  for (let k = 0; k < n; k += 2) if (attrs[k] === name) return attrs[k + 1];
  return undefined;
}

function openSystemField(sys: Partial<Mutable<WinSystem>>, name: string, attrs: readonly string[], na: number): void {
  switch (name) {
    case 'Provider': {
      const n = attrValue(attrs, na, 'Name');
      if (n !== undefined) sys.provider = n;
      const g = attrValue(attrs, na, 'Guid');
      if (g !== undefined && g !== '') sys.providerGuid = g;
      break;
    }
    case 'TimeCreated': {
      const t = attrValue(attrs, na, 'SystemTime');
      if (t !== undefined) sys.timeCreated = t;
      break;
    }
    case 'Execution': {
      const p = toInt(attrValue(attrs, na, 'ProcessID'));
      if (p !== undefined) sys.processId = p;
      const t = toInt(attrValue(attrs, na, 'ThreadID'));
      if (t !== undefined) sys.threadId = t;
      break;
    }
    case 'Security': {
      // Sysmon for Linux writes `UserId`.
      const u = attrValue(attrs, na, 'UserID') ?? attrValue(attrs, na, 'UserId');
      if (u !== undefined && u !== '') sys.userId = u;
      break;
    }
  }
}

function closeSystemField(
  sys: Partial<Mutable<WinSystem>>,
  name: string,
  text: string,
  setEventId: (t: string) => void,
): void {
  switch (name) {
    case 'EventID':
      setEventId(text);
      break;
    case 'Version':
      setInt(sys, 'version', text);
      break;
    case 'Level':
      setInt(sys, 'level', text);
      break;
    case 'Task':
      setInt(sys, 'task', text);
      break;
    case 'Opcode':
      setInt(sys, 'opcode', text);
      break;
    case 'EventRecordID':
      setInt(sys, 'recordId', text);
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
}

type IntKey = 'version' | 'level' | 'task' | 'opcode' | 'recordId' | 'processId' | 'threadId';
function setInt(sys: Partial<Mutable<WinSystem>>, key: IntKey, text: string): void {
  const n = toInt(text);
  if (n !== undefined) sys[key] = n;
}

function finish(
  sys: Partial<Mutable<WinSystem>>,
  eventIdText: string | undefined,
  sawSystem: boolean,
  data: Record<string, string>,
  end: number,
  start: number,
): EventParseResult {
  if (!sawSystem) return fail(READ_CODES.badEvent, 'event has no <System>', start);
  const eventId = toInt(eventIdText);
  if (eventId === undefined) return fail(READ_CODES.badEvent, 'event has no numeric <EventID>', start);
  return { ok: true, system: buildSystem(sys, eventId), data, end };
}

/** Fills the required `WinSystem` fields, keeping optional ones only when present (exactOptionalPropertyTypes). */
export function buildSystem(sys: Partial<Mutable<WinSystem>>, eventId: number): WinSystem {
  const out: Mutable<WinSystem> = {
    provider: sys.provider ?? '',
    eventId,
    timeCreated: sys.timeCreated ?? '',
    channel: sys.channel ?? '',
    computer: sys.computer ?? '',
  };
  if (sys.providerGuid !== undefined) out.providerGuid = sys.providerGuid;
  if (sys.version !== undefined) out.version = sys.version;
  if (sys.level !== undefined) out.level = sys.level;
  if (sys.task !== undefined) out.task = sys.task;
  if (sys.opcode !== undefined) out.opcode = sys.opcode;
  if (sys.keywords !== undefined) out.keywords = sys.keywords;
  if (sys.recordId !== undefined) out.recordId = sys.recordId;
  if (sys.processId !== undefined) out.processId = sys.processId;
  if (sys.threadId !== undefined) out.threadId = sys.threadId;
  if (sys.userId !== undefined) out.userId = sys.userId;
  return out;
}
