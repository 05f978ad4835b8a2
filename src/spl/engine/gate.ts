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
import { scalarToString, toNumber, type FieldValue, type Row, type Scalar } from '../values.js';
import type { CompiledSearch } from './compile.js';
import { compileSearchExpr, type RowPredicate } from './search-predicate.js';
import { compileWildcard, lowerAscii, type ValueMatcher } from './wildcard.js';

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

/** A shared gate test: one wildcard (or case-sensitive) value of a field, and the searches it admits. */
interface GateTest {
  /** Test of a value's text; `lower` is its lower-cased text when all ASCII (see `lowerAscii`). */
  readonly matcher: ValueMatcher;
  /** Numeric or other values: the compiled comparison over the record. */
  readonly pred: RowPredicate | undefined;
  readonly searches: number[];
}

/** Which searches (by index) can match a record of one dataset. */
export class GateIndex {
  private readonly exact = new Map<string, Map<string, number[]>>();
  private exactFields: { readonly field: string; readonly byValue: Map<string, number[]> }[] = [];
  /** Tests grouped by field, so each field is read (and lower-cased) once per record. */
  private readonly testsByField = new Map<string, GateTest[]>();
  private testFields: { readonly field: string; readonly tests: readonly GateTest[] }[] = [];
  private readonly testByKey = new Map<string, GateTest>();
  /** Searches with no gate: always candidates. */
  readonly ungated: number[] = [];
  private readonly mark: Uint32Array;
  private epoch = 0;
  private readonly out: number[] = [];

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
            const matcher = compileWildcard(a.text, a.caseSensitive);
            // A numeric value also matches numerically (`1` matches `1.0`): the general comparison.
            const numeric = !matcher.hasWildcard && toNumber(a.text) !== undefined;
            const pred = numeric
              ? compileSearchExpr({
                  kind: 'compare',
                  field: a.field,
                  op: '=',
                  value: { text: a.text, quoted: true, ...(a.caseSensitive ? { caseSensitive: true } : {}), span: { start: 0, end: 0 } },
                  span: { start: 0, end: 0 },
                })
              : undefined;
            t = { matcher, pred, searches: [] };
            this.testByKey.set(key, t);
            let list = this.testsByField.get(a.field);
            if (!list) this.testsByField.set(a.field, (list = []));
            list.push(t);
          }
          t.searches.push(index);
        }
      }
    }
    this.exactFields = [...this.exact].map(([field, byValue]) => ({ field, byValue }));
    this.testFields = [...this.testsByField].map(([field, tests]) => ({ field, tests }));
  }

  private hit(list: readonly number[], epoch: number): void {
    const mark = this.mark;
    const out = this.out;
    for (let k = 0; k < list.length; k++) {
      const i = list[k] as number;
      if (mark[i] !== epoch) {
        mark[i] = epoch;
        out.push(i);
      }
    }
  }

  /** The searches that may match `rec`, each once; the array is reused by the next call. */
  candidateList(rec: Row): readonly number[] {
    const epoch = ++this.epoch;
    this.out.length = 0;
    for (const { field, byValue } of this.exactFields) {
      const v = rec[field];
      if (v === undefined) continue;
      if (Array.isArray(v)) {
        for (const x of v) {
          const l = byValue.get(scalarToString(x as Scalar).toLowerCase());
          if (l) this.hit(l, epoch);
        }
      } else {
        const l = byValue.get(scalarToString(v as Scalar).toLowerCase());
        if (l) this.hit(l, epoch);
      }
    }
    for (const { field, tests } of this.testFields) {
      const v = rec[field];
      if (v === undefined) continue;
      if (typeof v === 'string') {
        const lower = lowerAscii(v);
        for (const t of tests) {
          const m = t.matcher;
          const ok = t.pred ? t.pred(rec) : lower !== undefined && m.testLowerAscii ? m.testLowerAscii(lower) : m.test(v);
          if (ok) this.hit(t.searches, epoch);
        }
      } else {
        for (const t of tests) if (t.pred ? t.pred(rec) : anyValue(v, t.matcher)) this.hit(t.searches, epoch);
      }
    }
    this.hit(this.ungated, epoch);
    return this.out;
  }

  /** Calls `visit` once for each search that may match `rec`. */
  candidates(rec: Row, visit: (search: number) => void): void {
    for (const i of this.candidateList(rec)) visit(i);
  }
}

/** Whether any value of a number or multivalue field matches (what the search's `f=v` does). */
function anyValue(v: FieldValue, m: ValueMatcher): boolean {
  if (Array.isArray(v)) {
    for (const x of v) if (m.test(scalarToString(x as Scalar))) return true;
    return false;
  }
  return m.test(scalarToString(v as Scalar));
}
