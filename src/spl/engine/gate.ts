/**
 * Shared work across many searches: a gate index.
 *
 * Most detections over a data model require, in one AND-ed term of their
 * `tstats ... where`, that some field equals one of a few values
 * (`Processes.process_name=cmd.exe OR Processes.original_file_name=Cmd.Exe`).
 * The index holds those terms of every search: exact values in hash maps by
 * field, wildcard and numeric values as tests shared by every search that
 * uses them. Per record it answers which searches can match at all, so a run
 * of hundreds of detections tests each distinct value once per record instead
 * of once per detection. A search the gate skips would have rejected the
 * record in its own where clause, so results are unchanged.
 */
import type { SearchExpr, TstatsCommand } from '../language/ast.js';
import { scalarToString, toNumber, type Row, type Scalar } from '../values.js';
import type { CompiledSearch } from './compile.js';
import { compileSearchExpr, type RowPredicate } from './search-predicate.js';

interface Atom {
  readonly field: string;
  readonly text: string;
  /** Exact, case-insensitive, non-numeric: indexable by hash. */
  readonly exact: boolean;
  readonly caseSensitive: boolean;
}

/** The atoms of a term that is an atom or an OR of atoms (`f=v`, `f IN (...)`), else undefined. */
function atomsOf(e: SearchExpr, resolve: (f: string) => string): Atom[] | undefined {
  const atom = (field: string, v: { text: string; quoted: boolean; term?: boolean; caseSensitive?: boolean }): Atom | undefined => {
    if (v.term) return undefined;
    const cs = v.caseSensitive === true;
    const exact = !cs && !v.text.includes('*') && toNumber(v.text) === undefined;
    return { field: resolve(field), text: v.text, exact, caseSensitive: cs };
  };
  switch (e.kind) {
    case 'compare': {
      if (e.op !== '=') return undefined;
      const a = atom(e.field, e.value);
      return a ? [a] : undefined;
    }
    case 'in': {
      const out: Atom[] = [];
      for (const v of e.values) {
        const a = atom(e.field, v);
        if (!a) return undefined;
        out.push(a);
      }
      return out.length > 0 ? out : undefined;
    }
    case 'or': {
      // Each branch must imply one of the atoms: an atom or OR of atoms as it is, an AND by its best term.
      const out: Atom[] = [];
      for (const item of e.items) {
        const a = item.kind === 'and' ? gateAtoms(item, resolve) : atomsOf(item, resolve);
        if (!a) return undefined;
        out.push(...a);
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** The most selective AND-ed term of a where clause that is a disjunction of atoms. */
export function gateAtoms(where: SearchExpr, resolve: (f: string) => string): Atom[] | undefined {
  const terms = where.kind === 'and' ? where.items : [where];
  let best: Atom[] | undefined;
  const cost = (as: Atom[]): number => as.reduce((c, a) => c + (a.exact ? 1 : 20), 0);
  for (const t of terms) {
    const as = atomsOf(t, resolve);
    if (as && (!best || cost(as) < cost(best))) best = as;
  }
  return best;
}

/** Which searches (by index) can match a record of one dataset. */
export class GateIndex {
  private readonly exact = new Map<string, Map<string, number[]>>();
  private readonly tests: { readonly field: string; readonly test: RowPredicate; readonly searches: number[] }[] = [];
  private readonly testByKey = new Map<string, number>();
  /** Searches with no gate: always candidates. */
  readonly ungated: number[] = [];
  private readonly mark: Uint32Array;
  private epoch = 0;

  constructor(readonly dataset: string, members: readonly { readonly index: number; readonly search: CompiledSearch }[], total: number) {
    this.mark = new Uint32Array(total);
    for (const { index, search } of members) {
      const first = search.pipeline.commands[0];
      const prefix = search.input.kind === 'datamodel' ? search.input.dataset.prefix + '.' : '';
      const resolve = (f: string): string => (prefix && f.startsWith(prefix) ? f.slice(prefix.length) : f);
      const atoms = first?.kind === 'tstats' && (first as TstatsCommand).where ? gateAtoms((first as TstatsCommand).where as SearchExpr, resolve) : undefined;
      if (!atoms) {
        this.ungated.push(index);
        continue;
      }
      for (const a of atoms) {
        if (a.exact) {
          let byValue = this.exact.get(a.field);
          if (!byValue) this.exact.set(a.field, (byValue = new Map()));
          const key = a.text.toLowerCase();
          const list = byValue.get(key) ?? [];
          list.push(index);
          byValue.set(key, list);
        } else {
          const key = `${a.field}\u0000${a.caseSensitive ? 'c' : 'i'}\u0000${a.text}`;
          let t = this.testByKey.get(key);
          if (t === undefined) {
            const test = compileSearchExpr({
              kind: 'compare',
              field: a.field,
              op: '=',
              value: { text: a.text, quoted: true, ...(a.caseSensitive ? { caseSensitive: true } : {}), span: { start: 0, end: 0 } },
              span: { start: 0, end: 0 },
            });
            t = this.tests.push({ field: a.field, test, searches: [] }) - 1;
            this.testByKey.set(key, t);
          }
          this.tests[t]?.searches.push(index);
        }
      }
    }
  }

  /** Calls `visit` once for each search that may match `rec`. */
  candidates(rec: Row, visit: (search: number) => void): void {
    const epoch = ++this.epoch;
    const mark = this.mark;
    const hit = (list: readonly number[]): void => {
      for (const i of list) {
        if (mark[i] !== epoch) {
          mark[i] = epoch;
          visit(i);
        }
      }
    };
    for (const [field, byValue] of this.exact) {
      const v = rec[field];
      if (v === undefined) continue;
      if (Array.isArray(v)) {
        for (const x of v) {
          const l = byValue.get(scalarToString(x as Scalar).toLowerCase());
          if (l) hit(l);
        }
      } else {
        const l = byValue.get(scalarToString(v as Scalar).toLowerCase());
        if (l) hit(l);
      }
    }
    for (const t of this.tests) {
      if (rec[t.field] !== undefined && t.test(rec)) hit(t.searches);
    }
    hit(this.ungated);
  }
}
