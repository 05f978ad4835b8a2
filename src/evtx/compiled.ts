/**
 * Compiled templates: the fast path of full rendering. A template body (parsed once
 * per file, `TemplateCache`) is compiled once into constant XML pieces (tag opens
 * and closes, constant attributes, escaped constant text) and substitution slots,
 * each element tagged with its role for the WinEvent mapping (System field,
 * `EventData` child, `UserData` node), so a record that is one template instance
 * renders straight to its XML text and `{system, data}` from its substitution
 * values, without building an element tree.
 *
 * Same semantics as the tree path (`Instantiator` + `toXml` + `mapEvent`), step by
 * step: values are rendered in the same order and the same number of times (so
 * value warnings are the same), an optional NULL drops its attribute, an array
 * value directly in an element repeats the element, a BinXML value (0x21) is
 * rendered through the tree path and serialized in place; node and character
 * limits are counted the same way. The mapping goes through `EventMapState`, the
 * same code `mapEvent` runs. Records that do not fit (plain BinXML, anything but
 * fragment headers + one template instance + EOF, templates with instances
 * inside, a root other than a lone `<Event>`, an array value directly in `<Event>`) and records whose fast rendering
 * throws go the tree path, which then reports exactly what it reports today.
 */
import { EVTX_CODES, EvtxError } from './errors.js';
import { Instantiator, TOKENS, type ChunkContext, type TElement, type TNode, type TSubst, type TemplateValue, type ValueWarning } from './binxml.js';
import { EventMapState, type EventMapResult } from './event.js';
import { ARRAY_FLAG, escAttr, escText, scalarText, toXml, VALUE_TYPES, type XmlAttr, type XmlElement, type XmlNode } from './render.js';

/* Roles for the mapping, by position below <Event>. */
const NONE = 0;
const ROOT = 1;
const SYSTEM = 2;
const EVENTDATA = 3;
const USERDATA = 4;
const SYSFIELD = 5;
const DATAFIELD = 6;
const UDNODE = 7;

export interface CText {
  readonly k: 0;
  readonly text: string;
  readonly esc: string;
}
export interface CSubst {
  readonly k: 1;
  readonly index: number;
}
export interface CAttr {
  readonly name: string;
  /** ` name='` */
  readonly prefix: string;
  /** Raw text pieces and substitutions. */
  readonly pieces: readonly (string | TSubst)[];
}
export interface CElem {
  readonly k: 2;
  readonly name: string;
  /** `<name` */
  readonly open: string;
  /** `</name>` */
  readonly close: string;
  /** With constant attributes: `<name attrs>` and `<name attrs/>`. */
  readonly startTag: string;
  readonly emptyTag: string;
  readonly role: number;
  /** The mapping reads its attributes (`Data` `Name`; `Provider`, `TimeCreated`, `Execution`, `Security`). */
  readonly needAttrs: boolean;
  /** Attributes with a substitution; undefined when all are constant. */
  readonly attrs: readonly CAttr[] | undefined;
  /** Constant attributes: their XML text and list (when `attrs` is undefined). */
  readonly staticAttrText: string;
  readonly staticAttrs: readonly XmlAttr[];
  readonly children: readonly CNode[];
  /** Direct substitution children (an array value there repeats the element). */
  readonly substs: readonly TSubst[];
  /**
   * No substitution anywhere inside, and no mapping below the element itself: its XML
   * text, nodes and characters as the tree path counts them, and its trailing text.
   */
  readonly fixed: { readonly xml: string; readonly nodes: number; readonly chars: number; readonly trail: string } | undefined;
  /** An `EventData` `<Data>` with a constant, non-empty `Name`: that name (what `fields` is checked against). */
  readonly dataName: string | undefined;
}
export type CNode = CText | CSubst | CElem;

/** A compiled template: its one root element `<Event>`. */
export interface CompiledTemplate {
  readonly root: CElem;
}

const compiledCache = new WeakMap<readonly TNode[], CompiledTemplate | null>();

