/**
 * Aggregation functions shared by `stats` and `tstats`, with Splunk's
 * semantics: count(f) counts values, values() is distinct and sorted
 * lexicographically, min/max prefer numbers, earliest/latest follow `_time`.
 */
import type { Aggregation } from '../language/ast.js';
import { scalarToString, toNumber, valuesOf, type FieldValue, type Row, type Scalar } from '../values.js';

export interface Accumulator {
  /** Adds one row's values (already extracted: `undefined` when the field is missing). */
  add(values: readonly Scalar[], time: number | undefined): void;
  /** Same as `add(valuesOf(value), time)`, without the list (the hot path of plain field aggregations). */
  addValue?(value: FieldValue | undefined, time: number | undefined): void;
  result(): FieldValue | undefined;
}

export type AccumulatorFactory = () => Accumulator;

/** The aggregation functions this engine supports, by lower-case name. */
export const AGGREGATIONS: Readonly<Record<string, (param: number | undefined) => AccumulatorFactory>> = {
  count: () => () => counting(),
  c: () => () => counting(),
  dc: () => () => distinctCount(),
  distinct_count: () => () => distinctCount(),
  estdc: () => () => distinctCount(),
  min: () => () => extreme(-1),
  max: () => () => extreme(1),
  values: () => () => valuesAcc(),
  list: () => () => listAcc(),
  sum: () => () => numericAcc((ns) => ns.reduce((a, b) => a + b, 0)),
  avg: () => () => numericAcc((ns) => (ns.length ? ns.reduce((a, b) => a + b, 0) / ns.length : undefined)),
  mean: () => () => numericAcc((ns) => (ns.length ? ns.reduce((a, b) => a + b, 0) / ns.length : undefined)),
  range: () => () => numericAcc((ns) => (ns.length ? Math.max(...ns) - Math.min(...ns) : undefined)),
  stdev: () => () => numericAcc((ns) => variance(ns, true, Math.sqrt)),
  stdevp: () => () => numericAcc((ns) => variance(ns, false, Math.sqrt)),
  var: () => () => numericAcc((ns) => variance(ns, true, (x) => x)),
  varp: () => () => numericAcc((ns) => variance(ns, false, (x) => x)),
  median: () => () => numericAcc((ns) => percentile(ns, 50)),
  perc: (p) => () => numericAcc((ns) => percentile(ns, p ?? 50)),
  p: (p) => () => numericAcc((ns) => percentile(ns, p ?? 50)),
  exactperc: (p) => () => numericAcc((ns) => percentile(ns, p ?? 50)),
  upperperc: (p) => () => numericAcc((ns) => percentile(ns, p ?? 50)),
  earliest: () => () => timed(-1),
  latest: () => () => timed(1),
  first: () => () => firstLast(true),
  last: () => () => firstLast(false),
  mode: () => () => modeAcc(),
};

function counting(): Accumulator {
  let n = 0;
  return {
    add: (vs) => void (n += vs.length),
    addValue: (v) => {
      if (v !== undefined) n += Array.isArray(v) ? v.length : 1;
    },
    result: () => n,
  };
}

function distinctCount(): Accumulator {
  const seen = new Set<string>();
  return {
    add: (vs) => {
      for (const v of vs) seen.add(scalarToString(v));
    },
    addValue(v) {
      if (v === undefined) return;
      if (Array.isArray(v)) for (const x of v as readonly Scalar[]) seen.add(scalarToString(x));
      else seen.add(scalarToString(v as Scalar));
    },
    result: () => seen.size,
  };
}

function extreme(sign: 1 | -1): Accumulator {
  let bestNum: number | undefined;
  let bestStr: string | undefined;
  const one = (v: Scalar): void => {
    const n = toNumber(v);
    if (n !== undefined) {
      if (bestNum === undefined || (sign > 0 ? n > bestNum : n < bestNum)) bestNum = n;
    } else {
      const s = scalarToString(v);
      if (bestStr === undefined || (sign > 0 ? s > bestStr : s < bestStr)) bestStr = s;
    }
  };
  return {
    add(vs) {
      for (const v of vs) one(v);
    },
    addValue(v) {
      if (v === undefined) return;
      if (Array.isArray(v)) for (const x of v as readonly Scalar[]) one(x);
      else one(v as Scalar);
    },
    result: () => (bestNum !== undefined ? bestNum : bestStr),
  };
}

