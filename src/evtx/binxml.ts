/**
 * Binary XML (BinXML) as EVTX chunks store it: a token stream parsed into a small
 * template tree (elements, attributes, text, substitutions, template instances),
 * then instantiated with the record's substitution values into a rendered
 * `XmlElement` tree.
 *
 * Names and template definitions are referenced by offsets relative to the chunk
 * start and stored inline the first time they are used; both are read from the
 * chunk bytes at their offset and cached per chunk (`ChunkContext`), so a record
 * whose template was defined by a damaged earlier record still renders.
 *
 * Limits (options): element nesting depth, nested BinXML (0x21 values and
 * template instances) depth, and rendered nodes per record. Every violation and
 * every malformed structure is an `EvtxError` with the chunk-relative offset.
 */
import { ByteReader } from './bytes.js';
import { EVTX_CODES, EvtxError } from './errors.js';
import { ARRAY_FLAG, renderValue, scalarText, VALUE_TYPES, type XmlAttr, type XmlElement, type XmlNode } from './render.js';

export const TOKENS = {
  eof: 0x00,
  openStartElement: 0x01,
  closeStartElement: 0x02,
  closeEmptyElement: 0x03,
  endElement: 0x04,
  value: 0x05,
  attribute: 0x06,
  cdata: 0x07,
  charRef: 0x08,
  entityRef: 0x09,
  piTarget: 0x0a,
  piData: 0x0b,
  templateInstance: 0x0c,
  normalSubstitution: 0x0d,
  optionalSubstitution: 0x0e,
  fragmentHeader: 0x0f,
} as const;
/** Flag on open-start-element (has attributes), attribute (more follow), value, CDATA, char/entity ref (more data follows). */
export const MORE_FLAG = 0x40;

/* --------------------------------------------------------------- the tree */

export type TNode = TElement | TText | TSubst | TInstance;
export interface TElement {
  readonly kind: 'element';
  readonly name: string;
  readonly attrs: readonly TAttr[];
  readonly children: readonly TNode[];
  /** The children that are substitutions (an array value there repeats the element). */
  readonly substs?: readonly TSubst[];
}
export interface TAttr {
  readonly name: string;
  /** Text and substitution pieces, concatenated when rendered. */
  readonly value: readonly (TText | TSubst)[];
}
export interface TText {
  readonly kind: 'text';
  readonly text: string;
}
export interface TSubst {
  readonly kind: 'subst';
  readonly index: number;
  readonly optional: boolean;
  /** Value type the template declares (the instance's descriptor type is what is rendered). */
  readonly type: number;
}
export interface TInstance {
  readonly kind: 'instance';
  readonly template: TemplateDef;
  readonly values: readonly TemplateValue[];
}
export interface TemplateDef {
  readonly offset: number;
  readonly dataSize: number;
  readonly nodes: readonly TNode[];
}
/** One substitution value: its type and where its bytes are in the chunk. */
export interface TemplateValue {
  readonly type: number;
  readonly at: number;
  readonly size: number;
}

/* ------------------------------------------------------------ the context */

export interface BinXmlLimits {
  /** Deepest element nesting accepted (default 64). */
  readonly maxElementDepth?: number;
  /** Deepest nesting of template instances and BinXML values (default 16). */
  readonly maxNestingDepth?: number;
  /** Most rendered nodes (elements + text pieces) per record (default 1,000,000). */
  readonly maxNodes?: number;
  /** Most rendered text characters per record (default 16 Mi). */
  readonly maxChars?: number;
}

export type ValueWarning = (message: string, offset: number) => void;

/** Per-chunk parse state: the chunk bytes, name and template caches, limits. */
export class ChunkContext {
  readonly names = new Map<number, string>();
  readonly templates = new Map<number, TemplateDef>();
  private readonly inProgress = new Set<number>();
  readonly all: ByteReader;
  readonly view: DataView;
  private wordView: Int32Array | undefined;
  readonly maxElementDepth: number;
  readonly maxNestingDepth: number;
  readonly maxNodes: number;
  readonly maxChars: number;

  constructor(
    readonly bytes: Uint8Array,
    limits: BinXmlLimits = {},
    /** Parsed templates shared with the other chunks of the file (see `TemplateCache`). */
    private readonly shared?: TemplateCache,
  ) {
    this.all = new ByteReader(bytes);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.maxElementDepth = limits.maxElementDepth ?? 64;
    this.maxNestingDepth = limits.maxNestingDepth ?? 16;
    this.maxNodes = limits.maxNodes ?? 1_000_000;
    this.maxChars = limits.maxChars ?? 16 * 1024 * 1024;
  }

