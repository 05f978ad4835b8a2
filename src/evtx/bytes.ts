/**
 * A bounds-checked little-endian reader over a `Uint8Array`. Every read checks
 * its range against the reader's window and throws `EvtxError` (code
 * `evtx.out-of-bounds`, offset of the read) rather than returning garbage.
 * Offsets are relative to the start of `bytes` (for BinXML: the chunk).
 */
import { EVTX_CODES, EvtxError } from './errors.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

export class ByteReader {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    /** Current position (absolute within `bytes`). */
    public pos = 0,
    /** Reads must end at or before this offset. */
    public end = bytes.length,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (end > bytes.length) this.end = bytes.length;
  }

  /** Throws unless `[at, at + n)` lies inside the window. */
  check(at: number, n: number): void {
    if (at < 0 || n < 0 || at + n > this.end) {
      throw new EvtxError(EVTX_CODES.outOfBounds, at, `read of ${n} byte(s) at offset ${at} past the end (${this.end})`);
    }
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  u8(): number {
    const v = this.u8At(this.pos);
    this.pos += 1;
    return v;
  }
  u16(): number {
    const v = this.u16At(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    const v = this.u32At(this.pos);
    this.pos += 4;
    return v;
  }
  u64(): bigint {
    const v = this.u64At(this.pos);
    this.pos += 8;
    return v;
  }
  skip(n: number): void {
    this.check(this.pos, n);
    this.pos += n;
  }

  u8At(at: number): number {
    this.check(at, 1);
    return this.bytes[at]!;
  }
  u16At(at: number): number {
    this.check(at, 2);
    return this.view.getUint16(at, true);
  }
  i16At(at: number): number {
    this.check(at, 2);
    return this.view.getInt16(at, true);
  }
  u32At(at: number): number {
    this.check(at, 4);
    return this.view.getUint32(at, true);
  }
  i32At(at: number): number {
    this.check(at, 4);
    return this.view.getInt32(at, true);
  }
  u64At(at: number): bigint {
    this.check(at, 8);
    return this.view.getBigUint64(at, true);
  }
  i64At(at: number): bigint {
    this.check(at, 8);
    return this.view.getBigInt64(at, true);
  }
  /** A uint64 as a number; precise up to 2^53 (record ids, chunk numbers), approximate beyond. */
  u64NumberAt(at: number): number {
    return Number(this.u64At(at));
  }
  f32At(at: number): number {
    this.check(at, 4);
    return this.view.getFloat32(at, true);
  }
  f64At(at: number): number {
    this.check(at, 8);
    return this.view.getFloat64(at, true);
  }

  /** `n` UTF-16LE code units at `at`; lone surrogates are kept as they are. */
  utf16At(at: number, n: number): string {
    this.check(at, n * 2);
    return decodeUtf16(this.bytes, at, n);
  }

  /** `n` UTF-16LE code units at the current position. */
  utf16(n: number): string {
    const s = this.utf16At(this.pos, n);
    this.pos += n * 2;
    return s;
  }

  /** A GUID at `at` rendered as Windows does: `{5770385F-C22A-43E0-BF4C-06F5698FFBD9}`. */
  guidAt(at: number): string {
    this.check(at, 16);
    const b = this.bytes;
    const h = (i: number): string => HEX[b[at + i]!]!;
    return (
      '{' + h(3) + h(2) + h(1) + h(0) + '-' + h(5) + h(4) + '-' + h(7) + h(6) + '-' + h(8) + h(9) + '-' +
      h(10) + h(11) + h(12) + h(13) + h(14) + h(15) + '}'
    );
  }

  /** Upper-case hex of `n` bytes at `at`. */
  hexAt(at: number, n: number): string {
    this.check(at, n);
    return hexOf(this.bytes, at, at + n);
  }

  sliceAt(at: number, n: number): Uint8Array {
    this.check(at, n);
    return this.bytes.subarray(at, at + n);
  }
}

/** Upper-case hex of `bytes[start, end)`. */
export function hexOf(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = '';
  for (let i = start; i < end; i++) s += HEX[bytes[i]!]!;
  return s;
}

/** Keeps a leading U+FEFF (the default decoder would drop it as a byte order mark). */
const UTF16 = new TextDecoder('utf-16le', { ignoreBOM: true });

/** Scratch arrays for `decodeUtf16` of short strings: `SHORT_UNITS[n]` has n items. */
const SHORT_UNITS: number[][] = Array.from({ length: 24 }, (_, n) => new Array<number>(n).fill(0));

/** Decodes `n` UTF-16LE code units at `at` (no bounds check: callers check); lone surrogates are kept. */
export function decodeUtf16(bytes: Uint8Array, at: number, n: number): string {
  if (n < 24) {
    // Short strings (names, numbers): the units into a reused array of exactly n items, one
    // `fromCharCode` (beats the decoder's call overhead, and a string built char by char).
    const units = SHORT_UNITS[n]!;
    for (let k = 0, i = at; k < n; k++, i += 2) units[k] = bytes[i]! | (bytes[i + 1]! << 8);
    return String.fromCharCode.apply(null, units);
  }
  const s = UTF16.decode(bytes.subarray(at, at + 2 * n));
  // The decoder turns a lone surrogate into U+FFFD; such strings (rare) are decoded unit by unit.
  return s.indexOf('\uFFFD') < 0 ? s : decodeUnits(bytes, at, n);
}

function decodeUnits(bytes: Uint8Array, at: number, n: number): string {
  let out = '';
  const units: number[] = [];
  for (let i = 0; i < n; i++) {
    units.push(bytes[at + 2 * i]! | (bytes[at + 2 * i + 1]! << 8));
    if (units.length === 4096) {
      out += String.fromCharCode(...units);
      units.length = 0;
    }
  }
  return units.length > 0 ? out + String.fromCharCode(...units) : out;
}
