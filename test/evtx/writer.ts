/**
 * Test-only EVTX writer: builds file bytes (file header, 64 KiB chunks with their
 * string and template tables and CRCs, records) from a small description, so
 * that every structure the reader handles has a byte-built fixture. Names and
 * template definitions are written inline on first use in a chunk and by offset
 * afterwards, as Windows does. Not a general-purpose EVTX writer.
 */
import { crc32, crc32Update } from '../../src/evtx/crc32.js';
import { isoToFileTime } from '../../src/evtx/render.js';

/* ----------------------------------------------------------- description */

/** A substitution in a template: `{ subst: 3, type: 0x08 }`, optional when `optional`. */
export interface WSubst {
  readonly subst: number;
  readonly type: number;
  readonly optional?: boolean;
}
export interface WCharRef {
  readonly charRef: number;
}
export interface WEntityRef {
  readonly entity: string;
}
export interface WCData {
  readonly cdata: string;
}
export type WPiece = string | WSubst | WCharRef | WEntityRef;
export type WNode = WElement | WPiece | WCData;
export interface WElement {
  readonly name: string;
  readonly attrs?: readonly (readonly [string, WPiece | readonly WPiece[]])[];
  readonly children?: readonly WNode[];
}

/** An encoded substitution value, or a nested BinXML value (type 0x21) encoded in place. */
export type WValue = { readonly type: number; readonly bytes: Uint8Array } | { readonly type: 0x21; readonly body: WBody };

export interface WTemplate {
  /** 16 bytes; the first 4 are also the template id in instances. */
  readonly guid: Uint8Array;
  readonly root: WElement;
}

export type WBody =
  | { readonly kind: 'template'; readonly template: WTemplate; readonly values: readonly WValue[] }
  | { readonly kind: 'plain'; readonly root: WElement };

export interface WRecord {
  readonly id: number;
  /** ISO time for the record header (default 2020-01-01). */
  readonly written?: string;
  readonly body: WBody;
  /** Raw bytes used instead of encoding `body` (damage fixtures). */
  readonly rawBinXml?: Uint8Array;
}

export interface WFileOptions {
  /** Records per chunk at most (default: as many as fit). */
  readonly recordsPerChunk?: number;
  /** File header flags (1 dirty, 2 full). */
  readonly flags?: number;
  /** Chunk count written in the header (default: the real count). */
  readonly headerChunkCount?: number;
}

/* --------------------------------------------------------------- values */

export const V = {
  null: (): WValue => ({ type: 0x00, bytes: new Uint8Array(0) }),
  string: (s: string): WValue => ({ type: 0x01, bytes: utf16(s) }),
  ansi: (s: string): WValue => ({ type: 0x02, bytes: Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff) }),
  int8: (n: number): WValue => le(0x03, 1, n),
  uint8: (n: number): WValue => le(0x04, 1, n),
  int16: (n: number): WValue => le(0x05, 2, n),
  uint16: (n: number): WValue => le(0x06, 2, n),
  int32: (n: number): WValue => le(0x07, 4, n),
  uint32: (n: number): WValue => le(0x08, 4, n),
  int64: (n: bigint): WValue => le64(0x09, n),
  uint64: (n: bigint): WValue => le64(0x0a, n),
  real32: (n: number): WValue => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, n, true);
    return { type: 0x0b, bytes: b };
  },
  real64: (n: number): WValue => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, n, true);
    return { type: 0x0c, bytes: b };
  },
  bool: (v: boolean): WValue => le(0x0d, 4, v ? 1 : 0),
  binary: (b: Uint8Array): WValue => ({ type: 0x0e, bytes: b }),
  guid: (g: string): WValue => ({ type: 0x0f, bytes: guidBytes(g) }),
  sizeT32: (n: number): WValue => ({ type: 0x10, bytes: le(0, 4, n).bytes }),
  sizeT64: (n: bigint): WValue => ({ type: 0x10, bytes: le64(0, n).bytes }),
  fileTime: (iso: string): WValue => le64(0x11, isoToFileTime(iso) ?? 0n),
  sysTime: (y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): WValue => {
    const b = new Uint8Array(16);
    const v = new DataView(b.buffer);
    [y, mo, 0, d, h, mi, s, ms].forEach((x, i) => v.setUint16(i * 2, x, true));
    return { type: 0x12, bytes: b };
  },
  sid: (s: string): WValue => ({ type: 0x13, bytes: sidBytes(s) }),
  hex32: (n: number): WValue => le(0x14, 4, n),
  hex64: (n: bigint): WValue => le64(0x15, n),
  binXml: (body: WBody): WValue => ({ type: 0x21, body }),
  /** An array value: items encoded with `item` and concatenated (strings NUL-terminated). */
  array: (type: number, items: readonly WValue[]): WValue => {
    const parts = items.map((i) => ('bytes' in i ? i.bytes : new Uint8Array(0)));
    const base = type & 0x7f;
    const withNul = base === 0x01 ? parts.map((p) => cat([p, new Uint8Array(2)])) : base === 0x02 ? parts.map((p) => cat([p, new Uint8Array(1)])) : parts;
    return { type: type | 0x80, bytes: cat(withNul) };
  },
  raw: (type: number, bytes: Uint8Array): WValue => ({ type, bytes }),
};