  /** The chunk's whole underlying buffer as 32-bit words (for `TemplateCache`'s word compare). */
  get words(): Int32Array {
    return (this.wordView ??= new Int32Array(this.bytes.buffer, 0, this.bytes.buffer.byteLength >>> 2));
  }

  /** The name stored at `offset` (next offset, hash, length, UTF-16 characters, NUL). */
  nameAt(offset: number): string {
    const cached = this.names.get(offset);
    if (cached !== undefined) return cached;
    const n = this.all.u16At(offset + 6);
    const s = this.all.utf16At(offset + 8, n);
    this.names.set(offset, s);
    return s;
  }

  /** Bytes a name at `offset` occupies. */
  nameSize(offset: number): number {
    return 8 + 2 * this.all.u16At(offset + 6) + 2;
  }

  /** The template definition at `offset` (next offset, GUID, data size, fragment). */
  templateAt(offset: number, nesting: number): TemplateDef {
    const cached = this.templates.get(offset);
    if (cached !== undefined) return cached;
    if (this.inProgress.has(offset)) throw new EvtxError(EVTX_CODES.badTemplate, offset, `template at ${offset} instantiates itself`);
    this.all.check(offset + 4, 16); // the GUID (not rendered: nothing reads it)
    const dataSize = this.all.u32At(offset + 20);
    const start = offset + 24;
    this.all.check(start, dataSize);
    const hit = this.shared?.find(this, offset, dataSize);
    if (hit !== undefined) {
      if (nesting + 1 > this.maxNestingDepth) throw new EvtxError(EVTX_CODES.tooDeep, start, `BinXML nested deeper than ${this.maxNestingDepth}`);
      const def: TemplateDef = { offset, dataSize, nodes: hit };
      this.templates.set(offset, def);
      return def;
    }
    this.inProgress.add(offset);
    try {
      const refs: NameRef[] | undefined = this.shared !== undefined ? [] : undefined;
      const p = new Parser(this, new ByteReader(this.bytes, start, start + dataSize), nesting + 1, false, refs);
      const nodes = p.document();
      const def: TemplateDef = { offset, dataSize, nodes };
      this.templates.set(offset, def);
      if (refs !== undefined && p.portable) this.shared!.add(this.bytes, offset, dataSize, nodes, refs);
      return def;
    } catch (e) {
      if (e instanceof EvtxError && e.code !== EVTX_CODES.tooDeep) {
        throw new EvtxError(EVTX_CODES.badTemplate, e.offset, `template at ${offset}: ${e.message}`);
      }
      throw e;
    } finally {
      this.inProgress.delete(offset);
    }
  }
}

/* ------------------------------------------------- templates across chunks */

/** A name reference in a template body: the chunk offset of its 4-byte offset field, inline or not, the name. */
interface NameRef {
  readonly field: number;
  readonly inline: boolean;
  readonly name: string;
  /** `TemplateCache.idOf(name)` (in the cache's copy). */
  readonly id?: number;
}

interface CachedTemplate {
  /** GUID, data size and body as they were (bytes `offset + 4 .. offset + 24 + dataSize`). */
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly nodes: readonly TNode[];
  /** Name references, the field offsets relative to the body start. */
  readonly refs: readonly NameRef[];
  /** Body-relative 4-byte ranges that may differ between chunks, ascending: name offset fields and inline names' next-offset links. */
  readonly masks: readonly number[];
  /** Word-aligned copies by phase (see `alignedOf`), made on first use. */
  readonly aligned: (Aligned | undefined)[];
}

/**
 * `bytes` placed at byte `phase` of 32-bit words, so that it lines up word for word with
 * chunk bytes whose buffer position is `phase` mod 4: `words` the bytes (masked bytes
 * and the padding zero), `keep` all-ones bytes where a byte is compared, zero where not.
 */
interface Aligned {
  readonly words: Int32Array;
  readonly keep: Int32Array;
  /** Word index ranges [from, to) where every byte is compared, as pairs; and the words where only some are. */
  readonly whole: Int32Array;
  readonly partial: Int32Array;
}

