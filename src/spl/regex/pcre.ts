/**
 * PCRE to JavaScript RegExp translation.
 *
 * Splunk compiles `rex`, `regex`, `match()`, `replace()` patterns with PCRE.
 * JavaScript's engine differs in small ways that change results on Windows
 * event text, so the translator rewrites every construct whose meaning
 * differs instead of passing the pattern through:
 *
 * - `.` matches `\r` in PCRE (only `\n` is a newline by default); JS `.`
 *   refuses `\r`, which event Message text is full of. `.` becomes `[^\n]`.
 * - `$` without `(?m)` also matches before a final `\n` in PCRE.
 * - Inline flags anywhere (`(?i)`, `(?-i)`, `(?i:...)`) are applied by
 *   rewriting the affected atoms (letters become `[aA]`), since Node 20's
 *   engine has no modifier groups.
 * - Atomic groups and possessive quantifiers become `(?=(X))\N`, which is
 *   exactly atomic in JS because lookaheads never backtrack into.
 * - PCRE group numbers are kept stable for callers through `jsIndex`,
 *   because the hidden groups above shift JS numbering.
 *
 * Constructs that JS cannot express (recursion, conditionals, `\K`, `\G`,
 * branch reset, backtracking verbs) give a `spl.regex.unsupported` error with
 * the offset of the construct: never a silently different pattern.
 */

export type PcreErrorCode = 'spl.regex.unsupported' | 'spl.regex.syntax';

export interface PcreError {
  readonly code: PcreErrorCode;
  readonly message: string;
  /** Offset in the PCRE pattern text. */
  readonly offset?: number;
}

export interface CompiledPcre {
  /** The translated pattern, no `g` flag: safe to share (`test`, `exec` are stateless). */
  readonly regex: RegExp;
  /** Same pattern with `g`, for replace-all; `String.prototype.replace` resets `lastIndex`. */
  readonly global: RegExp;
  /** The PCRE text this was compiled from. */
  readonly pattern: string;
  /** Number of PCRE capture groups. */
  readonly groupCount: number;
  /** PCRE group number (1-based; index 0 unused) to its name, when named. */
  readonly groupNames: readonly (string | undefined)[];
  /** PCRE group number to JS match index (hidden groups shift JS numbering). */
  readonly jsIndex: readonly number[];
}

export type PcreResult = { readonly regex: RegExp; readonly compiled: CompiledPcre } | { readonly error: PcreError };

/** Value of PCRE group `n` in a JS match of `compiled` (`undefined` when it did not take part). */
export function groupValue(compiled: CompiledPcre, m: RegExpExecArray | RegExpMatchArray, n: number): string | undefined {
  if (n === 0) return m[0];
  const j = compiled.jsIndex[n];
  return j === undefined ? undefined : m[j];
}

/**
 * Named groups of a match in pattern order, as `[name, value]`. With duplicate
 * names (`(?J)`) the first group that took part wins, as in PCRE.
 */
export function namedGroups(compiled: CompiledPcre, m: RegExpExecArray | RegExpMatchArray): [string, string | undefined][] {
  const out = new Map<string, string | undefined>();
  for (let n = 1; n <= compiled.groupCount; n++) {
    const name = compiled.groupNames[n];
    if (name === undefined) continue;
    const v = groupValue(compiled, m, n);
    if (!out.has(name) || (out.get(name) === undefined && v !== undefined)) out.set(name, v);
  }
  return [...out];
}

// ---------------------------------------------------------------------------
// Cache

const CACHE_LIMIT = 1000;
const cache = new Map<string, PcreResult>();

/**
 * Compiles a PCRE pattern to a JS RegExp, cached (bounded LRU).
 * `flags` are PCRE option letters applied as if written `(?flags)` at the start.
 *
 * @example compilePcre('(?i)^cmd\\.exe$') // { regex: /^(?:cmd)\.exe(?=\n?$)/i, ... }
 */
