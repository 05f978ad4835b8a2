/**
 * The SPL lexer. SPL is lexed in context: a word in the search language
 * (`C:\Windows\*`) is not a word in eval (`a.b+1`), so the parser asks for
 * the kind of token it expects and the scanner reads it at the current offset.
 */
import { SplError, type Span } from './errors.js';

export interface Word {
  readonly text: string;
  readonly span: Span;
}

export interface Quoted {
  readonly text: string;
  readonly span: Span;
}

/** Characters that end an unquoted search-language word. */
const SEARCH_WORD_STOP = new Set([' ', '\t', '\n', '\r', '(', ')', '=', '<', '>', ',', '|', '[', ']', '"']);

export class Scanner {
  pos = 0;
  constructor(
    readonly text: string,
    /** The user's text, for error messages. */
    readonly source: string,
    readonly toSource: (span: Span) => Span,
  ) {}

  error(code: string, message: string, span: Span, extra: { command?: string; suggestion?: string } = {}): SplError {
    return new SplError(code, message, this.toSource(span), this.source, extra);
  }

  skipWs(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** At the end of the current command: end of text, `|` or `]`. */
  atCommandEnd(): boolean {
    this.skipWs();
    const c = this.peek();
    return c === '' || c === '|' || c === ']';
  }

  /** Consumes `s` if the text continues with it (after whitespace). */
  eat(s: string): boolean {
    this.skipWs();
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  expect(s: string, what: string): Span {
    this.skipWs();
    const start = this.pos;
    if (!this.eat(s)) {
      throw this.error('spl.syntax', `expected ${what}`, { start, end: start + 1 });
    }
    return { start, end: this.pos };
  }

  /** True when the next word is `kw` (case-insensitive) followed by a word boundary. */
  peekKeyword(kw: string, caseSensitive = false): boolean {
    this.skipWs();
    const slice = this.text.slice(this.pos, this.pos + kw.length);
    const same = caseSensitive ? slice === kw : slice.toLowerCase() === kw.toLowerCase();
    if (!same) return false;
    const next = this.text[this.pos + kw.length] ?? '';
    return next === '' || !/[A-Za-z0-9_.:*\\-]/.test(next);
  }

  eatKeyword(kw: string, caseSensitive = false): Span | undefined {
    if (!this.peekKeyword(kw, caseSensitive)) return undefined;
    const start = this.pos;
    this.pos += kw.length;
    return { start, end: this.pos };
  }

  /** A double-quoted string. `\"` and `\\` are escapes; other backslashes stay as written. */
  readQuoted(): Quoted {
    this.skipWs();
    const start = this.pos;
    const t = this.text;
    if (t[this.pos] !== '"') throw this.error('spl.syntax', 'expected a quoted string', { start, end: start + 1 });
    let i = this.pos + 1;
    let out = '';
    let chunkStart = i;
    while (i < t.length) {
      const c = t[i];
      if (c === '\\' && (t[i + 1] === '"' || t[i + 1] === '\\')) {
        out += t.slice(chunkStart, i) + t[i + 1];
        i += 2;
        chunkStart = i;
        continue;
      }
      if (c === '"') {
        out += t.slice(chunkStart, i);
        this.pos = i + 1;
        return { text: out, span: { start, end: this.pos } };
      }
      i++;
    }
    throw this.error('spl.unterminated-string', 'unterminated quoted string', { start, end: t.length });
  }

  /** An unquoted search-language word (may be empty when at a stop character). */
  readSearchWord(): Word {
    this.skipWs();
    const start = this.pos;
    const t = this.text;
    let i = this.pos;
    let escapedQuote = false;
    while (i < t.length) {
      const c = t[i] as string;
      // `\"` is a quote inside an unquoted word (`*\"privileged\":true*`).
      if (c === '\\' && t[i + 1] === '"') {
        escapedQuote = true;
        i += 2;
        continue;
      }
      if (SEARCH_WORD_STOP.has(c)) break;
      if (c === '!' && t[i + 1] === '=') break;
      i++;
    }
    this.pos = i;
    const raw = t.slice(start, i);
    return { text: escapedQuote ? raw.replace(/\\"/g, '"') : raw, span: { start, end: i } };
  }

  /** A search-language value: a quoted string or a word. */
  readSearchValue(): { text: string; quoted: boolean; span: Span } {
    this.skipWs();
    if (this.peek() === '"') {
      const q = this.readQuoted();
      return { text: q.text, quoted: true, span: q.span };
    }
    const w = this.readSearchWord();
    return { text: w.text, quoted: false, span: w.span };
  }

  /** A field name: a search word, or a quoted string, or a single-quoted name. */
  readFieldName(what = 'a field name'): Word {
    this.skipWs();
    const start = this.pos;
    if (this.peek() === '"') {
      // Splunk joins a quoted part and the text right after it into one token:
      // `"Authentication".*` (what `drop_dm_object_name("Authentication")` expands to) is `Authentication.*`.
      const q = this.readQuoted();
      if (this.atEnd() || /\s/.test(this.peek())) return q;
      const rest = this.readSearchWord();
      return { text: q.text + rest.text, span: { start, end: rest.span.end } };
    }
    if (this.peek() === "'") return this.readSingleQuoted();
    const w = this.readSearchWord();
    if (w.text === '') throw this.error('spl.syntax', `expected ${what}`, { start, end: start + 1 });
    return w;
  }

  /** `'field name'` as eval writes field names with odd characters. */
  readSingleQuoted(): Word {
    const start = this.pos;
    const close = this.text.indexOf("'", start + 1);
    if (close < 0) throw this.error('spl.unterminated-string', 'unterminated single-quoted field name', { start, end: this.text.length });
    this.pos = close + 1;
    return { text: this.text.slice(start + 1, close), span: { start, end: this.pos } };
  }

  /** An identifier-like word: letters, digits, `_`, `.`, `:`, `{}`, `@`, `*`. */
  readIdent(): Word {
    this.skipWs();
    const start = this.pos;
    const t = this.text;
    let i = this.pos;
    while (i < t.length && /[A-Za-z0-9_.:{}@*\-]/.test(t[i] as string)) i++;
    this.pos = i;
    return { text: t.slice(start, i), span: { start, end: i } };
  }
}