function le(type: number, n: number, v: number): { type: number; bytes: Uint8Array } {
  const b = new Uint8Array(n);
  const d = new DataView(b.buffer);
  if (n === 1) d.setUint8(0, v & 0xff);
  else if (n === 2) d.setUint16(0, v & 0xffff, true);
  else d.setUint32(0, v >>> 0, true);
  return { type, bytes: b };
}
function le64(type: number, v: bigint): { type: number; bytes: Uint8Array } {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
  return { type, bytes: b };
}

export function utf16(s: string): Uint8Array {
  const b = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    b[2 * i] = s.charCodeAt(i) & 0xff;
    b[2 * i + 1] = s.charCodeAt(i) >> 8;
  }
  return b;
}

/** `{5770385F-C22A-43E0-BF4C-06F5698FFBD9}` → its 16 stored bytes (first three groups little-endian). */
export function guidBytes(g: string): Uint8Array {
  const h = g.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(h)) throw new Error(`bad GUID ${g}`);
  const x = (i: number): number => parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return Uint8Array.from([x(3), x(2), x(1), x(0), x(5), x(4), x(7), x(6), x(8), x(9), x(10), x(11), x(12), x(13), x(14), x(15)]);
}

export function sidBytes(s: string): Uint8Array {
  const m = /^S-(\d+)-(\d+)((?:-\d+)*)$/.exec(s);
  if (m === null) throw new Error(`bad SID ${s}`);
  const subs = m[3] === '' ? [] : m[3]!.slice(1).split('-').map(Number);
  const b = new Uint8Array(8 + 4 * subs.length);
  const d = new DataView(b.buffer);
  b[0] = Number(m[1]);
  b[1] = subs.length;
  let auth = Number(m[2]);
  for (let i = 7; i >= 2; i--) {
    b[i] = auth % 256;
    auth = Math.floor(auth / 256);
  }
  subs.forEach((v, i) => d.setUint32(8 + 4 * i, v, true));
  return b;
}

export function cat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/* --------------------------------------------------------------- chunks */

class ChunkFull extends Error {}

const CHUNK_SIZE = 0x10000;

/** Windows' name hash (low 16 bits of hash × 65599 + code unit). */
function nameHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 65599) + s.charCodeAt(i)) >>> 0;
  return h & 0xffff;
}

class ChunkWriter {
  readonly buf = new Uint8Array(CHUNK_SIZE);
  readonly view = new DataView(this.buf.buffer);
  pos = 512;
  names = new Map<string, number>();
  templates = new Map<WTemplate, number>();
  strings = new Uint32Array(64);
  templatePtrs = new Uint32Array(32);
  records: { id: number; offset: number }[] = [];

