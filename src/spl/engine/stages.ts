/**
 * Row-processing stages, one per command after the first. Each stage is a
 * function from the next sink to its own sink. Rows may be shared (an event's
 * fields are cached and seen by several searches), so a stage that changes a
 * row makes a new one.
 */
import type {
  Aggregation,
  ByField,
  ConvertCommand,
  EvalCommand,
  FieldsCommand,
  RenameCommand,
  StatsCommand,
  TableCommand,
} from '../language/ast.js';
import { strftime, strptime } from '../time/index.js';
import { newRow, scalarToString, toNumber, valuesOf, type FieldValue, type Row, type Scalar } from '../values.js';
import { AGGREGATIONS, aggregationName, type Accumulator, type AccumulatorFactory } from './aggregate.js';
import type { CompiledExpr } from './eval-expr.js';
import type { RowPredicate } from './search-predicate.js';
import type { EngineEvent, ExecOptions, RowSink } from './types.js';
import { compileWildcard, escapeRegex } from './wildcard.js';

/**
 * A stage wraps the next sink. `run` gives stages that read a subsearch a
 * run of it that sees the same events as the main search.
 */
export type Stage = (next: RowSink, run: RunContext) => RowSink;

/** One run of a planned (sub)pipeline. */
export interface PipelineRun {
  pushEvent(event: EngineEvent): void;
  /** Ends the run and returns its rows. */
  finish(): readonly Row[];
}

export interface RunContext {
  /** Starts a run of a subsearch; it receives every event the main search does. */
  open(plan: { open(): PipelineRun }): PipelineRun;
  /** Every event of the run so far; recorded only for pipelines that need them again (`map`). */
  events(): readonly EngineEvent[];
}

export function filterStage(pred: RowPredicate): Stage {
  return (next) => ({
    push(row) {
      if (pred(row)) next.push(row);
    },
    end: () => next.end(),
  });
}

export function evalStage(cmd: EvalCommand, exprs: readonly CompiledExpr[]): Stage {
  return (next) => ({
    push(row) {
      const out = copyRow(row);
      cmd.assignments.forEach((a, i) => {
        const v = (exprs[i] as CompiledExpr)(out);
        if (v === null || typeof v === 'boolean') delete out[a.field];
        else out[a.field] = v;
      });
      next.push(out);
    },
    end: () => next.end(),
  });
}

/** A rename source pattern (`Processes.*`) and its target (`*`): `*` captures carry over. */
function renamer(from: string, to: string): (name: string) => string | undefined {
  if (!from.includes('*')) return (name) => (name === from ? to : undefined);
  const re = new RegExp('^' + from.split('*').map(escapeRegex).join('(.*)') + '$', 's');
  const toParts = to.split('*');
  return (name) => {
    const m = re.exec(name);
    if (!m) return undefined;
    let out = toParts[0] as string;
    for (let i = 1; i < toParts.length; i++) out += (m[i] ?? '') + (toParts[i] as string);
    return out;
  };
}

export function renameStage(cmd: RenameCommand): Stage {
  const passes = cmd.pairs.map((p) => renamer(p.from, p.to));
  const apply = (row: Row, rename: (name: string) => string | undefined): Row => {
    const mapping = new Map<string, string>();
    for (const k in row) {
      const to = rename(k);
      if (to !== undefined && to !== k) mapping.set(k, to);
    }
    if (mapping.size === 0) return row;
    const targets = new Set(mapping.values());
    const out = newRow();
    for (const k in row) {
      const to = mapping.get(k);
      if (to !== undefined) out[to] = row[k];
      else if (!targets.has(k)) out[k] = row[k];
    }
    return out;
  };
  return (next) => ({
    push(row) {
      let r = row;
      for (const p of passes) r = apply(r, p);
      next.push(r);
    },
    end: () => next.end(),
  });
}

const DEFAULT_TIMEFORMAT = '%m/%d/%Y %H:%M:%S';

