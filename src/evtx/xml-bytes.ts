/**
 * Full rendering to bytes: each record's `<Event>` as one line of UTF-8 XML,
 * written straight from its compiled template and substitution values into a
 * reused byte buffer, with no string per value and no string per record. What
 * `spelunk dump --format xml` writes for EVTX input.
 *
 * The line is `toXml(root)` (the tree path's text, single-quoted attributes)
 * encoded as UTF-8 (a lone surrogate as U+FFFD, as Node encodes strings), with
 * one difference that keeps one event per line and loses nothing: CR and LF
 * inside values are written as `&#13;` and `&#10;`.
 *
 * A record the byte writer does not handle (anything `instanceOf` refuses, array
 * and BinXML values in element content, arrays in attributes, a value whose size
 * does not fit its type, a record over the node or character limit) is rolled
 * back and goes the string path (`renderCompiled`, else the tree path), which
 * reports what it reports today; `XmlLines.line` then writes that string the
 * same way. `test/evtx/xml-bytes.test.ts` compares both on every record.
 */
import type { ChunkContext } from './binxml.js';
import { instanceOf, VALUES, type CElem, type CNode } from './compiled.js';
import { ARRAY_FLAG, escAttr, scalarText, VALUE_TYPES } from './render.js';

/** UTF-8 XML lines collected in a reused buffer and handed on in blocks of about `highWater` bytes. */
export class XmlLines {
  buf: Uint8Array;
  pos = 0;
  /** Records written (by either path). */
  lines = 0;
  /** Lines in the buffer. */
  private pending = 0;
  constructor(
    /** Receives a block of `count` whole lines, valid only during the call (the buffer is reused: copy what you keep). */
    private readonly flushTo: (bytes: Uint8Array, count: number) => void,
    private readonly highWater = 1 << 19,
    /**
     * CR and LF inside values as they are (the UTF-8 of `toXml`'s text exactly, for a test
     * over the text such as the literal pre-filter's), not as `&#13;` `&#10;` (a line per record).
     */
    readonly rawBreaks = false,
  ) {
    this.buf = new Uint8Array(Math.min(highWater * 2, 1 << 20));
  }

  /** Room for `n` more bytes at `pos` (the buffer may be replaced: re-read `buf`). */
  room(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
      next.set(this.buf.subarray(0, this.pos));
      this.buf = next;
    }
    return this.buf;
  }

  /** Ends the current line; hands the block on when it is full. */
  endLine(): void {
    this.room(1)[this.pos++] = 0x0a;
    this.lines++;
    this.pending++;
    if (this.pos >= this.highWater) this.flush();
  }

  /** Writes `xml` (a line rendered as text elsewhere) as UTF-8, CR and LF as references, and ends the line. */
  line(xml: string): void {
    const s = this.rawBreaks ? xml : lineText(xml);
    this.room(s.length * 3);
    this.pos += ENCODER.encodeInto(s, this.buf.subarray(this.pos)).written;
    this.endLine();
  }

  flush(): void {
    if (this.pos > 0) {
      this.flushTo(this.buf.subarray(0, this.pos), this.pending);
      this.pos = 0;
      this.pending = 0;
    }
  }
}

const ENCODER = new TextEncoder();

/** CR and LF as character references (the only difference from `toXml`'s text). */
function lineText(s: string): string {
  return s.indexOf('\r') < 0 && s.indexOf('\n') < 0 ? s : s.replace(/\r/g, '&#13;').replace(/\n/g, '&#10;');
}

function bytesOf(s: string, rawBreaks = false): Uint8Array {
  return ENCODER.encode(rawBreaks ? s : lineText(s));
}

/* Escapes by ASCII code: 0 none; else the index into ENTITIES. Text escapes & < > CR LF; attributes also ' and ". */
const ENTITIES = ['', '&amp;', '&lt;', '&gt;', '&apos;', '&quot;', '&#13;', '&#10;'].map((e) => Array.from(e, (c) => c.charCodeAt(0)));
const TEXT_ESC = new Uint8Array(128);
const ATTR_ESC = new Uint8Array(128);
for (const [c, k] of [['&', 1], ['<', 2], ['>', 3], ['\r', 6], ['\n', 7]] as const) TEXT_ESC[c.charCodeAt(0)] = ATTR_ESC[c.charCodeAt(0)] = k;
ATTR_ESC["'".charCodeAt(0)] = 4;
ATTR_ESC['"'.charCodeAt(0)] = 5;
/* The same without CR and LF (`rawBreaks`). */
const TEXT_ESC_RAW = TEXT_ESC.slice();
const ATTR_ESC_RAW = ATTR_ESC.slice();
for (const t of [TEXT_ESC_RAW, ATTR_ESC_RAW]) t[13] = t[10] = 0;