function alignedOf(c: CachedTemplate, phase: number): Aligned {
  const n = c.bytes.length;
  const words = new Int32Array((phase + n + 3) >>> 2);
  const keep = new Int32Array(words.length);
  const wb = new Uint8Array(words.buffer);
  const kb = new Uint8Array(keep.buffer);
  wb.set(c.bytes, phase);
  kb.fill(0xff, phase, phase + n);
  // Masked fields are body-relative; body position p is byte p + 20 of `bytes`.
  for (const m of c.masks) {
    wb.fill(0, phase + m + 20, phase + m + 24);
    kb.fill(0, phase + m + 20, phase + m + 24);
  }
  const whole: number[] = [];
  const partial: number[] = [];
  for (let k = 0; k < keep.length; k++) {
    if (keep[k] !== -1) {
      if (keep[k] !== 0) partial.push(k);
      continue;
    }
    const from = k;
    while (k + 1 < keep.length && keep[k + 1] === -1) k++;
    whole.push(from, k + 1);
  }
  const a: Aligned = { words, keep, whole: Int32Array.from(whole), partial: Int32Array.from(partial) };
  c.aligned[phase] = a;
  return a;
}

/**
 * Parsed template bodies shared between the chunks of one file. Each chunk defines
 * the templates its records use again (names inline, at other offsets), so without
 * this every chunk parses its templates anew. A body is reused when its bytes are
 * the same as a cached one's except for chunk offsets: every name offset field
 * (and an inline name's link to the next name) is masked, an inline name must be
 * inline again and a name by offset must resolve to the same text. Only bodies
 * without template instances are kept (their trees hold no chunk offsets).
 * Bounded: at most 4 MiB of body bytes / 4096 templates, then it starts over.
 */
export class TemplateCache {
  private readonly byKey = new Map<number, CachedTemplate[]>();
  private bytes = 0;
  private count = 0;
  /** Name texts by small id (a name reference compares ids); cleared with the templates. */
  private readonly nameIds = new Map<string, number>();
  /** Per chunk: `nameStamp[v] === stamp` when `nameIdOf[v]` is the id of the chunk's name at offset v. */
  private readonly nameStamp = new Int32Array(65536);
  private readonly nameIdOf = new Int32Array(65536);
  private stamp = 0;
  private stampCtx: ChunkContext | undefined;

  idOf(name: string): number {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.nameIds.size;
      this.nameIds.set(name, id);
    }
    return id;
  }

  /** Id of the name at chunk offset `v` of `ctx` (-1 when `nameAt` throws or no cached reference has that name). */
  nameIdAt(ctx: ChunkContext, v: number): number {
    if (ctx !== this.stampCtx) {
      this.stampCtx = ctx;
      this.stamp++;
    }
    if (v < 65536 && this.nameStamp[v] === this.stamp) return this.nameIdOf[v]!;
    let id: number;
    try {
      // A name no cached reference has cannot match: -1, not a new id.
      id = this.nameIds.get(ctx.nameAt(v)) ?? -1;
    } catch {
      return -1;
    }
    if (v < 65536) {
      this.nameStamp[v] = this.stamp;
      this.nameIdOf[v] = id;
    }
    return id;
  }

  /** The tree of the template at `offset` of `ctx`'s chunk if a cached body matches it. */
  find(ctx: ChunkContext, offset: number, dataSize: number): readonly TNode[] | undefined {
    const b = ctx.bytes;
    const list = this.byKey.get(keyOf(b, offset, dataSize));
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      if (matches(this, ctx, c, offset + 24)) return c.nodes;
    }
    return undefined;
  }

  add(chunk: Uint8Array, offset: number, dataSize: number, nodes: readonly TNode[], refs: readonly NameRef[]): void {
    const start = offset + 24;
    const size = 20 + dataSize;
    if (this.bytes + size > 4 * 1024 * 1024 || this.count >= 4096) {
      this.byKey.clear();
      this.bytes = 0;
      this.count = 0;
      this.nameIds.clear();
      this.stamp++;
    }
    const rel: NameRef[] = [];
    const masks: number[] = [];
    for (const r of refs) {
      rel.push({ field: r.field - start, inline: r.inline, name: r.name, id: this.idOf(r.name) });
      masks.push(r.field - start);
      if (r.inline) masks.push(r.field + 4 - start);
    }
    masks.sort((a, b) => a - b);
    // A copy (`slice` on a Node Buffer would share the chunk's memory, which the stream reuses).
    const bytes = new Uint8Array(chunk.subarray(offset + 4, start + dataSize));
    const c: CachedTemplate = { bytes, view: new DataView(bytes.buffer), nodes, refs: rel, masks, aligned: [undefined, undefined, undefined, undefined] };
    const key = keyOf(chunk, offset, dataSize);
    const list = this.byKey.get(key);
    if (list === undefined) this.byKey.set(key, [c]);
    else list.push(c);
    this.bytes += size;
    this.count++;
  }
}