/** The compiled form of a template body, or undefined when it does not fit the fast path. Cached per parsed body. */
export function compiledOf(nodes: readonly TNode[]): CompiledTemplate | undefined {
  let c = compiledCache.get(nodes);
  if (c === undefined) {
    c = compile(nodes);
    compiledCache.set(nodes, c);
  }
  return c ?? undefined;
}

function compile(nodes: readonly TNode[]): CompiledTemplate | null {
  if (nodes.length !== 1) return null;
  const root = nodes[0]!;
  if (root.kind !== 'element' || root.name !== 'Event') return null;
  const c = compileElement(root, ROOT);
  return c === null ? null : { root: c };
}

function childRole(parent: number, name: string): number {
  switch (parent) {
    case ROOT:
      return name === 'System' ? SYSTEM : name === 'EventData' ? EVENTDATA : name === 'UserData' ? USERDATA : NONE;
    case SYSTEM:
      return SYSFIELD;
    case EVENTDATA:
      return DATAFIELD;
    case USERDATA:
    case UDNODE:
      return UDNODE;
    default:
      return NONE;
  }
}

function compileElement(e: TElement, role: number): CElem | null {
  let dynamic = false;
  const attrs: CAttr[] = [];
  let staticAttrText = '';
  const staticAttrs: XmlAttr[] = [];
  for (const a of e.attrs) {
    const pieces: (string | TSubst)[] = [];
    for (const p of a.value) {
      if (p.kind === 'text') pieces.push(p.text);
      else {
        pieces.push(p);
        dynamic = true;
      }
    }
    attrs.push({ name: a.name, prefix: ' ' + a.name + "='", pieces });
    if (!dynamic) {
      const text = pieces.join('');
      staticAttrText += ' ' + a.name + "='" + escAttr(text) + "'";
      staticAttrs.push({ name: a.name, value: text });
    }
  }
  const children: CNode[] = [];
  for (const n of e.children) {
    switch (n.kind) {
      case 'text':
        // Empty text renders nothing and counts nothing in the tree path either.
        if (n.text.length > 0) children.push({ k: 0, text: n.text, esc: escText(n.text) });
        break;
      case 'subst':
        children.push({ k: 1, index: n.index });
        break;
      case 'element': {
        const c = compileElement(n, childRole(role, n.name));
        if (c === null) return null;
        children.push(c);
        break;
      }
      default:
        return null; // a template instance inside a template body
    }
  }
  let fixed: CElem['fixed'];
  if (!dynamic && (role === NONE || role === SYSFIELD || role === DATAFIELD || role === UDNODE)) {
    let xml = '';
    let nodes = 1;
    let chars = 0;
    let trail = '';
    let ok = true;
    for (const c of children) {
      if (c.k === 0) {
        xml += c.esc;
        nodes++;
        chars += c.text.length;
        trail += c.text;
      } else if (c.k === 2 && c.fixed !== undefined && role !== UDNODE) {
        xml += c.fixed.xml;
        nodes += c.fixed.nodes;
        chars += c.fixed.chars;
        trail = '';
      } else {
        ok = false;
        break;
      }
    }
    if (ok) fixed = { xml: '<' + e.name + staticAttrText + (xml === '' ? '/>' : '>' + xml + '</' + e.name + '>'), nodes, chars, trail };
  }
  const nameAttr = role === DATAFIELD && e.name === 'Data' && !dynamic ? staticAttrs.find((a) => a.name === 'Name') : undefined;
  return {
    k: 2,
    name: e.name,
    open: '<' + e.name,
    close: '</' + e.name + '>',
    startTag: '<' + e.name + (dynamic ? '' : staticAttrText) + '>',
    emptyTag: '<' + e.name + (dynamic ? '' : staticAttrText) + '/>',
    role,
    needAttrs: role === DATAFIELD ? e.name === 'Data' : role === SYSFIELD && ATTR_FIELDS.has(e.name),
    attrs: dynamic ? attrs : undefined,
    staticAttrText: dynamic ? '' : staticAttrText,
    staticAttrs: dynamic ? NO_ATTRS : staticAttrs,
    children,
    substs: e.substs ?? NO_SUBSTS,
    fixed,
    dataName: nameAttr !== undefined && nameAttr.value !== '' ? nameAttr.value : undefined,
  };
}