export function compilePcre(pattern: string, flags = ''): PcreResult {
  const key = `${flags}\u0000${pattern}`;
  const hit = cache.get(key);
  if (hit !== undefined) {
    // Re-insert to mark as most recently used.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const result = translate(pattern, flags);
  cache.set(key, result);
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return result;
}

// ---------------------------------------------------------------------------
// Translation

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  /** `(?n)`: plain parentheses do not capture. */
  n: boolean;
  /** `(?J)`: duplicate names allowed. */
  J: boolean;
}

/** A capture-group opening, or a backreference, rendered once JS numbering is known. */
type Piece = string | { readonly open: number; readonly name?: string } | { readonly ref: number; readonly at: number };

interface Frame {
  readonly start: number;
  readonly saved: Flags;
  readonly atomic?: { readonly hidden: number };
}

class PcreSyntax extends Error {
  constructor(
    readonly code: PcreErrorCode,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const SYNTAX_CHARS = new Set('\\^$.|?*+()[]{}/'.split(''));
const H_CLASS = '\\t \\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000';
const V_CLASS = '\\n\\x0B\\f\\r\\x85\\u2028\\u2029';

// PCRE2 POSIX classes, ASCII meaning (Splunk does not set PCRE2_UCP).
const POSIX: Readonly<Record<string, string>> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: '0-9A-Za-z',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\t\\n\\x0B\\f\\r ',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1F\\x7F',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
  ascii: '\\x00-\\x7F',
};

class Translator {
  private readonly p: string;
  private pos = 0;
  private flags: Flags;
  /** JS `i` flag used for the whole pattern: letters need no rewriting. */
  private readonly nativeI: boolean;
  private needU = false;
  private readonly out: Piece[] = [];
  private readonly frames: Frame[] = [];
  /** Start (index in `out`) of the last quantifiable atom, or -1. */
  private atomStart = -1;
  private groupCount = 0;
  private hiddenCount = 0;
  private readonly groupNames: (string | undefined)[] = [undefined];
  private readonly names = new Map<string, number[]>();
  private readonly pendingNamedRefs: { name: string; index: number; at: number }[] = [];

