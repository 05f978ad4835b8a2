/**
 * Stages that pull fields out of text: `rex`, `regex`, `spath`, `fromjson`.
 * Patterns are PCRE (src/spl/regex), compiled when the search is.
 */
import type { ForeachCommand, FromjsonCommand, RegexCommand, RexCommand, SpathCommand, XmlkvCommand } from '../language/ast.js';
import { applySed, namedGroups, type CompiledPcre, type SedProgram } from '../regex/index.js';
import { fromValues, scalarToString, valuesOf, type FieldValue, type Row, type Scalar } from '../values.js';
import { copyRow, type Stage } from './stages.js';
import { escapeRegex } from './wildcard.js';

export interface Pcre {
  readonly regex: RegExp;
  readonly compiled: CompiledPcre;
}

function globalOf(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
}

/**
 * rex: each named group of a match becomes a field. The field's values are
 * tried in order; with `max_match=1` the first match counts, otherwise up to
 * `max_match` matches (0: all) give multivalue fields. Without a match the
 * row is unchanged; a group that took no part keeps the field as it was.
 */
export function rexStage(cmd: RexCommand, pcre: Pcre): Stage {
  const g = globalOf(pcre.regex);
  const limit = cmd.maxMatch === 0 ? Infinity : cmd.maxMatch;
  return (next) => ({
    push(row) {
      const found = new Map<string, string[]>();
      let matches = 0;
      for (const v of valuesOf(row[cmd.field])) {
        if (matches >= limit) break;
        const text = scalarToString(v);
        g.lastIndex = 0;
        for (let m = g.exec(text); m && matches < limit; m = g.exec(text)) {
          matches++;
          for (const [name, value] of namedGroups(pcre.compiled, m)) {
            if (value === undefined) continue;
            const list = found.get(name);
            if (list) list.push(value);
            else found.set(name, [value]);
          }
          if (m[0] === '') g.lastIndex++;
        }
      }
      if (found.size === 0) {
        next.push(row);
        return;
      }
      const out = copyRow(row);
      for (const [name, vs] of found) out[name] = fromValues(vs) as FieldValue;
      next.push(out);
    },
    end: () => next.end(),
  });
}

/** rex mode=sed: rewrites the field's value(s). */
export function rexSedStage(cmd: RexCommand, program: SedProgram): Stage {
  return (next) => ({
    push(row) {
      const v = row[cmd.field];
      if (v === undefined) {
        next.push(row);
        return;
      }
      const out = copyRow(row);
      out[cmd.field] = Array.isArray(v) ? v.map((x) => applySed(program, scalarToString(x))) : applySed(program, scalarToString(v as Scalar));
      next.push(out);
    },
    end: () => next.end(),
  });
}

/**
 * regex: keeps rows where some value of the field matches (`=`), or where no
 * value does (`!=`, which also keeps rows without the field).
 */
export function regexStage(cmd: RegexCommand, pcre: Pcre): Stage {
  const re = pcre.regex;
  return (next) => ({
    push(row) {
      const any = valuesOf(row[cmd.field]).some((v) => {
        re.lastIndex = 0;
        return re.test(scalarToString(v));
      });
      if (any !== cmd.negate) next.push(row);
    },
    end: () => next.end(),
  });
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function parseJson(text: string): Json | undefined {
  const t = text.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    return JSON.parse(t) as Json;
  } catch {
    return undefined;
  }
}

/** A JSON leaf as Splunk shows it; objects and arrays as compact JSON text. */
function leafText(v: Json): Scalar | undefined {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return JSON.stringify(v);
}

/** Every leaf of a JSON value, by spath path (`a.b`, `a{}.b`). */
function flatten(v: Json, path: string, out: Map<string, Scalar[]>): void {
  if (Array.isArray(v)) {
    for (const x of v) flatten(x, `${path}{}`, out);
    return;
  }
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) flatten(x, path === '' ? k : `${path}.${k}`, out);
    return;
  }
  const leaf = leafText(v);
  if (leaf === undefined || path === '') return;
  const list = out.get(path);
  if (list) list.push(leaf);
  else out.set(path, [leaf]);
}

/**
 * The values at an spath path: `a.b.c`, `a{}` (every element), `a{N}`
 * (element N counting from 0: JSON arrays are zero-based, unlike XML's; the
 * Search Reference's own example `cooperative{1}` picks the second element).
 */
function select(root: Json, path: string): Json[] {
  let cur: Json[] = [root];
  for (const seg of path.split('.')) {
    const m = /^(.*?)((?:\{\d*\})*)$/.exec(seg) as RegExpExecArray;
    const name = m[1] as string;
    const next: Json[] = [];
    for (const c of cur) {
      if (name === '') next.push(c);
      else if (c !== null && typeof c === 'object' && !Array.isArray(c) && name in c) next.push(c[name] as Json);
    }
    cur = next;
    for (const idx of (m[2] as string).match(/\{\d*\}/g) ?? []) {
      const n = idx === '{}' ? undefined : Number(idx.slice(1, -1));
      const expanded: Json[] = [];
      for (const c of cur) {
        if (!Array.isArray(c)) continue;
        if (n === undefined) expanded.push(...c);
        else if (c[n] !== undefined) expanded.push(c[n] as Json);
      }
      cur = expanded;
    }
  }
  return cur;
}

