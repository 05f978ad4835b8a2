/**
 * Typed reads from a YAML source that report what is wrong with a field
 * (missing, wrong type) instead of throwing. Pure.
 */
import { YamlSource, isRecord, type YamlPath } from './yaml-source.js';

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Date) return 'date';
  return typeof v === 'object' ? 'mapping' : typeof v;
}

export class FieldReader {
  constructor(readonly src: YamlSource) {}

  get(path: YamlPath): unknown {
    let cur: unknown = this.src.value;
    for (const part of path) {
      if (typeof part === 'number') cur = Array.isArray(cur) ? cur[part] : undefined;
      else cur = isRecord(cur) ? cur[part] : undefined;
      if (cur === undefined) return undefined;
    }
    return cur;
  }

  /** A string; numbers and dates are accepted and printed (YAML turns `version: 1.0` or `2021-03-02` into non-strings). */
  str(path: YamlPath, required: 'error' | 'warning' | false = false): string | undefined {
    const v = this.get(path);
    if (v === undefined || v === null) {
      if (required) this.src.report('content.missing-field', required, `missing required field ${path.join('.')}`, path);
      return undefined;
    }
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    this.src.report('content.invalid-type', required || 'warning', `expected text, found ${typeName(v)}`, path);
    return undefined;
  }

  num(path: YamlPath, required: 'error' | 'warning' | false = false): number | undefined {
    const v = this.get(path);
    if (v === undefined || v === null) {
      if (required) this.src.report('content.missing-field', required, `missing required field ${path.join('.')}`, path);
      return undefined;
    }
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
    this.src.report('content.invalid-type', required || 'warning', `expected a number, found ${typeName(v)}`, path);
    return undefined;
  }

  /** A list of strings; a single string is taken as a one-item list (authors write both). */
  strList(path: YamlPath): string[] {
    const v = this.get(path);
    if (v === undefined || v === null) return [];
    if (typeof v === 'string') return [v];
    if (!Array.isArray(v)) {
      this.src.report('content.invalid-type', 'warning', `expected a list, found ${typeName(v)}`, path);
      return [];
    }
    const out: string[] = [];
    v.forEach((item: unknown, i) => {
      if (typeof item === 'string') out.push(item);
      else if (typeof item === 'number') out.push(String(item));
      else if (item !== null && item !== undefined)
        this.src.report('content.invalid-type', 'warning', `expected text, found ${typeName(item)}`, [...path, i]);
    });
    return out;
  }

  /** A list of mappings (items that are not mappings are reported and skipped). */
  mapList(path: YamlPath): { index: number; value: Record<string, unknown> }[] {
    const v = this.get(path);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.src.report('content.invalid-type', 'warning', `expected a list, found ${typeName(v)}`, path);
      return [];
    }
    const out: { index: number; value: Record<string, unknown> }[] = [];
    v.forEach((item: unknown, index) => {
      if (isRecord(item)) out.push({ index, value: item });
      else this.src.report('content.invalid-type', 'warning', `expected a mapping, found ${typeName(item)}`, [...path, index]);
    });
    return out;
  }
}
