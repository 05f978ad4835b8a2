/**
 * Stages of the stats family that keep the input rows (`eventstats`,
 * `streamstats`) or pivot them (`timechart`, `chart`, `top`, `rare`). They
 * share the accumulators and BY-field handling of `stats` (stages.ts).
 */
import type { Aggregation, ByField, SeriesLimit, TopCommand } from '../language/ast.js';
import { newRow, scalarToString, toNumber, valuesOf, type Row, type Scalar } from '../values.js';
import type { Accumulator } from './aggregate.js';
import { autoTimeSpan } from './row-stages.js';
import { comboId, copyRow, groupCombos, rowTime, type GroupSpec, type Stage } from './stages.js';

type Aggs = GroupSpec['aggregations'];

function readField(row: Row, f: string) {
  return row[f];
}

/** Sets aggregation results on a copy of `row`; an empty result removes the field. */
function withResults(row: Row, aggs: Aggs, accs: readonly Accumulator[]): Row {
  const out = copyRow(row);
  aggs.forEach((a, i) => {
    const v = (accs[i] as Accumulator).result();
    if (v === undefined) delete out[a.name];
    else out[a.name] = v;
  });
  return out;
}

/**
 * eventstats: aggregates like stats, then emits every input row, in input
 * order, with its group's results added. Rows missing a BY field pass through
 * unchanged. A row in several groups (multivalue BY field) gets the results of
 * the first.
 */
export function eventstatsStage(by: readonly ByField[], aggs: Aggs): Stage {
  return (next) => {
    const rows: { row: Row; id: string | undefined }[] = [];
    const groups = new Map<string, Accumulator[]>();
    return {
      push(row) {
        const combos = groupCombos({ by, read: readField }, row);
        if (!combos) {
          rows.push({ row, id: undefined });
          return;
        }
        const time = rowTime(row);
        combos.forEach((c) => {
          const id = comboId(c);
          let accs = groups.get(id);
          if (!accs) groups.set(id, (accs = aggs.map((a) => a.factory())));
          aggs.forEach((a, i) => (accs[i] as Accumulator).add(a.values(row), time));
        });
        rows.push({ row, id: comboId(combos[0] as Scalar[]) });
      },
      end() {
        for (const { row, id } of rows) {
          const accs = id === undefined ? undefined : groups.get(id);
          next.push(accs ? withResults(row, aggs, accs) : row);
        }
        next.end();
      },
    };
  };
}

export interface StreamstatsOptions {
  readonly current: boolean;
  /** 0: all rows so far. */
  readonly window: number;
  readonly global: boolean;
  readonly resetOnChange: boolean;
}

interface WindowEntry {
  readonly id: string;
  readonly values: readonly (readonly Scalar[])[];
  readonly time: number | undefined;
}

/**
 * streamstats: running aggregates, in input order. With `window=N` the
 * results cover the last N rows (of all rows when `global=true`, of the
 * row's group otherwise) and are recomputed from the window. Rows missing a
 * BY field pass through unchanged.
 */
export function streamstatsStage(by: readonly ByField[], aggs: Aggs, opts: StreamstatsOptions): Stage {
  return (next) => {
    let running = new Map<string, Accumulator[]>();
    let windows = new Map<string, WindowEntry[]>();
    let previous: string | undefined;
    const fresh = (): Accumulator[] => aggs.map((a) => a.factory());
    const fromWindow = (entries: readonly WindowEntry[], id: string): Accumulator[] => {
      const accs = fresh();
      for (const e of entries) {
        if (e.id !== id) continue;
        aggs.forEach((_, i) => (accs[i] as Accumulator).add(e.values[i] as readonly Scalar[], e.time));
      }
      return accs;
    };
    return {
      push(row) {
        const combos = groupCombos({ by, read: readField }, row);
        if (!combos) {
          next.push(row);
          return;
        }
        const id = comboId(combos[0] as Scalar[]);
        if (opts.resetOnChange && previous !== undefined && previous !== id) {
          running = new Map();
          windows = new Map();
        }
        previous = id;
        const time = rowTime(row);
        const values = aggs.map((a) => a.values(row));
        if (opts.window > 0) {
          const key = opts.global ? '' : id;
          let win = windows.get(key);
          if (!win) windows.set(key, (win = []));
          const entry: WindowEntry = { id, values, time };
          if (opts.current) {
            win.push(entry);
            if (win.length > opts.window) win.shift();
            next.push(withResults(row, aggs, fromWindow(win, id)));
          } else {
            next.push(withResults(row, aggs, fromWindow(win, id)));
            win.push(entry);
            if (win.length > opts.window) win.shift();
          }
          return;
        }
        let accs = running.get(id);
        if (!accs) running.set(id, (accs = fresh()));
        const add = (): void => aggs.forEach((_, i) => (accs[i] as Accumulator).add(values[i] as readonly Scalar[], time));
        if (opts.current) add();
        next.push(withResults(row, aggs, accs));
        if (!opts.current) add();
      },
      end: () => next.end(),
    };
  };
}