  constructor(pattern: string, flags: string) {
    this.p = pattern;
    this.flags = { i: false, m: false, s: false, x: false, n: false, J: false };
    for (const f of flags) this.setFlag(f, true, 0);
    // Use the engine's own caseless mode when `i` is on from the start and
    // never switched off: same meaning, shorter and faster source.
    const leading = /^(?:\(\?[imsxnJ]*\))*/.exec(pattern)?.[0] ?? '';
    const turnsOffI = /\(\?[a-zA-Z]*-[a-zA-Z]*i/.test(pattern);
    this.nativeI = !turnsOffI && (flags.includes('i') || /\(\?[a-zA-Z]*i/.test(leading));
  }

  run(): PcreResult {
    // Leading PCRE2 start-of-pattern options that do not change matching here.
    const verb = /^\(\*(UTF8?|UCP|NO_AUTO_POSSESS|NO_START_OPT|NO_DOTSTAR_ANCHOR|NO_JIT)\)/;
    for (let m = verb.exec(this.p.slice(this.pos)); m; m = verb.exec(this.p.slice(this.pos))) this.pos += m[0].length;
    while (this.pos < this.p.length) this.step();
    if (this.frames.length > 0) throw new PcreSyntax('spl.regex.syntax', 'missing closing parenthesis', this.p.length);
    return this.finish();
  }

  private finish(): PcreResult {
    for (const r of this.pendingNamedRefs) {
      const targets = this.names.get(r.name);
      if (!targets) throw new PcreSyntax('spl.regex.syntax', `reference to non-existent subpattern "${r.name}"`, r.at);
      this.out[r.index] = { ref: targets[0] as number, at: r.at };
    }
    // Assign JS numbers to every capture opening in source order.
    const jsOf = new Map<number, number>();
    let js = 0;
    for (const piece of this.out) if (typeof piece === 'object' && 'open' in piece) jsOf.set(piece.open, ++js);
    let src = '';
    for (const piece of this.out) {
      if (typeof piece === 'string') src += piece;
      else if ('open' in piece) src += '(';
      else {
        const n = jsOf.get(piece.ref);
        if (n === undefined) throw new PcreSyntax('spl.regex.syntax', 'reference to non-existent subpattern', piece.at);
        // Wrapped so a following literal digit is not read as part of the number.
        src += `(?:\\${n})`;
      }
    }
    const jsIndex: number[] = [0];
    for (let g = 1; g <= this.groupCount; g++) jsIndex.push(jsOf.get(g) as number);
    const flags = (this.nativeI ? 'i' : '') + (this.needU ? 'u' : '');
    let regex: RegExp;
    let global: RegExp;
    try {
      regex = new RegExp(src, flags);
      global = new RegExp(src, `${flags}g`);
    } catch (e) {
      return { error: { code: 'spl.regex.syntax', message: `invalid regular expression: ${(e as Error).message}` } };
    }
    const compiled: CompiledPcre = {
      regex,
      global,
      pattern: this.p,
      groupCount: this.groupCount,
      groupNames: this.groupNames,
      jsIndex,
    };
    return { regex, compiled };
  }

  private setFlag(f: string, on: boolean, at: number): void {
    switch (f) {
      case 'i':
      case 'm':
      case 's':
      case 'x':
      case 'n':
      case 'J':
        this.flags[f] = on;
        return;
      case 'U':
        throw new PcreSyntax('spl.regex.unsupported', 'ungreedy option (?U) is not supported', at);
      default:
        throw new PcreSyntax('spl.regex.syntax', `unrecognized option letter "${f}"`, at);
    }
  }

  private emitAtom(text: Piece | Piece[]): void {
    this.atomStart = this.out.length;
    if (Array.isArray(text)) this.out.push(...text);
    else this.out.push(text);
  }

  private step(): void {
    const c = this.p[this.pos] as string;
    if (this.flags.x) {
      if (c === '#') {
        const nl = this.p.indexOf('\n', this.pos);
        this.pos = nl < 0 ? this.p.length : nl + 1;
        return;
      }
      if (/\s/.test(c)) {
        this.pos++;
        return;
      }
    }
    switch (c) {
      case '\\':
        this.escape();
        return;
      case '[':
        this.charClass();
        return;
      case '(':
        this.openGroup();
        return;
      case ')':
        this.closeGroup();
        return;
      case '|':
        this.pos++;
        this.out.push('|');
        this.atomStart = -1;
        return;
      case '.':
        this.pos++;
        this.emitAtom(this.flags.s ? '[\\s\\S]' : '[^\\n]');
        return;
      case '^':
        this.pos++;
        this.out.push(this.flags.m ? '(?:^|(?<=\\n)(?!$))' : '^');
        this.atomStart = -1;
        return;
      case '$':
        this.pos++;
        this.out.push(this.flags.m ? '(?=\\n|$)' : '(?=\\n?$)');
        this.atomStart = -1;
        return;
      case '*':
      case '+':
      case '?':
        this.quantifier(c);
        return;
      case '{': {
        const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.p.slice(this.pos));
        if (m) {
          this.quantifier(m[0]);
          return;
        }
        this.pos++;
        this.literal('{');
        return;
      }
      default:
        this.pos++;
        this.literal(c);
    }
  }

  private quantifier(q: string): void {
    const at = this.pos;
    this.pos += q.length;
    if (this.atomStart < 0) {
      throw new PcreSyntax('spl.regex.syntax', `quantifier "${q}" does not follow a repeatable item`, at);
    }
    const next = this.p[this.pos];
    if (next === '?') {
      this.pos++;
      this.out.push(q + '?');
      this.atomStart = -1;
    } else if (next === '+') {
      this.pos++;
      // Possessive: X*+ is (?>X*), written (?=(X*))\N.
      const inner = this.out.splice(this.atomStart);
      const hidden = -++this.hiddenCount;
      this.out.push('(?=', { open: hidden }, ...inner, q, '))', { ref: hidden, at });
      this.atomStart = -1;
    } else {
      this.out.push(q);
      this.atomStart = -1;
    }
  }

  /** A literal character, folded to `[xX]` when caseless locally. */
  private literal(ch: string): void {
    if (this.flags.i && !this.nativeI) {
      const lo = ch.toLowerCase();
      const up = ch.toUpperCase();
      if (lo !== up && lo.length === 1 && up.length === 1) {
        this.emitAtom(`[${classChar(lo)}${classChar(up)}]`);
        return;
      }
    }
    this.emitAtom(literalChar(ch));
  }

  private escape(): void {
    const at = this.pos;
    const c = this.p[this.pos + 1];
    if (c === undefined) throw new PcreSyntax('spl.regex.syntax', '\\ at end of pattern', at);
    this.pos += 2;
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        this.emitAtom('\\' + c);
        return;
      case 's':
        // PCRE2's \s is ASCII whitespace; JS's adds Unicode spaces.
        this.emitAtom('[\\t\\n\\x0B\\f\\r ]');
        return;
      case 'S':
        this.emitAtom('[^\\t\\n\\x0B\\f\\r ]');
        return;
      case 'b':
      case 'B':
        this.out.push('\\' + c);
        this.atomStart = -1;
        return;
      case 'h':
        this.emitAtom(`[${H_CLASS}]`);
        return;
      case 'H':
        this.emitAtom(`[^${H_CLASS}]`);
        return;
      case 'v':
        this.emitAtom(`[${V_CLASS}]`);
        return;
      case 'V':
        this.emitAtom(`[^${V_CLASS}]`);
        return;
      case 'R':
        this.emitAtom(`(?:\\r\\n|[${V_CLASS}])`);
        return;
      case 'N':
        if (this.p[this.pos] === '{') throw new PcreSyntax('spl.regex.unsupported', '\\N{...} is not supported', at);
        this.emitAtom('[^\\n]');
        return;
      case 'A':
        this.out.push('(?<![\\s\\S])');
        this.atomStart = -1;
        return;
      case 'z':
        this.out.push('(?![\\s\\S])');
        this.atomStart = -1;
        return;
      case 'Z':
        this.out.push('(?=\\n?(?![\\s\\S]))');
        this.atomStart = -1;
        return;
      case 'G':
        throw new PcreSyntax('spl.regex.unsupported', '\\G (anchor at end of previous match) is not supported', at);
      case 'K':
        throw new PcreSyntax('spl.regex.unsupported', '\\K (reset match start) is not supported', at);
      case 'X':
      case 'C':
        throw new PcreSyntax('spl.regex.unsupported', `\\${c} is not supported`, at);
      case 'Q': {
        const end = this.p.indexOf('\\E', this.pos);
        const text = this.p.slice(this.pos, end < 0 ? this.p.length : end);
        this.pos = end < 0 ? this.p.length : end + 2;
        for (const ch of text) this.literal(ch);
        return;
      }
      case 'E':
        return; // A stray \E is ignored by PCRE.
      case 'p':
      case 'P':
        this.emitAtom(this.unicodeProperty(c, at));
        return;
      case 'g':
      case 'k':
        this.namedOrRelativeRef(c, at);
        return;
      default:
        break;
    }
    if (c >= '1' && c <= '9') {
      const digits = /^\d*/.exec(this.p.slice(this.pos))?.[0] ?? '';
      const n = Number(c + digits);
      // PCRE: \1-\9 are always backreferences; larger numbers only when that
      // many groups exist so far, else octal.
      if (n < 10 || n <= this.groupCount) {
        this.pos += digits.length;
        this.emitAtom({ ref: n, at });
        return;
      }
      const oct = /^[0-7]{1,3}/.exec(c + digits)?.[0];
      if (oct === undefined) throw new PcreSyntax('spl.regex.syntax', `reference to non-existent subpattern ${n}`, at);
      this.pos += oct.length - 1;
      this.literal(String.fromCharCode(parseInt(oct, 8)));
      return;
    }
    const ch = this.simpleEscape(c, at);
    this.literal(ch);
  }

