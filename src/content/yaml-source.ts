/**
 * A parsed YAML file that can say where each value came from, so every issue
 * carries a line and column. Pure: no `node:*`, usable in a browser.
 */
import { LineCounter, isMap, isSeq, parseDocument, type Document } from 'yaml';
import type { ContentIssue, IssueSeverity } from './types.js';

export type YamlPath = readonly (string | number)[];

/** `['tags', 'observable', 0, 'name']` → `tags.observable[0].name`. */
export function formatPath(path: YamlPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

export class YamlSource {
  readonly issues: ContentIssue[] = [];
  readonly value: unknown;
  private readonly doc: Document;
  private readonly lines: LineCounter;

  constructor(
    text: string,
    readonly file: string,
  ) {
    let lines = new LineCounter();
    let doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
    if (doc.errors.length > 0) {
      // PyYAML (what ESCU's own tooling uses) accepts quoted scalars whose continuation
      // lines start in column 1; YAML 1.2 does not. Indenting them keeps the value the same
      // (flow scalars drop leading spaces on continuation lines), so retry that way.
      const repaired = indentFlowContinuations(text);
      if (repaired.firstLine !== undefined) {
        const retryLines = new LineCounter();
        const retry = parseDocument(repaired.text, { lineCounter: retryLines, uniqueKeys: true });
        if (retry.errors.length === 0) {
          doc = retry;
          lines = retryLines;
          this.issues.push({
            code: 'content.yaml-lenient',
            severity: 'warning',
            message: 'a quoted value continues on a line that is not indented; accepted as PyYAML does, but it is not valid YAML 1.2',
            file,
            line: repaired.firstLine,
            column: 1,
          });
        }
      }
    }
    this.lines = lines;
    this.doc = doc;
    for (const err of this.doc.errors) {
      const pos = err.linePos?.[0];
      this.issues.push({
        code: 'content.yaml-syntax',
        severity: 'error',
        message: (err.message.split('\n')[0] ?? err.message).replace(/ at line \d+, column \d+:?$/, ''),
        file,
        ...(pos ? { line: pos.line, column: pos.col } : {}),
      });
    }
    this.value = this.doc.errors.length > 0 ? undefined : this.doc.toJS({ maxAliasCount: 100 });
  }

  /**
   * Line and column of the node at `path`; for a missing key, of the nearest
   * existing parent, so "missing field" points at the mapping that lacks it.
   */
  position(path: YamlPath): { line: number; column: number } | undefined {
    for (let n = path.length; n >= 0; n--) {
      const node: unknown = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) {
        const pos = this.lines.linePos(range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return undefined;
  }

  /** Whether the key at `path` is present (even with a null value). */
  has(path: YamlPath): boolean {
    const parentPath = path.slice(0, -1);
    const parent: unknown = parentPath.length === 0 ? this.doc.contents : this.doc.getIn(parentPath, true);
    const last = path[path.length - 1];
    if (last === undefined) return true;
    if (isMap(parent) || isSeq(parent)) return parent.has(last);
    return false;
  }

  report(code: string, severity: IssueSeverity, message: string, path?: YamlPath): void {
    const pos = path ? this.position(path) : undefined;
    this.issues.push({
      code,
      severity,
      message,
      file: this.file,
      ...(path && path.length > 0 ? { path: formatPath(path) } : {}),
      ...(pos ?? {}),
    });
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * Indents, by one space, the unindented continuation lines of quoted scalars that
 * start as the value of a top-level key. Returns the first such line (1-based), if any.
 */
export function indentFlowContinuations(text: string): { text: string; firstLine?: number } {
  const lines = text.split('\n');
  let open: "'" | '"' | undefined;
  let firstLine: number | undefined;
  const scan = (s: string, quote: "'" | '"'): boolean => {
    // true when the quoted scalar is still open at the end of s
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) {
        if (quote === "'" && s[i + 1] === "'") i++;
        else return false;
      }
    }
    return true;
  };
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] ?? '';
    if (open) {
      if (line.length > 0 && !/^[ \t]/.test(line)) {
        lines[n] = ' ' + line;
        firstLine ??= n + 1;
      }
      if (!scan(line, open)) open = undefined;
      continue;
    }
    const m = /^[^\s#][^:]*:[ \t]+(['"])(.*)$/.exec(line);
    if (m && m[1] && scan(m[2] ?? '', m[1] as "'" | '"')) open = m[1] as "'" | '"';
  }
  return firstLine === undefined ? { text } : { text: lines.join('\n'), firstLine };
}
