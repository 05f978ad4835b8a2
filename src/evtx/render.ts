/**
 * Rendering of BinXML values as Windows renders them in event XML, so an event
 * read from EVTX gives the same strings as the same event rendered by the Event
 * Log service (Event Viewer, wevtutil, Splunk XmlWinEventLog):
 *
 * - GUID `{5770385F-C22A-43E0-BF4C-06F5698FFBD9}` (upper case, braces)
 * - HexInt32/HexInt64 (and SizeT) `0x` + lower-case hex, no padding: `0xf84`, `0x8000000000000000`
 * - SID `S-1-5-18`; FILETIME `2020-10-08T11:03:46.617920300Z` (9 fractional digits:
 *   the 7 digits FILETIME holds + `00`, as current Windows and Splunk render SystemTime)
 * - booleans `true`/`false`; binary as upper-case hex; integers in decimal
 *
 * Also the XML text of a rendered tree (single-quoted attributes, as Splunk's
 * XmlWinEventLog lines), used as an EVTX event's `raw`.
 */
import { ByteReader, hexOf } from './bytes.js';

/** BinXML value types (the low 7 bits; 0x80 marks an array). */
export const VALUE_TYPES = {
  null: 0x00,
  string: 0x01,
  ansiString: 0x02,
  int8: 0x03,
  uint8: 0x04,
  int16: 0x05,
  uint16: 0x06,
  int32: 0x07,
  uint32: 0x08,
  int64: 0x09,
  uint64: 0x0a,
  real32: 0x0b,
  real64: 0x0c,
  bool: 0x0d,
  binary: 0x0e,
  guid: 0x0f,
  sizeT: 0x10,
  fileTime: 0x11,
  sysTime: 0x12,
  sid: 0x13,
  hexInt32: 0x14,
  hexInt64: 0x15,
  evtHandle: 0x20,
  binXml: 0x21,
  evtXml: 0x23,
} as const;
export const ARRAY_FLAG = 0x80;

/** Element size of fixed-size types (for arrays and size checks); undefined = variable. */
const FIXED_SIZE: Readonly<Record<number, number>> = {
  0x03: 1, 0x04: 1, 0x05: 2, 0x06: 2, 0x07: 4, 0x08: 4, 0x09: 8, 0x0a: 8, 0x0b: 4, 0x0c: 8,
  0x0d: 4, 0x0f: 16, 0x11: 8, 0x12: 16, 0x14: 4, 0x15: 8,
};

const FILETIME_UNIX_OFFSET_S = 11644473600n;

function pad(n: number, w: number): string {
  const s = String(n);
  return s.length >= w ? s : '0'.repeat(w - s.length) + s;
}

