/**
 * Exchange's own log format (HttpProxy, ECP server, OAB generator, ...): CSV
 * lines after `#Software:`, `#Version:`, `#Log-type:`, `#Date:` and `#Fields:`
 * header lines; fields with commas or quotes are quoted, quotes doubled. Pure:
 * lines in, records out; no `node:*`.
 */

export type CsvSplit = { readonly ok: true; readonly values: string[] } | { readonly ok: false; readonly message: string };

/**
 * Splits one CSV line (RFC 4180 quoting: `"a,b"` and `""` inside quotes).
 * @example splitCsvLine('a,"b,""c""",d') // { ok: true, values: ['a', 'b,"c"', 'd'] }
 */
export function splitCsvLine(line: string): CsvSplit {
  const values: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (line.charCodeAt(i) === 34 /* " */) {
      let v = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return { ok: false, message: `unterminated quoted field starting at column ${i + 1}` };
        v += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          v += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      if (i < n && line.charCodeAt(i) !== 44 /* , */) return { ok: false, message: `text after the closing quote at column ${i + 1}` };
      values.push(v);
    } else {
      const c = line.indexOf(',', i);
      const end = c < 0 ? n : c;
      values.push(line.slice(i, end));
      i = end;
    }
    if (i >= n) return { ok: true, values };
    i++; // the comma
    if (i === n) {
      values.push('');
      return { ok: true, values };
    }
  }
}

export type LogLine =
  | { readonly kind: 'header'; readonly name: string; readonly value: string }
  | { readonly kind: 'blank' }
  | { readonly kind: 'row'; readonly values: readonly string[]; readonly record?: Readonly<Record<string, string>>; readonly problem?: string }
  | { readonly kind: 'malformed'; readonly message: string };

/**
 * Reads one Exchange log file line by line, keeping the latest `#Fields:`
 * header (a file may restart its header after a service restart). A row whose
 * field count differs from the header still yields a record, as PowerShell's
 * Import-Csv does (missing fields empty, extra ones dropped), with `problem` set.
 */
export class ExchangeLogReader {
  private fields: readonly string[] | undefined;
  /** Headers seen, by lower-cased name (`software`, `version`, `log-type`, `date`, `fields`). */
  readonly headers = new Map<string, string>();

  get fieldNames(): readonly string[] | undefined {
    return this.fields;
  }

  line(text: string): LogLine {
    if (text.length === 0 || text.trim().length === 0) return { kind: 'blank' };
    if (text.charCodeAt(0) === 35 /* # */) {
      const colon = text.indexOf(':');
      const name = (colon < 0 ? text.slice(1) : text.slice(1, colon)).trim();
      const value = colon < 0 ? '' : text.slice(colon + 1).trim();
      this.headers.set(name.toLowerCase(), value);
      if (name.toLowerCase() === 'fields') {
        const split = splitCsvLine(value);
        this.fields = split.ok ? split.values.map((f) => f.trim()) : value.split(',').map((f) => f.trim());
      }
      return { kind: 'header', name, value };
    }
    const split = splitCsvLine(text);
    if (!split.ok) return { kind: 'malformed', message: split.message };
    const fields = this.fields;
    if (fields === undefined) return { kind: 'row', values: split.values };
    const record: Record<string, string> = {};
    fields.forEach((f, k) => {
      record[f] = split.values[k] ?? '';
    });
    if (split.values.length !== fields.length) {
      return { kind: 'row', values: split.values, record, problem: `${split.values.length} fields where the #Fields header has ${fields.length}` };
    }
    return { kind: 'row', values: split.values, record };
  }
}

const ISO_START = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

/** The row's time: its DateTime/TimeStamp/Timestamp field, else the first value when it is an ISO 8601 time. */
export function rowTime(values: readonly string[], record: Readonly<Record<string, string>> | undefined): string | undefined {
  const t = record?.['DateTime'] ?? record?.['TimeStamp'] ?? record?.['Timestamp'] ?? values[0];
  return t !== undefined && ISO_START.test(t) && !Number.isNaN(Date.parse(t)) ? t : undefined;
}

/**
 * PowerShell's `-like`: whole-string wildcard match, case-insensitive; `*` any
 * run, `?` one character, `[abc]`/`[a-z]` a set.
 * @example like('serverinfo~a]@mail.local:444/ecp/y.js', 'ServerInfo~*' + '/*') // true
 */
export function like(value: string, pattern: string): boolean {
  return likeRegex(pattern).test(value);
}

const likeCache = new Map<string, RegExp>();

function likeRegex(pattern: string): RegExp {
  let re = likeCache.get(pattern);
  if (re) return re;
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') src += '[\\s\\S]*';
    else if (c === '?') src += '[\\s\\S]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) src += '\\[';
      else {
        src += '[' + pattern.slice(i + 1, close).replace(/[\\^\]]/g, '\\$&') + ']';
        i = close;
      }
    } else src += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  re = new RegExp(`^${src}$`, 'i');
  likeCache.set(pattern, re);
  return re;
}