export function convertStage(cmd: ConvertCommand, opts: ExecOptions): Stage {
  const fmt = cmd.timeformat ?? DEFAULT_TIMEFORMAT;
  const convs = cmd.conversions.map((c) => ({ ...c, match: c.field.includes('*') ? compileWildcard(c.field, true) : undefined, fn: conversion(c.fn, fmt, opts) }));
  return (next) => ({
    push(row) {
      const out = copyRow(row);
      for (const c of convs) {
        const names = c.match ? Object.keys(row).filter((k) => c.match?.test(k)) : [c.field];
        for (const name of names) {
          const v = out[name];
          if (v === undefined) continue;
          const conv = valuesOf(v).map((x) => c.fn(x));
          const result = conv.length === 1 ? (conv[0] as Scalar) : conv;
          out[c.as !== undefined && !c.match ? c.as : name] = result;
        }
      }
      next.push(out);
    },
    end: () => next.end(),
  });
}

/** A `convert` function; a value it cannot convert is kept as it was. */
function conversion(fn: string, fmt: string, opts: ExecOptions): (v: Scalar) => Scalar {
  switch (fn) {
    case 'ctime':
      return (v) => {
        const n = toNumber(v);
        return n === undefined ? v : strftime(n, fmt, opts.timezone);
      };
    case 'mktime':
      return (v) => {
        const t = strptime(scalarToString(v), fmt, opts.timezone);
        return t === null || t === undefined ? v : t;
      };
    case 'num':
    case 'auto':
      return (v) => toNumber(v) ?? v;
    case 'rmcomma':
      return (v) => {
        const s = scalarToString(v).replace(/,/g, '');
        return toNumber(s) ?? s;
      };
    case 'rmunit':
      return (v) => {
        const m = /^\s*([+-]?\d+(?:\.\d+)?)/.exec(scalarToString(v));
        return m ? Number(m[1]) : v;
      };
    case 'dur2sec':
      return (v) => {
        const m = /^(?:(\d+)\+)?(\d+):(\d+):(\d+)$/.exec(scalarToString(v));
        if (!m) return v;
        return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
      };
    case 'none':
    default:
      return (v) => v;
  }
}

export const CONVERT_FUNCTIONS = ['ctime', 'mktime', 'num', 'auto', 'rmcomma', 'rmunit', 'dur2sec', 'none'] as const;

export function tableStage(cmd: TableCommand): Stage {
  const cols = cmd.fields.map((f) => ({ name: f, match: f.includes('*') ? compileWildcard(f, true) : undefined }));
  return (next) => ({
    push(row) {
      const out = newRow();
      for (const c of cols) {
        if (c.match) {
          for (const k in row) if (c.match.test(k) && !(k in out) && row[k] !== undefined) out[k] = row[k];
        } else if (row[c.name] !== undefined) out[c.name] = row[c.name];
      }
      next.push(out);
    },
    end: () => next.end(),
  });
}

export function fieldsStage(cmd: FieldsCommand): Stage {
  const matchers = cmd.fields.map((f) => compileWildcard(f, true));
  const listed = (k: string): boolean => matchers.some((m) => m.test(k));
  return (next) => ({
    push(row) {
      const out = newRow();
      for (const k in row) {
        const keep = cmd.mode === '-' ? !listed(k) : listed(k) || k === '_time' || k === '_raw';
        if (keep) out[k] = row[k];
      }
      next.push(out);
    },
    end: () => next.end(),
  });
}

// ------------------------------------------------------------------ grouping