/**
 * spath (JSON only): without a path, every leaf becomes a field named by its
 * path; with `path=`, the value(s) there go to `output` (default: the path).
 * Input that is not JSON leaves the row unchanged.
 */
export function spathStage(cmd: SpathCommand): Stage {
  return (next) => ({
    push(row) {
      const v = row[cmd.input];
      const json = v === undefined || Array.isArray(v) ? undefined : parseJson(scalarToString(v as Scalar));
      if (json === undefined) {
        next.push(row);
        return;
      }
      const out = copyRow(row);
      if (cmd.path !== undefined) {
        const vals = select(json, cmd.path)
          .map(leafText)
          .filter((x): x is Scalar => x !== undefined);
        const value = fromValues(vals);
        if (value !== undefined) out[cmd.output ?? cmd.path] = value;
      } else {
        const fields = new Map<string, Scalar[]>();
        flatten(json, '', fields);
        for (const [k, vs] of fields) out[k] = fromValues(vs) as FieldValue;
      }
      next.push(out);
    },
    end: () => next.end(),
  });
}

/**
 * fromjson: the top-level keys of a JSON object become fields (with the
 * prefix); arrays become multivalue fields, nested objects stay JSON text.
 */
export function fromjsonStage(cmd: FromjsonCommand): Stage {
  return (next) => ({
    push(row) {
      const v = row[cmd.field];
      const json = v === undefined || Array.isArray(v) ? undefined : parseJson(scalarToString(v as Scalar));
      if (json === undefined || json === null || typeof json !== 'object' || Array.isArray(json)) {
        next.push(row);
        return;
      }
      const out = copyRow(row);
      for (const [k, x] of Object.entries(json)) {
        const vals = Array.isArray(x) ? x.map(leafText).filter((y): y is Scalar => y !== undefined) : [leafText(x)].filter((y): y is Scalar => y !== undefined);
        const value = fromValues(vals);
        if (value === undefined) delete out[cmd.prefix + k];
        else out[cmd.prefix + k] = value;
      }
      next.push(out);
    },
    end: () => next.end(),
  });
}

const XML_ELEMENT = /<([A-Za-z_][\w.:-]*)(?:\s[^<>]*)?>([^<]*)<\/\1\s*>/g;

/** Decodes the five predefined XML entities and numeric references. */
function xmlText(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (m, e: string) => {
    switch (e) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
      default: {
        const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : Number(e.slice(1));
        return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
      }
    }
  });
}

/**
 * xmlkv: every innermost element `<name ...>text</name>` of the field's XML
 * becomes a field `name=text` (repeated names give multivalue fields, in
 * document order); elements with child elements are not fields themselves.
 */
export function xmlkvStage(cmd: XmlkvCommand): Stage {
  return (next) => ({
    push(row) {
      const found = new Map<string, string[]>();
      for (const v of valuesOf(row[cmd.field])) {
        const text = scalarToString(v);
        XML_ELEMENT.lastIndex = 0;
        for (let m = XML_ELEMENT.exec(text); m; m = XML_ELEMENT.exec(text)) {
          const name = m[1] as string;
          const value = xmlText(m[2] as string);
          const list = found.get(name);
          if (list) list.push(value);
          else found.set(name, [value]);
        }
      }
      if (found.size === 0) {
        next.push(row);
        return;
      }
      const out = copyRow(row);
      for (const [k, vs] of found) out[k] = fromValues(vs) as FieldValue;
      next.push(out);
    },
    end: () => next.end(),
  });
}

/**
 * foreach: for every field of the row matching one of the patterns (in name
 * order, each once), applies the body instantiated for that field; the body
 * sees the previous instantiations' changes. `*` alone does not match
 * internal `_` fields.
 */
export function foreachStage(cmd: ForeachCommand, body: (field: string, match: string) => ((row: Row) => Row) | undefined): Stage {
  const patterns = cmd.fields.map((f) => {
    const re = new RegExp('^' + f.split('*').map(escapeRegex).join('(.*)') + '$', 's');
    return { re, internalOk: f.startsWith('_') };
  });
  return (next) => ({
    push(row) {
      let out = row;
      const names = Object.keys(row).filter((k) => row[k] !== undefined).sort();
      for (const name of names) {
        for (const p of patterns) {
          if (name.startsWith('_') && !p.internalOk) continue;
          const m = p.re.exec(name);
          if (!m) continue;
          const fn = body(name, m[1] ?? name);
          if (fn) out = fn(out);
          break;
        }
      }
      next.push(out);
    },
    end: () => next.end(),
  });
}