/** Upper-case hex digit pairs by byte, as two char codes. */
const HEX_HI = new Uint8Array(256);
const HEX_LO = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  const h = i.toString(16).toUpperCase().padStart(2, '0');
  HEX_HI[i] = h.charCodeAt(0);
  HEX_LO[i] = h.charCodeAt(1);
}

/*
 * The byte form of a compiled template: a linear program. Constant XML (tags,
 * constant attributes and text, whole constant subtrees) is merged into as few
 * pieces as possible (`consts`, each a ready view); what depends on the values is an op:
 *   CONST c            copy consts[c]
 *   OPEN               the element's start tag (ending in `>`) was just written: remember where
 *   CLOSE e f          an element whose content is only values: when nothing was written
 *                      since OPEN, back over its `>` and copy consts[e] (`/>` and the constant
 *                      that follows), else consts[f] (its end tag and the constant that follows)
 *   TEXT i             value i as element text
 *   ATTR c             start an attribute: remember the position, copy its ` name='`
 *   APIECE c           a constant piece of the attribute
 *   AVALUE i optional  value i in the attribute (an optional NULL alone drops the attribute)
 *   AEND               `'`, or nothing and back to where the attribute started
 * Nodes and characters the constant parts count (the tree path's counting) are summed once.
 */
const CONST = 0;
const OPEN = 1;
const CLOSE = 2;
const TEXT = 3;
const ATTR = 4;
const APIECE = 5;
const AVALUE = 6;
const AEND = 7;

interface Program {
  readonly ops: Int32Array;
  readonly consts: readonly Uint8Array[];
  /** Elements and constant texts, and the characters of those texts. */
  readonly nodes: number;
  readonly chars: number;
  /** Deepest nesting of OPENs. */
  readonly depth: number;
}

class ProgramBuilder {
  constructor(private readonly rawBreaks: boolean) {}
  private readonly ops: number[] = [];
  private readonly consts: Uint8Array[] = [];
  nodes = 0;
  chars = 0;
  private depth = 0;
  private open = 0;
  /** Constant text not yet emitted, and the end tag of a CLOSE waiting for it. */
  private pending = '';
  private close: string | undefined;

  private constIndex(text: string): number {
    this.consts.push(bytesOf(text, this.rawBreaks));
    return this.consts.length - 1;
  }

  constant(text: string): void {
    this.pending += text;
  }

  /** Emits the pending constant (into the waiting CLOSE, or as a CONST), then `xs`. */
  op(...xs: number[]): void {
    if (this.close !== undefined) this.ops.push(CLOSE, this.constIndex('/>' + this.pending), this.constIndex(this.close + this.pending));
    else if (this.pending !== '') this.ops.push(CONST, this.constIndex(this.pending));
    this.close = undefined;
    this.pending = '';
    this.ops.push(...xs);
  }

  element(e: CElem): void {
    this.nodes++;
    if (e.fixed !== undefined) {
      this.nodes += e.fixed.nodes - 1;
      this.chars += e.fixed.chars;
      this.constant(e.fixed.xml);
      return;
    }
    if (e.attrs === undefined) this.constant(e.open + e.staticAttrText);
    else {
      this.constant(e.open);
      for (const a of e.attrs) {
        this.op(ATTR, this.constIndex(a.prefix));
        for (const piece of a.pieces) {
          if (typeof piece === 'string') this.op(APIECE, this.constIndex(escAttr(piece)));
          else this.op(AVALUE, piece.index, piece.optional ? 1 : 0);
        }
        this.op(AEND);
      }
    }
    const kids = e.children;
    if (kids.length === 0) {
      this.constant('/>');
      return;
    }
    // Only values inside: empty or not is known when the record is written.
    const onlyValues = kids.every((c) => c.k === 1);
    this.constant('>');
    if (onlyValues) {
      this.op(OPEN);
      this.open++;
      this.depth = Math.max(this.depth, this.open);
    }
    for (const c of kids) {
      if (c.k === 0) {
        this.nodes++;
        this.chars += c.text.length;
        this.constant(c.esc);
      } else if (c.k === 1) this.op(TEXT, c.index);
      else this.element(c);
    }
    if (onlyValues) {
      this.op();
      this.close = e.close;
      this.open--;
    } else this.constant(e.close);
  }