  /** Escapes meaning one character, shared by classes and the main pattern. */
  private simpleEscape(c: string, at: number): string {
    switch (c) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'f':
        return '\f';
      case 'e':
        return '\x1B';
      case 'a':
        return '\x07';
      case '0': {
        const oct = /^[0-7]{0,2}/.exec(this.p.slice(this.pos))?.[0] ?? '';
        this.pos += oct.length;
        return String.fromCharCode(parseInt('0' + oct, 8));
      }
      case 'o': {
        const m = /^\{([0-7]+)\}/.exec(this.p.slice(this.pos));
        if (!m) throw new PcreSyntax('spl.regex.syntax', 'malformed \\o{...}', at);
        this.pos += m[0].length;
        return this.codePoint(parseInt(m[1] as string, 8), at);
      }
      case 'x': {
        const braced = /^\{([0-9A-Fa-f]+)\}/.exec(this.p.slice(this.pos));
        if (braced) {
          this.pos += braced[0].length;
          return this.codePoint(parseInt(braced[1] as string, 16), at);
        }
        const hex = /^[0-9A-Fa-f]{0,2}/.exec(this.p.slice(this.pos))?.[0] ?? '';
        this.pos += hex.length;
        return String.fromCharCode(hex === '' ? 0 : parseInt(hex, 16));
      }
      case 'c': {
        const x = this.p[this.pos];
        if (x === undefined) throw new PcreSyntax('spl.regex.syntax', '\\c at end of pattern', at);
        this.pos++;
        return String.fromCharCode(x.toUpperCase().charCodeAt(0) ^ 0x40);
      }
      default:
        if (/[A-Za-z0-9]/.test(c)) {
          throw new PcreSyntax('spl.regex.syntax', `unrecognized escape sequence \\${c}`, at);
        }
        return c;
    }
  }

