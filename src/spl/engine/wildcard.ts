/**
 * Search-language value matching: case-insensitive, `*` matches any run of
 * characters (including none). Patterns are compiled once per search.
 */

export interface ValueMatcher {
  /** The pattern as written. */
  readonly pattern: string;
  readonly hasWildcard: boolean;
  test(value: string): boolean;
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
      m = { pattern, hasWildcard: false, test: (v) => v.length === lower.length && v.toLowerCase() === lower };
    }
  } else if (pattern === '*') {
    m = { pattern, hasWildcard: true, test: () => true };
  } else {
    const re = new RegExp(
      '^' + pattern.split('*').map(escapeRegex).join('.*') + '$',
      caseSensitive ? 's' : 'is',
    );
    m = { pattern, hasWildcard: true, test: (v) => re.test(v) };
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(key, m);
  return m;
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