function isoOf(ms: number, fraction9: string): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '';
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${fraction9}Z`
  );
}

/** FILETIME (100 ns ticks since 1601) as `YYYY-MM-DDTHH:MM:SS.fffffff00Z`. @example fileTimeToIso(132466226266179203n) */
export function fileTimeToIso(ticks: bigint): string {
  if (ticks >= 0n && ticks < 0x4000000000000000n) return fileTimeToIsoParts(Number(ticks >> 32n), Number(ticks & 0xffffffffn));
  const secs = ticks / 10_000_000n;
  const frac = Number(ticks % 10_000_000n);
  return isoOf(Number(secs - FILETIME_UNIX_OFFSET_S) * 1000, pad(frac, 7) + '00');
}

/** Seconds part (`YYYY-MM-DDTHH:MM:SS.`) of the last FILETIME rendered: events come in time order, so most share it. */
let lastSecs = NaN;
let lastPrefix = '';

/**
 * `fileTimeToIso` of the FILETIME `hi × 2³² + lo`, without BigInt for `hi < 2³⁰`
 * (every date before year 30 000): ticks = hi·429·10⁷ + (hi·4 967 296 + lo), and
 * the second term stays below 2⁵³.
 */
export function fileTimeToIsoParts(hi: number, lo: number): string {
  if (hi >= 0x40000000) return fileTimeToIso((BigInt(hi) << 32n) | BigInt(lo));
  const rest = hi * 4967296 + lo;
  const frac = rest % 10_000_000;
  const secs = hi * 429 + (rest - frac) / 10_000_000;
  if (secs !== lastSecs) {
    const full = isoOf((secs - 11644473600) * 1000, '');
    lastPrefix = full.slice(0, -1);
    lastSecs = secs;
  }
  return lastPrefix === '' ? '' : lastPrefix + pad7(frac) + '00Z';
}

function pad7(n: number): string {
  const s = String(n);
  return s.length >= 7 ? s : '0000000'.slice(s.length) + s;
}

/** ISO 8601 UTC (as `fileTimeToIso` writes, or with fewer/more fraction digits) to FILETIME ticks. */
export function isoToFileTime(iso: string): bigint | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/.exec(iso);
  if (m === null) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  const frac = BigInt(((m[7] ?? '') + '0000000').slice(0, 7));
  return (BigInt(ms / 1000) + FILETIME_UNIX_OFFSET_S) * 10_000_000n + frac;
}

function sysTimeAt(r: ByteReader, at: number): string {
  const y = r.u16At(at);
  const mo = r.u16At(at + 2);
  const d = r.u16At(at + 6);
  const h = r.u16At(at + 8);
  const mi = r.u16At(at + 10);
  const s = r.u16At(at + 12);
  const ms = r.u16At(at + 14);
  return `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}000000Z`;
}

/** Bytes a SID at `at` occupies (8 + 4 × sub-authority count). */
function sidSize(r: ByteReader, at: number): number {
  return 8 + 4 * r.u8At(at + 1);
}

function sidAt(r: ByteReader, at: number): string {
  const rev = r.u8At(at);
  const n = r.u8At(at + 1);
  r.check(at, 8 + 4 * n);
  let auth = 0;
  for (let i = 2; i < 8; i++) auth = auth * 256 + r.u8At(at + i);
  // Windows writes an authority of 2^32 or more in hex.
  let s = `S-${rev}-${auth >= 2 ** 32 ? '0x' + r.hexAt(at + 2, 6) : String(auth)}`;
  for (let i = 0; i < n; i++) s += '-' + String(r.u32At(at + 8 + 4 * i));
  return s;
}

function real32(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  for (let p = 1; p <= 9; p++) {
    const t = Number(v.toPrecision(p));
    if (Math.fround(t) === v) return String(t);
  }
  return String(v);
}

function stripNuls(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 0) e--;
  return e === s.length ? s : s.slice(0, e);
}

function latin1(r: ByteReader, at: number, size: number): string {
  r.check(at, size);
  let s = '';
  for (let i = 0; i < size; i++) s += String.fromCharCode(r.bytes[at + i]!);
  return s;
}

/** A uint64 in decimal or hex, through a Number when exact (below 2⁵³). */
function u64Text(r: ByteReader, at: number, radix: number): string {
  const hi = r.u32At(at + 4);
  return hi < 0x200000 ? (hi * 4294967296 + r.u32At(at)).toString(radix) : r.u64At(at).toString(radix);
}

/** One value of scalar type `type` (no array flag) occupying `[at, at + size)`. */
function scalar(r: ByteReader, type: number, at: number, size: number): string {
  r.check(at, size);
  switch (type) {
    case 0x00:
      return '';
    case 0x01: {
      // Trailing NULs dropped before decoding (each zero unit decodes to one U+0000): no slice afterwards.
      const b = r.bytes;
      let n = size >>> 1;
      while (n > 0 && b[at + 2 * n - 2] === 0 && b[at + 2 * n - 1] === 0) n--;
      return r.utf16At(at, n);
    }
    case 0x02:
      return stripNuls(latin1(r, at, size));
    case 0x03:
      return String((r.u8At(at) << 24) >> 24);
    case 0x04:
      return String(r.u8At(at));
    case 0x05:
      return String(r.i16At(at));
    case 0x06:
      return String(r.u16At(at));
    case 0x07:
      return String(r.i32At(at));
    case 0x08:
      return String(r.u32At(at));
    case 0x09: {
      const hi = r.i32At(at + 4);
      return hi >= -0x200000 && hi < 0x200000 ? String(hi * 4294967296 + r.u32At(at)) : String(r.i64At(at));
    }
    case 0x0a:
      return u64Text(r, at, 10);
    case 0x0b:
      return real32(r.f32At(at));
    case 0x0c:
      return String(r.f64At(at));
    case 0x0d:
      return (size >= 4 ? r.u32At(at) : size >= 1 ? r.u8At(at) : 0) !== 0 ? 'true' : 'false';
    case 0x0f:
      return r.guidAt(at);
    case 0x10:
      return size === 8 ? '0x' + u64Text(r, at, 16) : '0x' + r.u32At(at).toString(16);
    case 0x11:
      return fileTimeToIsoParts(r.u32At(at + 4), r.u32At(at));
    case 0x12:
      return sysTimeAt(r, at);
    case 0x13:
      return sidAt(r, at);
    case 0x14:
      return '0x' + r.u32At(at).toString(16);
    case 0x15:
      return '0x' + u64Text(r, at, 16);
    default:
      // Binary, EvtHandle, EvtXml, BinXML out of element content, and unknown types.
      return hexOf(r.bytes, at, at + size);
  }
}

export interface RenderedValue {
  /** The rendered text (for arrays: the items joined by a space — used where one string is needed). */
  readonly text: string;
  /** Array items, when the value is an array type. */
  readonly items?: readonly string[];
  /** A size that does not fit the type: the value was rendered as hex. */
  readonly problem?: string;
}

/**
 * Renders the value of `type` stored at `[at, at + size)` in `r`.
 * @example renderValue(r, 0x14, at, 4).text === '0xf84'
 */
export function renderValue(r: ByteReader, type: number, at: number, size: number): RenderedValue {
  r.check(at, size);
  const base = type & 0x7f;
  if ((type & ARRAY_FLAG) !== 0) return renderArray(r, base, at, size);
  const fixed = FIXED_SIZE[base];
  if (fixed !== undefined && size !== fixed && !(base === 0x0d && size >= 1)) {
    return { text: hexOf(r.bytes, at, at + size), problem: `value of type 0x${type.toString(16)} has size ${size}, expected ${fixed}` };
  }
  if (base === 0x10 && size !== 4 && size !== 8) {
    return { text: hexOf(r.bytes, at, at + size), problem: `SizeT value has size ${size}` };
  }
  if (base === 0x13 && (size < 8 || sidSize(r, at) !== size)) {
    return { text: hexOf(r.bytes, at, at + size), problem: `SID value of size ${size} is malformed` };
  }
  return { text: scalar(r, base, at, size) };
}

/** Size of fixed-size types by type (0: variable), for the fast path. */
const FIXED = ((): Uint8Array => {
  const t = new Uint8Array(128);
  for (const [k, v] of Object.entries(FIXED_SIZE)) t[Number(k)] = v;
  return t;
})();

/**
 * `renderValue(...).text` of a non-array value that renders without a problem, with
 * no object allocated; undefined for arrays and for values `renderValue` reports.
 */
export function scalarText(r: ByteReader, type: number, at: number, size: number): string | undefined {
  if (type > 0x7f) return undefined;
  const fixed = FIXED[type]!;
  if (fixed !== 0 ? size !== fixed && !(type === 0x0d && size >= 1) : (type === 0x10 && size !== 4 && size !== 8) || (type === 0x13 && (size < 8 || sidSize(r, at) !== size))) {
    return undefined;
  }
  return scalar(r, type, at, size);
}

function renderArray(r: ByteReader, base: number, at: number, size: number): RenderedValue {
  const items: string[] = [];
  const end = at + size;
  if (base === 0x01 || base === 0x02) {
    // NUL-separated strings.
    const unit = base === 0x01 ? 2 : 1;
    let start = at;
    for (let i = at; i + unit <= end; i += unit) {
      const zero = unit === 2 ? r.u16At(i) === 0 : r.u8At(i) === 0;
      if (zero) {
        items.push(scalar(r, base, start, i - start));
        start = i + unit;
      }
    }
    if (start + unit <= end) items.push(scalar(r, base, start, end - start - ((end - start) % unit)));
  } else if (base === 0x13) {
    let p = at;
    while (p + 8 <= end) {
      const n = sidSize(r, p);
      if (p + n > end) return { text: hexOf(r.bytes, at, end), problem: 'SID array is malformed' };
      items.push(sidAt(r, p));
      p += n;
    }
  } else {
    const w = base === 0x10 ? 8 : FIXED_SIZE[base];
    if (w === undefined || size % w !== 0) {
      return { text: hexOf(r.bytes, at, end), problem: `array of type 0x${(base | ARRAY_FLAG).toString(16)} and size ${size} is not supported` };
    }
    for (let p = at; p < end; p += w) items.push(scalar(r, base, p, w));
  }
  return { text: items.join(' '), items };
}

/* ---------------------------------------------------------------- XML text */

/** A rendered element: what the Event Log service would print as XML. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: readonly XmlAttr[];
  readonly children: readonly XmlNode[];
}
export interface XmlAttr {
  readonly name: string;
  readonly value: string;
}
export type XmlNode = XmlElement | string;

/** `s` escaped as XML element text. */
export function escText(s: string): string {
  return /[&<>]/.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : s;
}
/** `s` escaped as a single-quoted XML attribute value. */
export function escAttr(s: string): string {
  return /[&<>'"]/.test(s)
    ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;')
    : s;
}

/**
 * One-line XML text of a rendered element, single-quoted attributes.
 * @example toXml({ name: 'EventID', attrs: [], children: ['1'] }) === '<EventID>1</EventID>'
 */
export function toXml(e: XmlElement): string {
  let s = '<' + e.name;
  const attrs = e.attrs;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i]!;
    s += ' ' + a.name + "='" + escAttr(a.value) + "'";
  }
  const ch = e.children;
  if (ch.length === 0) return s + '/>';
  s += '>';
  for (let i = 0; i < ch.length; i++) {
    const c = ch[i]!;
    s += typeof c === 'string' ? escText(c) : toXml(c);
  }
  return s + '</' + e.name + '>';
}