/** Aggregations whose empty cells a chart fills with 0 (the others stay empty). */
const COUNTING = new Set(['count', 'c', 'dc', 'distinct_count', 'estdc']);

/**
 * timechart / chart: one row per `over` value (a `_time` bucket for
 * timechart), one column per aggregation, or per split-by value when there is
 * a `by` field (named `<agg>: <value>` when there are several aggregations).
 *
 * Split-by values beyond `limit` (default 10; 0 keeps all) are folded into
 * `OTHER` (unless `useother=false`, which drops them). Values are scored, as
 * the Search Reference says, by the sum of their cells when there is one
 * aggregation, else by how many rows have them; `limit=bottomN` keeps the
 * lowest; ties go to the value that sorts first as text. Rows without the
 * split-by field form the `NULL` series (unless `usenull=false`). Columns are
 * the kept values sorted as text, then `OTHER`.
 *
 * timechart emits every bucket between the first and the last (empty buckets
 * count 0); chart sorts its rows by the `over` value as text.
 */
export function chartStage(opts: {
  readonly over: string | undefined;
  /** Bucket size in seconds for timechart; `auto`: picked from the data (see `autoTimeSpan`). */
  readonly bucket?: number | 'auto';
  readonly splitBy: string | undefined;
  readonly series: SeriesLimit;
  readonly aggregations: readonly Aggregation[];
  readonly aggs: Aggs;
}): Stage {
  const { over, splitBy, aggs, series } = opts;
  let bucket = opts.bucket === 'auto' ? undefined : opts.bucket;
  const floorKeys = (keys: readonly (Scalar | undefined)[], size: number): (Scalar | undefined)[] =>
    keys.map((k) => {
      const n = k === undefined ? undefined : toNumber(k);
      return n === undefined ? k : Math.floor(n / size) * size;
    });
  const keysOf = (row: Row): readonly (Scalar | undefined)[] => {
    if (over === undefined) return [undefined];
    const keys = valuesOf(row[over]);
    return bucket === undefined ? keys : floorKeys(keys, bucket);
  };
  const splitsOf = (row: Row): readonly string[] => {
    if (splitBy === undefined) return [''];
    const vs = valuesOf(row[splitBy]).map(scalarToString);
    if (vs.length > 0) return vs;
    return series.usenull ? [series.nullstr] : [];
  };
  return (next) => {
    const input: { row: Row; keys: readonly (Scalar | undefined)[]; splits: readonly string[] }[] = [];
    return {
      push(row) {
        const keys = keysOf(row);
        const splits = splitsOf(row);
        if (keys.length > 0 && splits.length > 0) input.push({ row, keys, splits });
      },
      end() {
        if (opts.bucket === 'auto') {
          // The span needs the whole time range, so keys were kept unfloored until now.
          const times = input.flatMap((e) => e.keys.map((k) => (k === undefined ? undefined : toNumber(k)))).filter((n): n is number => n !== undefined);
          const size = autoTimeSpan(times.length ? Math.min(...times) : 0, times.length ? Math.max(...times) : 0, 100);
          bucket = size;
          for (const e of input) e.keys = floorKeys(e.keys, size);
        }
        const aggregate = (rename: (split: string) => string | undefined) => {
          const cells = new Map<string, { key: Scalar | undefined; splits: Map<string, Accumulator[]> }>();
          for (const { row, keys, splits } of input) {
            const time = rowTime(row);
            for (const k of keys) {
              const id = k === undefined ? '' : scalarToString(k);
              let cell = cells.get(id);
              if (!cell) cells.set(id, (cell = { key: k, splits: new Map() }));
              for (const raw of splits) {
                const sp = rename(raw);
                if (sp === undefined) continue;
                let accs = cell.splits.get(sp);
                if (!accs) cell.splits.set(sp, (accs = aggs.map((a) => a.factory())));
                aggs.forEach((a, i) => (accs[i] as Accumulator).add(a.values(row), time));
              }
            }
          }
          return cells;
        };
        let cells = aggregate((sp) => sp);
        let columns: string[] = [];
        if (splitBy !== undefined) {
          const all = new Set<string>();
          for (const { splits } of input) splits.forEach((sp) => all.add(sp));
          columns = [...all].sort();
          if (series.limit > 0 && columns.length > series.limit) {
            const score = new Map<string, number>(columns.map((c) => [c, 0]));
            if (aggs.length === 1) {
              for (const cell of cells.values()) {
                for (const [sp, accs] of cell.splits) {
                  const v = (accs[0] as Accumulator).result();
                  const n = v === undefined || Array.isArray(v) ? undefined : toNumber(v as Scalar);
                  if (n !== undefined) score.set(sp, (score.get(sp) ?? 0) + n);
                }
              }
            } else {
              for (const { splits } of input) splits.forEach((sp) => score.set(sp, (score.get(sp) ?? 0) + 1));
            }
            const sign = series.bottom ? 1 : -1;
            const ranked = [...columns].sort((a, b) => sign * ((score.get(a) ?? 0) - (score.get(b) ?? 0)) || (a < b ? -1 : a > b ? 1 : 0));
            const kept = new Set(ranked.slice(0, series.limit));
            columns = columns.filter((c) => kept.has(c));
            cells = aggregate((sp) => (kept.has(sp) ? sp : series.useother ? series.otherstr : undefined));
            if (series.useother) columns.push(series.otherstr);
          }
        }
        let entries = [...cells.values()];
        if (bucket !== undefined && entries.length > 0) {
          const nums = entries.map((e) => toNumber(e.key as Scalar) ?? 0);
          const lo = Math.min(...nums);
          const hi = Math.max(...nums);
          const byKey = new Map(entries.map((e) => [toNumber(e.key as Scalar) ?? 0, e]));
          entries = [];
          for (let t = lo; t <= hi; t += bucket) entries.push(byKey.get(t) ?? { key: t, splits: new Map() });
        } else if (over !== undefined) {
          entries.sort((a, b) => {
            const x = scalarToString(a.key as Scalar);
            const y = scalarToString(b.key as Scalar);
            return x < y ? -1 : x > y ? 1 : 0;
          });
        }
        for (const e of entries) {
          const out = newRow();
          if (over !== undefined) out[over] = e.key as Scalar;
          for (const sp of splitBy === undefined ? [''] : columns) {
            const accs = e.splits.get(sp);
            aggs.forEach((a, i) => {
              const col = splitBy === undefined ? a.name : aggs.length > 1 ? `${a.name}: ${sp}` : sp;
              const v = accs ? (accs[i] as Accumulator).result() : undefined;
              const fn = opts.aggregations[i]?.fn ?? '';
              if (v !== undefined) out[col] = v;
              else if (COUNTING.has(fn)) out[col] = 0;
            });
          }
          next.push(out);
        }
        next.end();
      },
    };
  };
}

