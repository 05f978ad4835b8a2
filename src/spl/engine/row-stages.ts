/**
 * Stages that reorder, filter, reshape or fill rows: `fillnull`, `dedup`,
 * `sort`, `head`, `tail`, `mvexpand`, `makemv`, `replace`, `addtotals`,
 * `bin`. Every stage that changes a row changes a copy (rows may be shared).
 */
import type {
  AddtotalsCommand,
  BinCommand,
  DedupCommand,
  FillnullCommand,
  MakemvCommand,
  MvexpandCommand,
  ReplaceCommand,
  SortKey,
} from '../language/ast.js';
import type { CompiledPcre } from '../regex/index.js';
import { groupValue } from '../regex/index.js';
import { fromValues, newRow, scalarToString, toNumber, valuesOf, type FieldValue, type Row, type Scalar } from '../values.js';
import { copyRow, type Stage } from './stages.js';
import { compileWildcard, escapeRegex } from './wildcard.js';

/** Fields users see: Splunk's internal `_` fields are not filled, totalled or replaced. */
function isVisible(name: string): boolean {
  return !name.startsWith('_');
}

/**
 * fillnull: with a field list, sets each listed field a row lacks; without
 * one, every visible field any result has (so it waits for all rows).
 */
export function fillnullStage(cmd: FillnullCommand): Stage {
  const fill = (row: Row, fields: Iterable<string>): Row => {
    let out: Row | undefined;
    for (const f of fields) {
      if (row[f] !== undefined) continue;
      out ??= copyRow(row);
      out[f] = cmd.value;
    }
    return out ?? row;
  };
  if (cmd.fields.length > 0) {
    return (next) => ({ push: (row) => next.push(fill(row, cmd.fields)), end: () => next.end() });
  }
  return (next) => {
    const rows: Row[] = [];
    const names = new Set<string>();
    return {
      push(row) {
        rows.push(row);
        for (const k in row) if (row[k] !== undefined && isVisible(k)) names.add(k);
      },
      end() {
        for (const r of rows) next.push(fill(r, names));
        next.end();
      },
    };
  };
}

/** The text of a whole field value, multivalue included, for equality tests. */
function valueKey(v: FieldValue): string {
  return Array.isArray(v) ? v.map(scalarToString).join('\n') : scalarToString(v as Scalar);
}

/**
 * dedup: keeps the first `count` rows of each combination of the fields'
 * values (compared as exact text); rows missing a field are dropped unless
 * `keepempty=true`. `consecutive=true` only removes runs of duplicates.
 * `keepevents=true` keeps duplicates but removes the fields from them.
 */
export function dedupStage(cmd: DedupCommand): Stage {
  const sorter = cmd.sortby.length > 0 ? sortStage(cmd.sortby, 0, false) : undefined;
  const inner: Stage = (next) => {
    const counts = new Map<string, number>();
    let last: string | undefined;
    let run = 0;
    return {
      push(row) {
        const parts: string[] = [];
        for (const f of cmd.fields) {
          const v = row[f];
          if (v === undefined) {
            if (cmd.keepempty) next.push(row);
            return;
          }
          parts.push(valueKey(v));
        }
        const key = parts.join('\u0000');
        let seen: number;
        if (cmd.consecutive) {
          run = key === last ? run + 1 : 1;
          last = key;
          seen = run;
        } else {
          seen = (counts.get(key) ?? 0) + 1;
          counts.set(key, seen);
        }
        if (seen <= cmd.count) next.push(row);
        else if (cmd.keepevents) {
          const out = copyRow(row);
          for (const f of cmd.fields) delete out[f];
          next.push(out);
        }
      },
      end: () => next.end(),
    };
  };
  if (!sorter) return inner;
  return (next, run) => inner(sorter(next, run), run);
}

function ipKey(s: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  return m ? m.slice(1).map(Number) : undefined;
}

/**
 * Compares two values of a sort key ascending. `auto`: numbers (and text
 * starting with a number, by that number) numerically and before other text,
 * text by code unit; `num`: numbers, then text; `str`: text;
 * `ip`: dotted quads by octet, then text.
 */
function compareSortValues(a: Scalar, b: Scalar, type: SortKey['type']): number {
  const sa = scalarToString(a);
  const sb = scalarToString(b);
  const text = sa < sb ? -1 : sa > sb ? 1 : 0;
  if (type === 'str') return text;
  if (type === 'ip') {
    const ia = ipKey(sa);
    const ib = ipKey(sb);
    if (ia && ib) {
      for (let i = 0; i < 4; i++) if (ia[i] !== ib[i]) return (ia[i] as number) - (ib[i] as number);
      return 0;
    }
    if (ia || ib) return ia ? -1 : 1;
    return text;
  }
  const na = sortNumber(a, type);
  const nb = sortNumber(b, type);
  if (na !== undefined && nb !== undefined) return na - nb || text;
  if (na !== undefined || nb !== undefined) return na !== undefined ? -1 : 1;
  return text;
}

const LEADING_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)/;