  build(): Program {
    this.op();
    return { ops: Int32Array.from(this.ops), consts: this.consts, nodes: this.nodes, chars: this.chars, depth: this.depth };
  }
}

const programs = [new WeakMap<CElem, Program>(), new WeakMap<CElem, Program>()] as const;

function programOf(root: CElem, rawBreaks: boolean): Program {
  const cache = programs[rawBreaks ? 1 : 0];
  let p = cache.get(root);
  if (p === undefined) {
    const b = new ProgramBuilder(rawBreaks);
    b.element(root);
    cache.set(root, (p = b.build()));
  }
  return p;
}

/** Thrown inside the byte writer: the record goes the string path. */
const FALLBACK = new Error('xml-bytes: string path');

/** Writes one record through the byte form of its compiled template (see the file comment). */
class ByteWriter {
  nodes = 0;
  chars = 0;
  types: Uint8Array = VALUES.types;
  ats: Int32Array = VALUES.ats;
  sizes: Int32Array = VALUES.sizes;
  count = 0;
  maxNodes = 0;
  maxChars = 0;
  b: Uint8Array = new Uint8Array(0);
  reader: ChunkContext['all'] | undefined;
  constructor(readonly out: XmlLines) {}

  private put(src: Uint8Array): void {
    const n = src.length;
    const out = this.out;
    // `set` beats a byte loop from about 8 bytes on, and constants are mostly longer.
    out.room(n).set(src, out.pos);
    out.pos += n;
  }

  private type(i: number): number {
    return i < this.count ? this.types[i]! : -1;
  }

  /** Counts one value of `chars` characters (a node when not empty), as the string path counts it. */
  private counted(chars: number): void {
    if (chars > 0) {
      this.nodes++;
      this.chars += chars;
      if (this.chars > this.maxChars || this.nodes > this.maxNodes) throw FALLBACK;
    }
  }

