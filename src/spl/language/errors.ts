/**
 * One error class for the SPL language: a stable code, a message, and a span
 * in the query text. `format()` prints the offending line with a caret, in the
 * manner of graphql-js's `printError`.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

export class SplError extends Error {
  override readonly name = 'SplError';
  constructor(
    /** Stable code, e.g. `spl.syntax`, `spl.unknown-command`. */
    readonly code: string,
    message: string,
    readonly span: Span,
    /** The query text the span refers to (the user's text, before macro expansion). */
    readonly source: string,
    readonly extra: { readonly command?: string; readonly suggestion?: string } = {},
  ) {
    super(message);
  }

  /** The message, then the query line with a caret under the span. */
  format(): string {
    return formatAt(this.source, this.span, `${this.code}: ${this.message}${
      this.extra.suggestion ? ` (did you mean "${this.extra.suggestion}"?)` : ''
    }`);
  }
}

/** Prints `message`, then the line of `source` holding `span.start`, then a caret line. */
export function formatAt(source: string, span: Span, message: string): string {
  const start = Math.max(0, Math.min(span.start, source.length));
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = source.indexOf('\n', start);
  if (lineEnd < 0) lineEnd = source.length;
  const lineNo = countNewlines(source, lineStart) + 1;
  const col = start - lineStart;
  let text = source.slice(lineStart, lineEnd);
  let caretCol = col;
  // Long single-line queries: show a window around the caret.
  const WINDOW = 100;
  if (text.length > WINDOW * 2) {
    const from = Math.max(0, col - WINDOW);
    const to = Math.min(text.length, col + WINDOW);
    text = (from > 0 ? '...' : '') + text.slice(from, to) + (to < text.length ? '...' : '');
    caretCol = col - from + (from > 0 ? 3 : 0);
  }
  const width = Math.max(1, Math.min(span.end, lineEnd) - start);
  return `${message}\n  at line ${lineNo}, column ${col + 1}\n    ${text}\n    ${' '.repeat(caretCol)}${'^'.repeat(Math.min(width, 60))}`;
}

function countNewlines(s: string, end: number): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0 && i < end; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = cur;
  }
  return prev[n] as number;
}

/** The closest candidate within a distance that scales with the name's length. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  return bestD <= limit ? best : undefined;
}
