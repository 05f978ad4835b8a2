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
  constructor(
    /** Receives a block of whole lines; the block is the receiver's (a copy). */
    private readonly flushTo: (bytes: Uint8Array) => void,
    private readonly highWater = 1 << 19,
  ) {
    this.buf = new Uint8Array(highWater * 2);
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
    if (this.pos >= this.highWater) this.flush();
  }

  /** Writes `xml` (a line rendered as text elsewhere) as UTF-8, CR and LF as references, and ends the line. */
  line(xml: string): void {
    const s = lineText(xml);
    this.room(s.length * 3);
    this.pos += ENCODER.encodeInto(s, this.buf.subarray(this.pos)).written;
    this.endLine();
  }

  flush(): void {
    if (this.pos > 0) {
      this.flushTo(this.buf.slice(0, this.pos));
      this.pos = 0;
    }
  }
}

const ENCODER = new TextEncoder();

/** CR and LF as character references (the only difference from `toXml`'s text). */
function lineText(s: string): string {
  return s.indexOf('\r') < 0 && s.indexOf('\n') < 0 ? s : s.replace(/\r/g, '&#13;').replace(/\n/g, '&#10;');
}

function bytesOf(s: string): Uint8Array {
  return ENCODER.encode(lineText(s));
}

/* Escapes by ASCII code: 0 none; else the index into ENTITIES. Text escapes & < > CR LF; attributes also ' and ". */
const ENTITIES = ['', '&amp;', '&lt;', '&gt;', '&apos;', '&quot;', '&#13;', '&#10;'].map((e) => Array.from(e, (c) => c.charCodeAt(0)));
const TEXT_ESC = new Uint8Array(128);
const ATTR_ESC = new Uint8Array(128);
for (const [c, k] of [['&', 1], ['<', 2], ['>', 3], ['\r', 6], ['\n', 7]] as const) TEXT_ESC[c.charCodeAt(0)] = ATTR_ESC[c.charCodeAt(0)] = k;
ATTR_ESC["'".charCodeAt(0)] = 4;
ATTR_ESC['"'.charCodeAt(0)] = 5;

/** Upper-case hex digit pairs by byte, as two char codes. */
const HEX_HI = new Uint8Array(256);
const HEX_LO = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  const h = i.toString(16).toUpperCase().padStart(2, '0');
  HEX_HI[i] = h.charCodeAt(0);
  HEX_LO[i] = h.charCodeAt(1);
}

/* The byte form of a compiled element (cached per `CElem`). */
interface BAttr {
  /** ` name='` */
  readonly prefix: Uint8Array;
  /** Constant pieces (escaped for an attribute) and substitutions (with their `optional` flag). */
  readonly pieces: readonly (Uint8Array | { readonly index: number; readonly optional: boolean })[];
}
interface BElem {
  readonly k: 2;
  /** `<name` plus its constant attributes (when all are constant). */
  readonly head: Uint8Array;
  /** `</name>` */
  readonly close: Uint8Array;
  readonly attrs: readonly BAttr[] | undefined;
  readonly children: readonly BNode[];
  readonly substs: readonly number[];
  readonly fixed: { readonly bytes: Uint8Array; readonly nodes: number; readonly chars: number } | undefined;
}
interface BText {
  readonly k: 0;
  readonly bytes: Uint8Array;
  readonly chars: number;
}
interface BSubst {
  readonly k: 1;
  readonly index: number;
}
type BNode = BText | BSubst | BElem;

const byteForms = new WeakMap<CElem, BElem>();