  /** Value `i` (scalar, not BinXML) escaped for text or attribute; returns its length in characters. */
  private value(i: number, esc: Uint8Array): number {
    const type = this.types[i]!;
    const at = this.ats[i]!;
    const size = this.sizes[i]!;
    const b = this.b;
    switch (type) {
      case VALUE_TYPES.string: {
        let n = size >>> 1;
        while (n > 0 && b[at + 2 * n - 2] === 0 && b[at + 2 * n - 1] === 0) n--;
        this.utf16(b, at, n, esc);
        return n;
      }
      case VALUE_TYPES.ansiString: {
        let n = size;
        while (n > 0 && b[at + n - 1] === 0) n--;
        this.latin1(b, at, n, esc);
        return n;
      }
      case VALUE_TYPES.uint8:
        return size === 1 ? this.decimal(b[at]!) : this.ascii(i);
      case VALUE_TYPES.uint16:
        return size === 2 ? this.decimal(b[at]! | (b[at + 1]! << 8)) : this.ascii(i);
      case VALUE_TYPES.uint32:
        return size === 4 ? this.decimal((b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0) : this.ascii(i);
      case VALUE_TYPES.guid:
        return size === 16 ? this.guid(b, at) : this.ascii(i);
      case VALUE_TYPES.fileTime:
        return size === 8 ? this.fileTime(u32(b, at + 4), u32(b, at), i) : this.ascii(i);
      case VALUE_TYPES.hexInt64:
        return size === 8 ? this.hex(u32(b, at + 4), u32(b, at)) : this.ascii(i);
      case VALUE_TYPES.hexInt32:
        return size === 4 ? this.hex(0, u32(b, at)) : this.ascii(i);
      default:
        return this.ascii(i);
    }
  }

  /** A value through `scalarText` (its text is ASCII and never needs escaping). */
  private ascii(i: number): number {
    const t = scalarText(this.reader!, this.types[i]!, this.ats[i]!, this.sizes[i]!);
    if (t === undefined) throw FALLBACK; // a size that does not fit the type: the string path reports it
    const n = t.length;
    const out = this.out;
    const buf = out.room(n);
    let p = out.pos;
    for (let k = 0; k < n; k++) buf[p++] = t.charCodeAt(k);
    out.pos = p;
    return n;
  }

  private decimal(v: number): number {
    const out = this.out;
    const buf = out.room(10);
    let p = out.pos;
    if (v < 10) {
      buf[p] = 48 + v;
      out.pos = p + 1;
      return 1;
    }
    let digits = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
    let q = p + digits;
    out.pos = q;
    for (let x = v; q > p; ) {
      const d = x % 10;
      buf[--q] = 48 + d;
      x = (x - d) / 10;
    }
    return digits;
  }

  /** `0x` and the lower-case hex of `hi × 2³² + lo`, no padding (as `u64Text(…, 16)`). */
  private hex(hi: number, lo: number): number {
    const out = this.out;
    const buf = out.room(18);
    let p = out.pos;
    buf[p++] = 0x30;
    buf[p++] = 0x78;
    let digits = 8;
    if (hi !== 0) {
      let d = 1;
      while (d < 8 && hi >>> (4 * d) !== 0) d++;
      for (let k = d - 1; k >= 0; k--) buf[p++] = HEX_LOWER[(hi >>> (4 * k)) & 15]!;
      digits += d;
    } else {
      digits = 1;
      while (digits < 8 && lo >>> (4 * digits) !== 0) digits++;
    }
    for (let k = (hi !== 0 ? 8 : digits) - 1; k >= 0; k--) buf[p++] = HEX_LOWER[(lo >>> (4 * k)) & 15]!;
    out.pos = p;
    return digits + 2;
  }

  /* The `YYYY-MM-DDTHH:MM:SS.` of the last FILETIME's second (events come in time order, so most share it). */
  /* `YYYY-MM-DDT` of the last FILETIME's day (events come in time order, so most share it). */
  private ftDay = NaN;
  private readonly ftPrefix = new Uint8Array(16);
  private ftLen = 0;

  /** A FILETIME `hi × 2³² + lo` as `fileTimeToIsoParts` writes it, without a string (value `i` for the rare dates it leaves to it). */
  private fileTime(hi: number, lo: number, i: number): number {
    if (hi >= 0x40000000) return this.ascii(i);
    const rest = hi * 4967296 + lo;
    const frac = rest % 10_000_000;
    const unix = hi * 429 + (rest - frac) / 10_000_000 - 11644473600;
    const days = Math.floor(unix / 86400);
    if (days !== this.ftDay) {
      this.ftLen = isoDatePrefix(days, this.ftPrefix);
      this.ftDay = days;
    }
    const n = this.ftLen + 9;
    const out = this.out;
    const buf = out.room(n + 10);
    let p = out.pos;
    const pre = this.ftPrefix;
    for (let k = 0; k < this.ftLen; k++) buf[p++] = pre[k]!;
    timeOfDay(unix - days * 86400, buf, p);
    p += 9;
    for (let k = 6, f = frac; k >= 0; k--, f = (f - (f % 10)) / 10) buf[p + k] = 48 + (f % 10);
    p += 7;
    buf[p++] = 0x30;
    buf[p++] = 0x30;
    buf[p++] = 0x5a; // Z
    out.pos = p;
    return n + 10;
  }

  private guid(b: Uint8Array, at: number): number {
    const buf = this.out.room(38);
    let p = this.out.pos;
    buf[p++] = 0x7b; // {
    for (const k of GUID_ORDER) {
      if (k < 0) buf[p++] = 0x2d; // -
      else {
        const x = b[at + k]!;
        buf[p++] = HEX_HI[x]!;
        buf[p++] = HEX_LO[x]!;
      }
    }
    buf[p++] = 0x7d; // }
    this.out.pos = p;
    return 38;
  }

  /** `n` UTF-16LE units at `at` as escaped UTF-8 (a lone surrogate as U+FFFD). */
  private utf16(b: Uint8Array, at: number, n: number, esc: Uint8Array): void {
    const out = this.out;
    const buf = out.room(n * 6);
    let p = out.pos;
    const end = at + 2 * n;
    for (let i = at; i < end; i += 2) {
      const u = b[i]! | (b[i + 1]! << 8);
      // Letters, digits' neighbours above '>' and the rest of ASCII need no escape (all escapes are below 0x3f).
      if (u > 0x3e && u < 0x80) buf[p++] = u;
      else if (u < 0x80) {
        const e = esc[u]!;
        if (e === 0) buf[p++] = u;
        else {
          const ent = ENTITIES[e]!;
          for (let k = 0; k < ent.length; k++) buf[p++] = ent[k]!;
        }
      } else if (u < 0x800) {
        buf[p++] = 0xc0 | (u >> 6);
        buf[p++] = 0x80 | (u & 0x3f);
      } else if (u < 0xd800 || u > 0xdfff) {
        buf[p++] = 0xe0 | (u >> 12);
        buf[p++] = 0x80 | ((u >> 6) & 0x3f);
        buf[p++] = 0x80 | (u & 0x3f);
      } else {
        const u2 = i + 2 < end ? b[i + 2]! | (b[i + 3]! << 8) : 0;
        if (u <= 0xdbff && u2 >= 0xdc00 && u2 <= 0xdfff) {
          const cp = 0x10000 + ((u - 0xd800) << 10) + (u2 - 0xdc00);
          buf[p++] = 0xf0 | (cp >> 18);
          buf[p++] = 0x80 | ((cp >> 12) & 0x3f);
          buf[p++] = 0x80 | ((cp >> 6) & 0x3f);
          buf[p++] = 0x80 | (cp & 0x3f);
          i += 2;
        } else {
          buf[p++] = 0xef;
          buf[p++] = 0xbf;
          buf[p++] = 0xbd;
        }
      }
    }
    out.pos = p;
  }

  /** `n` Latin-1 bytes as escaped UTF-8. */
  private latin1(b: Uint8Array, at: number, n: number, esc: Uint8Array): void {
    const out = this.out;
    const buf = out.room(n * 6);
    let p = out.pos;
    for (let i = at; i < at + n; i++) {
      const u = b[i]!;
      if (u < 0x80) {
        const e = esc[u]!;
        if (e === 0) buf[p++] = u;
        else {
          const ent = ENTITIES[e]!;
          for (let k = 0; k < ent.length; k++) buf[p++] = ent[k]!;
        }
      } else {
        buf[p++] = 0xc0 | (u >> 6);
        buf[p++] = 0x80 | (u & 0x3f);
      }
    }
    out.pos = p;
  }

  /** Runs a template's program (see `Program`). */
  run(prog: Program): void {
    const ops = prog.ops;
    const consts = prog.consts;
    const out = this.out;
    const textEsc = out.rawBreaks ? TEXT_ESC_RAW : TEXT_ESC;
    const attrEsc = out.rawBreaks ? ATTR_ESC_RAW : ATTR_ESC;
    const marks = this.marks.length >= prog.depth ? this.marks : (this.marks = new Int32Array(prog.depth * 2));
    let open = 0;
    let attrStart = 0;
    let present = false;
    this.nodes = prog.nodes;
    this.chars = prog.chars;
    for (let pc = 0; pc < ops.length; ) {
      switch (ops[pc]!) {
        case CONST:
          this.put(consts[ops[pc + 1]!]!);
          pc += 2;
          break;
        case OPEN:
          marks[open++] = out.pos - 1;
          pc += 1;
          break;
        case CLOSE: {
          const mark = marks[--open]!;
          if (out.pos === mark + 1) {
            out.pos = mark;
            this.put(consts[ops[pc + 1]!]!);
          } else this.put(consts[ops[pc + 2]!]!);
          pc += 3;
          break;
        }
        case TEXT: {
          const i = ops[pc + 1]!;
          const type = this.type(i);
          if (type > VALUE_TYPES.null) {
            // An array value would repeat its element, a BinXML value is a tree: the string path.
            if (type === VALUE_TYPES.binXml || (type & ARRAY_FLAG) !== 0) throw FALLBACK;
            this.counted(this.value(i, textEsc));
          }
          pc += 2;
          break;
        }
        case ATTR:
          attrStart = out.pos;
          // An attribute with no pieces at all is present (`name=''`).
          present = ops[pc + 2] === AEND;
          this.put(consts[ops[pc + 1]!]!);
          pc += 2;
          break;
        case APIECE:
          this.put(consts[ops[pc + 1]!]!);
          present = true;
          pc += 2;
          break;
        case AVALUE: {
          const i = ops[pc + 1]!;
          const type = this.type(i);
          // An optional substitution with no value removes the attribute (`<Security/>` without UserID).
          if (type <= VALUE_TYPES.null) {
            if (ops[pc + 2] === 0) present = true;
          } else {
            present = true;
            if ((type & ARRAY_FLAG) !== 0) throw FALLBACK;
            if (type !== VALUE_TYPES.binXml) this.value(i, attrEsc);
          }
          pc += 3;
          break;
        }
        default: // AEND
          if (present) this.put(QUOTE);
          else out.pos = attrStart;
          pc += 1;
      }
    }
  }

  private marks = new Int32Array(16);
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

const HEX_LOWER = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/**
 * Writes `YYYY-MM-DDTHH:MM:SS.` of `unix` seconds (UTC, years 1601–30827) into `out`
 * and returns its length: the proleptic Gregorian date from the day count (H. Hinnant's
 * `civil_from_days`), as `Date`'s UTC fields give it.
 * @example isoSecondsPrefix(0, buf) === 20 // 1970-01-01T00:00:00.
 */
export function isoSecondsPrefix(unix: number, out: Uint8Array): number {
  const days = Math.floor(unix / 86400);
  const p = isoDatePrefix(days, out);
  timeOfDay(unix - days * 86400, out, p);
  return p + 9;
}

/** `YYYY-MM-DDT` of day `days` since 1970-01-01 into `out`; returns its length. */
function isoDatePrefix(days: number, out: Uint8Array): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const digits = year >= 10000 ? 5 : 4;
  for (let k = digits - 1, y = year; k >= 0; k--, y = Math.floor(y / 10)) out[k] = 48 + (y % 10);
  let p = digits;
  out[p++] = 0x2d;
  out[p++] = 48 + Math.floor(month / 10);
  out[p++] = 48 + (month % 10);
  out[p++] = 0x2d;
  out[p++] = 48 + Math.floor(day / 10);
  out[p++] = 48 + (day % 10);
  out[p++] = 0x54; // T
  return p;
}

/** `HH:MM:SS.` of `sod` seconds into the day, at `out[p]` (9 bytes). */
function timeOfDay(sod: number, out: Uint8Array, p: number): void {
  const h = Math.floor(sod / 3600);
  sod -= h * 3600;
  const mi = Math.floor(sod / 60);
  const sec = sod - mi * 60;
  out[p] = 48 + Math.floor(h / 10);
  out[p + 1] = 48 + (h % 10);
  out[p + 2] = 0x3a;
  out[p + 3] = 48 + Math.floor(mi / 10);
  out[p + 4] = 48 + (mi % 10);
  out[p + 5] = 0x3a;
  out[p + 6] = 48 + Math.floor(sec / 10);
  out[p + 7] = 48 + (sec % 10);
  out[p + 8] = 0x2e;
}

/** GUID bytes in Windows' text order; -1 is a dash. */
const GUID_ORDER = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15];
const QUOTE = bytesOf("'");
const EMPTY_END = bytesOf('/>');

const writers = new WeakMap<XmlLines, ByteWriter>();

/**
 * Writes the record BinXML at `[start, end)` of `ctx` as one XML line into `out`
 * (line end included); false, with nothing written, when the record must go the
 * string path.
 */
export function writeXmlLine(ctx: ChunkContext, start: number, end: number, out: XmlLines): boolean {
  const mark = out.pos;
  try {
    const compiled = instanceOf(ctx, start, end);
    if (compiled === undefined) return false;
    let w = writers.get(out);
    if (w === undefined) writers.set(out, (w = new ByteWriter(out)));
    w.nodes = 0;
    w.chars = 0;
    w.types = VALUES.types;
    w.ats = VALUES.ats;
    w.sizes = VALUES.sizes;
    w.count = VALUES.count;
    w.maxNodes = ctx.maxNodes;
    w.maxChars = ctx.maxChars;
    w.b = ctx.bytes;
    w.reader = ctx.all;
    w.run(programOf(compiled.root, out.rawBreaks));
    if (w.nodes > w.maxNodes || w.chars > w.maxChars) throw FALLBACK;
  } catch {
    out.pos = mark;
    return false;
  }
  out.endLine();
  return true;
}
