/**
 * The eval function library: `if`, `case`, `match`, `strftime`, `mvindex`, ...
 *
 * Each function receives its arguments already evaluated (the evaluator in
 * `spl/engine` does that) and returns an `EvalValue`. Shared rules, from
 * Splunk's Search Reference "Evaluation functions" pages:
 * - a null argument makes the result null, except in functions about nulls
 *   (`isnull`, `coalesce`, `if`, `case`, `mvappend`, ...);
 * - text that looks like a decimal number is a number to numeric functions
 *   (`round("2.5")`), because Splunk field values arrive as text;
 * - string functions given a multivalue field apply to each value (`lower`,
 *   `replace`, `substr`, ...), and `len` does too (the docs say `len` does not
 *   support multivalue fields; per-value is the least surprising reading);
 * - bad argument types that Splunk rejects at search time throw an
 *   `EvalFunctionError` with a stable code.
 *
 * Function names are case-sensitive: the docs state "Evaluation expressions
 * are case-sensitive" (Search Reference, "Overview of SPL2 eval functions")
 * and Splunk rejects `IF(...)` as an unknown function; `suggestFunction`
 * offers the lower-case name.
 */

import { closest } from '../language/errors.js';
import { compilePcre, type CompiledPcre } from '../regex/pcre.js';
import { pcreReplace } from '../regex/sed.js';
import { strftime as formatTime, strptime as parseTime } from '../time/format.js';
import { relativeTime } from '../time/relative.js';
import { fromValues, scalarToString, toNumber, type EvalValue, type Scalar } from '../values.js';

export interface EvalContext {
  /** Epoch seconds, fixed for the whole search (`now()`). */
  readonly now: number;
  /** `UTC` by default; fixed offsets like `+02:00` and IANA names also work. */
  readonly timezone: string;
}

export interface EvalFunction {
  readonly name: string;
  readonly minArgs: number;
  /** `Infinity` for variadic functions. */
  readonly maxArgs: number;
  readonly call: (args: readonly EvalValue[], ctx: EvalContext) => EvalValue;
}

export type EvalFunctionErrorCode = 'spl.eval.bad-argument' | 'spl.regex.unsupported' | 'spl.regex.syntax';