/** Template id (the GUID's first 4 bytes) and data size. */
function keyOf(b: Uint8Array, offset: number, dataSize: number): number {
  return (b[offset + 4]! | (b[offset + 5]! << 8) | (b[offset + 6]! << 16) | (b[offset + 7]! << 24)) * 65536 + dataSize;
}

function matches(cache: TemplateCache, ctx: ChunkContext, c: CachedTemplate, start: number): boolean {
  const b = ctx.bytes;
  const cb = c.bytes;
  const bv = ctx.view;
  const cv = c.view;
  // cb[j] is chunk byte (start - 20 + j); body-relative position p is cb[p + 20].
  const base = start - 20;
  const pos = b.byteOffset + base;
  const phase = pos & 3;
  const first = pos >>> 2;
  const aligned = c.aligned[phase] ?? alignedOf(c, phase);
  const cw = aligned.words;
  const keep = aligned.keep;
  const bw = ctx.words;
  if (first + cw.length <= bw.length) {
    // Word by word over the chunk's buffer: bytes outside the body and masked fields are not compared.
    const whole = aligned.whole;
    for (let r = 0; r < whole.length; r += 2) {
      for (let k = whole[r]!, to = whole[r + 1]!; k < to; k++) if (bw[first + k] !== cw[k]) return false;
    }
    const partial = aligned.partial;
    for (let r = 0; r < partial.length; r++) {
      const k = partial[r]!;
      if (((bw[first + k]! ^ cw[k]!) & keep[k]!) !== 0) return false;
    }
  } else {
    let j = 0;
    const masks = c.masks;
    for (let m = 0; m <= masks.length; m++) {
      const stop = m < masks.length ? masks[m]! + 20 : cb.length;
      for (; j + 4 <= stop; j += 4) if (bv.getInt32(base + j, true) !== cv.getInt32(j, true)) return false;
      for (; j < stop; j++) if (b[base + j] !== cb[j]) return false;
      if (m < masks.length) j = Math.max(j, stop + 4);
    }
  }
  const refs = c.refs;
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i]!;
    const at = start + r.field;
    const v = (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
    const inline = v === at + 4;
    if (inline !== r.inline) return false;
    if (!inline && cache.nameIdAt(ctx, v) !== r.id) return false;
  }
  return true;
}

/* ------------------------------------------------------------- the parser */

