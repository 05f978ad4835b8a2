/**
 * Maps offsets of a detection's `search` value to line and column in its YAML
 * file. Pure (the `yaml` package, no `node:*`).
 *
 * A block scalar (`search: |`) maps line by line. A quoted or plain scalar is
 * aligned with its raw text character by character: a run of whitespace in the
 * value matches a run (line breaks included) in the file, and escape characters
 * (`''`, `\"`) are stepped over. Where alignment fails the value's start is used.
 */
import { LineCounter, isScalar, parseDocument } from 'yaml';
import type { YamlPath } from '../content/yaml-source.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface PositionMap {
  /** Position of the search text offset `offset`. */
  search(offset: number): Position;
  /** Position of the node at `path`, or of its nearest existing parent. */
  path(path: YamlPath): Position;
}

/** Positions within the search text itself (1-based line and column), when there is no YAML. */
export function searchTextPositions(search: string): PositionMap {
  return {
    search(offset) {
      const before = search.slice(0, Math.max(0, Math.min(offset, search.length)));
      const nl = before.lastIndexOf('\n');
      return { line: before.split('\n').length, column: before.length - nl };
    },
    path: () => ({ line: 1, column: 1 }),
  };
}

/** Positions in the YAML file `text`, whose `search` value is `search`. Falls back to search-text positions. */
export function yamlPositions(text: string, search: string): PositionMap {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const node = doc.get('search', true);
  const pathPos = (path: YamlPath): Position => {
    for (let n = path.length; n >= 0; n--) {
      const nd: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      const range = (nd as { range?: [number, number, number] } | undefined)?.range;
      if (range) {
        const p = lines.linePos(range[0]);
        return { line: p.line, column: p.col };
      }
    }
    return { line: 1, column: 1 };
  };
  if (!isScalar(node) || !node.range || node.value !== search) {
    const fallback = searchTextPositions(search);
    return { search: fallback.search, path: pathPos };
  }
  const [from, to] = node.range;
  const map = alignOffsets(search, text, from, to, node.type ?? 'PLAIN');
  const start = lines.linePos(from);
  return {
    search(offset) {
      const raw = map[Math.max(0, Math.min(offset, map.length - 1))];
      if (raw === undefined || raw < 0) return { line: start.line, column: start.col };
      const p = lines.linePos(raw);
      return { line: p.line, column: p.col };
    },
    path: pathPos,
  };
}

/** For each value offset (and one past the end), the offset in `text`, or -1 when unknown. */
function alignOffsets(value: string, text: string, from: number, to: number, type: string): number[] {
  const out = new Array<number>(value.length + 1).fill(-1);
  let r = from;
  if (type === 'QUOTE_SINGLE' || type === 'QUOTE_DOUBLE') r++;
  else if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    const nl = text.indexOf('\n', r);
    if (nl < 0) return out;
    r = nl + 1;
  }
  for (let v = 0; v < value.length; v++) {
    const c = value[v] as string;
    if (/\s/.test(c)) {
      // skip indentation and line breaks that fold into this whitespace
      while (r < to && /[ \t]/.test(text[r] as string) && !/[ \t]/.test(c)) r++;
      if (r < to && /\s/.test(text[r] as string)) {
        out[v] = r;
        r++;
        if (c !== '\n' || type !== 'BLOCK_LITERAL') while (r < to && /\s/.test(text[r] as string) && !(v + 1 < value.length && /\s/.test(value[v + 1] as string))) r++;
        else while (r < to && /[ \t]/.test(text[r] as string)) r++;
        continue;
      }
      out[v] = r;
      continue;
    }
    let k = 0;
    while (r + k < to && text[r + k] !== c && k < 3) k++;
    if (text[r + k] !== c) return out;
    out[v] = r + k;
    r += k + 1;
    if (type === 'QUOTE_SINGLE' && c === "'" && text[r] === "'") r++;
  }
  out[value.length] = r;
  return out;
}