/** A call Splunk rejects at search time (e.g. `if()` with a non-boolean condition). */
export class EvalFunctionError extends Error {
  override readonly name = 'EvalFunctionError';
  constructor(
    readonly code: EvalFunctionErrorCode,
    message: string,
    readonly fn: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------
// Argument helpers

type Args = readonly EvalValue[];

const arg = (args: Args, i: number): EvalValue => (i < args.length ? (args[i] as EvalValue) : null);

/** Text form of a single value; booleans print as Splunk does (`True`/`False`). */
function text(v: EvalValue): string | null {
  if (v === null) return null;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return v.length === 0 ? null : scalarToString(v[0] as Scalar);
  return scalarToString(v as Scalar);
}

/** Number of a single value (first value of a multivalue), or null. */
function num(v: EvalValue): number | null {
  if (v === null || typeof v === 'boolean') return null;
  const s = Array.isArray(v) ? v[0] : (v as Scalar);
  if (s === undefined) return null;
  return toNumber(s) ?? null;
}

/** Scalars of a value (empty for null; booleans as text). */
function list(v: EvalValue): readonly Scalar[] {
  if (v === null) return [];
  if (typeof v === 'boolean') return [v ? 'True' : 'False'];
  return Array.isArray(v) ? v : [v as Scalar];
}

/** Applies `f` to each value; nulls are dropped; an empty result is null. */
function mapValues(v: EvalValue, f: (s: Scalar) => Scalar | null): EvalValue {
  if (v === null) return null;
  if (typeof v === 'boolean') return f(v ? 'True' : 'False');
  if (!Array.isArray(v)) return f(v as Scalar);
  const out: Scalar[] = [];
  for (const s of v as readonly Scalar[]) {
    const r = f(s);
    if (r !== null) out.push(r);
  }
  return fromValues(out) ?? null;
}

function mapText(v: EvalValue, f: (s: string) => Scalar | null): EvalValue {
  return mapValues(v, (s) => f(scalarToString(s)));
}

function mapNumber(v: EvalValue, f: (n: number) => number | null): EvalValue {
  return mapValues(v, (s) => {
    const n = toNumber(s);
    if (n === undefined) return null;
    const r = f(n);
    return r === null || Number.isNaN(r) ? null : r;
  });
}

function regexArg(fn: string, pattern: EvalValue): CompiledPcre | null {
  const p = text(pattern);
  if (p === null) return null;
  const r = compilePcre(p);
  if ('error' in r) {
    throw new EvalFunctionError(r.error.code, `${fn}(): ${r.error.message}${r.error.offset === undefined ? '' : ` at offset ${r.error.offset}`} in regex "${p}"`, fn);
  }
  return r.compiled;
}

/** Splunk equality for nullif(): numeric when both are numbers, else text. */
function sameValue(a: EvalValue, b: EvalValue): boolean {
  const na = num(a);
  const nb = num(b);
  if (na !== null && nb !== null) return na === nb;
  return text(a) === text(b);
}

function bool(fn: string, v: EvalValue, position: string): boolean {
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  // Splunk: "The arguments to the 'if' function are invalid" when the condition is not boolean.
  throw new EvalFunctionError('spl.eval.bad-argument', `${fn}(): the ${position} argument must be a boolean expression`, fn);
}

// ---------------------------------------------------------------------------
// Numbers

/**
 * Rounds half away from zero on the decimal form, so `round(2.555, 2)` is
 * 2.56 as in Splunk's "Mathematical functions" page (binary 2.555 is below
 * the half).
 */
export function roundTo(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const d = Math.trunc(digits);
  const a = Math.abs(x);
  let r: number;
  if (/e/i.test(String(a))) {
    const f = 10 ** d;
    r = Math.round(a * f) / f;
  } else {
    r = Number(`${Math.round(Number(`${a}e${d}`))}e${-d}`);
  }
  return x < 0 ? -r : r;
}

function groupThousands(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * `tostring(X, "duration")`: `[D+]HH:MM:SS`, with microseconds when X has a
 * fraction. The `D+` day prefix and the fraction follow Splunk's output;
 * the docs only show `615` to `00:10:15`.
 */
function durationText(secs: number): string {
  const neg = secs < 0;
  const a = Math.abs(secs);
  const whole = Math.floor(a);
  const micros = Math.round((a - whole) * 1e6);
  const days = Math.floor(whole / 86400);
  const h = Math.floor((whole % 86400) / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const p2 = (n: number): string => String(n).padStart(2, '0');
  let out = `${days > 0 ? `${days}+` : ''}${p2(h)}:${p2(m)}:${p2(s)}`;
  if (micros > 0) out += `.${String(micros).padStart(6, '0')}`;
  return (neg ? '-' : '') + out;
}

/** `tostring(X, Y)` for one value; see "Conversion functions". */
function toStringValue(v: Scalar | boolean, format: string | null): string | null {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (format === null) return scalarToString(v);
  const n = toNumber(v);
  if (n === undefined) return scalarToString(v);
  switch (format) {
    case 'hex':
      // tostring(15, "hex") is 0xF.
      return (n < 0 ? '-0x' : '0x') + Math.trunc(Math.abs(n)).toString(16).toUpperCase();
    case 'commas': {
      // Decimals are rounded to two places (Conversion functions page).
      if (Number.isInteger(n)) return (n < 0 ? '-' : '') + groupThousands(String(Math.abs(n)));
      const fixed = Math.abs(roundTo(n, 2)).toFixed(2);
      const [i, f] = fixed.split('.') as [string, string];
      return (n < 0 ? '-' : '') + groupThousands(i) + '.' + f;
    }
    case 'duration':
      return durationText(n);
    default:
      return scalarToString(v);
  }
}

/**
 * `tonumber(X, base)`: base 2-36; `0x` allowed for base 16. Text with
 * leading or trailing spaces is not a number (Conversion functions page).
 */
function toNumberValue(v: Scalar, base: number): number | null {
  if (typeof v === 'number') return base === 10 ? v : toNumberValue(String(v), base);
  if (base === 10) {
    if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(v)) return null;
    return Number(v);
  }
  const m = /^([+-]?)(0x)?([0-9a-z]+)$/i.exec(v);
  if (!m || (m[2] && base !== 16)) return null;
  const digits = (m[3] as string).toLowerCase();
  let n = 0;
  for (const c of digits) {
    const d = parseInt(c, 36);
    if (d >= base) return null;
    n = n * base + d;
  }
  return m[1] === '-' ? -n : n;
}

// ---------------------------------------------------------------------------
// printf

/** C-style `printf` as Splunk documents it (flags `-+ 0#'`, width, precision, `*`). */
export function printf(format: string, values: readonly EvalValue[]): string {
  let next = 0;
  const take = (): EvalValue => (next < values.length ? (values[next++] as EvalValue) : null);
  return format.replace(/%([-+ 0#']*)(\*|\d+)?(?:\.(\*|\d*))?(?:hh|h|ll|l|L|q|j|z|t)?([diouxXeEfFgGcs%])/g, (_whole, flags: string, w?: string, p?: string, conv?: string) => {
    if (conv === '%') return '%';
    let width = w === '*' ? (num(take()) ?? 0) : w === undefined ? 0 : Number(w);
    let left = flags.includes('-');
    if (width < 0) {
      left = true;
      width = -width;
    }
    const precision = p === undefined ? undefined : p === '*' ? (num(take()) ?? 0) : p === '' ? 0 : Number(p);
    const v = take();
    let body: string;
    let numeric = true;
    let negative = false;
    const n = num(v) ?? 0;
    switch (conv) {
      case 'd':
      case 'i':
      case 'u': {
        const t = Math.trunc(n);
        negative = t < 0;
        body = String(Math.abs(t));
        if (precision !== undefined) body = body.padStart(precision, '0');
        if (flags.includes("'")) body = groupThousands(body);
        break;
      }
      case 'o':
      case 'x':
      case 'X': {
        const t = Math.trunc(n);
        negative = t < 0;
        body = Math.abs(t).toString(conv === 'o' ? 8 : 16);
        if (conv === 'X') body = body.toUpperCase();
        if (precision !== undefined) body = body.padStart(precision, '0');
        if (flags.includes('#') && t !== 0) body = (conv === 'o' ? '0' : conv === 'x' ? '0x' : '0X') + body;
        break;
      }
      case 'f':
      case 'F': {
        negative = n < 0 || Object.is(n, -0);
        body = Number.isFinite(n) ? Math.abs(n).toFixed(precision ?? 6) : Number.isNaN(n) ? 'nan' : 'inf';
        if (flags.includes("'")) {
          const [i, f] = body.split('.') as [string, string | undefined];
          body = groupThousands(i) + (f === undefined ? '' : '.' + f);
        }
        break;
      }
      case 'e':
      case 'E':
        negative = n < 0;
        body = cExponential(Math.abs(n), precision ?? 6);
        if (conv === 'E') body = body.toUpperCase();
        break;
      case 'g':
      case 'G': {
        negative = n < 0;
        body = cGeneral(Math.abs(n), precision ?? 6, flags.includes('#'));
        if (conv === 'G') body = body.toUpperCase();
        break;
      }
      case 'c': {
        numeric = false;
        const nv = typeof v === 'number' ? v : null;
        body = nv !== null ? String.fromCodePoint(nv) : ([...(text(v) ?? '')][0] ?? '');
        break;
      }
      default: {
        numeric = false;
        body = v === null ? '' : Array.isArray(v) ? v.map((s) => scalarToString(s as Scalar)).join(',') : (text(v) ?? '');
        if (precision !== undefined) body = [...body].slice(0, precision).join('');
      }
    }
    let sign = '';
    if (numeric) sign = negative ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    const len = sign.length + body.length;
    if (len >= width) return sign + body;
    if (left) return sign + body + ' '.repeat(width - len);
    if (numeric && flags.includes('0') && (precision === undefined || /[fFeEgG]/.test(conv ?? ''))) return sign + '0'.repeat(width - len) + body;
    return ' '.repeat(width - len) + sign + body;
  });
}

function cExponential(a: number, precision: number): string {
  if (!Number.isFinite(a)) return Number.isNaN(a) ? 'nan' : 'inf';
  const [mant, exp] = a.toExponential(precision).split('e') as [string, string];
  const e = Number(exp);
  return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function cGeneral(a: number, precision: number, alt: boolean): string {
  if (!Number.isFinite(a)) return Number.isNaN(a) ? 'nan' : 'inf';
  const P = precision === 0 ? 1 : precision;
  const X = a === 0 ? 0 : Number(a.toExponential(P - 1).split('e')[1]);
  let s = P > X && X >= -4 ? a.toFixed(P - 1 - X) : cExponential(a, P - 1);
  if (!alt) s = s.replace(/\.?0+(?=e|$)/, (m) => (m.startsWith('.') || s.includes('.') ? '' : m));
  return s;
}

// ---------------------------------------------------------------------------
// like, cidrmatch, urldecode, JSON paths

const likeCache = new Map<string, RegExp>();

/** SQL LIKE: `%` any run, `_` one character, `\` escapes; case-sensitive, whole value. */
export function likeToRegExp(pattern: string): RegExp {
  let re = likeCache.get(pattern);
  if (re) return re;
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      src += (pattern[++i] as string).replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
    } else if (c === '%') src += '[\\s\\S]*';
    else if (c === '_') src += '[\\s\\S]';
    else src += c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  }
  re = new RegExp(`^${src}$`);
  if (likeCache.size > 1000) likeCache.clear();
  likeCache.set(pattern, re);
  return re;
}

function parseIPv4(s: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return undefined;
  let n = 0n;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return undefined;
    n = (n << 8n) | BigInt(o);
  }
  return n;
}

function parseIPv6(s: string): bigint | undefined {
  let t = s.trim().replace(/%.*$/, '');
  if (!/^[0-9a-fA-F:.]+$/.test(t) || !t.includes(':')) return undefined;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (v4) {
    const n = parseIPv4(v4[1] as string);
    if (n === undefined) return undefined;
    t = t.slice(0, -(v4[1] as string).length) + ((n >> 16n) & 0xffffn).toString(16) + ':' + (n & 0xffffn).toString(16);
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? (halves[0] as string).split(':') : [];
  const tail = halves.length === 2 && halves[1] ? (halves[1] as string).split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

/** `cidrmatch("10.0.0.0/8", ip)`; IPv4 and IPv6; a CIDR without `/n` is one address. */
export function cidrMatch(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.trim().split('/') as [string, string | undefined];
  const v4 = parseIPv4(base);
  const total = v4 !== undefined ? 32 : 128;
  const net = v4 ?? parseIPv6(base);
  if (net === undefined) return false;
  const bits = bitsText === undefined ? total : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > total) return false;
  const addr = total === 32 ? parseIPv4(ip) : parseIPv6(ip);
  if (addr === undefined) return false;
  const shift = BigInt(total - bits);
  return addr >> shift === net >> shift;
}

/** Percent-decoding as UTF-8; malformed escapes are kept as written; `+` stays `+`. */
export function urlDecode(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  });
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Splunk JSON paths (`a.b{0}.c`, `a{}.b`): `{}` fans out over an array. */
function jsonPathValues(root: Json, path: string): Json[] {
  let current: Json[] = [root];
  const re = /([^.{}]+)|\{(\d*)\}/g;
  for (const m of path.matchAll(re)) {
    const next: Json[] = [];
    for (const node of current) {
      if (m[1] !== undefined) {
        if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.prototype.hasOwnProperty.call(node, m[1])) {
          next.push(node[m[1]] as Json);
        }
      } else if (Array.isArray(node)) {
        if (m[2] === '') next.push(...node);
        else if (Number(m[2]) < node.length) next.push(node[Number(m[2])] as Json);
      }
    }
    current = next;
  }
  return current;
}

function jsonScalar(v: Json): Scalar {
  if (v === null) return 'null';
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return JSON.stringify(v);
}

function parseJson(s: string): Json | undefined {
  try {
    return JSON.parse(s) as Json;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// min / max

/**
 * `min`/`max` (Statistical eval functions page): values that are numbers
 * compare numerically; text that is not a number compares lexically and
 * ranks above every number.
 */
function extreme(args: Args, wantMax: boolean): EvalValue {
  let bestNum: number | undefined;
  let bestStr: string | undefined;
  for (const a of args) {
    for (const s of list(a)) {
      const n = toNumber(s);
      if (n !== undefined) {
        if (bestNum === undefined || (wantMax ? n > bestNum : n < bestNum)) bestNum = n;
      } else if (bestStr === undefined || (wantMax ? s > bestStr : s < bestStr)) bestStr = s as string;
    }
  }
  if (wantMax) return bestStr ?? bestNum ?? null;
  return bestNum ?? bestStr ?? null;
}

// ---------------------------------------------------------------------------
// Hashes (pure JS: the SPL core may not import node:crypto)

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function hex32(words: readonly number[], littleEndian = false): string {
  let out = '';
  for (const w of words) {
    for (let i = 0; i < 4; i++) {
      const byte = littleEndian ? (w >>> (8 * i)) & 0xff : (w >>> (24 - 8 * i)) & 0xff;
      out += byte.toString(16).padStart(2, '0');
    }
  }
  return out;
}

/** Message padded to 64-byte blocks with its bit length (big- or little-endian). */
function padMessage(bytes: Uint8Array, littleEndian: boolean): DataView {
  const len = bytes.length;
  const total = Math.ceil((len + 9) / 64) * 64;
  const buf = new Uint8Array(total);
  buf.set(bytes);
  buf[len] = 0x80;
  const view = new DataView(buf.buffer);
  const bits = len * 8;
  const hi = Math.floor(bits / 0x100000000);
  const lo = bits >>> 0;
  if (littleEndian) {
    view.setUint32(total - 8, lo, true);
    view.setUint32(total - 4, hi, true);
  } else {
    view.setUint32(total - 8, hi);
    view.setUint32(total - 4, lo);
  }
  return view;
}

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

const SHA256_K = Array.from({ length: 64 }, (_, i) => {
  // First 32 bits of the fractional parts of the cube roots of the first 64 primes.
  const primes: number[] = [];
  for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  const c = Math.cbrt(primes[i] as number);
  return Math.floor((c - Math.floor(c)) * 0x100000000) >>> 0;
});

export function sha256(s: string): string {
  const view = padMessage(utf8(s), false);
  const H = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const W = new Array<number>(64);
  for (let off = 0; off < view.byteLength; off += 64) {
    for (let t = 0; t < 16; t++) W[t] = view.getUint32(off + t * 4);
    for (let t = 16; t < 64; t++) {
      const w15 = W[t - 15] as number;
      const w2 = W[t - 2] as number;
      const s0 = rotl(w15, 25) ^ rotl(w15, 14) ^ (w15 >>> 3);
      const s1 = rotl(w2, 15) ^ rotl(w2, 13) ^ (w2 >>> 10);
      W[t] = ((W[t - 16] as number) + s0 + (W[t - 7] as number) + s1) | 0;
    }
    let [a, b, c, d, e, f, g, h] = H as [number, number, number, number, number, number, number, number];
    for (let t = 0; t < 64; t++) {
      const S1 = rotl(e, 26) ^ rotl(e, 21) ^ rotl(e, 7);
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + (SHA256_K[t] as number) + (W[t] as number)) | 0;
      const S0 = rotl(a, 30) ^ rotl(a, 19) ^ rotl(a, 10);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    const add = [a, b, c, d, e, f, g, h];
    for (let i = 0; i < 8; i++) H[i] = ((H[i] as number) + (add[i] as number)) | 0;
  }
  return hex32(H);
}

export function sha1(s: string): string {
  const view = padMessage(utf8(s), false);
  const H = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const W = new Array<number>(80);
  for (let off = 0; off < view.byteLength; off += 64) {
    for (let t = 0; t < 16; t++) W[t] = view.getUint32(off + t * 4);
    for (let t = 16; t < 80; t++) W[t] = rotl((W[t - 3] as number) ^ (W[t - 8] as number) ^ (W[t - 14] as number) ^ (W[t - 16] as number), 1);
    let [a, b, c, d, e] = H as [number, number, number, number, number];
    for (let t = 0; t < 80; t++) {
      const [f, k] = t < 20 ? [(b & c) | (~b & d), 0x5a827999] : t < 40 ? [b ^ c ^ d, 0x6ed9eba1] : t < 60 ? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc] : [b ^ c ^ d, 0xca62c1d6];
      const temp = (rotl(a, 5) + f + e + k + (W[t] as number)) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = temp;
    }
    const add = [a, b, c, d, e];
    for (let i = 0; i < 5; i++) H[i] = ((H[i] as number) + (add[i] as number)) | 0;
  }
  return hex32(H);
}

const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const MD5_K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) >>> 0);