export interface GroupSpec {
  readonly by: readonly ByField[];
  /** Reads a BY field from an input row (tstats maps `Processes.x` to `x`). */
  readonly read: (row: Row, field: string) => FieldValue | undefined;
  /** `fillnull_value` of tstats: missing BY values become this; else such rows are dropped. */
  readonly fillnull?: string;
  /** The row's names of the BY fields, when `read(row, by[i].field)` is `row[byNames[i]]` (lets the stage skip `read`). */
  readonly byNames?: readonly string[];
  /**
   * Rows are records shared by every search and never changed (tstats over a
   * data model): the group key of a row is memoised across searches with the
   * same BY fields.
   */
  readonly sharedRows?: boolean;
  readonly aggregations: readonly {
    readonly name: string;
    readonly factory: AccumulatorFactory;
    /** Values the aggregation sees for a row (none for a plain `count`: it counts rows). */
    readonly values: (row: Row) => readonly Scalar[];
    /** The row field a plain field aggregation reads (`values` is `valuesOf(row[field])`). */
    readonly field?: string;
    /** A plain `count` (`values` is always one value). */
    readonly countsRows?: boolean;
  }[];
}

const ONE: readonly Scalar[] = [1];

/**
 * Builds an aggregation spec. `fieldOf` maps a field name as written to the
 * row's name; `evalOf` compiles `count(eval(...))` expressions.
 */
export function aggregationSpecs(
  aggs: readonly Aggregation[],
  fieldOf: (name: string) => string,
  evalOf: (agg: Aggregation) => CompiledExpr | undefined,
  exprText: (agg: Aggregation) => string,
): GroupSpec['aggregations'] {
  return aggs.map((a) => {
    const make = AGGREGATIONS[a.fn];
    if (!make) throw new Error(`unknown aggregation ${a.fn}`);
    const factory = make(a.param);
    const name = aggregationName(a, exprText(a));
    if (a.expr) {
      const e = evalOf(a) as CompiledExpr;
      return {
        name,
        factory,
        values: (row: Row) => {
          const v = e(row);
          if (v === null || v === false) return [];
          if (v === true) return ONE;
          return valuesOf(v);
        },
      };
    }
    if (a.field === undefined) return { name, factory, values: () => ONE, countsRows: true };
    const f = fieldOf(a.field);
    return { name, factory, values: (row: Row) => valuesOf(row[f]), field: f };
  });
}

/** Groups rows, aggregates, and emits one row per group sorted by the BY values. */
/**
 * The BY-value combinations a row belongs to (several when a BY field is
 * multivalue), or undefined when a BY field is missing and there is no fill.
 */
export function groupCombos(spec: Pick<GroupSpec, 'by' | 'read' | 'fillnull'>, row: Row): Scalar[][] | undefined {
  // Fast path, the common case: every BY field holds one value and none is bucketed.
  const single: Scalar[] = [];
  let simple = true;
  for (const b of spec.by) {
    const v = spec.read(row, b.field);
    if (v === undefined) {
      if (spec.fillnull === undefined) return undefined;
      single.push(spec.fillnull);
    } else if (Array.isArray(v) || b.span) {
      simple = false;
      break;
    } else single.push(v as Scalar);
  }
  if (simple) return [single];
  const vals: Scalar[][] = [];
  for (const b of spec.by) {
    let vs = valuesOf(spec.read(row, b.field));
    if (vs.length === 0) {
      if (spec.fillnull === undefined) return undefined;
      vs = [spec.fillnull];
    } else if (b.span) {
      const size = b.span.seconds;
      vs = vs.map((v) => {
        const n = toNumber(v);
        return n === undefined ? v : Math.floor(n / size) * size;
      });
    }
    vals.push(vs as Scalar[]);
  }
  let combos: Scalar[][] = [[]];
  for (const vs of vals) {
    const nextCombos: Scalar[][] = [];
    for (const c of combos) for (const v of vs) nextCombos.push([...c, v]);
    combos = nextCombos;
  }
  return combos;
}

/** The map key of a BY-value combination. */
export function comboId(keys: readonly Scalar[]): string {
  return keys.map(scalarToString).join('\u0000');
}

/** `_time` of a row as a number, for earliest()/latest(). */
export function rowTime(row: Row): number | undefined {
  const t = row['_time'];
  return t === undefined ? undefined : toNumber(Array.isArray(t) ? (t[0] as Scalar) : (t as Scalar));
}