  private need(n: number): void {
    if (this.pos + n > CHUNK_SIZE) throw new ChunkFull();
  }
  u8(v: number): void {
    this.need(1);
    this.buf[this.pos++] = v & 0xff;
  }
  u16(v: number): void {
    this.need(2);
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
  }
  u32(v: number): void {
    this.need(4);
    this.view.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
  }
  u64(v: bigint): void {
    this.need(8);
    this.view.setBigUint64(this.pos, v, true);
    this.pos += 8;
  }
  bytes(b: Uint8Array): void {
    this.need(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  str(s: string): void {
    this.u16(s.length);
    this.bytes(utf16(s));
  }

  name(s: string): void {
    const known = this.names.get(s);
    if (known !== undefined) {
      this.u32(known);
      return;
    }
    const at = this.pos + 4;
    this.u32(at);
    this.names.set(s, at);
    const h = nameHash(s);
    this.u32(this.strings[h % 64]!); // chain to the previous name in this bucket
    this.strings[h % 64] = at;
    this.u16(h);
    this.str(s);
    this.u16(0);
  }

  piece(p: WPiece | WCData): void {
    if (typeof p === 'string') {
      this.u8(0x05);
      this.u8(0x01);
      this.str(p);
    } else if ('subst' in p) {
      this.u8(p.optional === true ? 0x0e : 0x0d);
      this.u16(p.subst);
      this.u8(p.type);
    } else if ('charRef' in p) {
      this.u8(0x08);
      this.u16(p.charRef);
    } else if ('entity' in p) {
      this.u8(0x09);
      this.name(p.entity);
    } else {
      this.u8(0x07);
      this.str(p.cdata);
    }
  }

  element(e: WElement, noDependencyId = false): void {
    const attrs = e.attrs ?? [];
    this.u8(attrs.length > 0 ? 0x41 : 0x01);
    if (!noDependencyId) this.u16(0xffff);
    const sizeAt = this.pos;
    this.u32(0);
    this.name(e.name);
    if (attrs.length > 0) {
      const listAt = this.pos;
      this.u32(0);
      attrs.forEach(([n, v], i) => {
        this.u8(i < attrs.length - 1 ? 0x46 : 0x06);
        this.name(n);
        const pieces = Array.isArray(v) ? (v as readonly WPiece[]) : [v as WPiece];
        for (const p of pieces) this.piece(p);
      });
      this.view.setUint32(listAt, this.pos - listAt - 4, true);
    }
    const children = e.children ?? [];
    if (children.length === 0) this.u8(0x03);
    else {
      this.u8(0x02);
      for (const c of children) {
        if (typeof c === 'object' && 'name' in c) this.element(c);
        else this.piece(c);
      }
      this.u8(0x04);
    }
    this.view.setUint32(sizeAt, this.pos - sizeAt - 4, true);
  }

  body(b: WBody): void {
    this.bytes(Uint8Array.of(0x0f, 0x01, 0x01, 0x00));
    if (b.kind === 'plain') {
      this.element(b.root);
      this.u8(0x00);
      return;
    }
    const t = b.template;
    this.u8(0x0c);
    this.u8(0x01);
    this.bytes(t.guid.subarray(0, 4));
    const known = this.templates.get(t);
    if (known !== undefined) this.u32(known);
    else {
      const at = this.pos + 4;
      this.u32(at);
      this.templates.set(t, at);
      const bucket = this.view.getUint32(0, true) % 32; // any stable bucket
      this.u32(this.templatePtrs[bucket]!);
      this.templatePtrs[bucket] = at;
      this.bytes(t.guid);
      const sizeAt = this.pos;
      this.u32(0);
      this.bytes(Uint8Array.of(0x0f, 0x01, 0x01, 0x00));
      this.element(t.root);
      this.u8(0x00);
      this.view.setUint32(sizeAt, this.pos - sizeAt - 4, true);
    }
    this.u32(b.values.length);
    const descAt = this.pos;
    for (const v of b.values) {
      this.u16(0);
      this.u8(v.type);
      this.u8(0);
    }
    b.values.forEach((v, i) => {
      const start = this.pos;
      if ('bytes' in v) this.bytes(v.bytes);
      else this.body(v.body);
      this.view.setUint16(descAt + 4 * i, this.pos - start, true);
    });
    this.u8(0x00); // end of the document, as Windows writes it after the values
  }

  record(r: WRecord): void {
    const start = this.pos;
    this.bytes(Uint8Array.of(0x2a, 0x2a, 0, 0));
    this.u32(0);
    this.u64(BigInt(r.id));
    this.u64(isoToFileTime(r.written ?? '2020-01-01T00:00:00.0000000Z') ?? 0n);
    if (r.rawBinXml !== undefined) this.bytes(r.rawBinXml);
    else this.body(r.body);
    const size = this.pos - start + 4;
    this.u32(size);
    this.view.setUint32(start + 4, size, true);
    this.records.push({ id: r.id, offset: start });
  }

  /** Tries to add a record; false (and the chunk unchanged) when it does not fit. */
  tryRecord(r: WRecord): boolean {
    const snap = { pos: this.pos, names: new Map(this.names), templates: new Map(this.templates), strings: this.strings.slice(), ptrs: this.templatePtrs.slice() };
    try {
      this.record(r);
      return true;
    } catch (e) {
      if (!(e instanceof ChunkFull)) throw e;
      this.buf.fill(0, snap.pos);
      Object.assign(this, { pos: snap.pos, names: snap.names, templates: snap.templates, strings: snap.strings, templatePtrs: snap.ptrs });
      return false;
    }
  }

  finish(): Uint8Array {
    const b = this.buf;
    const v = this.view;
    b.set([0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00], 0);
    const first = this.records[0]?.id ?? 0;
    const last = this.records.at(-1)?.id ?? 0;
    v.setBigUint64(8, BigInt(first), true);
    v.setBigUint64(16, BigInt(last), true);
    v.setBigUint64(24, BigInt(first), true);
    v.setBigUint64(32, BigInt(last), true);
    v.setUint32(40, 128, true);
    v.setUint32(44, this.records.at(-1)?.offset ?? 512, true);
    v.setUint32(48, this.pos, true);
    for (let i = 0; i < 64; i++) v.setUint32(128 + 4 * i, this.strings[i]!, true);
    for (let i = 0; i < 32; i++) v.setUint32(384 + 4 * i, this.templatePtrs[i]!, true);
    v.setUint32(52, crc32(b, 512, this.pos), true);
    v.setUint32(124, crc32Update(crc32(b, 0, 120), b, 128, 512), true);
    return b;
  }
}

/** One chunk's bytes holding `records` (throws when they do not fit). */
export function writeChunk(records: readonly WRecord[]): Uint8Array {
  const c = new ChunkWriter();
  for (const r of records) if (!c.tryRecord(r)) throw new Error(`record ${r.id} does not fit in the chunk`);
  return c.finish();
}

/** The 4096-byte file header block. */
export function writeFileHeader(chunkCount: number, nextRecordId: number, flags = 0): Uint8Array {
  const b = new Uint8Array(4096);
  const v = new DataView(b.buffer);
  b.set([0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00], 0);
  v.setBigUint64(8, 0n, true);
  v.setBigUint64(16, BigInt(Math.max(chunkCount - 1, 0)), true);
  v.setBigUint64(24, BigInt(nextRecordId), true);
  v.setUint32(32, 128, true);
  v.setUint16(36, 1, true);
  v.setUint16(38, 3, true);
  v.setUint16(40, 4096, true);
  v.setUint16(42, chunkCount, true);
  v.setUint32(120, flags, true);
  v.setUint32(124, crc32(b, 0, 120), true);
  return b;
}

/** A whole EVTX file: header, then the records packed into as many chunks as needed. */
export function writeEvtx(records: readonly WRecord[], opts: WFileOptions = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  let c = new ChunkWriter();
  let n = 0;
  for (const r of records) {
    if (n === (opts.recordsPerChunk ?? Infinity) || !c.tryRecord(r)) {
      if (n === 0) throw new Error(`record ${r.id} does not fit in a chunk`);
      chunks.push(c.finish());
      c = new ChunkWriter();
      n = 0;
      if (!c.tryRecord(r)) throw new Error(`record ${r.id} does not fit in a chunk`);
    }
    n++;
  }
  if (n > 0) chunks.push(c.finish());
  const next = (records.at(-1)?.id ?? 0) + 1;
  return cat([writeFileHeader(opts.headerChunkCount ?? chunks.length, next, opts.flags ?? 0), ...chunks]);
}

/* ----------------------------------------------------------- slack space */

/**
 * Recomputes the records CRC (512 to the free space offset) and the header CRC
 * of chunk `n` of a whole file, after the test edited its bytes.
 */
export function fixChunkCrcs(file: Uint8Array, n: number): void {
  const at = 4096 + n * CHUNK_SIZE;
  const c = file.subarray(at, at + CHUNK_SIZE);
  const v = new DataView(c.buffer, c.byteOffset, c.byteLength);
  const free = Math.min(Math.max(v.getUint32(48, true), 512), c.length);
  v.setUint32(52, crc32(c, 512, free), true);
  v.setUint32(124, crc32Update(crc32(c, 0, 120), c, 128, 512), true);
}

/**
 * Lowers (or moves) the free space offset of chunk `n` to chunk offset `offset`,
 * CRCs kept valid: the records from there on sit in slack space, as records a
 * chunk no longer counts do.
 */
export function setFreeSpace(file: Uint8Array, n: number, offset: number): void {
  new DataView(file.buffer, file.byteOffset).setUint32(4096 + n * CHUNK_SIZE + 48, offset, true);
  fixChunkCrcs(file, n);
}