export function md5(s: string): string {
  const view = padMessage(utf8(s), true);
  const H = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  for (let off = 0; off < view.byteLength; off += 64) {
    const M = Array.from({ length: 16 }, (_, t) => view.getUint32(off + t * 4, true));
    let [a, b, c, d] = H as [number, number, number, number];
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const temp = d;
      d = c;
      c = b;
      b = (b + rotl((a + f + (MD5_K[i] as number) + (M[g] as number)) | 0, MD5_S[(i >> 4) * 4 + (i % 4)] as number)) | 0;
      a = temp;
    }
    H[0] = ((H[0] as number) + a) | 0;
    H[1] = ((H[1] as number) + b) | 0;
    H[2] = ((H[2] as number) + c) | 0;
    H[3] = ((H[3] as number) + d) | 0;
  }
  return hex32(H, true);
}

// ---------------------------------------------------------------------------
// The table

const fn = (name: string, minArgs: number, maxArgs: number, call: EvalFunction['call']): EvalFunction => ({ name, minArgs, maxArgs, call });

/** Unary math over each value, null for non-numbers. */
const math1 = (name: string, f: (n: number) => number): EvalFunction => fn(name, 1, 1, (a) => mapNumber(arg(a, 0), f));

const DEFINITIONS: readonly EvalFunction[] = [
  // --- Comparison and conditional functions
  fn('if', 3, 3, (a) => (bool('if', arg(a, 0), 'first') ? arg(a, 1) : arg(a, 2))),
  fn('case', 2, Infinity, (a) => {
    // Pairs of (condition, value); no match gives null (Comparison and Conditional functions).
    for (let i = 0; i + 1 < a.length; i += 2) if (bool('case', arg(a, i), 'condition')) return arg(a, i + 1);
    return null;
  }),
  fn('coalesce', 1, Infinity, (a) => a.find((v) => v !== null) ?? null),
  fn('nullif', 2, 2, (a) => (sameValue(arg(a, 0), arg(a, 1)) ? null : arg(a, 0))),
  fn('validate', 2, Infinity, (a) => {
    // Returns the string paired with the first condition that is false.
    for (let i = 0; i + 1 < a.length; i += 2) if (!bool('validate', arg(a, i), 'condition')) return arg(a, i + 1);
    return null;
  }),
  fn('isnull', 1, 1, (a) => arg(a, 0) === null),
  fn('isnotnull', 1, 1, (a) => arg(a, 0) !== null),
  fn('like', 2, 2, (a) => {
    const p = text(arg(a, 1));
    if (arg(a, 0) === null || p === null) return null;
    const re = likeToRegExp(p);
    return list(arg(a, 0)).some((s) => re.test(scalarToString(s)));
  }),
  fn('match', 2, 2, (a) => {
    const re = regexArg('match', arg(a, 1));
    if (arg(a, 0) === null || re === null) return null;
    return list(arg(a, 0)).some((s) => re.regex.test(scalarToString(s)));
  }),
  fn('cidrmatch', 2, 2, (a) => {
    const cidr = text(arg(a, 0));
    if (cidr === null || arg(a, 1) === null) return null;
    return list(arg(a, 1)).some((s) => cidrMatch(cidr, scalarToString(s)));
  }),
  fn('in', 1, Infinity, (a) => {
    const v = arg(a, 0);
    if (v === null) return false;
    return a.slice(1).some((x) => x !== null && list(v).some((s) => sameValue(s, x)));
  }),
  fn('true', 0, 0, () => true),
  fn('false', 0, 0, () => false),
  fn('null', 0, 0, () => null),

  // --- Conversion functions
  fn('tonumber', 1, 2, (a) => {
    const base = a.length > 1 ? num(arg(a, 1)) : 10;
    if (base === null || !Number.isInteger(base) || base < 2 || base > 36) {
      throw new EvalFunctionError('spl.eval.bad-argument', 'tonumber(): the base must be an integer from 2 to 36', 'tonumber');
    }
    return mapValues(arg(a, 0), (s) => toNumberValue(s, base));
  }),
  fn('tostring', 1, 2, (a) => {
    const v = arg(a, 0);
    const format = a.length > 1 ? text(arg(a, 1)) : null;
    if (v === null) return null;
    if (typeof v === 'boolean') return toStringValue(v, format);
    return mapValues(v, (s) => toStringValue(s, format));
  }),
  fn('printf', 1, Infinity, (a) => {
    const f = text(arg(a, 0));
    return f === null ? null : printf(f, a.slice(1));
  }),

  // --- Text functions
  fn('len', 1, 1, (a) => mapText(arg(a, 0), (s) => [...s].length)),
  fn('length', 1, 1, (a) => mapText(arg(a, 0), (s) => [...s].length)),
  fn('lower', 1, 1, (a) => mapText(arg(a, 0), (s) => s.toLowerCase())),
  fn('upper', 1, 1, (a) => mapText(arg(a, 0), (s) => s.toUpperCase())),
  ...(['trim', 'ltrim', 'rtrim'] as const).map((name) =>
    fn(name, 1, 2, (a) => {
      // Default set is space and tab (Text functions page).
      const chars = a.length > 1 ? text(arg(a, 1)) : ' \t';
      if (chars === null) return null;
      const set = new Set(chars);
      return mapText(arg(a, 0), (s) => {
        let start = 0;
        let end = s.length;
        if (name !== 'rtrim') while (start < end && set.has(s[start] as string)) start++;
        if (name !== 'ltrim') while (end > start && set.has(s[end - 1] as string)) end--;
        return s.slice(start, end);
      });
    }),
  ),
  fn('replace', 3, 3, (a) => {
    const re = regexArg('replace', arg(a, 1));
    const repl = text(arg(a, 2));
    if (re === null || repl === null) return null;
    return mapText(arg(a, 0), (s) => pcreReplace(s, re, repl));
  }),
  fn('substr', 2, 3, (a) => {
    // 1-based start; a negative start counts from the end (Text functions page).
    const start = num(arg(a, 1));
    const length = a.length > 2 ? num(arg(a, 2)) : undefined;
    if (start === null || length === null) return null;
    return mapText(arg(a, 0), (s) => {
      const chars = [...s];
      let from = Math.trunc(start);
      from = from < 0 ? Math.max(0, chars.length + from) : Math.max(0, from - 1);
      const to = length === undefined ? chars.length : from + Math.max(0, Math.trunc(length));
      return chars.slice(from, to).join('');
    });
  }),
  fn('split', 2, 2, (a) => {
    const sep = text(arg(a, 1));
    if (arg(a, 0) === null || sep === null) return null;
    const out: string[] = [];
    for (const s of list(arg(a, 0))) out.push(...(sep === '' ? [...scalarToString(s)] : scalarToString(s).split(sep)));
    return fromValues(out) ?? null;
  }),
  fn('urldecode', 1, 1, (a) => mapText(arg(a, 0), urlDecode)),

  // --- Multivalue functions
  fn('mvappend', 1, Infinity, (a) => fromValues(a.flatMap((v) => list(v))) ?? null),
  fn('mvcount', 1, 1, (a) => (arg(a, 0) === null ? null : list(arg(a, 0)).length)),
  fn('mvdedup', 1, 1, (a) => {
    const seen = new Set<string>();
    const out: Scalar[] = [];
    for (const s of list(arg(a, 0))) {
      const k = scalarToString(s);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(s);
      }
    }
    return fromValues(out) ?? null;
  }),
  fn('mvindex', 2, 3, (a) => {
    // 0-based, negative from the end, end index inclusive (Multivalue eval functions).
    const vs = list(arg(a, 0));
    const s = num(arg(a, 1));
    if (vs.length === 0 || s === null) return null;
    const n = vs.length;
    const from = Math.trunc(s) < 0 ? n + Math.trunc(s) : Math.trunc(s);
    if (from < 0 || from >= n) return null;
    if (a.length < 3) return vs[from] as Scalar;
    const e = num(arg(a, 2));
    if (e === null) return null;
    let to = Math.trunc(e) < 0 ? n + Math.trunc(e) : Math.trunc(e);
    if (to >= n) to = n - 1;
    if (to < from) return null;
    return fromValues(vs.slice(from, to + 1)) ?? null;
  }),
  fn('mvjoin', 2, 2, (a) => {
    const sep = text(arg(a, 1));
    if (arg(a, 0) === null || sep === null) return null;
    return list(arg(a, 0)).map(scalarToString).join(sep);
  }),
  fn('mvfind', 2, 2, (a) => {
    const re = regexArg('mvfind', arg(a, 1));
    if (re === null) return null;
    const i = list(arg(a, 0)).findIndex((s) => re.regex.test(scalarToString(s)));
    return i < 0 ? null : i;
  }),
  fn('mvsort', 1, 1, (a) => {
    // Lexicographic on the text form: "10" sorts before "9".
    const out = [...list(arg(a, 0))].sort((x, y) => {
      const sx = scalarToString(x);
      const sy = scalarToString(y);
      return sx < sy ? -1 : sx > sy ? 1 : 0;
    });
    return fromValues(out) ?? null;
  }),
  fn('mvzip', 2, 3, (a) => {
    const x = list(arg(a, 0));
    const y = list(arg(a, 1));
    const sep = a.length > 2 ? text(arg(a, 2)) : ',';
    if (x.length === 0 || y.length === 0 || sep === null) return null;
    const n = Math.min(x.length, y.length);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(scalarToString(x[i] as Scalar) + sep + scalarToString(y[i] as Scalar));
    return fromValues(out) ?? null;
  }),
  fn('mvrange', 2, 3, (a) => {
    const start = num(arg(a, 0));
    const end = num(arg(a, 1));
    let step: number | null = 1;
    if (a.length > 2) {
      const st = text(arg(a, 2));
      const span = st === null ? null : /^(\d+)\s*(s|m|h|d|w)$/.exec(st);
      step = span ? Number(span[1]) * ({ s: 1, m: 60, h: 3600, d: 86400, w: 604800 } as const)[span[2] as 's'] : num(arg(a, 2));
    }
    if (start === null || end === null || step === null || step === 0) return null;
    const out: number[] = [];
    for (let v = start; step > 0 ? v < end : v > end; v += step) {
      out.push(v);
      if (out.length > 100000) break;
    }
    return fromValues(out) ?? null;
  }),

  // --- Mathematical functions
  math1('abs', Math.abs),
  math1('ceil', Math.ceil),
  math1('ceiling', Math.ceil),
  math1('floor', Math.floor),
  math1('sqrt', (n) => (n < 0 ? NaN : Math.sqrt(n))),
  math1('exp', Math.exp),
  math1('ln', (n) => (n <= 0 ? NaN : Math.log(n))),
  fn('log', 1, 2, (a) => {
    const base = a.length > 1 ? num(arg(a, 1)) : 10;
    if (base === null || base <= 0 || base === 1) return null;
    return mapNumber(arg(a, 0), (n) => (n <= 0 ? null : Math.log(n) / Math.log(base)));
  }),
  fn('pow', 2, 2, (a) => {
    const y = num(arg(a, 1));
    return y === null ? null : mapNumber(arg(a, 0), (x) => x ** y);
  }),
  fn('round', 1, 2, (a) => {
    const digits = a.length > 1 ? num(arg(a, 1)) : 0;
    return digits === null ? null : mapNumber(arg(a, 0), (x) => roundTo(x, digits));
  }),
  fn('sigfig', 1, 1, (a) => mapNumber(arg(a, 0), (x) => (x === 0 ? 0 : Number(x.toPrecision(Math.min(100, Math.max(1, String(Math.abs(x)).replace(/^0\.0*|\.|e.*$/g, '').length))))))),
  fn('exact', 1, 1, (a) => arg(a, 0)),
  fn('pi', 0, 0, () => Math.PI),
  fn('random', 0, 0, () => Math.floor(Math.random() * 2 ** 31)),
  math1('acos', Math.acos),
  math1('acosh', Math.acosh),
  math1('asin', Math.asin),
  math1('asinh', Math.asinh),
  math1('atan', Math.atan),
  math1('atanh', Math.atanh),
  math1('cos', Math.cos),
  math1('cosh', Math.cosh),
  math1('sin', Math.sin),
  math1('sinh', Math.sinh),
  math1('tan', Math.tan),
  math1('tanh', Math.tanh),
  fn('atan2', 2, 2, (a) => {
    const y = num(arg(a, 0));
    const x = num(arg(a, 1));
    return y === null || x === null ? null : Math.atan2(y, x);
  }),
  fn('hypot', 2, 2, (a) => {
    const x = num(arg(a, 0));
    const y = num(arg(a, 1));
    return x === null || y === null ? null : Math.hypot(x, y);
  }),

  // --- Statistical eval functions
  fn('min', 1, Infinity, (a) => extreme(a, false)),
  fn('max', 1, Infinity, (a) => extreme(a, true)),

  // --- Informational functions. Field text that looks like a number is a
  // number here, as Splunk types extracted field values.
  fn('isbool', 1, 1, (a) => typeof arg(a, 0) === 'boolean'),
  fn('isnum', 1, 1, (a) => num(arg(a, 0)) !== null && !Array.isArray(arg(a, 0))),
  fn('isint', 1, 1, (a) => {
    const n = Array.isArray(arg(a, 0)) ? null : num(arg(a, 0));
    return n !== null && Number.isInteger(n);
  }),
  fn('isstr', 1, 1, (a) => {
    const v = arg(a, 0);
    return typeof v === 'string' && toNumber(v) === undefined;
  }),
  fn('typeof', 1, 1, (a) => {
    const v = arg(a, 0);
    if (v === null) return 'Invalid';
    if (typeof v === 'boolean') return 'Boolean';
    if (Array.isArray(v)) return 'Multivalue';
    return typeof v === 'number' || toNumber(v as Scalar) !== undefined ? 'Number' : 'String';
  }),

  // --- Date and time functions
  fn('now', 0, 0, (_a, ctx) => ctx.now),
  // Wall-clock time at the moment of the call, unlike now() (Date and Time functions).
  fn('time', 0, 0, () => Math.round(Date.now() * 1000) / 1e6),
  fn('strftime', 2, 2, (a, ctx) => {
    const f = text(arg(a, 1));
    if (f === null) return null;
    return mapValues(arg(a, 0), (s) => {
      const n = toNumber(s);
      return n === undefined ? null : formatTime(n, f, ctx.timezone);
    });
  }),
  fn('strptime', 2, 2, (a, ctx) => {
    const f = text(arg(a, 1));
    if (f === null) return null;
    return mapText(arg(a, 0), (s) => parseTime(s, f, ctx.timezone));
  }),
  fn('relative_time', 2, 2, (a, ctx) => {
    const m = text(arg(a, 1));
    if (m === null) return null;
    return mapNumber(arg(a, 0), (n) => relativeTime(n, m, ctx.timezone));
  }),

  // --- Cryptographic functions
  fn('md5', 1, 1, (a) => mapText(arg(a, 0), md5)),
  fn('sha1', 1, 1, (a) => mapText(arg(a, 0), sha1)),
  fn('sha256', 1, 1, (a) => mapText(arg(a, 0), sha256)),

  // --- JSON functions
  fn('json_valid', 1, 1, (a) => {
    const s = text(arg(a, 0));
    return s === null ? null : parseJson(s) !== undefined;
  }),
  fn('json_extract', 1, Infinity, (a) => {
    const s = text(arg(a, 0));
    if (s === null) return null;
    const root = parseJson(s);
    if (root === undefined) return null;
    if (a.length === 1) return jsonScalar(root);
    const out: Scalar[] = [];
    for (const p of a.slice(1)) {
      const path = text(p);
      if (path === null) continue;
      const vs = jsonPathValues(root, path);
      // Several matches (a {} fan-out) come back as one JSON array, as Splunk prints them.
      if (vs.length === 1) out.push(jsonScalar(vs[0] as Json));
      else if (vs.length > 1) out.push(JSON.stringify(vs));
    }
    return fromValues(out) ?? null;
  }),
  fn('spath', 2, 2, (a) => {
    // JSON input only; XML input gives null (known gap).
    const s = text(arg(a, 0));
    const path = text(arg(a, 1));
    if (s === null || path === null) return null;
    const root = parseJson(s);
    if (root === undefined) return null;
    return fromValues(jsonPathValues(root, path).map(jsonScalar)) ?? null;
  }),
];

export const EVAL_FUNCTIONS: Readonly<Record<string, EvalFunction>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, EvalFunction>, Object.fromEntries(DEFINITIONS.map((d) => [d.name, d]))),
);

/**
 * The function called `name`, in any case: Splunk runs ESCU's `CASE(...)`,
 * `LIKE(...)` and `ISNOTNULL(...)` (32 production detections), so eval
 * function names are not case-sensitive, whatever the SPL2 manual says.
 */
export function lookupFunction(name: string): EvalFunction | undefined {
  return EVAL_FUNCTIONS[name] ?? EVAL_FUNCTIONS[name.toLowerCase()];
}

/** The closest known function name, for "did you mean" (`IF` gives `if`, `mvcnt` gives `mvcount`). */
export function suggestFunction(name: string): string | undefined {
  const exactCase = EVAL_FUNCTIONS[name.toLowerCase()];
  if (exactCase) return exactCase.name;
  return closest(name, Object.keys(EVAL_FUNCTIONS));
}