/** A BY value as its group holds it: bucketed by `span` (seconds; 0: none) when numeric. */
function byValue(v: Scalar, span: number): Scalar {
  if (span === 0) return v;
  const n = toNumber(v);
  return n === undefined ? v : Math.floor(n / span) * span;
}

/**
 * The group key (as `comboId` makes it) of a row whose BY fields each hold one
 * value, built in one pass; `undefined` when a BY field is missing and there is
 * no fill; `null` when a BY field is multivalue (the caller takes the general path).
 */
function singleKey(names: readonly string[], spans: readonly number[], fill: string | undefined, row: Row): string | undefined | null {
  let key = '';
  for (let i = 0; i < names.length; i++) {
    const v = row[names[i] as string];
    let s: string;
    if (v === undefined) {
      if (fill === undefined) return undefined;
      s = fill;
    } else if (typeof v === 'object') return null;
    else {
      const span = spans[i] as number;
      s = typeof v === 'string' && span === 0 ? v : scalarToString(byValue(v, span));
    }
    key = i === 0 ? s : key + '\u0000' + s;
  }
  return key;
}

/** What group stages over shared records share: per BY signature, the last row and its key. */
interface SharedTable {
  /** The memo of each BY signature. */
  readonly memos: Map<string, SharedKey>;
  /**
   * Numbers for the distinct BY values seen in shared records (by text, as
   * `comboId` compares them), so a shared group key is a short list of numbers
   * rather than the values themselves (command lines run to kilobytes, and every
   * search's map would hash and compare them). Not cleared while in use: a
   * number must keep standing for one text while a group holds it; it holds
   * values the groups hold anyway. Stages created once it is large get a new
   * table, and the old one goes when its stages do.
   */
  readonly ids: Map<string, number>;
  /** The numbers of the current record's fields, by slot (`name/span/fill`). */
  idRow: Row | undefined;
  readonly idsOfRow: Map<string, number>;
}

const newTable = (): SharedTable => ({ memos: new Map(), ids: new Map(), idRow: undefined, idsOfRow: new Map() });
let sharedTable = newTable();

interface SharedKey {
  row: Row | undefined;
  key: string | undefined | null;
  /** Per BY field, its slot in `idsOfRow`. */
  readonly slots: readonly string[];
}

type Group = { keys: Scalar[]; accs: Accumulator[] };