/** Splunk's lexicographic order of values: by text, code unit by code unit. */
export function lexCompare(a: Scalar, b: Scalar): number {
  const sa = scalarToString(a);
  const sb = scalarToString(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function valuesAcc(): Accumulator {
  const seen = new Map<string, Scalar>();
  const one = (v: Scalar): void => {
    const s = scalarToString(v);
    if (!seen.has(s)) seen.set(s, v);
  };
  return {
    add: (vs) => {
      for (const v of vs) one(v);
    },
    addValue(v) {
      if (v === undefined) return;
      if (Array.isArray(v)) for (const x of v as readonly Scalar[]) one(x);
      else one(v as Scalar);
    },
    result() {
      const out = [...seen.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return out.length === 0 ? undefined : out.length === 1 ? (out[0] as string) : out;
    },
  };
}

function listAcc(): Accumulator {
  const out: Scalar[] = [];
  return {
    add: (vs) => {
      for (const v of vs) if (out.length < 100) out.push(v);
    },
    result: () => (out.length === 0 ? undefined : out.length === 1 ? (out[0] as Scalar) : out),
  };
}

function numericAcc(finish: (ns: number[]) => number | undefined): Accumulator {
  const ns: number[] = [];
  return {
    add: (vs) => {
      for (const v of vs) {
        const n = toNumber(v);
        if (n !== undefined) ns.push(n);
      }
    },
    result: () => (ns.length === 0 ? undefined : finish(ns)),
  };
}

function variance(ns: number[], sample: boolean, post: (x: number) => number): number | undefined {
  const n = ns.length;
  if (n === 0 || (sample && n < 2)) return undefined;
  const mean = ns.reduce((a, b) => a + b, 0) / n;
  const ss = ns.reduce((a, b) => a + (b - mean) * (b - mean), 0);
  return post(ss / (sample ? n - 1 : n));
}

function percentile(ns: number[], p: number): number | undefined {
  if (ns.length === 0) return undefined;
  const sorted = [...ns].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

function timed(sign: 1 | -1): Accumulator {
  let bestT: number | undefined;
  let best: Scalar | undefined;
  const one = (v: Scalar | undefined, t: number | undefined): void => {
    const time = t ?? 0;
    if (bestT === undefined || (sign > 0 ? time >= bestT : time < bestT)) {
      bestT = time;
      best = v;
    }
  };
  return {
    add(vs, t) {
      if (vs.length === 0) return;
      one(vs[0], t);
    },
    addValue(v, t) {
      if (v === undefined) return;
      if (Array.isArray(v)) {
        if (v.length > 0) one(v[0] as Scalar, t);
      } else one(v as Scalar, t);
    },
    result: () => best,
  };
}

function firstLast(first: boolean): Accumulator {
  let v: Scalar | undefined;
  let set = false;
  return {
    add(vs) {
      if (vs.length === 0) return;
      if (first && set) return;
      v = vs[0];
      set = true;
    },
    result: () => v,
  };
}

function modeAcc(): Accumulator {
  const counts = new Map<string, number>();
  return {
    add: (vs) => vs.forEach((v) => counts.set(scalarToString(v), (counts.get(scalarToString(v)) ?? 0) + 1)),
    result() {
      let best: string | undefined;
      let n = 0;
      for (const [k, c] of counts) if (c > n) (best = k), (n = c);
      return best;
    },
  };
}

/** The output name Splunk gives an aggregation without `as`: `count`, `dc(x)`, `count(Processes.dest)`. */
export function aggregationName(a: Aggregation, exprText?: string): string {
  if (a.as) return a.as;
  const fn = a.param !== undefined ? `${a.fn}${a.param}` : a.fn;
  if (a.field !== undefined) return `${fn}(${a.field})`;
  if (a.expr !== undefined) return `${fn}(eval(${exprText ?? ''}))`;
  return fn;
}

/** Values of a field of a row, as the accumulators take them. */
export function fieldValues(row: Row, field: string): readonly Scalar[] {
  return valuesOf(row[field]);
}