/**
 * top / rare: counts each combination of the fields (per BY group), keeps the
 * `limit` most (top) or least (rare) frequent, ties in order of first
 * appearance; percent is of the group's rows that have all the fields, with
 * six decimals as Splunk prints it.
 */
export function topStage(cmd: TopCommand): Stage {
  const fields = [...cmd.by, ...cmd.fields];
  const spec = { by: fields.map((f) => ({ field: f, loc: cmd.span })), read: readField };
  return (next) => {
    const groups = new Map<string, { total: number; combos: Map<string, { keys: Scalar[]; n: number }> }>();
    return {
      push(row) {
        const combos = groupCombos(spec, row);
        if (!combos) return;
        const seenGroups = new Set<string>();
        for (const c of combos) {
          const gid = comboId(c.slice(0, cmd.by.length));
          let g = groups.get(gid);
          if (!g) groups.set(gid, (g = { total: 0, combos: new Map() }));
          if (!seenGroups.has(gid)) {
            seenGroups.add(gid);
            g.total++;
          }
          const id = comboId(c);
          const e = g.combos.get(id);
          if (e) e.n++;
          else g.combos.set(id, { keys: c, n: 1 });
        }
      },
      end() {
        for (const g of groups.values()) {
          const sign = cmd.kind === 'top' ? -1 : 1;
          const ranked = [...g.combos.values()].sort((a, b) => sign * (a.n - b.n));
          const kept = cmd.limit > 0 ? ranked.slice(0, cmd.limit) : ranked;
          for (const e of kept) {
            const out = newRow();
            fields.forEach((f, i) => (out[f] = e.keys[i] as Scalar));
            if (cmd.showcount) out[cmd.countfield] = e.n;
            if (cmd.showperc) out[cmd.percentfield] = ((e.n / g.total) * 100).toFixed(6);
            next.push(out);
          }
        }
        next.end();
      },
    };
  };
}