export function groupStage(spec: GroupSpec): Stage {
  const aggs = spec.aggregations;
  const nAggs = aggs.length;
  const fill = spec.fillnull;
  // The one-pass key needs plain reads and no bucketing.
  const names = spec.byNames;
  const spans = spec.by.map((b) => b.span?.seconds ?? 0);
  const fields = aggs.map((a) => a.field);
  const counts = aggs.map((a) => a.countsRows === true);
  const newGroup = (keys: Scalar[]): Group => {
    const accs: Accumulator[] = new Array(nAggs);
    for (let i = 0; i < nAggs; i++) accs[i] = (aggs[i] as GroupSpec['aggregations'][number]).factory();
    return { keys, accs };
  };
  const feed = (g: Group, row: Row, time: number | undefined): void => {
    const accs = g.accs;
    for (let i = 0; i < nAggs; i++) {
      const acc = accs[i] as Accumulator;
      if (counts[i]) acc.add(ONE, time);
      else {
        const f = fields[i];
        if (f !== undefined && acc.addValue) acc.addValue(row[f], time);
        else acc.add((aggs[i] as GroupSpec['aggregations'][number]).values(row), time);
      }
    }
  };
  return (next) => {
    const groups = new Map<string, Group>();
    if (sharedTable.ids.size > 200_000) sharedTable = newTable();
    const table = sharedTable;
    const memo = names && spec.sharedRows ? sharedMemo(table, names, spans, fill) : undefined;
    const add = (keys: Scalar[], row: Row, time: number | undefined): void => {
      const id = comboId(keys);
      let g = groups.get(id);
      if (!g) groups.set(id, (g = newGroup(keys)));
      feed(g, row, time);
    };
    return {
      push(row) {
        if (names) {
          let key: string | undefined | null;
          if (memo) {
            if (memo.row === row) key = memo.key;
            else {
              key = sharedKey(table, memo, names, spans, fill, row);
              memo.row = row;
              memo.key = key;
            }
          } else key = singleKey(names, spans, fill, row);
          if (key === undefined) return;
          if (key !== null) {
            let g = groups.get(key);
            if (!g) {
              const keys: Scalar[] = new Array(names.length);
              for (let i = 0; i < names.length; i++) {
                const v = row[names[i] as string];
                keys[i] = v === undefined ? (fill as string) : byValue(v as Scalar, spans[i] as number);
              }
              groups.set(key, (g = newGroup(keys)));
            }
            feed(g, row, rowTime(row));
            return;
          }
        }
        // A multivalue BY field yields one group per value (cartesian product).
        const combos = groupCombos(spec, row);
        if (!combos) return;
        const time = rowTime(row);
        for (const c of combos) add(c, row, time);
      },
      end() {
        if (spec.by.length === 0 && groups.size === 0) groups.set('', newGroup([]));
        const sorted = [...groups.values()].sort((a, b) => {
          for (let i = 0; i < a.keys.length; i++) {
            const x = scalarToString(a.keys[i] as Scalar);
            const y = scalarToString(b.keys[i] as Scalar);
            if (x !== y) return x < y ? -1 : 1;
          }
          return 0;
        });
        for (const g of sorted) {
          const out = newRow();
          spec.by.forEach((b, i) => (out[b.field] = g.keys[i] as Scalar));
          aggs.forEach((a, i) => {
            const v = (g.accs[i] as Accumulator).result();
            if (v !== undefined) out[a.name] = v;
          });
          next.push(out);
        }
        next.end();
      },
    };
  };
}

function valueId(ids: Map<string, number>, text: string): number {
  let id = ids.get(text);
  if (id === undefined) ids.set(text, (id = ids.size));
  return id;
}

/** The key of a shared record: like `singleKey`, but numbers for the values. */
function sharedKey(table: SharedTable, memo: SharedKey, names: readonly string[], spans: readonly number[], fill: string | undefined, row: Row): string | undefined | null {
  const idsOfRow = table.idsOfRow;
  if (table.idRow !== row) {
    table.idRow = row;
    idsOfRow.clear();
  }
  let key = '';
  for (let i = 0; i < names.length; i++) {
    const slot = (memo.slots[i] as string);
    let id = idsOfRow.get(slot);
    if (id === undefined) {
      const v = row[names[i] as string];
      let s: string;
      if (v === undefined) {
        if (fill === undefined) return undefined;
        s = fill;
      } else if (typeof v === 'object') return null;
      else {
        const span = spans[i] as number;
        s = typeof v === 'string' && span === 0 ? v : scalarToString(byValue(v, span));
      }
      id = valueId(table.ids, s);
      idsOfRow.set(slot, id);
    }
    key = i === 0 ? String(id) : key + ',' + id;
  }
  return key;
}

function sharedMemo(table: SharedTable, names: readonly string[], spans: readonly number[], fill: string | undefined): SharedKey {
  const sig = (fill === undefined ? '-' : '+' + fill) + '\u0001' + names.map((n, i) => `${n}/${spans[i] as number}`).join('\u0000');
  let m = table.memos.get(sig);
  if (!m) table.memos.set(sig, (m = { row: undefined, key: undefined, slots: names.map((n, i) => `${n}/${spans[i] as number}/${fill ?? ''}`) }));
  return m;
}

export function statsSpec(cmd: StatsCommand, aggs: GroupSpec['aggregations']): GroupSpec {
  return { by: cmd.by, read: (row, f) => row[f], byNames: cmd.by.map((b) => b.field), aggregations: aggs };
}

/** A shallow copy: rows may be shared between searches, so stages change copies. */
export function copyRow(row: Row): Row {
  const out = newRow();
  for (const k in row) out[k] = row[k];
  return out;
}
