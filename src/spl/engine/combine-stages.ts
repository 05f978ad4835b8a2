/**
 * Stages that combine the results with a subsearch's: `append`, `appendpipe`,
 * `join`. A subsearch sees the same events as the main search (the run
 * context feeds both); its rows are read when the main stage ends.
 */
import type { JoinCommand, SearchExpr } from '../language/ast.js';
import { compileSearchExpr, subsearchPredicate, type RowPredicate, type SearchCompileContext, type SubsearchTerm } from './search-predicate.js';
import { scalarToString, type Row, type Scalar } from '../values.js';
import { copyRow, type PipelineRun, type Stage } from './stages.js';
import type { RowSink } from './types.js';

export interface SubPlan {
  open(): PipelineRun;
}

/** Rows of an `append`/`join` subsearch Splunk keeps (`maxout`, the join limit): the rest are dropped. */
export const SUBSEARCH_MAX_OUT = 50000;

/** append: the main rows, then the subsearch's. */
export function appendStage(plan: SubPlan): Stage {
  return (next, run) => {
    const sub = run.open(plan);
    return {
      push: (row) => next.push(row),
      end() {
        for (const r of sub.finish().slice(0, SUBSEARCH_MAX_OUT)) next.push(r);
        next.end();
      },
    };
  };
}

/** appendpipe: the rows, then what the subpipeline makes of them. */
export function appendpipeStage(stages: readonly Stage[]): Stage {
  return (next, run) => {
    const rows: Row[] = [];
    const produced: Row[] = [];
    // Built now, not at the end: a subsearch inside (join, append) must see the events from the start.
    let sink: RowSink = { push: (r) => void produced.push(r), end: () => undefined };
    for (let i = stages.length - 1; i >= 0; i--) sink = (stages[i] as Stage)(sink, run);
    const inner = sink;
    return {
      push(row) {
        rows.push(row);
        next.push(row);
      },
      end() {
        for (const r of rows) inner.push(r);
        inner.end();
        for (const r of produced) next.push(r);
        next.end();
      },
    };
  };
}

function keyOf(row: Row, fields: readonly string[]): string | undefined {
  const parts: string[] = [];
  for (const f of fields) {
    const v = row[f];
    if (v === undefined) return undefined;
    parts.push(Array.isArray(v) ? v.map(scalarToString).join('\n') : scalarToString(v as Scalar));
  }
  return parts.join('\u0000');
}

/**
 * join: each main row (in order) with up to `max` matching subsearch rows
 * (0: all), matched on exact text of the join fields (by default the visible
 * fields both sides have). Subsearch values replace the row's unless
 * `overwrite=false`. `left`/`outer` keep unmatched rows; `inner` drops them.
 */
export function joinStage(cmd: JoinCommand, plan: SubPlan): Stage {
  return (next, run) => {
    const sub = run.open(plan);
    const rows: Row[] = [];
    return {
      push: (row) => void rows.push(row),
      end() {
        const subRows = sub.finish().slice(0, SUBSEARCH_MAX_OUT);
        let fields = cmd.fields;
        if (fields.length === 0) {
          const names = (rs: readonly Row[]): Set<string> => {
            const out = new Set<string>();
            for (const r of rs) for (const k in r) if (r[k] !== undefined && !k.startsWith('_')) out.add(k);
            return out;
          };
          const subNames = names(subRows);
          fields = [...names(rows)].filter((k) => subNames.has(k));
        }
        const index = new Map<string, Row[]>();
        for (const r of subRows) {
          const k = keyOf(r, fields);
          if (k === undefined) continue;
          const list = index.get(k);
          if (list) list.push(r);
          else index.set(k, [r]);
        }
        for (const row of rows) {
          const k = fields.length === 0 ? undefined : keyOf(row, fields);
          const matches = k === undefined ? undefined : index.get(k);
          if (!matches) {
            if (cmd.type !== 'inner') next.push(row);
            continue;
          }
          const taken = cmd.max > 0 ? matches.slice(0, cmd.max) : matches;
          for (const m of taken) {
            const out = copyRow(row);
            for (const f in m) {
              if (m[f] === undefined) continue;
              if (cmd.overwrite || out[f] === undefined) out[f] = m[f];
            }
            next.push(out);
          }
        }
        next.end();
      },
    };
  };
}

/**
 * A search filter with subsearch terms: the subsearches run alongside, so the
 * rows wait until they have finished, then the filter (with each subsearch
 * replaced by what its rows mean) runs over them in order.
 */
export function subsearchFilterStage(expr: SearchExpr, plans: ReadonlyMap<SubsearchTerm, SubPlan>, sc: SearchCompileContext): Stage {
  return (next, run) => {
    const runs = new Map([...plans].map(([term, plan]) => [term, run.open(plan)] as const));
    const rows: Row[] = [];
    return {
      push: (row) => void rows.push(row),
      end() {
        const preds = new Map<SubsearchTerm, RowPredicate>();
        for (const [term, r] of runs) preds.set(term, subsearchPredicate(r.finish(), sc));
        const pred = compileSearchExpr(expr, undefined, { ...sc, subsearch: (term) => preds.get(term) ?? (() => false) });
        for (const row of rows) if (pred(row)) next.push(row);
        next.end();
      },
    };
  };
}

/** Replaces `$field$` with the row's value (the first of a multivalue field; empty when missing); `$$` is `$`. */
export function substituteTokens(template: string, row: Row): string {
  return template.replace(/\$([^$\s]*)\$/g, (_, name: string) => {
    if (name === '') return '$';
    const v = row[name];
    if (v === undefined) return '';
    return scalarToString(Array.isArray(v) ? ((v[0] as Scalar | undefined) ?? '') : (v as Scalar));
  });
}

/**
 * map: for each of the first `max` rows, the search template with the row's
 * values substituted, run over every event of the search; the results follow
 * one another in row order. A search that does not compile is skipped (and
 * reported by `plan`).
 */
export function mapStage(template: string, max: number, plan: (text: string) => SubPlan | undefined): Stage {
  return (next, run) => {
    const rows: Row[] = [];
    return {
      push(row) {
        if (max === 0 || rows.length < max) rows.push(row);
      },
      end() {
        const events = run.events();
        for (const row of rows) {
          const p = plan(substituteTokens(template, row));
          if (!p) continue;
          const r = p.open();
          for (const e of events) r.pushEvent(e);
          for (const out of r.finish()) next.push(out);
        }
        next.end();
      },
    };
  };
}