/** System elements whose attributes the mapping reads (`systemFieldOf`). */
const ATTR_FIELDS = new Set(['Provider', 'TimeCreated', 'Execution', 'Security']);
const NO_SUBSTS: readonly TSubst[] = [];
const NO_ATTRS: readonly XmlAttr[] = [];

/** Writes one record through a compiled template: the XML text (when asked) and the mapping. */
class Writer {
  constructor(
    private readonly inst: Instantiator,
    /** Number of substitution values; their type, chunk offset and size are in `TYPES`, `ATS`, `SIZES`. */
    private readonly count: number,
    private readonly map: EventMapState,
    private readonly xml: boolean,
    /** `Data` names to map; the string values of other named `Data` elements are not decoded (never with `xml`). */
    private readonly fields: ReadonlySet<string> | undefined,
  ) {}

  /**
   * A `Data` element the caller does not read, left out of the mapping without
   * decoding its values, when it holds only text and string (or NULL) values. Its
   * nodes and characters are over-counted (one node per value, characters ≤ value
   * bytes): a record then over a limit goes the tree path, which decides exactly.
   * False (nothing counted) when the element must be written in full.
   */
  private skipData(e: CElem): boolean {
    const kids = e.children;
    let nodes = 1;
    let chars = 0;
    for (let k = 0; k < kids.length; k++) {
      const c = kids[k]!;
      if (c.k === 0) {
        nodes++;
        chars += c.text.length;
      } else if (c.k === 1) {
        const type = this.type(c.index);
        if (type <= VALUE_TYPES.null) continue;
        if (type !== VALUE_TYPES.string && type !== VALUE_TYPES.ansiString) return false;
        nodes++;
        chars += SIZES[c.index]!;
      } else return false;
    }
    this.inst.nodes += nodes;
    this.inst.chars += chars;
    return true;
  }

  /** Type of value `i`, or -1 when there is none (as `values[i] === undefined` in the tree path). */
  private type(i: number): number {
    return i < this.count ? TYPES[i]! : -1;
  }

  private value(i: number): TemplateValue {
    return { type: TYPES[i]!, at: ATS[i]!, size: SIZES[i]! };
  }

  /** `Instantiator.valueText` without the value object for scalars. */
  private valueText(i: number): string {
    const t = scalarText(this.inst.ctx.all, TYPES[i]!, ATS[i]!, SIZES[i]!);
    return t !== undefined ? t : this.inst.render(this.value(i)).text;
  }