  private codePoint(cp: number, at: number): string {
    if (cp > 0x10ffff) throw new PcreSyntax('spl.regex.syntax', 'character code point value is too large', at);
    return String.fromCodePoint(cp);
  }

  private unicodeProperty(c: 'p' | 'P', at: number): string {
    let name: string;
    let negate = c === 'P';
    const braced = /^\{(\^?)([A-Za-z_&]+)\}/.exec(this.p.slice(this.pos));
    if (braced) {
      this.pos += braced[0].length;
      if (braced[1]) negate = !negate;
      name = braced[2] as string;
    } else {
      const one = this.p[this.pos];
      if (one === undefined || !/[A-Za-z]/.test(one)) throw new PcreSyntax('spl.regex.syntax', `malformed \\${c}`, at);
      this.pos++;
      name = one;
    }
    if (name === 'Any') return negate ? '[^\\s\\S]' : '[\\s\\S]';
    if (name === 'L&') name = 'LC';
    const general = /^(?:[LMNPSZC][a-z]?|LC)$/.test(name);
    const prop = general ? name : `Script=${name}`;
    this.needU = true;
    return `\\${negate ? 'P' : 'p'}{${prop}}`;
  }

  private namedOrRelativeRef(c: 'g' | 'k', at: number): void {
    const rest = this.p.slice(this.pos);
    const m = c === 'g' ? /^(?:\{(-?\d+|[A-Za-z_]\w*)\}|(-?\d+))/.exec(rest) : /^(?:<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)'|\{([A-Za-z_]\w*)\})/.exec(rest);
    if (!m) throw new PcreSyntax('spl.regex.syntax', `malformed \\${c} reference`, at);
    this.pos += m[0].length;
    const target = (m[1] ?? m[2] ?? m[3]) as string;
    if (/^-?\d+$/.test(target)) {
      let n = Number(target);
      if (n < 0) n = this.groupCount + 1 + n;
      if (n <= 0) throw new PcreSyntax('spl.regex.syntax', 'reference to non-existent subpattern', at);
      this.emitAtom({ ref: n, at });
      return;
    }
    this.namedRef(target, at);
  }