function bad(offset: number, message: string): EvtxError {
  return new EvtxError(EVTX_CODES.badBinxml, offset, message);
}

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Parses one BinXML token stream (a record's event, a template body, or a BinXML value). */
export class Parser {
  /** No template instance inside: the tree holds no chunk offsets and can be reused in other chunks. */
  portable = true;

  constructor(
    private readonly ctx: ChunkContext,
    private readonly r: ByteReader,
    private readonly nesting: number,
    /** Element starts without the dependency identifier (an element directly inside a 0x21 value). */
    private readonly noDependencyId = false,
    /** Collects the name references of a template body (for `TemplateCache`). */
    private readonly refs?: NameRef[],
  ) {
    if (nesting > ctx.maxNestingDepth) throw new EvtxError(EVTX_CODES.tooDeep, r.pos, `BinXML nested deeper than ${ctx.maxNestingDepth}`);
  }

  /** document := (fragment-header | template-instance | element | PI)* EOF? */
  document(): TNode[] {
    const r = this.r;
    const out: TNode[] = [];
    while (r.pos < r.end) {
      const at = r.pos;
      const tok = r.u8();
      switch (tok) {
        case TOKENS.eof:
          return out;
        case TOKENS.fragmentHeader:
          r.skip(3); // major, minor version, flags
          break;
        case TOKENS.templateInstance:
          out.push(this.templateInstance());
          break;
        case TOKENS.openStartElement:
        case TOKENS.openStartElement | MORE_FLAG:
          out.push(this.element(tok, 0));
          break;
        case TOKENS.piTarget:
          this.name();
          break;
        case TOKENS.piData:
          r.utf16(r.u16());
          break;
        default:
          throw bad(at, `unexpected token 0x${tok.toString(16)} at document level`);
      }
    }
    return out;
  }

  /** name := offset (name-struct if offset = here) */
  private name(): string {
    const r = this.r;
    const field = r.pos;
    const offset = r.u32();
    const inline = offset === r.pos;
    let s: string;
    if (inline) {
      const size = this.ctx.nameSize(offset);
      r.check(offset, size);
      s = this.ctx.nameAt(offset);
      r.pos += size;
    } else {
      s = this.ctx.nameAt(offset);
    }
    if (this.refs !== undefined) this.refs.push({ field, inline, name: s });
    return s;
  }

  /** element := open-start-element [dep-id] size name [attr-list] (close-empty | close-start content* end-element) */
  private element(tok: number, depth: number): TElement {
    const r = this.r;
    const at = r.pos - 1;
    if (depth >= this.ctx.maxElementDepth) throw new EvtxError(EVTX_CODES.tooDeep, at, `elements nested deeper than ${this.ctx.maxElementDepth}`);
    if (!this.noDependencyId || depth > 0) r.skip(2);
    r.u32(); // data size: not needed, the tokens delimit the element
    const name = this.name();
    const attrs: TAttr[] = [];
    if ((tok & MORE_FLAG) !== 0) {
      const listSize = r.u32();
      const listEnd = r.pos + listSize;
      r.check(r.pos, listSize);
      while (r.pos < listEnd) {
        const t = r.u8At(r.pos);
        if ((t & ~MORE_FLAG) !== TOKENS.attribute) throw bad(r.pos, `expected an attribute, found token 0x${t.toString(16)}`);
        r.pos++;
        const an = this.name();
        attrs.push({ name: an, value: this.attrValue() });
      }
    }
    const close = r.u8();
    if (close === TOKENS.closeEmptyElement) return { kind: 'element', name, attrs, children: [] };
    if (close !== TOKENS.closeStartElement) throw bad(r.pos - 1, `expected the end of <${name}> start tag, found token 0x${close.toString(16)}`);
    const children: TNode[] = [];
    for (;;) {
      const cat = r.pos;
      const t = r.u8();
      switch (t) {
        case TOKENS.endElement:
        {
          const substs = children.filter((c): c is TSubst => c.kind === 'subst');
          return substs.length > 0 ? { kind: 'element', name, attrs, children, substs } : { kind: 'element', name, attrs, children };
        }
        case TOKENS.openStartElement:
        case TOKENS.openStartElement | MORE_FLAG:
          children.push(this.element(t, depth + 1));
          break;
        case TOKENS.value:
        case TOKENS.value | MORE_FLAG:
        case TOKENS.cdata:
        case TOKENS.cdata | MORE_FLAG:
        case TOKENS.charRef:
        case TOKENS.charRef | MORE_FLAG:
        case TOKENS.entityRef:
        case TOKENS.entityRef | MORE_FLAG:
        case TOKENS.normalSubstitution:
        case TOKENS.optionalSubstitution:
          children.push(this.piece(t));
          break;
        case TOKENS.templateInstance:
          children.push(this.templateInstance());
          break;
        case TOKENS.piTarget:
          this.name();
          break;
        case TOKENS.piData:
          r.utf16(r.u16());
          break;
        case TOKENS.eof:
          throw bad(cat, `end of data inside <${name}>`);
        default:
          throw bad(cat, `unexpected token 0x${t.toString(16)} inside <${name}>`);
      }
    }
  }

  /** attribute value := (value | substitution | char-ref | entity-ref)* — up to the next attribute or the end of the start tag. */
  private attrValue(): (TText | TSubst)[] {
    const r = this.r;
    const out: (TText | TSubst)[] = [];
    while (r.pos < r.end) {
      const t = r.u8At(r.pos);
      const base = t & ~MORE_FLAG;
      if (base === TOKENS.value || base === TOKENS.charRef || base === TOKENS.entityRef || t === TOKENS.normalSubstitution || t === TOKENS.optionalSubstitution) {
        r.pos++;
        out.push(this.piece(t));
      } else break;
    }
    return out;
  }

  /** One content piece: text, CDATA, character or entity reference, substitution. */
  private piece(t: number): TText | TSubst {
    const r = this.r;
    switch (t & ~MORE_FLAG) {
      case TOKENS.value: {
        const at = r.pos;
        const type = r.u8();
        if (type !== VALUE_TYPES.string) throw bad(at, `value text of type 0x${type.toString(16)}, expected a string`);
        return { kind: 'text', text: r.utf16(r.u16()) };
      }
      case TOKENS.cdata:
        return { kind: 'text', text: r.utf16(r.u16()) };
      case TOKENS.charRef:
        return { kind: 'text', text: String.fromCharCode(r.u16()) };
      case TOKENS.entityRef: {
        const n = this.name();
        return { kind: 'text', text: ENTITIES[n] ?? `&${n};` };
      }
      default: {
        const index = r.u16();
        const type = r.u8();
        return { kind: 'subst', index, optional: t === TOKENS.optionalSubstitution, type };
      }
    }
  }

  /** template-instance := 0x0c unknown(1) id(4) def-offset(4) [definition] count(4) (size(2) type(1) 0(1))* data */
  templateInstance(): TInstance {
    this.portable = false;
    const r = this.r;
    r.skip(1);
    r.u32(); // template id (first 4 bytes of the GUID)
    const defOffset = r.u32();
    const template = this.ctx.templateAt(defOffset, this.nesting);
    if (defOffset === r.pos) r.skip(24 + template.dataSize);
    const countAt = r.pos;
    const count = r.u32();
    if (count * 4 > r.remaining) throw bad(countAt, `template instance declares ${count} values, more than fit in the record`);
    const descriptors: { size: number; type: number }[] = [];
    for (let i = 0; i < count; i++) {
      const size = r.u16();
      const type = r.u8();
      r.skip(1);
      descriptors.push({ size, type });
    }
    const values: TemplateValue[] = [];
    for (const d of descriptors) {
      r.check(r.pos, d.size);
      values.push({ type: d.type, at: r.pos, size: d.size });
      r.pos += d.size;
    }
    return { kind: 'instance', template, values };
  }
}

/* ---------------------------------------------------------- instantiation */

/** Renders parsed BinXML with substitution values into an `XmlNode` tree (the compiled templates share its counters and value rendering). */
export class Instantiator {
  nodes = 0;
  chars = 0;
  constructor(
    readonly ctx: ChunkContext,
    private readonly warn: ValueWarning,
  ) {}

  private count(at: number): void {
    if (++this.nodes > this.ctx.maxNodes) throw new EvtxError(EVTX_CODES.tooLarge, at, `record renders to more than ${this.ctx.maxNodes} nodes`);
  }

  text(out: XmlNode[], text: string): void {
    if (text.length === 0) return;
    this.count(0);
    this.chars += text.length;
    if (this.chars > this.ctx.maxChars) throw new EvtxError(EVTX_CODES.tooLarge, 0, `record renders to more than ${this.ctx.maxChars} characters`);
    pushText(out, text);
  }

  nodes_(nodes: readonly TNode[], values: readonly TemplateValue[], nesting: number, out: XmlNode[]): void {
    for (let i = 0; i < nodes.length; i++) this.node(nodes[i]!, values, nesting, out);
  }

  private node(n: TNode, values: readonly TemplateValue[], nesting: number, out: XmlNode[]): void {
    switch (n.kind) {
      case 'text':
        this.text(out, n.text);
        break;
      case 'element':
        this.element(n, values, nesting, out);
        break;
      case 'instance':
        if (nesting + 1 > this.ctx.maxNestingDepth) throw new EvtxError(EVTX_CODES.tooDeep, n.template.offset, `template instances nested deeper than ${this.ctx.maxNestingDepth}`);
        this.nodes_(n.template.nodes, n.values, nesting + 1, out);
        break;
      case 'subst':
        this.substContent(n, values, nesting, out, undefined);
        break;
    }
  }

  private element(n: TElement, values: readonly TemplateValue[], nesting: number, out: XmlNode[]): void {
    // A direct array substitution repeats the element once per item (one empty element for an empty array).
    let arrayItems: readonly string[] | undefined;
    const kids = n.children;
    const substs = n.substs ?? NO_SUBSTS;
    for (let i = 0; i < substs.length; i++) {
      const c = substs[i]!;
      {
        const v = values[c.index];
        if (v !== undefined && (v.type & ARRAY_FLAG) !== 0 && (v.type & 0x7f) !== VALUE_TYPES.binXml) {
          arrayItems = this.render(v).items ?? [];
          break;
        }
      }
    }
    const attrs = this.attrs(n.attrs, values);
    const copies = arrayItems === undefined ? 1 : Math.max(arrayItems.length, 1);
    for (let i = 0; i < copies; i++) {
      this.count(0);
      const children: XmlNode[] = [];
      const item = arrayItems === undefined ? undefined : (arrayItems[i] ?? '');
      for (let k = 0; k < kids.length; k++) {
        const c = kids[k]!;
        if (c.kind === 'subst') this.substContent(c, values, nesting, children, item);
        else this.node(c, values, nesting, children);
      }
      out.push({ name: n.name, attrs, children });
    }
  }

  private attrs(list: readonly TAttr[], values: readonly TemplateValue[]): readonly XmlAttr[] {
    if (list.length === 0) return NO_ATTRS;
    const out: XmlAttr[] = [];
    for (const a of list) {
      let text = '';
      let present = a.value.length === 0;
      for (const p of a.value) {
        if (p.kind === 'text') {
          text += p.text;
          present = true;
          continue;
        }
        const v = values[p.index];
        // An optional substitution with no value removes the attribute (`<Security/>` without UserID).
        if (v === undefined || v.type === VALUE_TYPES.null) {
          if (!p.optional) present = true;
          continue;
        }
        present = true;
        text += (v.type & 0x7f) === VALUE_TYPES.binXml ? '' : this.valueText(v);
      }
      if (present) out.push({ name: a.name, value: text });
    }
    return out;
  }

  private substContent(s: TSubst, values: readonly TemplateValue[], nesting: number, out: XmlNode[], arrayItem: string | undefined): void {
    const v = values[s.index];
    if (v === undefined || v.type === VALUE_TYPES.null) return;
    if (v.type === VALUE_TYPES.binXml) {
      this.binXmlValue(v, nesting, out);
      return;
    }
    if ((v.type & ARRAY_FLAG) !== 0 && arrayItem !== undefined) {
      this.text(out, arrayItem);
      return;
    }
    this.text(out, this.valueText(v));
  }

  binXmlValue(v: TemplateValue, nesting: number, out: XmlNode[]): void {
    if (v.size === 0) return;
    const first = this.ctx.all.u8At(v.at) & ~MORE_FLAG;
    const p = new Parser(this.ctx, new ByteReader(this.ctx.bytes, v.at, v.at + v.size), nesting + 1, first === TOKENS.openStartElement);
    this.nodes_(p.document(), [], nesting + 1, out);
  }

  /** The rendered text of a value (no allocation for the common scalar values). */
  valueText(v: TemplateValue): string {
    const t = scalarText(this.ctx.all, v.type, v.at, v.size);
    return t !== undefined ? t : this.render(v).text;
  }

  render(v: TemplateValue): { text: string; items?: readonly string[] } {
    const r = renderValue(this.ctx.all, v.type, v.at, v.size);
    if (r.problem !== undefined) this.warn(r.problem, v.at);
    return r;
  }
}

const NO_SUBSTS: readonly TSubst[] = [];
const NO_ATTRS: readonly XmlAttr[] = [];

function pushText(out: XmlNode[], text: string): void {
  if (text.length === 0) return;
  const last = out.length - 1;
  const prev = out[last];
  if (typeof prev === 'string') out[last] = prev + text;
  else out.push(text);
}

/**
 * Parses the BinXML at `[start, end)` of the chunk and renders it with its
 * substitution values. Returns the top-level nodes (normally one `<Event>`).
 * Throws `EvtxError` on malformed input or exceeded limits.
 */
export function renderBinXml(ctx: ChunkContext, start: number, end: number, warn: ValueWarning = () => {}): XmlNode[] {
  const nodes = new Parser(ctx, new ByteReader(ctx.bytes, start, end), 0).document();
  const out: XmlNode[] = [];
  new Instantiator(ctx, warn).nodes_(nodes, [], 0, out);
  return out;
}

/** The first element among rendered nodes, or undefined. */
export function rootElement(nodes: readonly XmlNode[]): XmlElement | undefined {
  for (const n of nodes) if (typeof n !== 'string') return n;
  return undefined;
}