  element(e: CElem): string {
    const inst = this.inst;
    const fields = this.fields;
    if (fields !== undefined && e.dataName !== undefined && !fields.has(e.dataName) && this.skipData(e)) return '';
    const fixed = e.fixed;
    if (fixed !== undefined) {
      inst.nodes += fixed.nodes;
      inst.chars += fixed.chars;
      const role = e.role;
      if (role === SYSFIELD) this.map.system(e.name, e.staticAttrs, fixed.trail);
      else if (role === DATAFIELD) this.map.eventData(e.name, e.staticAttrs, fixed.trail);
      else if (role === UDNODE) this.map.leaf(e.name, fixed.trail);
      return this.xml ? fixed.xml : '';
    }
    // A direct array substitution repeats the element once per item (one empty element for an empty array).
    let arrayItems: readonly string[] | undefined;
    const substs = e.substs;
    for (let i = 0; i < substs.length; i++) {
      const x = substs[i]!.index;
      const type = this.type(x);
      if (type >= 0 && (type & ARRAY_FLAG) !== 0 && (type & 0x7f) !== VALUE_TYPES.binXml) {
        arrayItems = inst.render(this.value(x)).items ?? [];
        break;
      }
    }
    const role = e.role;
    const needAttrs = e.needAttrs;
    const xml = this.xml;
    let attrText = e.staticAttrText;
    let attrList = e.staticAttrs;
    const cattrs = e.attrs;
    if (cattrs !== undefined) {
      attrText = '';
      const list: XmlAttr[] | undefined = needAttrs ? [] : undefined;
      for (let i = 0; i < cattrs.length; i++) {
        const a = cattrs[i]!;
        const pieces = a.pieces;
        let text = '';
        let present = pieces.length === 0;
        for (let j = 0; j < pieces.length; j++) {
          const p = pieces[j]!;
          if (typeof p === 'string') {
            text += p;
            present = true;
            continue;
          }
          const type = this.type(p.index);
          // An optional substitution with no value removes the attribute (`<Security/>` without UserID).
          if (type <= VALUE_TYPES.null) {
            if (!p.optional) present = true;
            continue;
          }
          present = true;
          text += (type & 0x7f) === VALUE_TYPES.binXml ? '' : this.valueText(p.index);
        }
        if (present) {
          if (xml) attrText += a.prefix + escAttr(text) + "'";
          if (list !== undefined) list.push({ name: a.name, value: text });
        }
      }
      attrList = list ?? NO_ATTRS;
    }
    const copies = arrayItems === undefined ? 1 : Math.max(arrayItems.length, 1);
    const kids = e.children;
    const map = this.map;
    if (role === SYSTEM) map.sawSystem = true;
    let out = '';
    for (let i = 0; i < copies; i++) {
      inst.nodes++;
      const item = arrayItems === undefined ? undefined : (arrayItems[i] ?? '');
      let inner = '';
      let trail = '';
      let hasElement = false;
      for (let k = 0; k < kids.length; k++) {
        const c = kids[k]!;
        if (c.k === 0) {
          inst.nodes++;
          inst.chars += c.text.length;
          if (xml) inner += c.esc;
          trail += c.text;
        } else if (c.k === 2) {
          inner += this.element(c);
          hasElement = true;
          trail = '';
        } else {
          const type = this.type(c.index);
          if (type <= VALUE_TYPES.null) continue;
          if (type === VALUE_TYPES.binXml) {
            const nested: XmlNode[] = [];
            inst.binXmlValue(this.value(c.index), 1, nested);
            for (let n = 0; n < nested.length; n++) {
              const x = nested[n]!;
              if (typeof x === 'string') {
                if (xml) inner += escText(x);
                trail += x;
              } else {
                if (xml) inner += toXml(x);
                hasElement = true;
                trail = '';
                this.nestedElement(role, x);
              }
            }
            continue;
          }
          const t = (type & ARRAY_FLAG) !== 0 && item !== undefined ? item : this.valueText(c.index);
          if (t.length > 0) {
            inst.nodes++;
            inst.chars += t.length;
            // Only string values can hold `&<>` (numbers, GUIDs, SIDs, times and hex never do).
            if (xml) inner += (type & 0x7f) === VALUE_TYPES.string || (type & 0x7f) === VALUE_TYPES.ansiString ? escText(t) : t;
            trail += t;
          }
        }
      }
      if (role === SYSFIELD) map.system(e.name, attrList, trail);
      else if (role === DATAFIELD) map.eventData(e.name, attrList, trail);
      else if (role === UDNODE && !hasElement) map.leaf(e.name, trail);
      if (xml) {
        if (cattrs === undefined) out += inner === '' ? e.emptyTag : e.startTag + inner + e.close;
        else out += e.open + attrText + (inner === '' ? '/>' : '>' + inner + e.close);
      }
    }
    return out;
  }

  /** An element a BinXML value put inside an element of role `role`: mapped as `mapEvent` maps it there. */
  private nestedElement(role: number, x: XmlElement): void {
    const map = this.map;
    switch (role) {
      case ROOT:
        map.section(x);
        break;
      case SYSTEM:
        map.systemElement(x);
        break;
      case EVENTDATA:
        map.eventDataElement(x);
        break;
      case USERDATA:
      case UDNODE:
        map.userDataElement(x);
        break;
    }
  }
}

/* Scratch value table of the record being written (renderCompiled is not re-entered). */
let TYPES = new Uint8Array(64);
let ATS = new Int32Array(64);
let SIZES = new Int32Array(64);
function grow(n: number): void {
  const size = Math.max(n, TYPES.length * 2);
  TYPES = new Uint8Array(size);
  ATS = new Int32Array(size);
  SIZES = new Int32Array(size);
}

export interface CompiledResult {
  /** The `<Event>` element as one line of XML (empty when not asked for). */
  readonly xml: string;
  readonly event: EventMapResult;
}