/**
 * The number a value sorts by: its value when numeric; for `auto`, also the
 * leading number of text that starts with one (`10abc` sorts as 10), as the
 * Search Reference describes.
 */
function sortNumber(v: Scalar, type: SortKey['type']): number | undefined {
  const n = toNumber(v);
  if (n !== undefined || type !== 'auto' || typeof v !== 'string') return n;
  const m = LEADING_NUMBER.exec(v);
  return m ? Number(m[0]) : undefined;
}

/**
 * sort: stable; a row missing a key sorts as the largest value (last when
 * ascending, first when descending); a multivalue key sorts by its first
 * value. `limit` keeps that many rows (0: all); `reverse` is the trailing `d`.
 */
export function sortStage(keys: readonly SortKey[], limit: number, reverse: boolean): Stage {
  const cmp = (x: Row, y: Row): number => {
    for (const k of keys) {
      const a = valuesOf(x[k.field])[0];
      const b = valuesOf(y[k.field])[0];
      let c: number;
      if (a === undefined || b === undefined) c = a === undefined ? (b === undefined ? 0 : 1) : -1;
      else c = compareSortValues(a, b, k.type);
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  };
  return (next) => {
    const rows: Row[] = [];
    return {
      push: (row) => void rows.push(row),
      end() {
        rows.sort(cmp);
        if (reverse) rows.reverse();
        const kept = limit > 0 ? rows.slice(0, limit) : rows;
        for (const r of kept) next.push(r);
        next.end();
      },
    };
  };
}

export function headStage(count: number): Stage {
  return (next) => {
    let n = 0;
    return {
      push(row) {
        if (n < count) {
          n++;
          next.push(row);
        }
      },
      end: () => next.end(),
    };
  };
}

/** tail: the last N rows, last first (Splunk returns them in reverse order). */
export function tailStage(count: number): Stage {
  return (next) => {
    const rows: Row[] = [];
    return {
      push(row) {
        rows.push(row);
        if (rows.length > count) rows.shift();
      },
      end() {
        for (let i = rows.length - 1; i >= 0; i--) next.push(rows[i] as Row);
        next.end();
      },
    };
  };
}

/** mvexpand: one row per value of the field; rows without the field are dropped (as in Splunk). */
export function mvexpandStage(cmd: MvexpandCommand): Stage {
  return (next) => ({
    push(row) {
      const vs = valuesOf(row[cmd.field]);
      const n = cmd.limit !== undefined && cmd.limit > 0 ? Math.min(cmd.limit, vs.length) : vs.length;
      for (let i = 0; i < n; i++) {
        const out = copyRow(row);
        out[cmd.field] = vs[i] as Scalar;
        next.push(out);
      }
    },
    end: () => next.end(),
  });
}

/**
 * makemv: splits a single-value field on `delim` (default one space) or into
 * the matches of `tokenizer` (its first capture group when it has one); empty
 * values are dropped unless `allowempty=true`.
 */
export function makemvStage(cmd: MakemvCommand, tokenizer: { regex: RegExp; compiled: CompiledPcre } | undefined): Stage {
  const delim = cmd.delim ?? ' ';
  const split = (s: string): string[] => {
    if (!tokenizer) return s.split(delim);
    const re = new RegExp(tokenizer.regex.source, tokenizer.regex.flags.includes('g') ? tokenizer.regex.flags : tokenizer.regex.flags + 'g');
    const out: string[] = [];
    for (const m of s.matchAll(re)) {
      out.push(groupValue(tokenizer.compiled, m, 1) ?? m[0]);
      if (m[0] === '') re.lastIndex++;
    }
    return out;
  };
  return (next) => ({
    push(row) {
      const v = row[cmd.field];
      if (v === undefined || Array.isArray(v)) {
        next.push(row);
        return;
      }
      let parts = split(scalarToString(v as Scalar));
      if (!cmd.allowempty) parts = parts.filter((p) => p !== '');
      const out = copyRow(row);
      const value = fromValues(parts);
      if (value === undefined) delete out[cmd.field];
      else out[cmd.field] = value;
      next.push(out);
    },
    end: () => next.end(),
  });
}

/**
 * replace: a value that matches a `from` pattern as a whole (case-sensitive,
 * `*` wildcards) becomes `to`, whose `*`s take the text the `from` wildcards
 * matched; the first matching pair wins. Without `in`, every visible field.
 */
export function replaceStage(cmd: ReplaceCommand): Stage {
  const pairs = cmd.pairs.map((p) => {
    const re = new RegExp('^' + p.from.split('*').map(escapeRegex).join('(.*)') + '$', 's');
    const toParts = p.to.split('*');
    return (s: string): string | undefined => {
      const m = re.exec(s);
      if (!m) return undefined;
      let out = toParts[0] as string;
      for (let i = 1; i < toParts.length; i++) out += (m[i] ?? '') + (toParts[i] as string);
      return out;
    };
  });
  const fieldMatchers = cmd.fields.map((f) => compileWildcard(f, true));
  const applies = (k: string): boolean => (fieldMatchers.length === 0 ? isVisible(k) : fieldMatchers.some((m) => m.test(k)));
  const one = (v: Scalar): Scalar => {
    const s = scalarToString(v);
    for (const p of pairs) {
      const r = p(s);
      if (r !== undefined) return r;
    }
    return v;
  };
  return (next) => ({
    push(row) {
      let out: Row | undefined;
      for (const k in row) {
        const v = row[k];
        if (v === undefined || !applies(k)) continue;
        const nv: FieldValue = Array.isArray(v) ? v.map(one) : one(v as Scalar);
        if (valueKey(nv) === valueKey(v)) continue;
        out ??= copyRow(row);
        out[k] = nv;
      }
      next.push(out ?? row);
    },
    end: () => next.end(),
  });
}

/**
 * addtotals: `row=true` sums the numeric values of the listed fields (all
 * visible fields when none are listed) into `fieldname` when there is at least
 * one; `col=true` appends a row of column sums, labelled when `labelfield` is set.
 */
export function addtotalsStage(cmd: AddtotalsCommand): Stage {
  const matchers = cmd.fields.map((f) => compileWildcard(f, true));
  const counted = (k: string): boolean =>
    k !== cmd.fieldname && (matchers.length === 0 ? isVisible(k) : matchers.some((m) => m.test(k)));
  return (next) => {
    const colSums = new Map<string, number>();
    return {
      push(row) {
        let sum: number | undefined;
        for (const k in row) {
          if (!counted(k)) continue;
          for (const v of valuesOf(row[k])) {
            const n = toNumber(v);
            if (n === undefined) continue;
            sum = (sum ?? 0) + n;
            if (cmd.col) colSums.set(k, (colSums.get(k) ?? 0) + n);
          }
        }
        if (cmd.row && sum !== undefined) {
          const out = copyRow(row);
          out[cmd.fieldname] = sum;
          next.push(out);
        } else next.push(row);
      },
      end() {
        if (cmd.col) {
          const out = newRow();
          for (const [k, n] of colSums) out[k] = n;
          if (cmd.labelfield !== undefined) out[cmd.labelfield] = cmd.label;
          next.push(out);
        }
        next.end();
      },
    };
  };
}

/** Spans `bins=` picks from for times, in seconds. */
const TIME_SPANS = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 86400, 604800, 2592000, 31536000];