  private namedRef(name: string, at: number): void {
    this.atomStart = this.out.length;
    this.pendingNamedRefs.push({ name, index: this.out.length, at });
    this.out.push(''); // Placeholder, resolved in finish() once all names are known.
  }

  private openGroup(): void {
    const at = this.pos;
    const rest = this.p.slice(this.pos);
    const push = (frame: Omit<Frame, 'saved' | 'start'>, flags: Flags = this.flags): void => {
      this.frames.push({ start: this.out.length, saved: { ...this.flags }, ...frame });
      this.flags = { ...flags };
    };
    if (rest.startsWith('(*')) {
      throw new PcreSyntax('spl.regex.unsupported', `backtracking control verb ${/^\(\*[^)]*\)?/.exec(rest)?.[0] ?? '(*'} is not supported`, at);
    }
    if (!rest.startsWith('(?')) {
      this.pos++;
      push({});
      if (this.flags.n) this.out.push('(?:');
      else this.out.push({ open: this.newGroup(undefined, at) });
      return;
    }
    let m: RegExpExecArray | null;
    if (rest.startsWith('(?#')) {
      const end = this.p.indexOf(')', this.pos);
      if (end < 0) throw new PcreSyntax('spl.regex.syntax', 'missing ) after (?# comment', at);
      this.pos = end + 1;
      return;
    }
    if ((m = /^\(\?(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(rest))) {
      this.pos += m[0].length;
      push({});
      const name = (m[1] ?? m[2]) as string;
      this.out.push({ open: this.newGroup(name, at) });
      return;
    }
    if ((m = /^\(\?P=([A-Za-z_]\w*)\)/.exec(rest))) {
      this.pos += m[0].length;
      this.namedRef(m[1] as string, at);
      return;
    }
    if ((m = /^\(\?(:|=|!|<=|<!)/.exec(rest))) {
      this.pos += m[0].length;
      push({});
      this.out.push(m[0]);
      return;
    }
    if (rest.startsWith('(?>')) {
      this.pos += 3;
      // Atomic group (?>X) is (?=(X))\N; the hidden group is closed in closeGroup().
      const hidden = -++this.hiddenCount;
      push({ atomic: { hidden } });
      this.out.push('(?=', { open: hidden });
      return;
    }
    if ((m = /^\(\?([imsxnJU]*)(?:-([imsxnJU]*))?(\)|:)/.exec(rest))) {
      this.pos += m[0].length;
      const next: Flags = { ...this.flags };
      const saved = this.flags;
      this.flags = next;
      let offset = at + 2;
      for (const f of m[1] ?? '') this.setFlag(f, true, offset++);
      offset++;
      for (const f of m[2] ?? '') this.setFlag(f, false, offset++);
      if (m[3] === ')') {
        // Applies to the rest of the enclosing group, which closeGroup() restores.
        return;
      }
      const scoped = this.flags;
      this.flags = saved;
      push({}, scoped);
      this.out.push('(?:');
      return;
    }
    const what = rest.startsWith('(?|')
      ? 'branch reset group (?|...)'
      : rest.startsWith('(?(')
        ? 'conditional group (?(...)...)'
        : /^\(\?(?:R|[+-]?\d|&|P>)/.test(rest)
          ? 'recursion / subroutine call'
          : rest.startsWith('(?C')
            ? 'callout'
            : undefined;
    if (what) throw new PcreSyntax('spl.regex.unsupported', `${what} is not supported`, at);
    throw new PcreSyntax('spl.regex.syntax', 'unrecognized character after (?', at);
  }

  private newGroup(name: string | undefined, at: number): number {
    const n = ++this.groupCount;
    this.groupNames.push(name);
    if (name !== undefined) {
      const list = this.names.get(name);
      if (list) {
        if (!this.flags.J) throw new PcreSyntax('spl.regex.syntax', `two named subpatterns have the same name "${name}"`, at);
        // JS (Node 20) rejects duplicate names: the duplicate captures unnamed
        // and namedGroups() reads it through groupNames.
        list.push(n);
      } else this.names.set(name, [n]);
    }
    return n;
  }

  private closeGroup(): void {
    const at = this.pos;
    this.pos++;
    const frame = this.frames.pop();
    if (!frame) throw new PcreSyntax('spl.regex.syntax', 'unmatched closing parenthesis', at);
    this.flags = frame.saved;
    if (frame.atomic) this.out.push('))', { ref: frame.atomic.hidden, at });
    else this.out.push(')');
    this.atomStart = frame.start;
  }

  private charClass(): void {
    const at = this.pos;
    // A whole class that is one negated POSIX class: [[:^alpha:]].
    const posixNeg = /^\[\[:\^([a-z]+):\]\]/.exec(this.p.slice(this.pos));
    if (posixNeg) {
      const body = POSIX[posixNeg[1] as string];
      if (body === undefined) throw new PcreSyntax('spl.regex.syntax', `unknown POSIX class name "${posixNeg[1]}"`, at);
      this.pos += posixNeg[0].length;
      this.emitAtom(`[^${body}]`);
      return;
    }
    this.pos++;
    let negate = false;
    if (this.p[this.pos] === '^') {
      negate = true;
      this.pos++;
    }
    const items: string[] = [];
    const fold = this.flags.i && !this.nativeI;
    let first = true;
    // Each entry is a single code point (for ranges and folding) or a raw class fragment.
    const singles: (number | string)[] = [];
    for (;;) {
      const c = this.p[this.pos];
      if (c === undefined) throw new PcreSyntax('spl.regex.syntax', 'missing terminating ] for character class', at);
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c === '[') {
        const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.p.slice(this.pos));
        if (posix) {
          const body = POSIX[posix[2] as string];
          if (body === undefined) throw new PcreSyntax('spl.regex.syntax', `unknown POSIX class name "${posix[2]}"`, this.pos);
          if (posix[1]) throw new PcreSyntax('spl.regex.unsupported', `negated POSIX class [:^${posix[2]}:] inside a larger class is not supported`, this.pos);
          this.pos += posix[0].length;
          // [:upper:] and [:lower:] match both cases when caseless (PCRE).
          singles.push(fold && (posix[2] === 'upper' || posix[2] === 'lower') ? 'A-Za-z' : body);
          continue;
        }
      }
      let cp: number | string;
      if (c === '\\') {
        cp = this.classEscape();
        if (cp === '') continue;
      } else {
        cp = this.p.codePointAt(this.pos) as number;
        this.pos += cp > 0xffff ? 2 : 1;
      }
      // Range a-z: the '-' must be followed by something other than ']'.
      if (typeof cp === 'number' && this.p[this.pos] === '-' && this.p[this.pos + 1] !== ']' && this.p[this.pos + 1] !== undefined) {
        const save = this.pos;
        this.pos++;
        let hi: number | string;
        const hc = this.p[this.pos] as string;
        if (hc === '\\') hi = this.classEscape();
        else if (hc === '[' && /^\[:[a-z]+:\]/.test(this.p.slice(this.pos))) hi = 'posix';
        else {
          hi = this.p.codePointAt(this.pos) as number;
          this.pos += hi > 0xffff ? 2 : 1;
        }
        if (typeof hi === 'number') {
          if (hi < cp) throw new PcreSyntax('spl.regex.syntax', 'range out of order in character class', save);
          items.push(...rangeItems(cp, hi, fold));
          continue;
        }
        // [a-\d] / [a-[:digit:]]: PCRE takes '-' literally.
        this.pos = save;
        items.push(...rangeItems(cp, cp, fold));
        continue;
      }
      if (typeof cp === 'number') items.push(...rangeItems(cp, cp, fold));
      else singles.push(cp);
    }
    const body = items.join('') + singles.join('');
    if (body === '') {
      // Cannot happen in PCRE syntax (']' first is literal), kept for safety.
      this.emitAtom(negate ? '[\\s\\S]' : '[^\\s\\S]');
      return;
    }
    this.emitAtom(`[${negate ? '^' : ''}${body}]`);
  }

  /** An escape inside a class: a code point, a raw fragment, or '' for nothing. */
  private classEscape(): number | string {
    const at = this.pos;
    const c = this.p[this.pos + 1];
    if (c === undefined) throw new PcreSyntax('spl.regex.syntax', '\\ at end of pattern', at);
    this.pos += 2;
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return '\\' + c;
      case 's':
        return '\\t\\n\\x0B\\f\\r ';
      case 'h':
        return H_CLASS;
      case 'v':
        return V_CLASS;
      case 'S':
      case 'H':
      case 'V':
        throw new PcreSyntax('spl.regex.unsupported', `\\${c} inside a character class is not supported`, at);
      case 'b':
        return 0x08;
      case 'p':
      case 'P':
        return this.unicodeProperty(c, at);
      case 'Q': {
        const end = this.p.indexOf('\\E', this.pos);
        const text = this.p.slice(this.pos, end < 0 ? this.p.length : end);
        this.pos = end < 0 ? this.p.length : end + 2;
        return [...text].map((ch) => classChar(ch)).join('');
      }
      case 'E':
        return '';
      default:
        if (c >= '1' && c <= '7') {
          const oct = /^[0-7]{0,2}/.exec(this.p.slice(this.pos))?.[0] ?? '';
          this.pos += oct.length;
          return parseInt(c + oct, 8);
        }
        return this.simpleEscape(c, at).codePointAt(0) as number;
    }
  }
}

/** Class fragments for lo..hi, adding the other case of letters when folding. */
function rangeItems(lo: number, hi: number, fold: boolean): string[] {
  const out = [lo === hi ? classChar(String.fromCodePoint(lo)) : `${classChar(String.fromCodePoint(lo))}-${classChar(String.fromCodePoint(hi))}`];
  if (!fold) return out;
  // ASCII letters fold by ranges; other letters one by one (ranges over them are rare).
  const addSpan = (a: number, b: number, delta: number): void => {
    const s = Math.max(lo, a);
    const e = Math.min(hi, b);
    if (s <= e) out.push(s === e ? classChar(String.fromCharCode(s + delta)) : `${classChar(String.fromCharCode(s + delta))}-${classChar(String.fromCharCode(e + delta))}`);
  };
  addSpan(0x41, 0x5a, 0x20);
  addSpan(0x61, 0x7a, -0x20);
  if (hi > 0x7f && hi - lo < 512) {
    for (let cp = Math.max(lo, 0x80); cp <= hi; cp++) {
      const ch = String.fromCodePoint(cp);
      for (const v of [ch.toLowerCase(), ch.toUpperCase()]) if (v !== ch && [...v].length === 1) out.push(classChar(v));
    }
  }
  return out;
}

function escapeCodeUnit(ch: string): string | undefined {
  const code = ch.codePointAt(0) as number;
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0').toUpperCase()}` : `\\u${code.toString(16).padStart(4, '0').toUpperCase()}`;
  }
  return undefined;
}

function literalChar(ch: string): string {
  return escapeCodeUnit(ch) ?? (SYNTAX_CHARS.has(ch) ? '\\' + ch : ch);
}

function classChar(ch: string): string {
  return escapeCodeUnit(ch) ?? ('\\]^-['.includes(ch) ? '\\' + ch : ch);
}

function translate(pattern: string, flags: string): PcreResult {
  try {
    return new Translator(pattern, flags).run();
  } catch (e) {
    if (e instanceof PcreSyntax) return { error: { code: e.code, message: e.message, offset: e.offset } };
    throw e;
  }
}