/**
 * Renders the record BinXML at `[start, end)` through its compiled template, or
 * returns undefined when the record does not fit the fast path. May throw (any
 * error): the caller then renders the record through the tree path, which reports
 * what is wrong. Value warnings go to `warn` (to be delivered only on success).
 */
export function renderCompiled(ctx: ChunkContext, start: number, end: number, xml: boolean, warn: ValueWarning, fields?: ReadonlySet<string>): CompiledResult | undefined {
  const compiled = instanceOf(ctx, start, end);
  if (compiled === undefined) return undefined;
  const ins = new Instantiator(ctx, warn);
  const map = new EventMapState();
  const text = new Writer(ins, VALUES.count, map, xml, xml ? undefined : fields).element(compiled.root);
  if (ins.nodes > ctx.maxNodes || ins.chars > ctx.maxChars) return undefined;
  return { xml: text, event: map.result() };
}

/** Bounds, as `ByteReader` reports them. */
function outOfBounds(at: number, n: number, end: number): EvtxError {
  return new EvtxError(EVTX_CODES.outOfBounds, at, `read of ${n} byte(s) at offset ${at} past the end (${end})`);
}

/**
 * The compiled template of the record BinXML at `[start, end)`; its substitution
 * values' count, types, chunk offsets and sizes are then in `VALUES` (until the
 * next call). Undefined when the record does not fit the fast path. Throws on
 * malformed input (the caller then goes the tree path, which reports it).
 */
export function instanceOf(ctx: ChunkContext, start: number, end: number): CompiledTemplate | undefined {
  if (ctx.maxNestingDepth < 1) return undefined;
  const b = ctx.bytes;
  if (end > b.length) end = b.length;
  let pos = start;
  for (;;) {
    if (pos >= end) return undefined;
    const t = b[pos]!;
    if (t === TOKENS.fragmentHeader) {
      if (end - pos < 4) return undefined;
      pos += 4;
    } else if (t === TOKENS.templateInstance) {
      pos++;
      break;
    } else return undefined;
  }
  // The template instance, read as `Parser.templateInstance` reads it (unknown byte, template id, definition offset).
  if (pos + 9 > end) throw outOfBounds(pos, 9, end);
  const defOffset = u32(b, pos + 5);
  pos += 9;
  const template = ctx.templateAt(defOffset, 0);
  if (defOffset === pos) {
    if (pos + 24 + template.dataSize > end) throw outOfBounds(pos, 24 + template.dataSize, end);
    pos += 24 + template.dataSize;
  }
  if (pos + 4 > end) throw outOfBounds(pos, 4, end);
  const count = u32(b, pos);
  pos += 4;
  if (count * 4 > end - pos) return undefined;
  if (count > TYPES.length) grow(count);
  const types = TYPES;
  const ats = ATS;
  const sizes = SIZES;
  for (let i = 0; i < count; i++, pos += 4) {
    sizes[i] = b[pos]! | (b[pos + 1]! << 8);
    types[i] = b[pos + 2]!;
  }
  for (let i = 0; i < count; i++) {
    const size = sizes[i]!;
    if (pos + size > end) throw outOfBounds(pos, size, end);
    ats[i] = pos;
    pos += size;
  }
  if (pos < end && b[pos] !== TOKENS.eof) return undefined;
  const compiled = compiledOf(template.nodes);
  if (compiled === undefined) return undefined;
  // An array value directly in <Event> would repeat the root element: the tree path then.
  const rootSubsts = compiled.root.substs;
  for (let i = 0; i < rootSubsts.length; i++) {
    const x = rootSubsts[i]!.index;
    if (x < count && (types[x]! & ARRAY_FLAG) !== 0 && (types[x]! & 0x7f) !== VALUE_TYPES.binXml) return undefined;
  }
  VALUES.types = types;
  VALUES.ats = ats;
  VALUES.sizes = sizes;
  VALUES.count = count;
  return compiled;
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** The substitution values of the last `instanceOf` (the arrays are replaced when they grow). */
export const VALUES = { types: TYPES, ats: ATS, sizes: SIZES, count: 0 };
