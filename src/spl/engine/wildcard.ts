/**
 * Search-language value matching: case-insensitive, `*` matches any run of
 * characters (including none). Patterns are compiled once per search.
 */

export interface ValueMatcher {
  /** The pattern as written. */
  readonly pattern: string;
  readonly hasWildcard: boolean;
  test(value: string): boolean;
  /**
   * The same test on a value already lower-cased that is all ASCII (see
   * `lowerAscii`); present when the pattern is case-insensitive and ASCII.
   */
  readonly testLowerAscii?: (lower: string) => boolean;
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * `value.toLowerCase()` when the value is all ASCII, else undefined. For ASCII
 * text and an ASCII pattern, comparing lower-cased text is exactly what a
 * case-insensitive (non-Unicode) regular expression does; non-ASCII values keep
 * the regular expression (`\u212a`, Kelvin, lower-cases to `k`, which `/k/i`
 * does not match). Memoised: many searches test the same field of one record.
 */
export function lowerAscii(value: string): string | undefined {
  const hit = lowerMemo.get(value);
  if (hit !== undefined) return hit === false ? undefined : hit;
  const lower = ASCII.test(value) ? value.toLowerCase() : undefined;
  if (lowerMemo.size >= 4096) lowerMemo.clear();
  lowerMemo.set(value, lower ?? false);
  return lower;
}

const lowerMemo = new Map<string, string | false>();

/** A test of lower-cased text against `*`-separated lower-cased parts: `^p0.*p1.*...pn$`. */
function globTest(pattern: string): (lower: string) => boolean {
  const parts = pattern.toLowerCase().split('*');
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  const mids = parts.slice(1, -1).filter((p) => p !== '');
  const min = parts.reduce((n, p) => n + p.length, 0);
  if (mids.length === 0) {
    if (first === '') return last === '' ? () => true : (l) => l.endsWith(last);
    if (last === '') return (l) => l.startsWith(first);
    return (l) => l.length >= min && l.startsWith(first) && l.endsWith(last);
  }
  if (mids.length === 1 && first === '' && last === '') {
    const mid = mids[0] as string;
    return (l) => l.includes(mid);
  }
  return (l) => {
    if (l.length < min || !l.startsWith(first)) return false;
    let pos = first.length;
    for (const m of mids) {
      const i = l.indexOf(m, pos);
      if (i < 0) return false;
      pos = i + m.length;
    }
    return l.length - last.length >= pos && l.endsWith(last);
  };
}

const cache = new Map<string, ValueMatcher>();

export function compileWildcard(pattern: string, caseSensitive = false): ValueMatcher {
  const key = (caseSensitive ? 'c:' : 'i:') + pattern;
  const hit = cache.get(key);
  if (hit) return hit;
  let m: ValueMatcher;
  if (!pattern.includes('*')) {
    if (caseSensitive) {
      m = { pattern, hasWildcard: false, test: (v) => v === pattern };
    } else {
      const lower = pattern.toLowerCase();
      m = {
        pattern,
        hasWildcard: false,
        test: (v) => v.length === lower.length && v.toLowerCase() === lower,
        ...(ASCII.test(pattern) ? { testLowerAscii: (l: string) => l === lower } : {}),
      };
    }
  } else if (pattern === '*') {
    m = { pattern, hasWildcard: true, test: () => true };
  } else {
    const re = new RegExp(
      '^' + pattern.split('*').map(escapeRegex).join('.*') + '$',
      caseSensitive ? 's' : 'is',
    );
    if (caseSensitive || !ASCII.test(pattern)) m = { pattern, hasWildcard: true, test: (v) => re.test(v) };
    else {
      const glob = globTest(pattern);
      m = {
        pattern,
        hasWildcard: true,
        test: (v) => {
          const lower = lowerAscii(v);
          return lower === undefined ? re.test(v) : glob(lower);
        },
        testLowerAscii: glob,
      };
    }
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(key, m);
  return m;
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