function byteForm(e: CElem): BElem {
  let b = byteForms.get(e);
  if (b === undefined) {
    b = {
      k: 2,
      head: bytesOf(e.open + e.staticAttrText),
      close: bytesOf(e.close),
      attrs: e.attrs?.map((a) => ({
        prefix: bytesOf(a.prefix),
        pieces: a.pieces.map((p) => (typeof p === 'string' ? bytesOf(escAttr(p)) : { index: p.index, optional: p.optional })),
      })),
      children: e.children.map((c: CNode): BNode => (c.k === 0 ? { k: 0, bytes: bytesOf(c.esc), chars: c.text.length } : c.k === 1 ? c : byteForm(c))),
      substs: e.substs.map((s) => s.index),
      fixed: e.fixed === undefined ? undefined : { bytes: bytesOf(e.fixed.xml), nodes: e.fixed.nodes, chars: e.fixed.chars },
    };
    byteForms.set(e, b);
  }
  return b;
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
    const buf = out.room(n);
    let p = out.pos;
    if (n < 24) for (let i = 0; i < n; i++) buf[p++] = src[i]!;
    else {
      buf.set(src, p);
      p += n;
    }
    out.pos = p;
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
      if (u < 0x80) {
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

  element(e: BElem): void {
    const out = this.out;
    const fixed = e.fixed;
    if (fixed !== undefined) {
      this.nodes += fixed.nodes;
      this.chars += fixed.chars;
      this.put(fixed.bytes);
      return;
    }
    // A direct array substitution would repeat the element: the string path.
    const substs = e.substs;
    for (let i = 0; i < substs.length; i++) {
      const type = this.type(substs[i]!);
      if (type >= 0 && (type & ARRAY_FLAG) !== 0 && (type & 0x7f) !== VALUE_TYPES.binXml) throw FALLBACK;
    }
    this.put(e.head);
    const attrs = e.attrs;
    if (attrs !== undefined) {
      for (let i = 0; i < attrs.length; i++) {
        const a = attrs[i]!;
        const start = out.pos;
        this.put(a.prefix);
        const pieces = a.pieces;
        let present = pieces.length === 0;
        for (let j = 0; j < pieces.length; j++) {
          const piece = pieces[j]!;
          if (piece instanceof Uint8Array) {
            this.put(piece);
            present = true;
            continue;
          }
          const type = this.type(piece.index);
          // An optional substitution with no value removes the attribute (`<Security/>` without UserID).
          if (type <= VALUE_TYPES.null) {
            if (!piece.optional) present = true;
            continue;
          }
          present = true;
          if ((type & 0x7f) === VALUE_TYPES.binXml) continue;
          if ((type & ARRAY_FLAG) !== 0) throw FALLBACK;
          this.value(piece.index, ATTR_ESC);
        }
        if (present) this.put(QUOTE);
        else out.pos = start;
      }
    }
    const mark = out.pos;
    this.put(GT);
    this.nodes++;
    const kids = e.children;
    for (let k = 0; k < kids.length; k++) {
      const c = kids[k]!;
      if (c.k === 0) {
        this.nodes++;
        this.chars += c.chars;
        this.put(c.bytes);
      } else if (c.k === 2) {
        this.element(c);
      } else {
        const type = this.type(c.index);
        if (type <= VALUE_TYPES.null) continue;
        if (type === VALUE_TYPES.binXml || (type & ARRAY_FLAG) !== 0) throw FALLBACK;
        this.counted(this.value(c.index, TEXT_ESC));
      }
    }
    if (this.nodes > this.maxNodes || this.chars > this.maxChars) throw FALLBACK;
    if (out.pos === mark + 1) {
      out.pos = mark;
      this.put(EMPTY_END);
    } else this.put(e.close);
  }
}

/** GUID bytes in Windows' text order; -1 is a dash. */
const GUID_ORDER = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15];
const QUOTE = bytesOf("'");
const GT = bytesOf('>');
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
    const inst = instanceOf(ctx, start, end);
    if (inst === undefined) return false;
    let w = writers.get(out);
    if (w === undefined) writers.set(out, (w = new ByteWriter(out)));
    w.nodes = 0;
    w.chars = 0;
    w.types = VALUES.types;
    w.ats = VALUES.ats;
    w.sizes = VALUES.sizes;
    w.count = inst.count;
    w.maxNodes = ctx.maxNodes;
    w.maxChars = ctx.maxChars;
    w.b = ctx.bytes;
    w.reader = ctx.all;
    w.element(byteForm(inst.compiled.root));
  } catch {
    out.pos = mark;
    return false;
  }
  out.endLine();
  return true;
}