/** The smallest standard time span that covers `lo`..`hi` in at most `bins` buckets. */
export function autoTimeSpan(lo: number, hi: number, bins: number): number {
  return TIME_SPANS.find((s) => Math.floor(hi / s) - Math.floor(lo / s) + 1 <= bins) ?? (TIME_SPANS[TIME_SPANS.length - 1] as number);
}

/**
 * bin: replaces a value by the start of its bucket. For `_time` and spans
 * with a time unit the result is the bucket's start (epoch seconds, UTC
 * alignment); for other numeric fields it is the range text `lo-hi`. With
 * `bins=N` (default 100 when no span is given) the span is the smallest
 * "nice" span (a power of ten; a standard time span for times) that needs at
 * most N buckets, which needs every row first. A row with no numeric value
 * is left as it is (non-numeric values of a multivalue field are dropped).
 */
export function binStage(cmd: BinCommand): Stage {
  const target = cmd.as ?? cmd.field;
  const isTime = cmd.field === '_time' || (cmd.binSpan !== undefined && /[a-z]/i.test(cmd.binSpan.text));
  const apply = (row: Row, size: number): Row => {
    const vs: Scalar[] = [];
    for (const x of valuesOf(row[cmd.field])) {
      const n = toNumber(x);
      if (n === undefined) continue;
      const lo = Math.floor(n / size) * size;
      vs.push(isTime ? lo : `${scalarToString(lo)}-${scalarToString(lo + size)}`);
    }
    if (vs.length === 0) return row;
    const out = copyRow(row);
    out[target] = fromValues(vs) as FieldValue;
    return out;
  };
  if (cmd.binSpan) {
    const size = cmd.binSpan.seconds;
    return (next) => ({ push: (row) => next.push(apply(row, size)), end: () => next.end() });
  }
  const bins = cmd.bins ?? 100;
  return (next) => {
    const rows: Row[] = [];
    let lo = cmd.start ?? Infinity;
    let hi = cmd.end ?? -Infinity;
    return {
      push(row) {
        rows.push(row);
        for (const x of valuesOf(row[cmd.field])) {
          const n = toNumber(x);
          if (n === undefined) continue;
          if (n < lo) lo = n;
          if (n > hi) hi = n;
        }
      },
      end() {
        const range = hi >= lo ? hi - lo : 0;
        let size: number;
        if (isTime) size = autoTimeSpan(lo, hi, bins);
        else {
          size = 1;
          while (range > 0 && Math.floor(hi / size) - Math.floor(lo / size) + 1 > bins) size *= 10;
        }
        for (const r of rows) next.push(apply(r, size));
        next.end();
      },
    };
  };
}
